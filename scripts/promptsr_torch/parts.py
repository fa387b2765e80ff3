"""Splits a training checkpoint into two files that each fit the GPU tool's 16 MiB per-file return limit,
and joins them back into a resumable last.pt.

    python3 -m promptsr_torch.parts split /tmp/gpu/x2/last.pt $OUT/x2          # on the device
    python3 -m promptsr_torch.parts join ../gpu/x2 ../models/training/RUN/last.pt   # here

A PromptSR* last.pt (weights, moving average, Adam's two moments) is 17.3-17.6 MB; session 12's lease lost
its Adam state because of that.  The split keeps every entry: DIR/weights.pt holds all but the optimizer
(it is also what train.py --init and evaluate.py --checkpoint take), DIR/optimizer.pt the optimizer's state
and the iteration it belongs to, so a join of parts from different runs or iterations is refused.
"""
import argparse
import os

import torch

WEIGHTS, OPTIMIZER = "weights.pt", "optimizer.pt"


def split(checkpoint: str, out_dir: str) -> list:
    ck = torch.load(checkpoint, map_location="cpu")
    if "opt" not in ck:
        raise ValueError(f"{checkpoint} holds no optimizer state ('opt'): it is not a resumable training checkpoint")
    os.makedirs(out_dir, exist_ok=True)
    weights = {k: v for k, v in ck.items() if k != "opt"}
    paths = [os.path.join(out_dir, WEIGHTS), os.path.join(out_dir, OPTIMIZER)]
    torch.save(weights, paths[0])
    torch.save({"opt": ck["opt"], "iter": ck["iter"], "args": ck["args"]}, paths[1])
    return paths


def join(parts_dir: str, out: str) -> str:
    weights = torch.load(os.path.join(parts_dir, WEIGHTS), map_location="cpu")
    opt = torch.load(os.path.join(parts_dir, OPTIMIZER), map_location="cpu")
    if opt["iter"] != weights["iter"] or opt["args"] != weights["args"]:
        raise ValueError(f"{parts_dir}: optimizer state is from iteration {opt['iter']}, weights from "
                         f"{weights['iter']} (or from another run): split the same last.pt again")
    weights["opt"] = opt["opt"]
    torch.save(weights, out)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    s = sub.add_parser("split", help="CHECKPOINT DIR: write DIR/weights.pt and DIR/optimizer.pt")
    s.add_argument("checkpoint")
    s.add_argument("dir")
    j = sub.add_parser("join", help="DIR OUT: join DIR/weights.pt and DIR/optimizer.pt into OUT")
    j.add_argument("dir")
    j.add_argument("out")
    a = ap.parse_args()
    if a.verb == "split":
        for p in split(a.checkpoint, a.dir):
            print(f"wrote {p} ({os.path.getsize(p) / 2**20:.1f} MiB)")
    else:
        print("wrote", join(a.dir, a.out))


if __name__ == "__main__":
    main()
