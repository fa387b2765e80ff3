"""Export a training checkpoint to TorchScript + model card (and a parity fixture for the Java tests).

    cd scripts && /usr/bin/python3 -m promptsr_torch.export ../models/training/promptsr-x2/last.pt \
        --name promptsr-x2 --out ../models [--sets Set5 Set14]

The card records the configuration, parameter count, Multi-Adds for a 1280x720 output, the
SHA-256 of the .pt file, the training summary from the checkpoint and the Y-PSNR/SSIM measured
here (fp32, through the exported TorchScript itself).
"""
import argparse
import itertools
import json
import os
import time

import torch

from . import complexity, evaluate, fixtures
from .fixtures import sha256
from .malloc import preload_tcmalloc
from .model import count_parameters
from .train import command_line, hardware_label, load_model_from_checkpoint


TRAINING_DATA = "T91 + BSD200 (291 images), LR by MATLAB-compatible bicubic (scripts/promptsr_torch/imresize.py)"


def exported_weights(ck, ema: bool) -> str:
    if ema:
        # the decay is the last process's: a resume may change it (the phases' commands say which)
        return (f"exponential moving average of the parameters ({ck.get('ema_steps')} updates; "
                f"decay {ck['args'].get('ema')} in the last run)")
    if "ema" in ck:
        return "the optimizer's parameters (--weights raw; the checkpoint's moving average was not used)"
    return "the optimizer's parameters (no moving average)"


def transfer_summary(ck, path, label=None, history=None):
    """A transfer.py start exported as it is: the body's training is the source checkpoint's, and the
    decoder was fitted, not trained; the source's arguments do not describe a run at this scale."""
    summary = {
        "status": "transferred: trained body from another scale, least-squares decoder, no gradient step at this scale",
        "checkpoint": label or path,
        "iterations": 0,
        "data": TRAINING_DATA,
        "init": ck["note"],
        "weights": "the start's parameters (source body, fitted decoder)",
        "command": ck.get("command", "promptsr_torch.transfer (command not recorded)"),
    }
    if history:
        summary["history"] = history
    return summary


def phase_summary(p: dict) -> dict:
    return {"run": p["out"], "scale": p["scale"], "variant": p["variant"], "iterations": f"{p['from']}-{p['to']}",
            "start": p["start"], "precision": p["precision"], "hardware": p["hardware"], "command": p["command"],
            **({"date": p["date"]} if "date" in p else {}),
            **({"wall_hours": round(p["wall_s"] / 3600, 3)} if "wall_s" in p else {})}


def joined(values) -> str:
    """The phases' values in order, a value repeated by consecutive phases said once."""
    return "; then ".join(k for k, _ in itertools.groupby(str(v) for v in values))


def training_summary(ck, path, label=None, history=None, weights="ema"):
    if "note" in ck and "opt" not in ck:
        return transfer_summary(ck, path, label, history)
    a = ck["args"]
    ema = weights == "ema" and "ema" in ck
    # Phases at this checkpoint's scale and variant are its training; earlier ones (an x2 model an x4 run
    # started from, a PromptSR a PromptSR* grew from) are where its start came from.
    phases = ck.get("phases", [])
    own = [p for p in phases if (p["scale"], p["variant"]) == (a["scale"], a["variant"])]
    summary = {
        "status": "in progress (early checkpoint)" if ck["iter"] < a["iters"] else "finished",
        "checkpoint": label or os.path.relpath(path, os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        "iterations": sum(p["to"] - p["from"] for p in own) if own else ck["iter"],
        "batch": a["batch"], "lr_patch": a["patch"], "lr": a["lr"], "clip": a.get("clip", 0), "warmup": a["warmup"],
        "milestones": a["milestones"],
        "precision": joined(p["precision"] for p in own) if own else a["precision"],
        "loss": "L1", "optimizer": "Adam(0.9, 0.999, 1e-8)",
        "data": TRAINING_DATA,
        "init": own[0]["start"] if own else a.get("init_note") or a.get("init"),
        "weights": exported_weights(ck, ema),
        # every phase of the model's own training when each records its time (a chain of --init runs),
        # else the checkpoint's run alone
        "train_wall_hours": round((sum(p["wall_s"] for p in own) if own and all("wall_s" in p for p in own)
                                   else ck.get("wall", 0.0)) / 3600, 2),
        "hardware": joined(p["hardware"] for p in own) if own else hardware_label(a, ck.get("hardware")),
        "command": command_line(a),
    }
    if phases:
        summary["phases"] = [phase_summary(p) for p in phases]
    if history:
        summary["history"] = history
    return summary


def complexity_card(m):
    return {"layers_G": round(m.layers / 1e9, 2), "attention_matmuls_G": round(m.attention / 1e9, 2),
            "paper_convention_G": round(m.paper / 1e9, 2),
            "counted": "layers: Conv2d+Linear MACs (thop convention); attention matmuls in full, separately; "
                       "paper convention: layers + (WSA+CSA)/8 + GAPL/32, fitted to the paper's Tables V and VII "
                       "(see promptsr_torch/complexity.py)"}


EXPORTED = "the moving average is exported."


def extend_history(previous, sentence):
    """The card's history with one more session: the previous export's clause is put in the past tense."""
    i = (previous or "").rfind(EXPORTED)
    if i >= 0:
        previous = previous[:i] + "exported then." + previous[i + len(EXPORTED):]
    return f"{previous} {sentence}".strip()


def previous_history(out_dir, name):
    path = os.path.join(out_dir, name + ".json")
    if not os.path.exists(path):
        raise SystemExit(f"--history-add needs the card it extends, and {path} does not exist; use --history instead")
    with open(path) as f:
        return json.load(f).get("training", {}).get("history", "")


def export(checkpoint, name, out_dir, sets, parity_dir=None, label=None, history=None, weights="ema", workers=1):
    ck = torch.load(checkpoint, map_location="cpu")
    model = load_model_from_checkpoint(checkpoint, weights).eval()
    a = ck["args"]
    os.makedirs(out_dir, exist_ok=True)
    pt = os.path.join(out_dir, name + ".pt")
    scripted = torch.jit.script(model)
    scripted.save(pt)
    scripted = torch.jit.load(pt).eval()
    madds = complexity.multi_adds(model, 720 // a["scale"], 1280 // a["scale"])
    card = {
        "name": name, "variant": a["variant"], "scale": a["scale"], "params": count_parameters(model),
        "multi_adds_1280x720": complexity_card(madds),
        "config": {"dim": 48, "groups": 4, "blocks": len(model.groups[0].blocks), "heads": 4, "window": 16,
                   "category_size": 128, "downscale": 8, "alpha": 0.01, "mlp_ratio": 1},
        "contract": "forward(x): float32 [N,3,H,W] in [0,1] -> [N,3,sH,sW]; anchor_prompts(x): 4 x [N, ceil(H/16)*ceil(W/16)*4, 48]",
        "training": training_summary(ck, checkpoint, label, history, weights),
    }
    if sets:
        t = time.time()
        res = evaluate.evaluate(scripted, a["scale"], sets=sets, workers=workers)
        card["metrics"] = {k: {"psnr_y": round(v[0], 4), "ssim_y": round(v[1], 5)} for k, v in res.items()}
        card["metrics"]["convention"] = ("Y of BT.601, SR rounded to uint8, border = scale, LR_bicubic files from "
                                         "MATLAB; grayscale HR replicated to RGB")
        card["metrics"]["command"] = f"cd scripts && /usr/bin/python3 -m promptsr_torch.evaluate --torchscript ../models/{name}.pt --scale {a['scale']}"
        print(f"evaluated in {time.time() - t:.0f} s: {card['metrics']}")
    card["weights"] = name + ".pt"
    card["sha256"] = sha256(pt)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    if parity_dir:
        write_parity(scripted, os.path.join(parity_dir, name))
    return card


def write_parity(scripted, prefix):
    """Forward and anchor prompts of the export on a fixed 37x53 input, for the Java parity test."""
    gen = torch.Generator().manual_seed(7)
    fixtures.write_parity(scripted, prefix, torch.rand(1, 3, 37, 53, generator=gen))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("--name", required=True)
    ap.add_argument("--out", default="../models")
    ap.add_argument("--sets", nargs="*", default=["Set5", "Set14"])
    ap.add_argument("--parity", default="../src/test/resources/parity", help="folder for the Java parity fixture")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="images scored at once (see evaluate.py --workers)")
    ap.add_argument("--weights", default="ema", choices=["ema", "raw"],
                    help="the parameters' moving average (default; raw when the checkpoint has none) or the raw parameters")
    ap.add_argument("--checkpoint-label", help="how the card names the checkpoint (default: its path)")
    history = ap.add_mutually_exclusive_group()
    history.add_argument("--history", help="free text for the card: how the run got here (restarts, lr changes)")
    history.add_argument("--history-add", metavar="SENTENCE",
                         help="append SENTENCE to the existing card's history (its last \"%s\" becomes "
                              "\"exported then.\")" % EXPORTED)
    args = ap.parse_args()
    if args.history_add:
        args.history = extend_history(previous_history(args.out, args.name), args.history_add)
    torch.set_num_threads(args.threads)
    os.makedirs(args.parity, exist_ok=True)
    card = export(args.checkpoint, args.name, args.out, args.sets, args.parity, args.checkpoint_label, args.history, args.weights, args.workers)
    print(json.dumps(card, indent=1))


if __name__ == "__main__":
    preload_tcmalloc("promptsr_torch.export")
    main()
