"""A training checkpoint split for the GPU tool's per-file limit joins back into the same checkpoint."""
import os

import pytest
import torch

from promptsr_torch import parts
from test_train import synthetic_pairs, take_steps, trainer


def same(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and torch.equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def trained_checkpoint(out, steps):
    t = trainer(out, "fp32")
    take_steps(t, synthetic_pairs(), steps)
    t.save()
    return t.ckpt


def test_split_then_join_gives_back_every_entry_and_each_part_is_smaller(tmp_path):
    ck = trained_checkpoint(tmp_path / "run", 2)
    weights, opt = parts.split(ck, tmp_path / "parts")
    assert max(os.path.getsize(weights), os.path.getsize(opt)) < os.path.getsize(ck)
    assert "opt" not in torch.load(weights)
    joined = parts.join(tmp_path / "parts", tmp_path / "joined.pt")
    original, back = torch.load(ck), torch.load(joined)
    assert original["opt"]["state"]  # Adam's moments are there to lose
    assert same(original, back)


def test_join_refuses_parts_of_different_iterations(tmp_path):
    parts.split(trained_checkpoint(tmp_path / "a", 1), tmp_path / "one")
    parts.split(trained_checkpoint(tmp_path / "b", 2), tmp_path / "two")
    os.replace(tmp_path / "two" / parts.OPTIMIZER, tmp_path / "one" / parts.OPTIMIZER)
    with pytest.raises(ValueError, match="optimizer state is from iteration 2, weights from 1"):
        parts.join(tmp_path / "one", tmp_path / "joined.pt")


def test_split_refuses_a_checkpoint_without_optimizer_state(tmp_path):
    ck = torch.load(trained_checkpoint(tmp_path / "run", 1))
    del ck["opt"]
    torch.save(ck, tmp_path / "weights-only.pt")
    with pytest.raises(ValueError, match="holds no optimizer state"):
        parts.split(tmp_path / "weights-only.pt", tmp_path / "parts")
