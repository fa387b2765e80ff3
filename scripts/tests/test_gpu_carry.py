"""gpu_carry.sh takes the tracked checkpoints out of git's index for a device call and puts them back."""
import os
import shutil
import subprocess

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gpu_carry.sh")


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("no git")
    r = tmp_path / "repo"
    (r / "models" / "training" / "run").mkdir(parents=True)
    (r / "scripts").mkdir()
    shutil.copy(SCRIPT, r / "scripts" / "gpu_carry.sh")
    (r / "models" / "a.pt").write_bytes(b"x" * 1000)
    (r / "models" / "training" / "run" / "last.pt").write_bytes(b"y" * 2000)
    (r / "models" / "card.json").write_text("{}")
    (r / ".gitignore").write_text("/bank/\n")
    (r / "bank").mkdir()
    (r / "bank" / "img.webp").write_bytes(b"z" * 300)
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    return r


def run(repo, verb):
    return subprocess.run([str(repo / "scripts" / "gpu_carry.sh"), verb], capture_output=True, text=True)


def test_prepare_leaves_only_small_files_to_travel_and_restore_undoes_it(repo):
    before = git(repo, "ls-files")
    out = run(repo, "prepare")
    assert out.returncode == 0, out.stderr
    assert "2 checkpoints out of the index" in out.stdout
    assert "bank 300" in out.stdout
    assert ".pt" not in git(repo, "ls-files")
    assert git(repo, "status", "--porcelain", "--untracked-files=all").count("??") == 0  # ignored, not untracked
    assert (repo / "models" / "a.pt").read_bytes() == b"x" * 1000  # still on disk
    assert run(repo, "prepare").returncode == 1  # not twice
    out = run(repo, "restore")
    assert out.returncode == 0 and "2 checkpoints back in the index" in out.stdout
    assert git(repo, "ls-files") == before
    assert git(repo, "status", "--porcelain") == ""
    assert "gpu_carry" not in (repo / ".git" / "info" / "exclude").read_text()
    assert run(repo, "restore").returncode == 1


def test_prepare_refuses_a_tree_over_the_limit(repo):
    (repo / "bank" / "big.bin").write_bytes(b"0" * (64 * 1024 * 1024 + 1))
    out = run(repo, "prepare")
    assert out.returncode == 1 and "over the limit" in out.stderr
    assert run(repo, "restore").returncode == 0
