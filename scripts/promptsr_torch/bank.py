"""A compact copy of the training images to carry to a GPU machine (which has no ../shared/data).

    cd scripts && /usr/bin/python3 -m promptsr_torch.bank --out ../bank \
        --start ../models/training/promptsr-x2-gpu2/last.pt ../models/training/promptsr-x3-gpu2/last.pt ...

Writes OUT/train/<set>/HR/<name>.webp: lossless WebP holds the 291 images (T91 + BSD200, 60 MB of
PNG) in 41.2 MB, which fits beside the code under the GPU tool's 64 MiB transfer limit; OUT/val/ (Set5
and Set14 as they are, 8.6 MB) for the evaluations there; OUT/start-xS.pt for each --start checkpoint:
its moving average alone (3.3 MB instead of 13.5 MB with Adam's state), which train.py --init takes.  Every
file is decoded again and compared with its source, so the bank is pixel-identical to the PNGs;
`data.training_pairs(OUT, scale)` reads it like the original folder.  The bank is a build output
(gitignored), never committed: the images are not ours to redistribute.
"""
import argparse
import glob
import os
import shutil

import numpy as np
import torch
from PIL import Image

from . import data
from .train import checkpoint_phases, checkpoint_state


def pack(src_root: str, out_root: str) -> int:
    """Writes the bank and returns its size in bytes; raises if any image does not round-trip."""
    files = sorted(glob.glob(os.path.join(src_root, "train", "*", "HR", "*.png")))
    if not files:
        raise FileNotFoundError(f"no training images under {src_root}/train/*/HR")
    total = 0
    for f in files:
        rel = os.path.relpath(f, src_root)
        dst = os.path.join(out_root, os.path.splitext(rel)[0] + ".webp")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        rgb = data.read_rgb(f)
        Image.fromarray(rgb).save(dst, "WEBP", lossless=True, quality=50, method=4)  # quality 100 is 50x slower for 0.2 % less
        if not np.array_equal(data.read_rgb(dst), rgb):
            raise ValueError(f"{dst} does not decode to the pixels of {f}")
        total += os.path.getsize(dst)
    return total


def copy_validation(src_root: str, out_root: str, sets=("Set5", "Set14")):
    for name in sets:
        shutil.copytree(os.path.join(src_root, "val", name), os.path.join(out_root, "val", name), dirs_exist_ok=True)


def write_start(checkpoint: str, out_root: str, weights: str = "ema") -> str:
    """OUT/start-xS.pt: the checkpoint's moving average (its parameters if it has none, or with
    weights="raw", as when the shipped model was exported from the raw parameters), iteration and
    arguments; a GPU run starts from it with a fresh optimizer.  The weights keep their checkpoint key
    ("ema" or "model") so that train.py --init names them truly in the card's "init"."""
    ck = torch.load(checkpoint, map_location="cpu")
    start = checkpoint_state(ck, weights)
    key = "ema" if start is ck.get("ema") else "model"
    path = os.path.join(out_root, f"start-x{ck['args']['scale']}.pt")
    phases = checkpoint_phases(ck)  # so that the GPU run's card tells the whole history
    torch.save({key: start, "iter": ck["iter"], "args": ck["args"], "phases": phases}, path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--out", required=True)
    ap.add_argument("--start", nargs="*", default=[], help="training checkpoints (last.pt) to start GPU runs from")
    ap.add_argument("--val", nargs="*", default=["Set5", "Set14"], choices=["Set5", "Set14"],
                    help="validation sets to carry; three PromptSR* starts (4.3 MB each) leave room for Set5 alone")
    args = ap.parse_args()
    size = pack(args.data, args.out)
    copy_validation(args.data, args.out, args.val)
    for ck in args.start:
        print("wrote", write_start(ck, args.out))
    print(f"{args.out}: {size / 1e6:.1f} MB of training images")


if __name__ == "__main__":
    main()
