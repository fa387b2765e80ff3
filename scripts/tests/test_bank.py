"""The bank carried to a GPU machine holds exactly the training pixels."""
import numpy as np
import pytest
from PIL import Image

from promptsr_torch import bank, data


def test_bank_is_pixel_identical_and_reads_like_the_png_folder(tmp_path):
    rng = np.random.default_rng(5)
    src = tmp_path / "src"
    (src / "train" / "A" / "HR").mkdir(parents=True)
    (src / "train" / "B" / "HR").mkdir(parents=True)
    Image.fromarray(rng.integers(0, 256, size=(30, 26, 3), dtype=np.uint8)).save(src / "train" / "A" / "HR" / "c.png")
    Image.fromarray(rng.integers(0, 256, size=(18, 22), dtype=np.uint8)).save(src / "train" / "B" / "HR" / "g.png")
    size = bank.pack(str(src), str(tmp_path / "bank"))
    assert size == sum(p.stat().st_size for p in (tmp_path / "bank").rglob("*.webp"))
    for (lr_a, hr_a), (lr_b, hr_b) in zip(data.training_pairs(str(src), 2), data.training_pairs(str(tmp_path / "bank"), 2)):
        assert np.array_equal(hr_a, hr_b) and np.array_equal(lr_a, lr_b)
    assert len(data.training_pairs(str(tmp_path / "bank"), 2)) == 2


def test_an_empty_source_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no training images"):
        bank.pack(str(tmp_path), str(tmp_path / "bank"))


def test_a_start_holds_the_moving_average_and_feeds_a_gpu_run(tmp_path):
    import torch
    from promptsr_torch import train
    t = train.Trainer(train.parse_args(["--scale", "3", "--out", str(tmp_path / "cpu"), "--batch", "1", "--patch", "16"]))
    with torch.no_grad():
        for v in t.ema.values():
            v.add_(0.25)  # the average differs from the parameters
    t.save()
    start = bank.write_start(t.ckpt, str(tmp_path))
    assert start.endswith("start-x3.pt")
    gpu = train.Trainer(train.parse_args(["--scale", "3", "--out", str(tmp_path / "gpu"), "--init", start]))
    assert all(torch.equal(gpu.model.state_dict()[k], t.ema[k]) for k in t.ema)
    assert gpu.args.init_note.endswith("x3 iteration 0, ema weights")
    assert "opt" not in torch.load(start, map_location="cpu")
    (tmp_path / "raw").mkdir()
    raw = bank.write_start(t.ckpt, str(tmp_path / "raw"), weights="raw")
    params = t.model.state_dict()
    gpu_raw = train.Trainer(train.parse_args(["--scale", "3", "--out", str(tmp_path / "gpu-raw"), "--init", raw]))
    assert all(torch.equal(gpu_raw.model.state_dict()[k], params[k]) for k in params)
    assert gpu_raw.args.init_note.endswith("x3 iteration 0, raw weights")  # the card must not say "ema"
    with pytest.raises(ValueError, match="'ema' or 'raw'"):
        bank.write_start(t.ckpt, str(tmp_path), weights="average")


def test_only_the_named_validation_sets_are_carried(tmp_path):
    for name in ("Set5", "Set14"):
        (tmp_path / "src" / "val" / name / "HR").mkdir(parents=True)
        (tmp_path / "src" / "val" / name / "HR" / "a.png").write_bytes(b"png")
    bank.copy_validation(str(tmp_path / "src"), str(tmp_path / "bank"), ["Set5"])
    assert sorted(p.name for p in (tmp_path / "bank" / "val").iterdir()) == ["Set5"]
    assert (tmp_path / "bank" / "val" / "Set5" / "HR" / "a.png").read_bytes() == b"png"
