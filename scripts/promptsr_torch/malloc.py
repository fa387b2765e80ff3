"""Runs the heavy entry points (train, evaluate, export, bench) on tcmalloc when it is installed.

glibc malloc hands torch's large short-lived CPU buffers (attention maps, activations) back to the
kernel and faults them in again at every step.  Measured in session 10 on the PromptSR* x2 run (batch 16
of 32x32 LR patches, bf16, 2 threads): 6.6 s per step with half the CPU time in the kernel; the same run
resumed from its checkpoint with tcmalloc preloaded: 3.7 s per step (train.log of promptsr-star-x2).
Before, models/README.md said to set LD_PRELOAD by hand, which that run had not.  The Java launcher
(scripts/promptsr) preloads it for the same reason.  PROMPTSR_MALLOC=system skips it.
"""
import os
import sys

TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def tcmalloc_loaded() -> bool:
    try:
        with open("/proc/self/maps") as f:
            return "libtcmalloc" in f.read()
    except OSError:
        return False


def preload_tcmalloc(module: str) -> None:
    """Re-executes this process as `python -m module ARGS` with tcmalloc preloaded, unless it is not
    installed, LD_PRELOAD is already set, or PROMPTSR_MALLOC is not 'tcmalloc'.  Call it from a module's
    `__main__` block only: it replaces the running process."""
    if (os.environ.get("PROMPTSR_MALLOC", "tcmalloc") != "tcmalloc" or os.environ.get("LD_PRELOAD")
            or not os.path.isfile(TCMALLOC)):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", module] + sys.argv[1:], dict(os.environ, LD_PRELOAD=TCMALLOC))


if __name__ == "__main__":  # used by the tests: reports what the entry points get
    preload_tcmalloc("promptsr_torch.malloc")
    print(tcmalloc_loaded(), *sys.argv[1:])
