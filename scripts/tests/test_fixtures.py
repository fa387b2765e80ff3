import json

import pytest
import torch

from promptsr_torch import fixtures
from promptsr_torch.model import build


def scripted_tiny(seed):
    torch.manual_seed(seed)
    return torch.jit.script(build("promptsr", 2, dim=24, blocks=1, group=256).eval())  # one sub-category of all 16x16 tokens


def test_refresh_noise_recomputes_the_bound_and_keeps_the_arrays(tmp_path):
    model = scripted_tiny(3)
    prefix = str(tmp_path / "m")
    fixtures.write_parity(model, prefix, torch.rand(1, 3, 13, 11, generator=torch.Generator().manual_seed(7)))
    arrays = open(prefix + ".parity.bin", "rb").read()
    meta = json.load(open(prefix + ".parity.json"))
    assert meta["noise_trials"] == fixtures.NOISE_TRIALS == 16
    # one sub-category of all tokens: no argmax category can flip, so 1e-6 noise moves the output by ~1e-6
    assert meta["noise_psnr"] > 90

    meta["noise_psnr"] = 1.0
    json.dump(meta, open(prefix + ".parity.json", "w"))
    before, after = fixtures.refresh_noise_psnr(model, prefix)
    assert before == 1.0
    refreshed = json.load(open(prefix + ".parity.json"))
    assert refreshed["noise_psnr"] == pytest.approx(after) and after > 90
    assert {k: v for k, v in refreshed.items() if k != "noise_psnr"} == {k: v for k, v in meta.items() if k != "noise_psnr"}
    assert open(prefix + ".parity.bin", "rb").read() == arrays


def test_refresh_noise_refuses_a_fixture_of_another_model(tmp_path):
    prefix = str(tmp_path / "m")
    fixtures.write_parity(scripted_tiny(3), prefix, torch.rand(1, 3, 13, 11))
    with pytest.raises(ValueError, match="not written by this model"):
        fixtures.refresh_noise_psnr(scripted_tiny(4), prefix)
