"""MATLAB-compatible bicubic resize (imresize(..., 'bicubic')), written for this project.

Keys cubic (a = -0.5); when shrinking, the kernel is widened by 1/scale (antialiasing);
output index i (1-based) samples input coordinate u = i/scale + 0.5 (1 - 1/scale); borders are
mirrored symmetrically (edge sample repeated); output size ceil(in * scale).  Dimensions are
resized one after the other, rows (vertical) first when the scales are equal, and for uint8
input each pass is rounded (half away from zero) and clipped to uint8, as MATLAB does.
"""
import math

import numpy as np


def cubic(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1.0) * (ax <= 1)
            + (-0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0) * ((ax > 1) & (ax <= 2)))


def resize_weights(in_len: int, out_len: int, scale: float) -> np.ndarray:
    """Dense [out_len, in_len] matrix of normalised interpolation weights."""
    antialias = scale < 1
    width = 4.0 / scale if antialias else 4.0
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1.0 - 1.0 / scale)
    left = np.floor(u - width / 2.0)
    taps = int(math.ceil(width)) + 2
    idx = left[:, None] + np.arange(taps)[None, :]          # 1-based input positions
    dist = u[:, None] - idx
    w = scale * cubic(scale * dist) if antialias else cubic(dist)
    w = w / w.sum(axis=1, keepdims=True)
    # symmetric mirroring: ... 2 1 | 1 2 ... n | n n-1 ...
    period = 2 * in_len
    mirrored = np.mod(idx - 1, period).astype(np.int64)
    mirrored = np.where(mirrored < in_len, mirrored, period - 1 - mirrored)
    matrix = np.zeros((out_len, in_len), dtype=np.float64)
    rows = np.repeat(np.arange(out_len), taps)
    np.add.at(matrix, (rows, mirrored.ravel()), w.ravel())
    return matrix


def _round_uint8(a: np.ndarray) -> np.ndarray:
    return np.floor(np.clip(a, 0.0, 255.0) + 0.5).astype(np.uint8)


def imresize(img: np.ndarray, scale: float) -> np.ndarray:
    """Resize an H x W or H x W x C image by `scale` (e.g. 1/4 or 4) like MATLAB's imresize.

    uint8 input gives uint8 output (rounded after each pass); float input stays float64.
    """
    is_uint8 = img.dtype == np.uint8
    data = img.astype(np.float64)
    squeeze = data.ndim == 2
    if squeeze:
        data = data[:, :, None]
    h, w = data.shape[:2]
    out_h, out_w = int(math.ceil(h * scale)), int(math.ceil(w * scale))
    # rows (vertical) first, then columns
    data = np.einsum("oh,hwc->owc", resize_weights(h, out_h, scale), data)
    if is_uint8:
        data = _round_uint8(data).astype(np.float64)
    data = np.einsum("ow,hwc->hoc", resize_weights(w, out_w, scale), data)
    out = _round_uint8(data) if is_uint8 else data
    return out[:, :, 0] if squeeze else out


def modcrop(img: np.ndarray, scale: int) -> np.ndarray:
    h, w = img.shape[:2]
    return img[: h - h % scale, : w - w % scale]
