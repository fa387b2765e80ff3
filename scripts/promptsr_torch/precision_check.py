"""Does bf16 training (`train.mixed_forward`: the residual groups under bf16 autocast) learn as well as fp32?

Two measurements, both from the same weights on the same batches:
- gradients (`--gradients N`): for N batches, how far the bf16 gradient is from the fp32 one,
  compared with how far the fp32 gradients of two different batches are from each other (the
  minibatch noise that SGD already lives with);
- trajectories (`--steps`): two short runs, training L1 and Y-PSNR on fixed validation crops.

    cd scripts && /usr/bin/python3 -m promptsr_torch.precision_check --steps 200 --every 25 \
        --out ../models/training/precision-check.csv
    cd scripts && /usr/bin/python3 -m promptsr_torch.precision_check --init ../models/training/promptsr-x2/last.pt \
        --gradients 8 --steps 0 --out ../models/training/precision-gradients.csv
"""
import argparse
import csv
import tempfile
import time

import numpy as np
import torch

from . import data, evaluate, metrics, train


def validation_crops(root: str, scale: int, size: int):
    """Centre size x size LR crops of Set5 + Set14 and the matching HR crops."""
    crops = []
    for name in ("Set5", "Set14"):
        for stem, lr, hr in data.validation_set(root, name, scale):
            h, w = lr.shape[:2]
            s = min(size, h, w)
            y, x = (h - s) // 2, (w - s) // 2
            crops.append((lr[y:y + s, x:x + s], hr[y * scale:(y + s) * scale, x * scale:(x + s) * scale]))
    return crops


def crop_psnr(model, crops, scale: int) -> float:
    model.eval()
    value = float(np.mean([metrics.score(evaluate.super_resolve(model, lr), hr, scale)[0] for lr, hr in crops]))
    model.train()
    return value


def trainer(precision: str, args, out: str) -> train.Trainer:
    argv = ["--scale", str(args.scale), "--out", out, "--precision", precision, "--batch", str(args.batch),
            "--patch", str(args.patch), "--lr", str(args.lr), "--warmup", str(args.warmup)]
    return train.Trainer(train.parse_args(argv + (["--init", args.init] if args.init else [])))


def flat_grad(model) -> torch.Tensor:
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


def relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


def cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.nn.functional.cosine_similarity(a, b, dim=0))


def gradient_agreement(t: train.Trainer, batches):
    """Per batch: relative error and cosine of the bf16 gradient against the fp32 one, and the same
    two numbers for the fp32 gradient of the next batch against this one (minibatch noise)."""
    fp32, bf16 = [], []
    for lr_np, hr_np in batches:
        x, y = torch.from_numpy(lr_np), torch.from_numpy(hr_np)
        t.backward(x, y, bf16=False)
        fp32.append(flat_grad(t.model))
        t.backward(x, y, bf16=True)
        bf16.append(flat_grad(t.model))
    rows = []
    for i, (g32, g16) in enumerate(zip(fp32, bf16)):
        other = fp32[(i + 1) % len(fp32)]
        rows.append((i, relative(g16, g32), cosine(g16, g32), relative(other, g32), cosine(other, g32)))
    return rows


def run(precision: str, args, pairs, crops):
    with tempfile.TemporaryDirectory() as out:
        t = trainer(precision, args, out)
        rows, losses, seconds = [], [], 0.0
        for step in range(1, args.steps + 1):
            batch = data.sample_batch(pairs, args.scale, args.patch, args.batch, np.random.default_rng([0, t.it]))
            start = time.time()
            losses.append(t.step(*batch))
            seconds += time.time() - start
            if step % args.every == 0:
                rows.append((precision, step, float(np.mean(losses[-args.every:])), crop_psnr(t.model, crops, args.scale),
                             seconds / step))
                print(*rows[-1], flush=True)
        return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--every", type=int, default=25)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=32)
    ap.add_argument("--crop", type=int, default=48, help="LR side of the validation crops")
    ap.add_argument("--init", help="checkpoint to start from (its moving-average weights); default: random weights")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--gradients", type=int, default=0, help="batches for the gradient comparison (0: skip)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--out", required=True, help="CSV")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    pairs = data.training_pairs(args.data, args.scale)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        if args.gradients:
            w.writerow(["batch", "bf16_vs_fp32_rel", "bf16_vs_fp32_cos", "next_batch_vs_fp32_rel", "next_batch_vs_fp32_cos"])
            with tempfile.TemporaryDirectory() as out:
                t = trainer("bf16", args, out)
                batches = [data.sample_batch(pairs, args.scale, args.patch, args.batch, np.random.default_rng([1, i]))
                           for i in range(args.gradients)]
                for row in gradient_agreement(t, batches):
                    w.writerow([row[0]] + [round(v, 5) for v in row[1:]])
                    print(*row, flush=True)
        if args.steps:
            crops = validation_crops(args.data, args.scale, args.crop)
            w.writerow(["precision", "step", "train_l1", "crop_psnr_y", "s_per_step"])
            for precision in ("bf16", "fp32"):
                for row in run(precision, args, pairs, crops):
                    w.writerow([row[0], row[1], round(row[2], 5), round(row[3], 4), round(row[4], 2)])
                    f.flush()

if __name__ == "__main__":
    main()
