"""The learning curve of a training run as a PNG: training L1 (from train.log) and Set5/Set14 Y-PSNR
(from curve.csv), with bicubic and the FSRCNN-level gate as reference lines.

    /usr/bin/python3 -m promptsr_torch.curve ../models/training/promptsr-x2

train.log may hold several runs of one folder (resumed, or restarted after a divergence): a later
line for an iteration replaces an earlier one, so the plot shows the run that the checkpoint continues.
"""
import argparse
import csv
import os
import re

# Y-PSNR on Set5 / Set14 (dB): bicubic, and the gate of the training issue (FSRCNN level, Set5).
BICUBIC = {2: (33.66, 30.24), 3: (30.39, 27.55), 4: (28.42, 26.00)}
GATE_SET5 = {2: 37.05, 3: 33.18, 4: 30.72}

LOG_LINE = re.compile(r"^iter (\d+) l1 ([0-9.]+)")


def training_loss(log_path: str):
    """(iterations, L1) from the trainer's output, when it was saved to RUN_DIR/train.log."""
    by_iter = {}
    if not os.path.exists(log_path):
        return [], []
    with open(log_path) as f:
        for line in f:
            m = LOG_LINE.match(line)
            if m:
                by_iter[int(m.group(1))] = float(m.group(2))
    its = sorted(by_iter)
    return its, [by_iter[i] for i in its]


def evaluations(csv_path: str):
    if not os.path.exists(csv_path):
        return []
    by_iter = {}
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            # a run evaluated on Set5 alone (a GPU bank) leaves Set14 empty: NaN, which the plot skips
            by_iter[int(row["iter"])] = tuple(float(row[k] or "nan") for k in ("set5_psnr", "set14_psnr"))
    return [(i, *by_iter[i]) for i in sorted(by_iter)]


def plot(run_dir: str, scale: int, out_path: str = None) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    its, l1 = training_loss(os.path.join(run_dir, "train.log"))
    evals = evaluations(os.path.join(run_dir, "curve.csv"))
    fig, (ax_loss, ax_psnr) = plt.subplots(1, 2, figsize=(11, 4))
    ax_loss.plot(its, l1, lw=0.8)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("training L1 (mean of 10 steps)")
    ax_loss.set_title(f"{os.path.basename(os.path.normpath(run_dir))}: training loss")
    if evals:
        e_its = [e[0] for e in evals]
        ax_psnr.plot(e_its, [e[1] for e in evals], "o-", label="Set5")
        ax_psnr.plot(e_its, [e[2] for e in evals], "s-", label="Set14")
    b5, b14 = BICUBIC[scale]
    ax_psnr.axhline(b5, color="C0", ls=":", label=f"Set5 bicubic {b5}")
    ax_psnr.axhline(b14, color="C1", ls=":", label=f"Set14 bicubic {b14}")
    ax_psnr.axhline(GATE_SET5[scale], color="C0", ls="--", label=f"Set5 gate {GATE_SET5[scale]}")
    ax_psnr.set_xlabel("iteration")
    ax_psnr.set_ylabel(f"Y-PSNR x{scale} (dB)")
    ax_psnr.set_title("validation")
    ax_psnr.legend(fontsize=8)
    fig.tight_layout()
    out_path = out_path or os.path.join(run_dir, "curve.png")
    fig.savefig(out_path, dpi=100)
    plt.close(fig)
    return out_path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("--scale", type=int, help="default: from RUN_DIR/args.json")
    args = ap.parse_args()
    scale = args.scale
    if scale is None:
        import json
        with open(os.path.join(args.run_dir, "args.json")) as f:
            scale = json.load(f)["scale"]
    print(plot(args.run_dir, scale))


if __name__ == "__main__":
    main()
