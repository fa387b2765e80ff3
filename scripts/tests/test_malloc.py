import os
import subprocess
import sys

import pytest

from promptsr_torch.malloc import TCMALLOC

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_entry(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "PROMPTSR_MALLOC")}
    out = subprocess.run([sys.executable, "-m", "promptsr_torch.malloc", "--scale", "2"], cwd=SCRIPTS,
                         env=dict(clean, **env), capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.skipif(not os.path.isfile(TCMALLOC), reason="libtcmalloc-minimal4 is not installed")
def test_entry_points_re_execute_on_tcmalloc_with_their_arguments():
    assert run_entry() == ["True", "--scale", "2"]


def test_promptsr_malloc_system_keeps_glibc():
    assert run_entry(PROMPTSR_MALLOC="system") == ["False", "--scale", "2"]
