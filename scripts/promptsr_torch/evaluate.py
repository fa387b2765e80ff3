"""Y-PSNR/SSIM of a model on Set5 / Set14 (MATLAB-made LR, see metrics.py for conventions).

    /usr/bin/python3 -m promptsr_torch.evaluate --checkpoint runs/x2/last.pt --scale 2
    /usr/bin/python3 -m promptsr_torch.evaluate --torchscript ../models/promptsr-x2.pt --scale 2
"""
import argparse
import concurrent.futures
import json

import numpy as np
import torch

from . import data, metrics
from .malloc import preload_tcmalloc


def super_resolve(model, lr: np.ndarray) -> np.ndarray:
    """uint8 H x W x 3 -> uint8 sH x sW x 3 (rounded as the benchmark convention asks); runs where the
    model's weights are."""
    device = next(model.parameters()).device
    x = torch.from_numpy(np.ascontiguousarray(lr.transpose(2, 0, 1))).float().unsqueeze(0).to(device) / 255.0
    with torch.no_grad():
        y = model(x)[0].clamp(0, 1)
    return (y * 255.0).round().byte().permute(1, 2, 0).cpu().numpy()


def evaluate(model, scale: int, sets=("Set5", "Set14"), data_root: str = data.DEFAULT_DATA,
             gray: str = "replicate", workers: int = 1):
    """{set: (mean PSNR, mean SSIM, [(name, psnr, ssim)])}

    workers > 1: that many images at once, one torch thread each (CPU).  The same per-image numbers;
    faster where one image's float32 attention cannot keep two threads busy (a torch without MKL
    multiplies batched matrices one by one, see train.py on replicas)."""
    def score(item):
        if workers > 1:
            torch.set_num_threads(1)
        stem, lr, hr = item
        return (stem, *metrics.score(super_resolve(model, lr), hr, scale, gray))

    results = {}
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        each = pool.map if workers > 1 else map  # one worker: this thread, with its torch threads
        for name in sets:
            rows = list(each(score, data.validation_set(data_root, name, scale)))
            results[name] = (float(np.mean([r[1] for r in rows])), float(np.mean([r[2] for r in rows])), rows)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint")
    src.add_argument("--torchscript")
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--weights", default="ema", choices=["ema", "raw"],
                    help="with --checkpoint: the moving average (default) or the raw parameters")
    ap.add_argument("--sets", nargs="+", default=["Set5", "Set14"], choices=["Set5", "Set14"])
    ap.add_argument("--gray", default="replicate", choices=["replicate", "gray"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1,
                    help="images scored at once, one thread each (replaces --threads; needs memory for that many "
                         "images' full attention: Set14 x2 takes a few GB an image)")
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda (float32 there too, TF32 off)")
    ap.add_argument("--priority", default="inherit", choices=["inherit", "normal"],
                    help="normal: leave an idle-class trainer's scheduling class (how the trainer starts it)")
    ap.add_argument("--json", action="store_true", help="print {set: [mean PSNR, mean SSIM]} as one JSON line")
    args = ap.parse_args()
    if args.priority == "normal":
        from .train import leave_background
        leave_background()
    torch.set_num_threads(args.threads)
    if args.torchscript:
        model = torch.jit.load(args.torchscript).eval()
    else:
        from .train import load_model_from_checkpoint
        model = load_model_from_checkpoint(args.checkpoint, args.weights).eval()
    torch.backends.cudnn.allow_tf32 = False  # scores in true float32 on a GPU too
    model = model.to(args.device)
    results = evaluate(model, args.scale, sets=args.sets, data_root=args.data, gray=args.gray, workers=args.workers)
    if args.json:
        print(json.dumps({name: [p, s] for name, (p, s, _) in results.items()}))
        return
    for name, (p, s, rows) in results.items():
        for stem, pi, si in rows:
            print(f"{name}/{stem}: PSNR={pi:.4f} SSIM={si:.4f}")
        print(f"{name} x{args.scale} mean PSNR={p:.4f} SSIM={s:.4f}")


if __name__ == "__main__":
    preload_tcmalloc("promptsr_torch.evaluate")
    main()
