"""Python counterpart of `scripts/promptsr bench`: the same TorchScript model on the same tiles of a
size x size input (default tiles 128, overlap 16, laid out as the Java tiler does), same threads.

    cd scripts && /usr/bin/python3 -m promptsr_torch.bench --model ../models/promptsr-x2.pt --size 512
"""
import argparse
import math
import time

import torch

from .malloc import preload_tcmalloc


def tile_starts(size, tile, overlap):
    t = min(tile, size)
    if t == size:
        return [0], t
    stride = t - overlap
    n = -(-(size - t) // stride) + 1
    return [int(round(i * (size - t) / (n - 1))) for i in range(n)], t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--tile", type=int, default=128)
    ap.add_argument("--overlap", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = torch.jit.load(args.model).eval()
    starts, t = tile_starts(args.size, args.tile, args.overlap)
    x = torch.rand(1, 3, args.size, args.size)
    with torch.no_grad():
        model(x[:, :, :64, :64])  # warm-up
        t0 = time.time()
        for ys in starts:
            for xs in starts:
                model(x[:, :, ys:ys + t, xs:xs + t])
        dt = time.time() - t0
    print(f"python torch {torch.__version__}: {args.size}x{args.size}, {len(starts) ** 2} tiles of {t}: "
          f"{dt:.2f} s, {args.size ** 2 / 1e6 / dt:.4f} LR MP/s")


if __name__ == "__main__":
    preload_tcmalloc("promptsr_torch.bench")
    main()
