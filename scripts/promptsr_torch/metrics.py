"""Y-channel PSNR / SSIM with the field's conventions (BasicSR / MATLAB):
SR rounded to uint8, `scale` pixels cropped on every side, Y = 16 + 65.481 R + 128.553 G +
24.966 B with R, G, B in [0, 1] (not rounded), PSNR in float64 with peak 255, SSIM on Y in
[0, 255] with an 11x11 Gaussian window (sigma 1.5) over the valid region.

Single-channel images follow the `replicate` convention by default (three equal channels, so
Y = 16 + 219 g / 255); `gray` uses the gray value itself as Y.
"""
import numpy as np
from scipy.signal import correlate2d


def to_y(img: np.ndarray, gray: str = "replicate") -> np.ndarray:
    """uint8 H x W x 3 (or H x W) -> float64 Y in [16, 235]-ish (or gray value for `gray`)."""
    x = img.astype(np.float64)
    if x.ndim == 2:
        if gray == "gray":
            return x
        if gray != "replicate":
            raise ValueError(f"gray convention must be 'replicate' or 'gray', got {gray!r}")
        return 16.0 + 219.0 * x / 255.0
    x = x / 255.0
    return 16.0 + 65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]


def crop_border(y: np.ndarray, border: int) -> np.ndarray:
    return y[border:-border, border:-border] if border > 0 else y


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else float(10.0 * np.log10(255.0 ** 2 / mse))


def gaussian_window(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    r = np.arange(size) - (size - 1) / 2.0
    g = np.exp(-(r ** 2) / (2 * sigma ** 2))
    w = np.outer(g, g)
    return w / w.sum()


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    w = gaussian_window()
    a = a.astype(np.float64)
    b = b.astype(np.float64)

    def filt(x):
        return correlate2d(x, w, mode="valid")

    mu_a, mu_b = filt(a), filt(b)
    var_a = filt(a * a) - mu_a ** 2
    var_b = filt(b * b) - mu_b ** 2
    cov = filt(a * b) - mu_a * mu_b
    num = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    den = (mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2)
    return float(np.mean(num / den))


def score(sr: np.ndarray, hr: np.ndarray, scale: int, gray: str = "replicate"):
    """(PSNR, SSIM) of uint8 SR against uint8 HR on Y, `scale` border pixels cropped."""
    if sr.shape[:2] != hr.shape[:2]:
        raise ValueError(f"SR {sr.shape[:2]} and HR {hr.shape[:2]} differ in size")
    def luma(img, other):
        # under `gray`, an RGB image compared with a gray one is put on the gray scale
        if gray == "gray" and img.ndim == 3 and other.ndim == 2:
            return (to_y(img) - 16.0) * 255.0 / 219.0
        return to_y(img, gray)

    ysr, yhr = luma(sr, hr), luma(hr, sr)
    ysr, yhr = crop_border(ysr, scale), crop_border(yhr, scale)
    return psnr(ysr, yhr), ssim(ysr, yhr)
