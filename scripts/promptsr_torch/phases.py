"""Show or replace the phase records of a training checkpoint.

train.py appends one phase per process (what it resumed or started from, precision, command, hardware),
and export.py writes the model card from them.  Checkpoints written before phase records existed carry
none, and train.unrecorded_phase stands in for them with the last process's labels; this tool writes the
true records (taken from the run's train.log headers and args-session*.json) in their place, checked for
consistency, keeping everything else in the checkpoint as it was.

  python3 -m promptsr_torch.phases show CKPT
  python3 -m promptsr_torch.phases set CKPT PHASES.json
"""
import argparse
import json
import sys

import torch

from .train import atomic_save, checkpoint_phases

REQUIRED = ("out", "scale", "variant", "from", "to", "start", "precision", "command", "hardware", "date")


def check_phases(phases, ck: dict):
    """Raises ValueError naming the first problem.  Each phase continues the one before it, or begins a new
    run at 0 (train.py --init counts a run's steps from 0 and keeps its start's phases before its own); the
    last ends at the checkpoint's iteration.  Phases of another scale or variant (the x2 model an x4 run
    started from) may come first, as train.py --init keeps them; the last must be the checkpoint's own."""
    if not isinstance(phases, list) or not phases:
        raise ValueError("phases must be a non-empty JSON list of objects")
    a = ck["args"]
    for n, p in enumerate(phases):
        missing = [k for k in REQUIRED if k not in p]
        if missing:
            raise ValueError(f"phase {n} lacks {', '.join(missing)} (every phase needs {', '.join(REQUIRED)})")
        if p["to"] < p["from"]:
            raise ValueError(f"phase {n} ends ({p['to']}) before it starts ({p['from']})")
        if n and p["from"] not in (0, phases[n - 1]["to"]):
            raise ValueError(f"phase {n} starts at {p['from']} but phase {n - 1} ends at {phases[n - 1]['to']} "
                             "(only a new run, from 0, may start elsewhere)")
    last = phases[-1]
    if (last["scale"], last["variant"]) != (a["scale"], a.get("variant", "promptsr")):
        raise ValueError(f"the last phase is x{last['scale']} {last['variant']}, the checkpoint x{a['scale']} "
                         f"{a.get('variant', 'promptsr')}")
    if last["to"] != ck["iter"]:
        raise ValueError(f"the last phase ends at {phases[-1]['to']}, the checkpoint is at iteration {ck['iter']}")


def replace_phases(path: str, phases) -> dict:
    ck = torch.load(path, map_location="cpu")
    check_phases(phases, ck)
    ck["phases"] = phases
    atomic_save(ck, path)
    return ck


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="action", required=True)
    show = sub.add_parser("show", help="print the checkpoint's phases as JSON")
    show.add_argument("checkpoint")
    put = sub.add_parser("set", help="replace the checkpoint's phases by those in a JSON file")
    put.add_argument("checkpoint")
    put.add_argument("phases_json")
    args = p.parse_args(argv)
    if args.action == "show":
        ck = torch.load(args.checkpoint, map_location="cpu")
        if not ck.get("phases"):
            print("# no phases recorded; train.py and export.py would use this placeholder", file=sys.stderr)
        print(json.dumps(checkpoint_phases(ck), indent=1))
        return 0
    with open(args.phases_json) as f:
        phases = json.load(f)
    try:
        ck = replace_phases(args.checkpoint, phases)
    except ValueError as e:
        print(f"{args.checkpoint}: phases not written: {e}", file=sys.stderr)
        return 2
    print(f"{args.checkpoint}: {len(phases)} phases written, iterations {phases[0]['from']}-{ck['iter']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
