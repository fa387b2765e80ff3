import glob
import os

import numpy as np
import pytest
from PIL import Image

from promptsr_torch import data, metrics
from promptsr_torch.imresize import imresize, modcrop


def test_downscaler_reproduces_matlab_lr_bicubic_bit_exactly(data_root):
    checked = 0
    for s in (2, 3, 4):
        for name in ("Set5", "Set14"):
            for stem, lr, hr in data.validation_set(data_root, name, s):
                raw_lr = np.array(Image.open(glob.glob(os.path.join(
                    data_root, "val", name, "LR_bicubic", f"X{s}", stem + "*.png"))[0]))
                mine = imresize(hr, 1.0 / s)
                assert mine.shape == raw_lr.shape and np.array_equal(mine, raw_lr), f"{name}/{stem} x{s}"
                checked += 1
    assert checked == 57


@pytest.mark.parametrize("scale,psnr,ssim", [(2, 33.66, 0.9299), (4, 28.42, 0.8104)])
def test_bicubic_set5_matches_published_numbers(data_root, scale, psnr, ssim):
    scores = [metrics.score(imresize(lr, scale), hr, scale) for _, lr, hr in data.validation_set(data_root, "Set5", scale)]
    assert abs(np.mean([p for p, _ in scores]) - psnr) < 0.02
    assert abs(np.mean([q for _, q in scores]) - ssim) < 0.001


def test_psnr_of_one_gray_level_offset():
    a = np.full((20, 20), 100.0)
    assert metrics.psnr(a, a + 1) == pytest.approx(10 * np.log10(255.0 ** 2), abs=1e-9)
    assert metrics.ssim(a, a) == pytest.approx(1.0)


def test_psnr_ssim_agree_with_scikit_image():
    skm = pytest.importorskip("skimage.metrics")
    rng = np.random.default_rng(0)
    a = rng.uniform(16, 235, (64, 48))
    b = np.clip(a + rng.normal(0, 5, a.shape), 0, 255)
    assert metrics.psnr(a, b) == pytest.approx(skm.peak_signal_noise_ratio(a, b, data_range=255), abs=1e-6)
    ref = skm.structural_similarity(a, b, data_range=255, gaussian_weights=True, sigma=1.5,
                                    use_sample_covariance=False, full=True)[1]
    # skimage pads (reflect) and we keep the valid region: compare on the valid part of its map
    assert metrics.ssim(a, b) == pytest.approx(ref[5:-5, 5:-5].mean(), abs=1e-6)


def test_size_mismatch_is_reported():
    with pytest.raises(ValueError, match="differ in size"):
        metrics.score(np.zeros((10, 10, 3), np.uint8), np.zeros((12, 10, 3), np.uint8), 2)


def test_upscaling_and_modcrop_sizes():
    img = np.arange(7 * 5 * 3, dtype=np.uint8).reshape(7, 5, 3)
    assert modcrop(img, 2).shape == (6, 4, 3)
    assert imresize(img, 3).shape == (21, 15, 3)


def test_batches_are_deterministic_per_seed_and_iteration():
    pairs = [(np.random.default_rng(1).integers(0, 255, (40, 50, 3), dtype=np.uint8),
              np.random.default_rng(2).integers(0, 255, (80, 100, 3), dtype=np.uint8))]
    a = data.sample_batch(pairs, 2, 16, 4, np.random.default_rng([0, 5]))
    b = data.sample_batch(pairs, 2, 16, 4, np.random.default_rng([0, 5]))
    c = data.sample_batch(pairs, 2, 16, 4, np.random.default_rng([0, 6]))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert a[0].shape == (4, 3, 16, 16) and a[1].shape == (4, 3, 32, 32)


def test_augmentations_are_the_eight_dihedral_transforms_applied_to_both():
    lr = np.arange(2 * 3 * 1).reshape(2, 3, 1)
    hr = np.kron(lr, np.ones((2, 2, 1), dtype=lr.dtype))
    seen = set()
    for code in range(8):
        l, h = data.augment(lr, hr, code)
        assert np.array_equal(np.kron(l, np.ones((2, 2, 1), dtype=l.dtype)), h)
        seen.add(l.tobytes() + bytes(l.shape))
    assert len(seen) == 8


def test_images_too_small_for_the_patch_are_never_drawn():
    small = np.zeros((40, 40, 3), dtype=np.uint8)  # LR 10x10 at x4
    large = np.full((160, 200, 3), 255, dtype=np.uint8)
    pairs = [(data.imresize(h, 0.25), h) for h in (small, large, small)]
    assert data.large_enough(pairs, 32) == [1]
    for seed in range(20):
        lr, hr = data.sample_batch(pairs, 4, 32, 4, np.random.default_rng([0, seed]))
        assert lr.shape == (4, 3, 32, 32) and hr.shape == (4, 3, 128, 128)
        assert lr.min() == 1.0 and hr.min() == 1.0
    with pytest.raises(ValueError, match="smaller --patch"):
        data.sample_batch(pairs[:1], 4, 32, 4, np.random.default_rng(0))


def test_draws_are_unchanged_when_every_image_is_large_enough():
    # the rule for small images must not change the batches of runs that never met one
    rng = np.random.default_rng(11)
    pairs = [(data.imresize(h, 0.5), h) for h in
             (rng.integers(0, 256, size=(64 + 8 * i, 72, 3), dtype=np.uint8) for i in range(4))]
    areas = np.array([p[0].shape[0] * p[0].shape[1] for p in pairs], dtype=np.float64)
    expected = np.random.default_rng([0, 9]).choice(len(pairs), size=5, p=areas / areas.sum())
    lr, _ = data.sample_batch(pairs, 2, 16, 5, np.random.default_rng([0, 9]))
    for k, i in enumerate(expected):
        assert any(np.array_equal(lr[k], crop) for crop in all_augmented_crops(pairs[i][0], 16))


def all_augmented_crops(lr, patch):
    out = []
    for code in range(8):
        for y in range(lr.shape[0] - patch + 1):
            for x in range(lr.shape[1] - patch + 1):
                a, _ = data.augment(lr[y:y + patch, x:x + patch], lr[y:y + patch, x:x + patch], code)
                out.append(np.ascontiguousarray(a.transpose(2, 0, 1), dtype=np.float32) / 255.0)
    return out


def test_a_missing_validation_set_is_an_error_not_an_empty_mean(tmp_path):
    with pytest.raises(FileNotFoundError, match="no validation images under .*/val/Set5/HR"):
        data.validation_set(str(tmp_path), "Set5", 2)
