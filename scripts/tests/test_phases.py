"""Replacing a checkpoint's phase records keeps the rest of it and refuses records that do not add up."""
import json

import pytest
import torch

from promptsr_torch import phases


def phase(frm, to, **over):
    p = {"out": "run", "scale": 4, "variant": "promptsr-star", "from": frm, "to": to, "start": "s",
         "precision": "bf16", "command": "c", "hardware": "h", "date": "2026-12-04"}
    p.update(over)
    return p


@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / "last.pt"
    torch.save({"model": {"w": torch.arange(4.0)}, "iter": 752, "wall": 465.8, "ema_steps": 752,
                "args": {"scale": 4, "variant": "promptsr-star", "out": "/tmp/gpu/x4", "batch": 16, "patch": 64,
                         "lr": 1e-4, "precision": "bf16"}}, path)
    return path


def test_set_writes_the_phases_and_keeps_everything_else(checkpoint, tmp_path, capsys):
    js = tmp_path / "p.json"
    js.write_text(json.dumps([phase(0, 752)]))
    assert phases.main(["set", str(checkpoint), str(js)]) == 0
    ck = torch.load(checkpoint)
    assert ck["phases"] == [phase(0, 752)]
    assert torch.equal(ck["model"]["w"], torch.arange(4.0)) and (ck["iter"], ck["wall"], ck["ema_steps"]) == (752, 465.8, 752)
    capsys.readouterr()
    assert phases.main(["show", str(checkpoint)]) == 0
    assert json.loads(capsys.readouterr().out) == [phase(0, 752)]


def test_a_new_run_from_0_may_follow_another_runs_phases_of_another_scale(checkpoint, tmp_path):
    records = [phase(0, 8467, scale=2), phase(0, 419), phase(419, 1032), phase(0, 752)]
    js = tmp_path / "p.json"
    js.write_text(json.dumps(records))
    assert phases.main(["set", str(checkpoint), str(js)]) == 0
    assert torch.load(checkpoint)["phases"] == records


def test_show_names_the_placeholder_of_a_checkpoint_without_records(checkpoint, capsys):
    assert phases.main(["show", str(checkpoint)]) == 0
    out = capsys.readouterr()
    assert "no phases recorded" in out.err
    assert json.loads(out.out)[0]["start"].startswith("not recorded")


@pytest.mark.parametrize("records, message", [
    ([phase(0, 700)], "the last phase ends at 700, the checkpoint is at iteration 752"),
    ([phase(0, 400), phase(419, 752)], "phase 1 starts at 419 but phase 0 ends at 400"),
    ([phase(0, 752, scale=2)], "the last phase is x2 promptsr-star, the checkpoint x4 promptsr-star"),
    ([phase(0, 400), phase(300, 752)], "ends at 400 (only a new run, from 0, may start elsewhere)"),
    ([{k: v for k, v in phase(0, 752).items() if k != "hardware"}], "phase 0 lacks hardware"),
    ([], "non-empty JSON list"),
])
def test_set_refuses_records_that_do_not_add_up_and_leaves_the_checkpoint_alone(checkpoint, tmp_path, capsys, records, message):
    js = tmp_path / "p.json"
    js.write_text(json.dumps(records))
    assert phases.main(["set", str(checkpoint), str(js)]) == 2
    assert message in capsys.readouterr().err
    assert "phases" not in torch.load(checkpoint)
