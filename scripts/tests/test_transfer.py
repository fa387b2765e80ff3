"""transfer.py: a model at a new scale keeps the trained body and gets a least-squares decoder."""
import numpy as np
import pytest
import torch
from PIL import Image

from promptsr_torch import data, train, transfer
from promptsr_torch.model import build


def test_the_fit_recovers_a_decoder_the_targets_were_made_with():
    torch.manual_seed(0)
    model = build("promptsr", 4).eval()
    made_with = [p.detach().clone() for p in model.decoder[0].parameters()]
    batches = []
    with torch.no_grad():
        for _ in range(4):
            lr = torch.rand(2, 3, 16, 16)
            batches.append((lr, model(lr)))  # unclamped: exactly linear in the decoder's features
    torch.nn.init.zeros_(model.decoder[0].weight)
    torch.nn.init.zeros_(model.decoder[0].bias)
    assert transfer.fit_decoder(model, batches, ridge=1e-9) == 4 * 2 * 16 * 16
    for fitted, true in zip(model.decoder[0].parameters(), made_with):
        assert torch.allclose(fitted, true, atol=1e-4), (fitted - true).abs().max()


def test_patches_the_model_would_pad_are_refused():
    model = build("promptsr", 2).eval()
    with pytest.raises(ValueError, match="multiples of 16, got 20x16"):
        transfer.fit_decoder(model, [(torch.rand(1, 3, 20, 16), torch.rand(1, 3, 40, 32))])
    with pytest.raises(ValueError, match="no batches"):
        transfer.fit_decoder(model, [])


def test_an_x4_start_keeps_the_x2_body_and_train_py_names_where_it_came_from(tmp_path):
    root = tmp_path / "data"
    (root / "train" / "synthetic" / "HR").mkdir(parents=True)
    rng = np.random.default_rng(3)
    for i in range(3):
        Image.fromarray(rng.integers(0, 256, (80, 96, 3), dtype=np.uint8)).save(root / "train" / "synthetic" / "HR" / f"{i}.png")
    x2 = train.Trainer(train.parse_args(["--scale", "2", "--out", str(tmp_path / "x2"), "--batch", "2", "--patch", "16",
                                         "--warmup", "0", "--precision", "fp32"]))
    pairs = data.training_pairs(str(root), 2)
    for _ in range(2):
        x2.step(*data.sample_batch(pairs, 2, 16, 2, np.random.default_rng(x2.it)))
    x2.save()

    model, start = transfer.transfer(x2.ckpt, 4, "raw", str(root), patch=16, batch=2, count=3)
    assert torch.equal(start["model"]["encoder.weight"], x2.model.encoder.weight)
    assert not torch.equal(start["model"]["encoder.weight"], x2.ema["encoder.weight"])
    assert start["model"]["decoder.0.weight"].shape == (48, 48, 3, 3)
    assert start["args"]["scale"] == 4 and start["iter"] == 2
    assert "1536 LR pixels" in start["note"]  # 3 batches of 2 patches of 16x16
    path = tmp_path / "start-x4.pt"
    torch.save(start, path)
    args = train.parse_args(["--scale", "4", "--out", str(tmp_path / "x4"), "--init", str(path), "--init-weights", "raw",
                             "--precision", "fp32"])
    x4 = train.Trainer(args)
    assert torch.equal(x4.model.decoder[0].weight, model.decoder[0].weight)
    assert "x4 decoder fitted by least squares" in args.init_note
    # the start holds its x2 source's counter (2): the label must not call it an x4 iteration
    assert args.init_note.startswith(f"{path}: x4 start made by transfer.py, raw weights (")
    assert "x4 iteration" not in args.init_note


def test_a_checkpoint_of_another_variant_is_refused(tmp_path):
    x2 = train.Trainer(train.parse_args(["--scale", "2", "--out", str(tmp_path / "x2"), "--precision", "fp32"]))
    x2.save()
    ck = torch.load(x2.ckpt)
    ck["args"]["variant"] = "promptsr-star"  # a PromptSR checkpoint labelled PromptSR*: the fourth CPBs are missing
    torch.save(ck, x2.ckpt)
    with pytest.raises(ValueError, match="lacks body tensors"):
        transfer.transfer(x2.ckpt, 4, "raw", str(tmp_path / "nowhere"))


def test_the_card_of_an_exported_start_says_it_was_not_trained_at_its_scale():
    from promptsr_torch import export
    start = {"model": {}, "iter": 8467, "args": {"scale": 3, "iters": 100000, "batch": 16},
             "note": "x2.pt: x2 iteration 8467, raw weights, all but the decoder; x3 decoder fitted by least squares",
             "command": "cd scripts && /usr/bin/python3 -m promptsr_torch.transfer x2.pt --scale 3 --out s.pt"}
    card = export.training_summary(start, "s.pt", label="start-x3.pt", history="why")
    assert card["iterations"] == 0 and card["status"].startswith("transferred")
    assert card["init"] == start["note"] and card["command"] == start["command"]
    assert card["checkpoint"] == "start-x3.pt" and card["history"] == "why"
    assert "batch" not in card  # the source run's arguments do not describe this model
