"""Train PromptSR on the 291 images (T91 + BSD200) with L1 loss and Adam.

    cd scripts && /usr/bin/python3 -m promptsr_torch.train --scale 2 --out ../runs/promptsr-x2
    # x3 / x4 start from the x2 weights (all but the decoder), as the paper does:
    /usr/bin/python3 -m promptsr_torch.train --scale 4 --init ../runs/promptsr-x2/last.pt --out ...

On a lent GPU: --device cuda, and --minutes M --decay-at F... for a run sized by the lease rather than
by iterations (scripts/gpu_finetune.sh).  A loss excursion is caught by its gradient norm and rolled back
(--guard, `DivergenceGuard`).

Resumes from OUT/last.pt when it exists.  Deterministic given --seed: the batch of iteration i
is drawn from a generator seeded with (seed, i), so a resumed run sees the same batches.

Weights: the checkpoint holds the trained parameters and their exponential moving average (EMA,
--ema decay).  Evaluation and export use the EMA: it averages out the step-to-step noise of a
constant learning rate, which this CPU budget cannot anneal until a run's last phase.

Precision: `bf16` runs the residual groups (nearly all of the compute) under CPU autocast, so
their matmuls and convolutions are bfloat16 while their residual stream, the weights and Adam stay
float32; the encoder, the long skip, conv_after_body and the decoder run in float32 (see
`mixed_forward`).  `fp32` runs everything in float32.  `auto` (default): bf16 on a GPU or on a CPU
with bf16 instructions (avx512_bf16 / amx_bf16), fp32 elsewhere.  Measured 2026-11-29 on an AVX2-only
EPYC (2 cores, batch 16 of 32x32, PromptSR* x2): bf16 autocast, emulated, had not logged 10 steps after
10 minutes (> 60 s a step); fp32 took 20.4 s a step.

Replicas (--replicas R, CPU): the batch is split into R shards that run forward and backward at once in
R threads, one core each, on copies of the model; their gradients are summed in a fixed order, so a
run stays deterministic.  Why: this Debian torch has no MKL, so a float32 batched matmul (the attention)
is a serial loop of small OpenBLAS GEMMs that two intra-op threads hardly share (on the machine above,
aten::bmm was 11 of the 22.5 CPU seconds of a step, with 20 % of the time in the kernel).  Same machine,
same batch: 20.4 s a step with 1 replica of 2 threads, 10.2 s with 2 replicas of 1 thread.
"""
import argparse
import collections
import concurrent.futures
import ctypes
import copy
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time

import numpy as np
import torch

from . import curve, data, evaluate
from .malloc import preload_tcmalloc
from .model import CascadePromptingBlock, build, silence_residual_branches


def lr_at(it: int, base: float, warmup: int, milestones, gamma: float = 0.5) -> float:
    lr = base * min(1.0, (it + 1) / warmup) if warmup > 0 else base
    return lr * gamma ** sum(1 for m in milestones if it >= m)


def checkpoint_state(ck: dict, weights: str = "ema") -> dict:
    """The state dict a checkpoint holds for weights "ema" (the moving average; checkpoints written before
    it existed have none and give their raw parameters) or "raw" (the optimizer's current parameters)."""
    if weights not in ("ema", "raw"):
        raise ValueError(f"weights must be 'ema' or 'raw', got {weights!r}")
    return ck["ema"] if weights == "ema" and "ema" in ck else ck["model"]


def load_matching(model, state: dict) -> dict:
    """Loads the tensors of state whose name and shape the model shares (another scale's decoder is left
    out); returns them."""
    own = model.state_dict()
    kept = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    model.load_state_dict(kept, strict=False)
    return kept


def load_model_from_checkpoint(path: str, weights: str = "ema"):
    ck = torch.load(path, map_location="cpu")
    model = build(ck["args"]["variant"], ck["args"]["scale"])
    model.load_state_dict(checkpoint_state(ck, weights))
    return model


def mixed_forward(model, x: torch.Tensor) -> torch.Tensor:
    """The model's forward pass with only its body (the residual groups) under bf16 autocast.

    Why not the whole network in bf16: near convergence the L1 gradient is the sign of residuals
    that are mostly a few 1e-3, and a bf16 output (steps of 2^-8 near 1) or a bf16 long skip flips
    many of them.  At x2 iteration 4400 (8 batches, precision_check.py --gradients) a network
    wholly in bf16 gave gradients with cosine -0.34 to 0.70 to the fp32 ones, worse than
    batch-to-batch noise (0.48-0.91); this split gives 0.96-0.99 at the same step time
    (models/README.md, models/training/precision-gradients*.csv)."""
    h, w = x.shape[-2], x.shape[-1]
    x0 = model.head(x)
    with torch.autocast(x.device.type, dtype=torch.bfloat16):
        t, _ = model.body(x0)
    return model.tail(t.float(), x0, h, w)


def cpu_flags() -> set:
    try:
        with open("/proc/cpuinfo") as f:
            return set(next((line for line in f if line.startswith("flags")), "").split())
    except OSError:
        return set()


def cpu_has_bf16() -> bool:
    flags = cpu_flags()
    return "avx512_bf16" in flags or "amx_bf16" in flags


def cpu_vector_label(flags: set) -> str:
    """The vector instructions that set a CPU run's speed and its bf16 numerics (module docstring): the
    same 2-core machine name has come with and without them from session to session."""
    if "avx512_bf16" in flags or "amx_bf16" in flags:
        return "AVX-512 bf16" + (" + AMX" if "amx_bf16" in flags else "")
    if "avx512f" in flags:
        return "AVX-512 without bf16"
    return "AVX2-only" if "avx2" in flags else "no AVX2"


def resolve_precision(precision: str, device: str) -> str:
    if precision != "auto":
        return precision
    return "bf16" if device.startswith("cuda") or cpu_has_bf16() else "fp32"


def single_threaded_blas() -> bool:
    """One OpenBLAS thread per caller: replicas that each call GEMM at once would otherwise contend for
    OpenBLAS's own thread pool.  False where torch's BLAS is not OpenBLAS (nothing to do then)."""
    try:
        ctypes.CDLL("libblas.so.3").openblas_set_num_threads(1)
        return True
    except (OSError, AttributeError):
        return False


def hardware_label(a: dict, recorded: str = None) -> str:
    """The machine a run's arguments describe: what the run recorded (a GPU's name), else this CPU and
    the run's threads or replicas."""
    if recorded:
        return recorded
    device, threads, replicas = a.get("device", "cpu"), a.get("threads", 1), a.get("replicas", 1)
    if device != "cpu":
        return f"{device} (GPU; its name is in the run's train.log and the card's history), {threads} CPU threads"
    cpu = f"CPU ({platform.processor() or platform.machine()}; {cpu_vector_label(cpu_flags())}), torch {torch.__version__}"
    if replicas > 1:
        return f"{cpu}, {replicas} model replicas of 1 thread each (train.py --replicas)"
    if threads < 0:
        return f"{cpu}, up to {-threads} threads (fewer while other processes keep cores busy)"
    return f"{cpu}, {threads} threads"


def command_line(a: dict) -> str:
    """The train.py command that a run's arguments stand for (model cards, run phases)."""
    default = argument_parser().get_default

    def named(*keys):  # the flags among keys whose values differ from the parser's defaults
        return "".join(f" --{k} {a[k]}" for k in keys if a.get(k, default(k)) != default(k))

    return (f"cd scripts && /usr/bin/python3 -m promptsr_torch.train --scale {a['scale']} --variant {a.get('variant', 'promptsr')} "
            f"--batch {a['batch']} --patch {a['patch']} --lr {a['lr']}"
            # the lr a resume trains at is lr x this scale (the guard's halvings, or what replaced them)
            + (f" --lr-scale {a['lr_scale']}" if a.get("lr_scale") is not None else "")
            + f" --clip {a.get('clip', 0)}"
            # warm-up and moving average change what a run produces: name them where not the defaults
            + named("warmup", "ema")
            + f" --out {a['out']}"
            + (f" --init {a['init']}" if a.get("init") else "")
            # precision "auto" resolves per machine (fp32 without bf16 instructions), so any explicit choice is named
            + named("precision", "replicas", "device")
            + (f" --minutes {a['minutes']} --decay-at {' '.join(map(str, a['decay_at']))}" if a.get("minutes") else ""))


def unrecorded_phase(ck: dict) -> dict:
    """What a checkpoint written before phases were recorded says of the run that made it.  Its args are
    those of the last process that wrote it, so precision and command are labelled as that process's: the
    run's earlier processes (a GPU phase before a CPU resume, say) may have differed."""
    a = ck["args"]
    last = "of its last process; earlier ones not recorded"
    return {"out": a.get("out"), "scale": a["scale"], "variant": a.get("variant", "promptsr"), "from": 0, "to": ck["iter"],
            "start": "not recorded (the checkpoint predates phase records; see the run's train.log)",
            "precision": f"{a.get('precision')} ({last})", "hardware": ck.get("hardware") or "not recorded",
            "command": f"({last}) {command_line(a)}" if {"batch", "patch", "lr", "out"} <= a.keys() else "not recorded"}


def checkpoint_phases(ck: dict) -> list:
    """A checkpoint's phase records, or the placeholder for one written before they existed."""
    return ck.get("phases") or [unrecorded_phase(ck)]


def ema_decay(decay: float, steps: int) -> float:
    """The decay for EMA update number steps+1: ramps up so the first updates do not keep the
    starting weights for thousands of steps (a run resumed without an EMA starts one)."""
    return min(decay, (1.0 + steps) / (10.0 + steps))


CURVE_COLUMNS = ["iter", "wall_s", "train_l1", "set5_psnr", "set5_ssim", "set14_psnr", "set14_ssim", "weights"]


def read_curve(path: str):
    """Rows of curve.csv; rows from before the weights column were evaluated on raw weights."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [dict(row, weights=row.get("weights") or "raw") for row in csv.DictReader(f)]


def atomic_save(obj, path: str):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


class ThreadGovernor:
    """Chooses the torch thread count from the cores other processes leave free.  OpenMP threads
    that compete with another busy process for a core stall each other: measured here, a training
    step took 50 s with 2 threads next to other work instead of 3.3 s on idle cores (and 8 s with
    1 thread).  Other processes' load = the machine's busy CPU time (/proc/stat) minus this
    process's own, over the last interval."""

    def __init__(self, max_threads: int):
        self.max_threads = max_threads
        self.cores = os.cpu_count() or 1
        self.last = self._sample()

    @staticmethod
    def _sample():
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        idle = fields[3] + fields[4]
        busy = sum(fields[:8]) - idle
        return busy / os.sysconf("SC_CLK_TCK"), time.process_time(), time.time()

    def update(self) -> int:
        now = self._sample()
        busy, own, wall = (a - b for a, b in zip(now, self.last))
        self.last = now
        others = max(0.0, busy - own) / max(wall, 1e-3)
        threads = max(1, min(self.max_threads, int(self.cores - others + 0.5)))
        torch.set_num_threads(threads)
        return threads


def run_in_background() -> bool:
    """Puts this process (all its threads) in the SCHED_IDLE class: training then takes only the CPU
    that nothing else wants.  Measured on the 2-core machine (kernel 6.18, 2026-11-26): beside two
    trainers at normal priority, an evaluation child got 2-18 % of a core (0.1 ms slices, its
    10-minute job would have taken hours), at nice 19 hardly more; with the trainers idle-class it got
    1.1-1.3 cores and the trainers shared the rest.  False where the OS has no SCHED_IDLE."""
    if not hasattr(os, "SCHED_IDLE"):
        return False
    for tid in os.listdir("/proc/self/task"):
        try:
            os.sched_setscheduler(int(tid), os.SCHED_IDLE, os.sched_param(0))
        except ProcessLookupError:  # a thread that just ended
            pass
    return True


def leave_background() -> bool:
    """Back to normal priority, all threads of this process: what an evaluation child does first
    (`evaluate.py --priority normal`; in the child itself, not in a preexec_fn, which is unsafe in a
    multi-threaded parent).  Leaving SCHED_IDLE needs CAP_SYS_NICE (root, outside most containers) or
    an RLIMIT_NICE of 20; without either the child stays idle-class like its trainer (False)."""
    if not hasattr(os, "SCHED_OTHER"):
        return False
    try:
        for tid in os.listdir("/proc/self/task"):
            try:
                os.sched_setscheduler(int(tid), os.SCHED_OTHER, os.sched_param(0))
            except ProcessLookupError:  # a thread that just ended
                pass
    except PermissionError:
        return False
    return True


class DivergenceGuard:
    """Spots a loss excursion from the gradient norm: a log window whose median step norm is more than
    `factor` times the median of the recent healthy windows.  The excursions seen so far all began that way
    (x2 at lr 5e-4 and 3e-4, x4 at 2e-4: norm 0.06-0.10 -> ~1.0 within 30-50 steps, L1 up by a third, every
    step of a window high), and clipping does not stop them because it does not bound Adam's step.
    The window's median, not its mean: all fourteen rollbacks of the x3 fine-tune (sessions 26-30, batches
    of 16 and 8) came on one window whose mean norm was 5-40x the recent median, with a normal L1 and normal
    windows after it: outlier batches, which left the lr at 1/64 for nothing.  An outlier batch is harmless
    (clipping bounds its gradient, Adam's second moment its step) and cannot move the window's median."""

    def __init__(self, factor: float, history: int = 20, min_history: int = 5):
        self.factor, self.min_history = factor, min_history
        self.healthy = collections.deque(maxlen=history)

    def excursion(self, window_norm: float) -> bool:
        if self.factor > 0 and len(self.healthy) >= self.min_history \
                and window_norm > self.factor * float(np.median(self.healthy)):
            return True
        self.healthy.append(window_norm)
        return False


class RunningEval:
    """An evaluation child of an earlier trainer that is still running: this trainer cannot wait() on a
    process it did not start, so it polls /proc (Linux) until the process is gone."""

    def __init__(self, pid: int):
        self.pid = pid

    @staticmethod
    def find(pid_file: str, snapshot: str):
        """The process named in pid_file if it is alive and evaluating snapshot (a reused pid is not)."""
        try:
            with open(pid_file) as f:
                pid = int(f.read())
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except (OSError, ValueError):
            return None
        cwd = f"/proc/{pid}/cwd"  # the child's arguments are relative to where its trainer ran
        target = os.path.realpath(snapshot)
        named = any(os.path.realpath(os.path.join(cwd, os.fsdecode(a))) == target for a in args if a.endswith(b".pt"))
        running = RunningEval(pid)
        return running if named and running.poll() is None else None

    def poll(self):
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return 0
        return 0 if state in ("Z", "X") else None  # a zombie has ended; only its parent can reap it

    def wait(self):
        while self.poll() is None:
            time.sleep(2)


class Trainer:
    def __init__(self, args):
        self.args = args
        torch.manual_seed(args.seed)
        self.device = torch.device(args.device)
        if args.replicas < 1 or args.batch % args.replicas:
            raise ValueError(f"--replicas {args.replicas} must be at least 1 and divide --batch {args.batch}")
        if args.replicas > 1 and self.device.type != "cpu":
            raise ValueError(f"--replicas {args.replicas} is for CPU training only; on {args.device} leave it at 1 "
                             "(one process already uses the whole accelerator)")
        self.model = build(args.variant, args.scale).to(self.device)
        args.precision = resolve_precision(args.precision, args.device)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
        self.it = 0
        self.wall = 0.0
        self.lr_scale = 1.0  # halved by each rollback of the divergence guard
        self.rollbacks = 0  # part of the batch seed after a rollback (see batch_rng)
        ema_state = None
        os.makedirs(args.out, exist_ok=True)
        self.ckpt = os.path.join(args.out, "last.pt")
        if os.path.exists(self.ckpt):
            ck = torch.load(self.ckpt, map_location="cpu")
            self.model.load_state_dict(ck["model"])
            self.opt.load_state_dict(ck["opt"])
            self.it, self.wall = ck["iter"], ck.get("wall", 0.0)
            ema_state, self.ema_steps = ck.get("ema"), ck.get("ema_steps", 0)
            self.lr_scale = ck.get("lr_scale", 1.0)
            self.rollbacks = ck.get("rollbacks", 0)
            args.init_note = f"resumed {self.ckpt} at iteration {self.it} (Adam state kept)"  # for export's card
            self.phases = checkpoint_phases(ck)
            print(f"resumed {self.ckpt} at iteration {self.it}", flush=True)
        elif args.init:
            init = torch.load(args.init, map_location="cpu")
            kind = "ema" if args.init_weights == "ema" and "ema" in init else "raw"
            state = checkpoint_state(init, kind)
            transferred = "note" in init  # a start written by transfer.py says where its tensors came from
            if transferred:  # its iteration counter is its source's (another scale): the label must not cite it
                args.init_note = f"{args.init}: x{init['args']['scale']} start made by transfer.py, {kind} weights ({init['note']})"
            else:
                args.init_note = f"{args.init}: x{init['args']['scale']} iteration {init['iter']}, {kind} weights"
            # the init's own history comes first on the card (a transfer.py start's is in its note)
            self.phases = list(init.get("phases") or ([] if transferred else [unrecorded_phase(init)]))
            kept = load_matching(self.model, state)
            print(f"initialised {len(kept)}/{len(self.model.state_dict())} tensors from {args.init_note}", flush=True)
            new_blocks = [(g, b) for g, rg in enumerate(self.model.groups) for b, block in enumerate(rg.blocks)
                          if isinstance(block, CascadePromptingBlock)
                          and not any(k.startswith(f"groups.{g}.blocks.{b}.") for k in kept)]
            for g, b in new_blocks:  # e.g. PromptSR* from PromptSR: start from exactly the trained model
                silence_residual_branches(self.model.groups[g].blocks[b])
            if new_blocks:
                args.init_note += f"; {len(new_blocks)} new CPBs start as the identity"
                print(f"{len(new_blocks)} CPBs not in the init start as the identity", flush=True)
        else:
            self.phases = []
        if args.lr_scale is not None:  # e.g. undo the halvings of a guard that fired on one outlier batch
            print(f"lr scale {self.lr_scale:g} replaced by --lr-scale {args.lr_scale:g}", flush=True)
            self.lr_scale = args.lr_scale
        # This process's share of the run: the model card lists every phase, so a chain of resumes and
        # --init starts (CPU and GPU, fp32 and bf16) is told by the checkpoint rather than by hand.
        self.phases.append({
            "out": args.out, "scale": args.scale, "variant": args.variant, "from": self.it, "to": self.it,
            "start": getattr(args, "init_note", None) or "fresh initialisation",
            "precision": args.precision, "command": command_line(vars(args)), "date": time.strftime("%Y-%m-%d"),
            "hardware": (f"{torch.cuda.get_device_name(self.device)}, torch {torch.__version__}"
                         if self.device.type == "cuda" else hardware_label(vars(args)))})
        self.phase_wall_start = self.wall
        if not os.path.exists(self.ckpt) or ema_state is None:
            ema_state, self.ema_steps = self.model.state_dict(), 0
        self.ema = {k: v.detach().to(self.device, copy=True) for k, v in ema_state.items()}
        self.snapshots = collections.deque(maxlen=2)  # (iteration, states) for the divergence guard
        self.started = None  # wall clock of the first step of this process (--minutes, --decay-at)
        self.halvings = 0
        self.saved_at = None
        self.pending_eval = None
        self.replicas = [copy.deepcopy(self.model) for _ in range(args.replicas - 1)]
        self.pool = concurrent.futures.ThreadPoolExecutor(len(self.replicas)) if self.replicas else None
        if self.replicas:
            single_threaded_blas()

    def step(self, lr_np, hr_np) -> float:
        for g in self.opt.param_groups:
            g["lr"] = lr_at(self.it, self.args.lr, self.args.warmup, self.args.milestones) * 0.5 ** self.time_halvings() * self.lr_scale
        x = torch.from_numpy(lr_np).to(self.device, non_blocking=True)
        y = torch.from_numpy(hr_np).to(self.device, non_blocking=True)
        loss = self.backward(x, y, self.args.precision == "bf16")
        # Clipping: an x2 run at lr 5e-4 diverged at iteration ~1900 (L1 0.025 -> 4.96 in 30
        # steps); typical gradient norms at that point were 0.08-0.17.
        # With --clip 0 the norm is still measured (an infinite bound clips nothing): the guard reads it.
        norm = float(torch.nn.utils.clip_grad_norm_(self.model.parameters(),
                                                    self.args.clip if self.args.clip > 0 else float("inf")))
        if not torch.isfinite(loss):
            raise FloatingPointError(f"non-finite loss at iteration {self.it}; resume from the last checkpoint with a lower --lr")
        self.opt.step()
        self.update_ema()
        self.it += 1
        self.last_grad_norm = norm
        return float(loss.detach())

    def snapshot(self):
        self.snapshots.append((self.it, copy.deepcopy({"model": self.model.state_dict(), "opt": self.opt.state_dict(),
                                                       "ema": self.ema, "ema_steps": self.ema_steps})))

    def roll_back(self) -> int:
        """Back to the older of the two kept snapshots (50-100 steps ago with the default spacing, before
        the excursion began) at half the learning rate; returns the iteration it went back to."""
        it, state = self.snapshots[0]
        self.model.load_state_dict(state["model"])
        self.opt.load_state_dict(state["opt"])
        self.ema = copy.deepcopy(state["ema"])
        self.ema_steps = state["ema_steps"]
        self.it = it
        self.lr_scale *= 0.5
        self.rollbacks += 1
        self.snapshots.clear()
        self.snapshot()
        return it

    def batch_rng(self) -> np.random.Generator:
        """The batch of the current iteration.  A rollback re-runs its iterations on fresh batches: with
        the same ones, one outlier batch tripped the guard again at each replay (x3, session 29: six
        rollbacks from 3580 to 3500 in a row, the lr scale from 1/4 to 1/256, a healthy L1 all along).
        A run without rollbacks draws exactly the batches it drew before this seed was added."""
        key = [self.args.seed, self.it] + ([self.rollbacks] if self.rollbacks else [])
        return np.random.default_rng(key)

    def elapsed(self) -> float:
        return 0.0 if self.started is None else time.time() - self.started

    def out_of_time(self) -> bool:
        return self.args.minutes is not None and self.elapsed() >= 60.0 * self.args.minutes

    def time_halvings(self) -> int:
        """--decay-at: halvings of the learning rate at fractions of --minutes, for a run whose length is
        set by a machine's lease rather than an iteration count.  Logged with the iteration at which each
        fell, so the schedule can be replayed as --milestones."""
        if self.args.minutes is None:
            return 0
        n = sum(1 for f in self.args.decay_at if self.elapsed() >= f * 60.0 * self.args.minutes)
        if n > self.halvings:
            print(f"lr halved at iteration {self.it} ({self.elapsed():.0f} s into this run)", flush=True)
            self.halvings = n
        return n

    def backward(self, x: torch.Tensor, y: torch.Tensor, bf16: bool) -> torch.Tensor:
        """L1 loss of one batch; leaves the gradients on the (fp32) weights."""
        self.opt.zero_grad(set_to_none=True)
        if not self.replicas:
            return self.shard_backward(self.model, x, y, bf16, 1)
        n = len(self.replicas) + 1
        with torch.no_grad():
            for replica in self.replicas:
                for p, q in zip(self.model.parameters(), replica.parameters()):
                    q.copy_(p)
                    q.grad = None
        xs, ys = x.chunk(n), y.chunk(n)
        futures = [self.pool.submit(self.shard_backward, r, xs[i + 1], ys[i + 1], bf16, n)
                   for i, r in enumerate(self.replicas)]
        loss = self.shard_backward(self.model, xs[0], ys[0], bf16, n)
        with torch.no_grad():
            for f, replica in zip(futures, self.replicas):  # fixed order: deterministic sums
                loss = loss + f.result()
                for p, q in zip(self.model.parameters(), replica.parameters()):
                    if q.grad is not None:
                        p.grad.add_(q.grad)
        return loss

    @staticmethod
    def shard_backward(model, x, y, bf16: bool, shards: int) -> torch.Tensor:
        """L1 loss of one of `shards` equal parts of a batch, scaled so that the parts sum to the batch's;
        a shard of several runs on one thread (the replicas share the cores)."""
        if shards > 1:
            torch.set_num_threads(1)
        loss = ((mixed_forward(model, x) if bf16 else model(x)) - y).abs().mean() / shards
        loss.backward()
        return loss.detach()

    def threads_label(self, short: bool = False) -> str:
        if self.replicas:
            n = self.args.replicas
            return f"{n}r" if short else f"{n} replicas of 1 thread"
        return f"{torch.get_num_threads()}t" if short else f"{torch.get_num_threads()} threads"

    def update_ema(self):
        if self.args.ema <= 0:
            return
        d = ema_decay(self.args.ema, self.ema_steps)
        with torch.no_grad():
            for k, p in self.model.named_parameters():
                self.ema[k].mul_(d).add_(p, alpha=1.0 - d)
        self.ema_steps += 1

    def start_eval(self, train_loss: float):
        """Set5/Set14 of the current weights, in a child process that runs beside the training: it
        evaluates a snapshot of the checkpoint (last.pt moves on), and full-image attention on Set14
        needs about 11 GB that a long-running process would keep (tcmalloc does not hand it back).
        An x2 evaluation takes 25+ minutes of CPU; training does not wait for it.  The snapshot,
        the row and the child's output are files (eval-ITER.*), so an evaluation that a stopped
        trainer never saw end is logged, or run again, by the next start (`resume_evals`)."""
        self.finish_eval(wait=True)
        if self.saved_at != self.it:
            self.save()
        shutil.copyfile(self.ckpt, self.eval_file(self.it, "pt"))
        with open(self.eval_file(self.it, "json"), "w") as f:
            json.dump({"iter": self.it, "wall_s": round(self.wall, 1), "train_l1": round(train_loss, 5)}, f)
        self.launch_eval(self.it)

    def eval_file(self, it: int, ext: str) -> str:
        return os.path.join(self.args.out, f"eval-{it}.{ext}")

    def validation_sets(self) -> list:
        """Set5 and Set14, or those of them under --data (a GPU bank may carry Set5 alone); with neither,
        both, so that the evaluation fails and says what is missing."""
        present = [n for n in ("Set5", "Set14") if os.path.isdir(os.path.join(self.args.data, "val", n))]
        return present or ["Set5", "Set14"]

    def launch_eval(self, it: int):
        cmd = [sys.executable, "-m", "promptsr_torch.evaluate", "--checkpoint", self.eval_file(it, "pt"),
               "--weights", "ema" if self.args.ema > 0 else "raw", "--scale", str(self.args.scale),
               "--data", self.args.data, "--sets", *self.validation_sets(), "--threads", "1", "--device", self.args.device, "--priority", "normal", "--json"]
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(self.eval_file(it, "out"), "w") as out:
            proc = subprocess.Popen(cmd, stdout=out, text=True, env=env)
        with open(self.eval_file(it, "pid"), "w") as f:
            f.write(str(proc.pid))
        self.pending_eval = (proc, it)

    def finish_eval(self, wait: bool = False):
        """Logs the pending evaluation if it has ended (or, with wait, once it ends); True if one was logged."""
        if self.pending_eval is None:
            return False
        proc, it = self.pending_eval
        if not wait and proc.poll() is None:
            return False
        proc.wait()
        self.pending_eval = None
        return self.collect_eval(it)

    def collect_eval(self, it: int) -> bool:
        with open(self.eval_file(it, "json")) as f:
            row = json.load(f)
        with open(self.eval_file(it, "out")) as f:
            lines = f.read().strip().splitlines()
        ok = bool(lines) and lines[-1].startswith("{")
        if ok:  # a clean point to go back to if training goes unstable later (only last.pt moves on)
            os.replace(self.eval_file(it, "pt"), os.path.join(self.args.out, "evaluated.pt"))
        self.drop_eval_files(it)
        if not ok:
            print(f"[eval] iter {it} failed; rerun: python3 -m promptsr_torch.evaluate "
                  f"--checkpoint CKPT --scale {self.args.scale}", flush=True)
            return False
        self.log_eval(row, json.loads(lines[-1]))
        return True

    def drop_eval_files(self, it: int):
        for ext in ("pt", "json", "out", "pid"):
            if os.path.exists(self.eval_file(it, ext)):
                os.remove(self.eval_file(it, ext))

    def resume_evals(self):
        """Evaluations left by a trainer that stopped before they ended: one whose child still runs (the
        trainer alone was stopped) is waited for, a finished one is logged, an interrupted one is run
        again on its snapshot (the latest only; older ones are dropped)."""
        left = sorted(int(f[5:-5]) for f in os.listdir(self.args.out)
                      if f.startswith("eval-") and f.endswith(".json"))
        for it in left:
            if not os.path.exists(self.eval_file(it, "pt")):
                self.drop_eval_files(it)
                continue
            out = self.eval_file(it, "out")
            running = RunningEval.find(self.eval_file(it, "pid"), self.eval_file(it, "pt"))
            if running is not None:
                print(f"[eval] iter {it} is still being evaluated (pid {running.pid}): waiting for it", flush=True)
                self.pending_eval = (running, it)
            elif os.path.exists(out) and os.path.getsize(out) > 0:
                self.collect_eval(it)
            elif it == left[-1]:
                print(f"[eval] iter {it} was interrupted: evaluating it again", flush=True)
                self.launch_eval(it)
            else:
                self.drop_eval_files(it)

    def save(self):
        state = {"model": self.model.state_dict(), "opt": self.opt.state_dict(), "iter": self.it,
                 "wall": self.wall, "args": vars(self.args)}
        if self.args.ema > 0:
            state.update(ema=self.ema, ema_steps=self.ema_steps)
        state["lr_scale"] = self.lr_scale
        state["rollbacks"] = self.rollbacks
        self.phases[-1]["to"] = self.it
        # this process's share of the wall time: a run chained from --init starts its own count at 0
        self.phases[-1]["wall_s"] = round(self.wall - self.phase_wall_start, 1)
        state["phases"] = self.phases
        if self.device.type == "cuda":  # for the model card
            state["hardware"] = f"{torch.cuda.get_device_name(self.device)}, torch {torch.__version__}"
        atomic_save(state, self.ckpt)
        self.saved_at = self.it

    def log_eval(self, row, res):
        path = os.path.join(self.args.out, "curve.csv")
        rows = read_curve(path)
        scores = {f"{n.lower()}_{m}": round(res[n][i], d) for n in res for i, (m, d) in enumerate((("psnr", 4), ("ssim", 5)))}
        rows.append(dict(row, **scores, weights="ema" if self.args.ema > 0 else "raw"))
        with open(path + ".tmp", "w", newline="") as f:
            w = csv.DictWriter(f, CURVE_COLUMNS)
            w.writeheader()
            w.writerows(rows)
        os.replace(path + ".tmp", path)
        try:
            curve.plot(self.args.out, self.args.scale)
        except ImportError:  # matplotlib is optional: the CSV holds the numbers
            pass
        print(f"[eval] iter {row['iter']} " + " ".join(f"{n} {res[n][0]:.3f}/{res[n][1]:.4f}" for n in res), flush=True)

    def run(self):
        try:
            self.train_loop()
        finally:
            if self.pool is not None:
                self.pool.shutdown()

    def train_loop(self):
        a = self.args
        pairs = data.training_pairs(a.data, a.scale)
        print(f"{len(pairs)} training images ({len(data.large_enough(pairs, a.patch))} hold a {a.patch}x{a.patch} LR patch), x{a.scale}, {a.variant}, batch {a.batch}x{a.patch}^2, "
              f"{a.precision}, {self.threads_label()}", flush=True)
        losses, norms = [], []
        wall_at_start = self.wall
        governor = ThreadGovernor(-a.threads) if a.threads < 0 and not self.replicas else None
        self.resume_evals()
        guard = DivergenceGuard(a.guard)
        self.snapshot()
        self.started = time.time()
        while self.it < a.iters:
            lr_np, hr_np = data.sample_batch(pairs, a.scale, a.patch, a.batch, self.batch_rng())
            if governor is not None:
                governor.update()
            t = time.time()
            try:
                losses.append(self.step(lr_np, hr_np))
            except torch.cuda.OutOfMemoryError:
                # Seen on a shared GPU (session 7): a third run of batch 24 did not fit beside two others
                # and died at its first step, losing its whole lease; half the batch is better than none.
                if a.batch == 1:
                    raise
                a.batch //= 2
                self.opt.zero_grad(set_to_none=True)
                if self.device.type == "cuda":
                    torch.cuda.empty_cache()
                print(f"out of GPU memory at iteration {self.it} with batch {2 * a.batch}: going on with batch {a.batch}",
                      flush=True)
                continue
            norms.append(self.last_grad_norm)
            self.wall += time.time() - t
            if self.it % a.log_every == 0:
                recent = norms[-a.log_every:]
                window = float(np.median(recent))
                print(f"iter {self.it} l1 {np.mean(losses[-a.log_every:]):.5f} "
                      f"gnorm {np.mean(recent):.3f} gmed {window:.3f} "
                      f"lr {self.opt.param_groups[0]['lr']:.2e} {self.threads_label(short=True)} {(self.wall - wall_at_start) / max(1, len(losses)):.2f}s/it",
                      flush=True)
                if guard.excursion(window):
                    bad = self.it
                    back = self.roll_back()
                    print(f"guard: median gradient norm {window:.3f} of the window ending at iteration {bad} is over "
                          f"{a.guard:g}x its recent median; "
                          f"rolled back to iteration {back}, lr scaled by {self.lr_scale:g}", flush=True)
                    continue
                if self.it % (5 * a.log_every) == 0:
                    self.snapshot()
            last = self.it == a.iters or self.out_of_time()
            if self.it % a.ckpt_every == 0 or last:
                self.save()
            self.finish_eval()
            if a.eval_every and (self.it % a.eval_every == 0 or last):
                self.start_eval(float(np.mean(losses[-a.eval_every:])))
            if last:
                break
        self.finish_eval(wait=True)


def argument_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=2, choices=[2, 3, 4])
    ap.add_argument("--variant", default="promptsr", choices=["promptsr", "promptsr-star"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="checkpoint to start from (e.g. the x2 model for x3/x4)")
    ap.add_argument("--init-weights", default="ema", choices=["ema", "raw"],
                    help="which weights of the --init checkpoint: its moving average (the raw parameters if it "
                         "has none) or its raw parameters, as when the shipped model was exported from them")
    ap.add_argument("--data", default=data.DEFAULT_DATA)
    ap.add_argument("--iters", type=int, default=100000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=32, help="LR patch side")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--clip", type=float, default=0.5, help="max gradient norm (0: no clipping)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--ema", type=float, default=0.999, help="decay of the weights' moving average (0: none)")
    ap.add_argument("--milestones", type=int, nargs="*", default=[50000, 80000, 90000, 95000])
    ap.add_argument("--precision", default="auto", choices=["auto", "bf16", "fp32"],
                    help="auto: bf16 on a GPU or a CPU with bf16 instructions, else fp32 (see the module docstring)")
    ap.add_argument("--replicas", type=int, default=1,
                    help="CPU: split each batch over this many single-threaded model copies run at once "
                         "(2 on 2 cores halved the fp32 step time, see the module docstring)")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads; -N: up to N, fewer while other processes keep cores busy")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--guard", type=float, default=5.0,
                    help="roll back and halve the lr when the median gradient norm of a log window's steps exceeds "
                         "this many times the recent windows' median (0: off)")
    ap.add_argument("--lr-scale", type=float,
                    help="replace the lr scale (1, or what a resumed checkpoint carries from the guard's rollbacks)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda on a GPU machine (evaluations run there too)")
    ap.add_argument("--minutes", type=float, help="stop (saving and evaluating) after this much wall time")
    ap.add_argument("--decay-at", type=float, nargs="*", default=[],
                    help="with --minutes: halve the learning rate at these fractions of it (e.g. 0.5 0.75 0.9)")
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--eval-every", type=int, default=1000,
                    help="evaluate Set5/Set14 every N iterations and at the end (0: never, e.g. when export.py "
                         "will score the weights anyway: an x2 evaluation takes 25+ CPU minutes)")
    ap.add_argument("--priority", default="idle", choices=["idle", "normal"],
                    help="idle (default): train only on CPU time nothing else wants; evaluations run at normal priority")
    return ap


def parse_args(argv=None):
    return argument_parser().parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.priority == "idle" and not run_in_background():
        print("this OS has no SCHED_IDLE: training at normal priority", flush=True)
    torch.set_num_threads(abs(args.threads))
    torch.backends.cuda.matmul.allow_tf32 = True  # the float32 parts on a GPU (encoder, decoder)
    torch.backends.cudnn.allow_tf32 = True
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "args.json"), "w") as f:
        json.dump(vars(args), f, indent=1)
    Trainer(args).run()


if __name__ == "__main__":
    preload_tcmalloc("promptsr_torch.train")
    main()
