"""Start a model at a new scale from a trained one: keep every tensor but the decoder, fit the decoder.

Only the decoder (one 3x3 conv to 3*s^2 channels, then PixelShuffle) depends on the scale, so the
x2 PromptSR* body can drive an x4 model.  The new decoder is linear in the body's features, so it is
fitted by least squares (ridge-regularised normal equations, accumulated in float64) on random
training patches instead of from random weights; train.py --init then fine-tunes everything.

Why: in session 23 the x2 PromptSR* body (8467 iterations) with a fitted x4 decoder scored Set5 30.279 /
Set14 27.341 at x4 before any fine-tuning, against 29.433 / 26.736 for the x4 model trained on its own.

    cd scripts && python3 -m promptsr_torch.transfer ../models/training/promptsr-star-x2-gpu4/last.pt \
        --weights raw --scale 4 --out /tmp/start-x4.pt
"""
import argparse
import os
import sys
from typing import Iterable, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from . import data, evaluate
from .model import PromptSR, build
from .train import checkpoint_state, load_matching


def decoder_features(model: PromptSR, lr: Tensor) -> Tensor:
    """What the decoder sees: conv_after_body(body) + encoder features, N x C x H x W."""
    x0 = model.head(lr)
    t, _ = model.body(x0)
    return model.decoder_input(t, x0)


def fit_decoder(model: PromptSR, batches: Iterable[Tuple[Tensor, Tensor]], ridge: float = 1e-3) -> int:
    """Set model.decoder[0] to the least-squares map from decoder_features to the pixel-unshuffled,
    mean-subtracted HR patches; returns the number of LR pixels fitted on.  LR sides must be multiples
    of model.multiple, so that no padding enters the features."""
    conv = model.decoder[0]
    c, s = conv.in_channels, model.scale
    k = c * 9 + 1  # a 3x3 neighbourhood of every channel, and the bias
    xtx = torch.zeros(k, k, dtype=torch.float64)
    xty = torch.zeros(k, conv.out_channels, dtype=torch.float64)
    n = 0
    with torch.no_grad():
        for lr, hr in batches:
            h, w = lr.shape[-2:]
            if h % model.multiple or w % model.multiple:
                raise ValueError(f"LR patches must have sides that are multiples of {model.multiple}, got {h}x{w}")
            if hr.shape[-2:] != (h * s, w * s):
                raise ValueError(f"HR patches must be {s}x the LR ({h * s}x{w * s}), got {tuple(hr.shape[-2:])}")
            cols = F.unfold(decoder_features(model, lr), 3, padding=1)  # N x C*9 x H*W, conv weight order
            cols = cols.transpose(1, 2).reshape(-1, c * 9)
            cols = torch.cat([cols, torch.ones(cols.shape[0], 1)], 1).double()
            target = F.pixel_unshuffle(hr - model.mean, s)  # the inverse of the decoder's PixelShuffle
            target = target.flatten(2).transpose(1, 2).reshape(-1, conv.out_channels).double()
            xtx += cols.T @ cols
            xty += cols.T @ target
            n += cols.shape[0]
    if n == 0:
        raise ValueError("no batches to fit the decoder on")
    solution = torch.linalg.solve(xtx + ridge * torch.eye(k, dtype=torch.float64), xty)
    conv.weight.data = solution[:-1].T.reshape(conv.weight.shape).float()
    conv.bias.data = solution[-1].float()
    return n


def training_batches(data_root: str, scale: int, patch: int, batch: int, count: int, seed: int):
    pairs = data.training_pairs(data_root, scale)
    rng = np.random.default_rng(seed)
    for _ in range(count):
        lr, hr = data.sample_batch(pairs, scale, patch, batch, rng)[:2]
        yield torch.as_tensor(lr), torch.as_tensor(hr)


def transfer(checkpoint: str, scale: int, weights: str = "raw", data_root: str = data.DEFAULT_DATA,
             patch: int = 48, batch: int = 8, count: int = 30, seed: int = 0, ridge: float = 1e-3):
    """(model at the new scale, start checkpoint dict for train.py --init)."""
    ck = torch.load(checkpoint, map_location="cpu")
    source = checkpoint_state(ck, weights)
    model = build(ck["args"]["variant"], scale)
    missing = sorted(set(model.state_dict()) - set(load_matching(model, source)))
    if any(not k.startswith("decoder.") for k in missing):
        raise ValueError(f"{checkpoint} lacks body tensors of a {ck['args']['variant']} model: {missing[:5]}")
    model.eval()
    pixels = fit_decoder(model, training_batches(data_root, scale, patch, batch, count, seed), ridge)
    note = (f"{checkpoint}: x{ck['args']['scale']} iteration {ck['iter']}, {weights} weights, all but the decoder; "
            f"x{scale} decoder fitted by least squares (transfer.py, {count} batches of {batch} {patch}x{patch} "
            f"LR patches, {pixels} LR pixels, seed {seed}, ridge {ridge})")
    args = dict(ck["args"], scale=scale)
    return model, {"model": model.state_dict(), "iter": ck["iter"], "args": args, "note": note}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkpoint", help="a train.py checkpoint (last.pt) at another scale")
    ap.add_argument("--scale", type=int, required=True, choices=[2, 3, 4])
    ap.add_argument("--out", required=True, help="start file for train.py --init")
    ap.add_argument("--weights", default="raw", choices=["ema", "raw"])
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--patch", type=int, default=48)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--batches", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ridge", type=float, default=1e-3)
    ap.add_argument("--evaluate", action="store_true", help="score the start on Set5 and Set14")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    model, start = transfer(args.checkpoint, args.scale, args.weights, args.data, args.patch, args.batch,
                            args.batches, args.seed, args.ridge)
    start["command"] = "cd scripts && /usr/bin/python3 -m promptsr_torch.transfer " + " ".join(sys.argv[1:])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save(start, args.out)
    print(start["note"])
    if args.evaluate:
        for name, (psnr, ssim, _) in evaluate.evaluate(model, args.scale, data_root=args.data,
                                                       workers=args.workers).items():
            print(f"{name} x{args.scale}: Y-PSNR {psnr:.3f} SSIM {ssim:.4f}")


if __name__ == "__main__":
    main()
