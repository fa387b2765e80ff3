"""Does bf16 training (fp32 master weights, bf16 forward/backward) learn as well as fp32?  Two runs
from the same initial weights on the same batches, Y-PSNR on fixed validation crops at intervals.

    cd scripts && /usr/bin/python3 -m promptsr_torch.precision_check --steps 200 --every 25 \
        --out ../models/training/precision-check.csv
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


def run(precision: str, args, pairs, crops):
    with tempfile.TemporaryDirectory() as out:
        t = train.Trainer(train.parse_args(["--scale", str(args.scale), "--out", out, "--precision", precision,
                                            "--batch", str(args.batch), "--patch", str(args.patch)]))
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
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--out", required=True, help="CSV")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    pairs = data.training_pairs(args.data, args.scale)
    crops = validation_crops(args.data, args.scale, args.crop)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["precision", "step", "train_l1", "crop_psnr_y", "s_per_step"])
        for precision in ("bf16", "fp32"):
            for row in run(precision, args, pairs, crops):
                w.writerow([row[0], row[1], round(row[2], 5), round(row[3], 4), round(row[4], 2)])
                f.flush()


if __name__ == "__main__":
    main()
