"""Training is resumable and deterministic: a run stopped at a checkpoint and resumed takes exactly the
same steps as one that never stopped."""
import numpy as np
import pytest
import torch

from promptsr_torch import data, train


def synthetic_pairs(scale=2):
    rng = np.random.default_rng(7)
    hr = [rng.integers(0, 256, size=(40, 48, 3), dtype=np.uint8) for _ in range(3)]
    return [(data.imresize(h, 1.0 / scale), h) for h in hr]


def trainer(out, precision):
    args = train.parse_args(["--scale", "2", "--out", str(out), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", precision])
    return train.Trainer(args)


def take_steps(t, pairs, n):
    for _ in range(n):
        rng = np.random.default_rng([t.args.seed, t.it])
        t.step(*data.sample_batch(pairs, 2, 16, 2, rng))


@pytest.mark.parametrize("precision", ["bf16", "fp32"])
def test_resumed_run_equals_uninterrupted_run(tmp_path, precision):
    pairs = synthetic_pairs()
    straight = trainer(tmp_path / "a", precision)
    take_steps(straight, pairs, 3)

    first = trainer(tmp_path / "b", precision)
    take_steps(first, pairs, 1)
    first.save()
    resumed = trainer(tmp_path / "b", precision)
    assert resumed.it == 1
    take_steps(resumed, pairs, 2)

    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    initial = trainer(tmp_path / "fresh", precision).model.state_dict()
    assert not torch.equal(a["encoder.weight"], initial["encoder.weight"])  # the steps did train


def test_gradient_norm_is_clipped(tmp_path):
    t = trainer(tmp_path / "c", "fp32")
    t.args.clip = 1e-3
    take_steps(t, synthetic_pairs(), 1)
    total = torch.norm(torch.stack([p.grad.norm() for p in t.model.parameters()]))
    assert t.last_grad_norm > 1e-3
    assert float(total) == pytest.approx(1e-3, rel=1e-3)


def test_evaluation_runs_in_a_child_process_on_the_saved_checkpoint(tmp_path):
    from PIL import Image
    from promptsr_torch import evaluate
    root = tmp_path / "data"
    rng = np.random.default_rng(3)
    for name in ("Set5", "Set14"):
        (root / "val" / name / "HR").mkdir(parents=True)
        (root / "val" / name / "LR_bicubic" / "X2").mkdir(parents=True)
        hr = rng.integers(0, 256, size=(24, 20, 3), dtype=np.uint8)
        Image.fromarray(hr).save(root / "val" / name / "HR" / "img.png")
        Image.fromarray(data.imresize(hr, 0.5)).save(root / "val" / name / "LR_bicubic" / "X2" / "imgx2.png")
    t = trainer(tmp_path / "run", "fp32")
    t.args.data = str(root)
    take_steps(t, synthetic_pairs(), 1)
    res = t.evaluate_checkpoint()
    expected = evaluate.evaluate(t.model.eval(), 2, data_root=str(root))
    for name in ("Set5", "Set14"):
        assert res[name][0] == pytest.approx(expected[name][0], abs=1e-6)
        assert res[name][1] == pytest.approx(expected[name][1], abs=1e-6)
