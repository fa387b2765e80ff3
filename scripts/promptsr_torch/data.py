"""Training pairs (HR from ../shared/data/train, LR by our MATLAB-compatible bicubic) and
validation sets (HR + the MATLAB-made LR_bicubic files)."""
import glob
import os
from typing import List, Tuple

import numpy as np
from PIL import Image

from .imresize import imresize, modcrop


def default_data_root() -> str:
    """$PROMPTSR_DATA, else the checkout's sibling ../shared/data, else /work/shared/data (the same order as the
    Java tests' TestData), so a clone made elsewhere still finds the benchmark sets."""
    if os.environ.get("PROMPTSR_DATA"):
        return os.environ["PROMPTSR_DATA"]
    sibling = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
    return sibling if os.path.isdir(sibling) else "/work/shared/data"


DEFAULT_DATA = default_data_root()


def read_rgb(path: str) -> np.ndarray:
    """uint8 H x W x 3; single-channel files are replicated to three channels."""
    img = np.array(Image.open(path))
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    return img[:, :, :3]


def training_pairs(data_root: str, scale: int) -> List[Tuple[np.ndarray, np.ndarray]]:
    files = sorted(f for ext in ("png", "webp")  # webp: the bank carried to a GPU machine (bank.py)
                   for f in glob.glob(os.path.join(data_root, "train", "*", "HR", "*." + ext)))
    if not files:
        raise FileNotFoundError(f"no training images under {data_root}/train/*/HR")
    pairs = []
    for f in files:
        hr = modcrop(read_rgb(f), scale)
        pairs.append((imresize(hr, 1.0 / scale), hr))
    return pairs


def validation_set(data_root: str, name: str, scale: int):
    """[(image name, LR uint8 RGB, HR uint8 as stored: RGB or gray)]"""
    out = []
    files = sorted(glob.glob(os.path.join(data_root, "val", name, "HR", "*.png")))
    if not files:
        raise FileNotFoundError(f"no validation images under {data_root}/val/{name}/HR")
    for f in files:
        stem = os.path.splitext(os.path.basename(f))[0]
        lr_files = glob.glob(os.path.join(data_root, "val", name, "LR_bicubic", f"X{scale}", stem + "*.png"))
        if not lr_files:
            raise FileNotFoundError(f"no LR for {f} at x{scale}")
        hr = modcrop(np.array(Image.open(f)), scale)
        out.append((stem, read_rgb(lr_files[0]), hr))
    return out


def augment(lr: np.ndarray, hr: np.ndarray, code: int):
    """One of the 8 flips/90-degree rotations, chosen by code in 0..7."""
    if code & 1:
        lr, hr = lr[:, ::-1], hr[:, ::-1]
    if code & 2:
        lr, hr = lr[::-1], hr[::-1]
    if code & 4:
        lr, hr = lr.transpose(1, 0, 2), hr.transpose(1, 0, 2)
    return lr, hr


def large_enough(pairs, patch: int) -> List[int]:
    """Indices of the pairs whose LR image holds a patch x patch crop (at x4 some T91 images do not)."""
    return [i for i, (lr, _) in enumerate(pairs) if lr.shape[0] >= patch and lr.shape[1] >= patch]


def sample_batch(pairs, scale: int, patch: int, batch: int, rng: np.random.Generator):
    """Random LR patches (patch x patch) and their HR, float32 NCHW in [0, 1]; images are drawn in
    proportion to their area, among those large enough for the patch."""
    eligible = large_enough(pairs, patch)
    if not eligible:
        raise ValueError(f"no training image is at least {patch}x{patch} pixels at low resolution; use a smaller --patch")
    areas = np.array([pairs[i][0].shape[0] * pairs[i][0].shape[1] for i in eligible], dtype=np.float64)
    picks = [eligible[k] for k in rng.choice(len(eligible), size=batch, p=areas / areas.sum())]
    lrs, hrs = [], []
    for i in picks:
        lr, hr = pairs[i]
        y = int(rng.integers(0, lr.shape[0] - patch + 1))
        x = int(rng.integers(0, lr.shape[1] - patch + 1))
        lp = lr[y:y + patch, x:x + patch]
        hp = hr[y * scale:(y + patch) * scale, x * scale:(x + patch) * scale]
        lp, hp = augment(lp, hp, int(rng.integers(0, 8)))
        lrs.append(lp)
        hrs.append(hp)
    to = lambda a: np.ascontiguousarray(np.stack(a).transpose(0, 3, 1, 2), dtype=np.float32) / 255.0
    return to(lrs), to(hrs)
