"""Training is resumable and deterministic: a run stopped at a checkpoint and resumed takes exactly the
same steps as one that never stopped."""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch

from promptsr_torch import data, export, train


def synthetic_pairs(scale=2):
    rng = np.random.default_rng(7)
    hr = [rng.integers(0, 256, size=(40, 48, 3), dtype=np.uint8) for _ in range(3)]
    return [(data.imresize(h, 1.0 / scale), h) for h in hr]


def trainer(out, precision, *extra):
    args = train.parse_args(["--scale", "2", "--out", str(out), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", precision, *extra])
    return train.Trainer(args)


def take_steps(t, pairs, n):
    for _ in range(n):
        t.step(*data.sample_batch(pairs, 2, 16, 2, t.batch_rng()))


@pytest.mark.parametrize("precision", ["bf16", "fp32"])
def test_resumed_run_equals_uninterrupted_run(tmp_path, precision):
    pairs = synthetic_pairs()
    straight = trainer(tmp_path / "a", precision)
    take_steps(straight, pairs, 3)

    first = trainer(tmp_path / "b", precision)
    take_steps(first, pairs, 1)
    first.save()
    resumed = trainer(tmp_path / "b", precision)
    assert resumed.it == 1
    take_steps(resumed, pairs, 2)
    resumed.save()
    note = torch.load(resumed.ckpt, map_location="cpu")["args"]["init_note"]
    assert note == f"resumed {resumed.ckpt} at iteration 1 (Adam state kept)"  # export.py puts it on the card

    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert resumed.ema_steps == 3
    assert all(torch.equal(straight.ema[k], resumed.ema[k]) for k in straight.ema)
    initial = trainer(tmp_path / "fresh", precision).model.state_dict()
    assert not torch.equal(a["encoder.weight"], initial["encoder.weight"])  # the steps did train


def test_replicas_sum_to_the_whole_batch_gradient_and_stay_deterministic(tmp_path):
    pairs = synthetic_pairs()
    one, two, again = (trainer(tmp_path / d, "fp32", *r) for d, r in
                       (("one", ()), ("two", ("--replicas", "2")), ("again", ("--replicas", "2"))))
    assert len(two.replicas) == 1 and not one.replicas
    x, y = (torch.from_numpy(a) for a in data.sample_batch(pairs, 2, 16, 2, np.random.default_rng(3)))
    loss_one, loss_two = one.backward(x, y, False), two.backward(x, y, False)
    assert float(loss_two) == pytest.approx(float(loss_one), rel=1e-6)
    g1 = torch.cat([p.grad.flatten() for p in one.model.parameters()])
    g2 = torch.cat([p.grad.flatten() for p in two.model.parameters()])
    # the whole batch's gradient up to float32 rounding (two shards of 1 are summed in another order)
    assert float((g1 - g2).norm() / g1.norm()) < 1e-5
    for t in (two, again):
        take_steps(t, pairs, 2)
    b, c = two.model.state_dict(), again.model.state_dict()
    assert all(torch.equal(b[k], c[k]) for k in b)
    assert not torch.equal(b["encoder.weight"], trainer(tmp_path / "fresh", "fp32").model.state_dict()["encoder.weight"])


def test_replicas_must_divide_the_batch(tmp_path):
    with pytest.raises(ValueError, match="--replicas 3 must be at least 1 and divide --batch 2"):
        trainer(tmp_path / "bad", "fp32", "--replicas", "3")


def test_replicas_are_refused_off_the_cpu(tmp_path):
    with pytest.raises(ValueError, match="--replicas 2 is for CPU training only; on cuda leave it at 1"):
        trainer(tmp_path / "gpu", "fp32", "--replicas", "2", "--device", "cuda")


def test_auto_precision_is_bf16_only_where_the_hardware_has_it(monkeypatch):
    assert train.resolve_precision("fp32", "cuda") == "fp32"
    assert train.resolve_precision("auto", "cuda") == "bf16"
    monkeypatch.setattr(train, "cpu_has_bf16", lambda: False)
    assert train.resolve_precision("auto", "cpu") == "fp32"
    monkeypatch.setattr(train, "cpu_has_bf16", lambda: True)
    assert train.resolve_precision("auto", "cpu") == "bf16"


def test_moving_average_follows_the_parameters_with_the_ramped_decay(tmp_path):
    t = trainer(tmp_path / "e", "fp32")
    pairs = synthetic_pairs()
    expected = t.model.encoder.weight.detach().clone()
    for n in range(4):
        take_steps(t, pairs, 1)
        d = min(0.999, (1.0 + n) / (10.0 + n))  # 0.1, 0.18, 0.25, 0.31
        expected = d * expected + (1 - d) * t.model.encoder.weight.detach()
    assert torch.allclose(t.ema["encoder.weight"], expected, atol=1e-7)
    assert not torch.allclose(t.ema["encoder.weight"], t.model.encoder.weight, atol=1e-5)
    assert torch.equal(t.ema["mean"], t.model.mean)  # buffers are carried, not averaged

    t.save()
    ema = train.load_model_from_checkpoint(t.ckpt)
    raw = train.load_model_from_checkpoint(t.ckpt, "raw")
    assert torch.equal(ema.encoder.weight, t.ema["encoder.weight"])
    assert torch.equal(raw.encoder.weight, t.model.encoder.weight)
    with pytest.raises(ValueError, match="'ema' or 'raw'"):
        train.load_model_from_checkpoint(t.ckpt, "average")


def test_a_checkpoint_without_moving_average_gives_its_parameters_and_starts_one(tmp_path):
    t = trainer(tmp_path / "old", "fp32")
    take_steps(t, synthetic_pairs(), 1)
    t.args.ema = 0  # writes a checkpoint as the trainer did before the moving average existed
    t.save()
    assert "ema" not in torch.load(t.ckpt)
    assert torch.equal(train.load_model_from_checkpoint(t.ckpt).encoder.weight, t.model.encoder.weight)
    resumed = trainer(tmp_path / "old", "fp32")
    assert resumed.ema_steps == 0
    assert torch.equal(resumed.ema["encoder.weight"], t.model.encoder.weight)


def test_gradient_norm_is_clipped(tmp_path):
    t = trainer(tmp_path / "c", "fp32")
    t.args.clip = 1e-3
    take_steps(t, synthetic_pairs(), 1)
    total = torch.norm(torch.stack([p.grad.norm() for p in t.model.parameters()]))
    assert t.last_grad_norm > 1e-3
    assert float(total) == pytest.approx(1e-3, rel=1e-3)


def test_without_clipping_the_norm_is_measured_and_the_gradient_left_alone(tmp_path):
    t = trainer(tmp_path / "c", "fp32")
    t.args.clip = 0
    take_steps(t, synthetic_pairs(), 1)
    total = torch.norm(torch.stack([p.grad.norm() for p in t.model.parameters()]))
    assert t.last_grad_norm == pytest.approx(float(total), rel=1e-5) and t.last_grad_norm > 1e-3


def tiny_validation_sets(root, names=("Set5", "Set14")):
    from PIL import Image
    rng = np.random.default_rng(3)
    for name in names:
        (root / "val" / name / "HR").mkdir(parents=True)
        (root / "val" / name / "LR_bicubic" / "X2").mkdir(parents=True)
        hr = rng.integers(0, 256, size=(24, 20, 3), dtype=np.uint8)
        Image.fromarray(hr).save(root / "val" / name / "HR" / "img.png")
        Image.fromarray(data.imresize(hr, 0.5)).save(root / "val" / name / "LR_bicubic" / "X2" / "imgx2.png")


def trainer_evaluating_iteration_1(tmp_path):
    """A trainer on tiny Set5/Set14 folders that took one step and started its evaluation."""
    root = tmp_path / "data"
    tiny_validation_sets(root)
    t = trainer(tmp_path / "run", "fp32")
    t.args.data = str(root)
    take_steps(t, synthetic_pairs(), 1)
    t.start_eval(0.5)
    return t, root


def test_evaluation_runs_in_a_child_process_on_the_saved_checkpoint(tmp_path):
    from promptsr_torch import evaluate
    t, root = trainer_evaluating_iteration_1(tmp_path)
    take_steps(t, synthetic_pairs(), 1)  # training goes on while the child evaluates iteration 1
    assert t.finish_eval(wait=True)
    assert not (tmp_path / "run" / "eval-1.pt").exists()
    kept = torch.load(tmp_path / "run" / "evaluated.pt", map_location="cpu")  # the evaluated point stays
    assert kept["iter"] == 1 and t.it == 2
    logged = train.read_curve(str(tmp_path / "run" / "curve.csv"))
    assert [(r["iter"], r["weights"]) for r in logged] == [("1", "ema")]
    first = trainer(tmp_path / "again", "fp32")
    take_steps(first, synthetic_pairs(), 1)
    first.save()
    expected = evaluate.evaluate(train.load_model_from_checkpoint(first.ckpt).eval(), 2, data_root=str(root))
    raw = evaluate.evaluate(first.model.eval(), 2, data_root=str(root))
    assert expected["Set5"][0] != pytest.approx(raw["Set5"][0], abs=1e-6)  # it evaluated the moving average
    for name, key in (("Set5", "set5"), ("Set14", "set14")):
        assert float(logged[0][key + "_psnr"]) == pytest.approx(expected[name][0], abs=1e-4)
        assert float(logged[0][key + "_ssim"]) == pytest.approx(expected[name][1], abs=1e-5)


def test_a_bank_with_set5_alone_is_evaluated_on_set5_instead_of_failing(tmp_path, capsys):
    root = tmp_path / "bank"
    tiny_validation_sets(root, names=("Set5",))
    t = trainer(tmp_path / "run", "fp32")
    t.args.data = str(root)
    take_steps(t, synthetic_pairs(), 1)
    t.start_eval(0.5)
    assert t.finish_eval(wait=True)
    assert "[eval] iter 1 Set5 " in capsys.readouterr().out
    row, = train.read_curve(str(tmp_path / "run" / "curve.csv"))
    assert float(row["set5_psnr"]) > 0 and row["set14_psnr"] == ""


def test_a_failed_evaluation_is_reported_and_training_goes_on(tmp_path, capsys):
    t = trainer(tmp_path / "run", "fp32")
    t.args.data = str(tmp_path / "no-such-data")
    take_steps(t, synthetic_pairs(), 1)
    t.start_eval(0.5)
    assert not t.finish_eval(wait=True)
    captured = capsys.readouterr()
    assert "[eval] iter 1 failed" in captured.out
    assert not (tmp_path / "run" / "curve.csv").exists()
    take_steps(t, synthetic_pairs(), 1)
    assert t.it == 2


def test_curve_csv_gains_the_weights_column_and_keeps_older_rows(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text("iter,wall_s,train_l1,set5_psnr,set5_ssim,set14_psnr,set14_ssim\n"
                    "2000,16535.1,0.02354,34.8928,0.94249,31.3613,0.89539\n")
    rows = train.read_curve(str(path))
    assert rows == [{"iter": "2000", "wall_s": "16535.1", "train_l1": "0.02354", "set5_psnr": "34.8928",
                     "set5_ssim": "0.94249", "set14_psnr": "31.3613", "set14_ssim": "0.89539", "weights": "raw"}]


def test_x4_starts_from_the_x2_moving_average_except_the_decoder(tmp_path):
    x2 = trainer(tmp_path / "x2", "fp32")
    take_steps(x2, synthetic_pairs(), 2)
    x2.save()
    args = train.parse_args(["--scale", "4", "--out", str(tmp_path / "x4"), "--init", x2.ckpt, "--precision", "fp32"])
    x4 = train.Trainer(args)
    assert torch.equal(x4.model.encoder.weight, x2.ema["encoder.weight"])
    assert not torch.equal(x4.model.encoder.weight, x2.model.encoder.weight)
    assert x4.model.decoder[0].weight.shape[0] == 48  # 3 * 4^2 channels, not taken from x2
    assert args.init_note.endswith("x2 iteration 2, ema weights")
    assert torch.equal(x4.ema["encoder.weight"], x4.model.encoder.weight)


def test_init_weights_raw_starts_from_the_raw_parameters_and_says_so(tmp_path):
    x2 = trainer(tmp_path / "x2", "fp32")
    take_steps(x2, synthetic_pairs(), 2)
    x2.save()
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "again"), "--init", x2.ckpt, "--init-weights", "raw",
                             "--precision", "fp32"])
    again = train.Trainer(args)
    assert not torch.equal(x2.model.encoder.weight, x2.ema["encoder.weight"])
    assert torch.equal(again.model.encoder.weight, x2.model.encoder.weight)
    assert torch.equal(again.model.decoder[0].weight, x2.model.decoder[0].weight)
    assert args.init_note.endswith("x2 iteration 2, raw weights")


@pytest.mark.parametrize("interrupted", [False, True])
def test_an_evaluation_the_stopped_trainer_never_saw_end_is_logged_by_the_next_start(tmp_path, interrupted):
    t, root = trainer_evaluating_iteration_1(tmp_path)
    proc = t.pending_eval[0]
    if interrupted:  # the session ended: the child was killed too
        proc.kill()
    proc.wait()
    assert (tmp_path / "run" / "eval-1.pt").exists()

    again = trainer(tmp_path / "run", "fp32")
    again.args.data = str(root)
    again.resume_evals()
    if interrupted:
        assert again.pending_eval is not None
        assert again.finish_eval(wait=True)
    logged = train.read_curve(str(tmp_path / "run" / "curve.csv"))
    assert [(r["iter"], r["train_l1"]) for r in logged] == [("1", "0.5")]
    assert not [f for f in os.listdir(tmp_path / "run") if f.startswith("eval-")]


def test_a_next_start_waits_for_an_evaluation_that_is_still_running_instead_of_running_it_twice(tmp_path):
    t, root = trainer_evaluating_iteration_1(tmp_path)
    proc = t.pending_eval[0]
    proc.send_signal(signal.SIGSTOP)  # keeps it running, whatever the speed of this machine
    try:
        again = trainer(tmp_path / "run", "fp32")
        again.args.data = str(root)
        again.resume_evals()
        assert again.pending_eval[0].pid == proc.pid
        assert not again.finish_eval()
    finally:
        proc.send_signal(signal.SIGCONT)
    assert again.finish_eval(wait=True)  # ends while still the first trainer's (unreaped) child
    proc.wait()
    logged = train.read_curve(str(tmp_path / "run" / "curve.csv"))
    assert [r["iter"] for r in logged] == ["1"]
    assert not [f for f in os.listdir(tmp_path / "run") if f.startswith("eval-")]


def test_background_training_leaves_its_evaluations_at_normal_priority(tmp_path):
    """The trainer runs idle-class (so evaluations, tests and builds are not starved); its evaluation
    children, started with `--priority normal`, go back to normal priority where the OS allows it."""
    if not hasattr(os, "SCHED_IDLE"):
        pytest.skip("no SCHED_IDLE on this OS")
    policies = "sorted({os.sched_getscheduler(int(t)) for t in os.listdir('/proc/self/task')})"
    (tmp_path / "child.py").write_text(
        "import os, torch\nfrom promptsr_torch import train\n"
        "torch.set_num_threads(2); torch.ones(1 << 16).sum()  # with its worker threads started\n"
        f"train.leave_background(); print({policies})\n")
    (tmp_path / "trainer.py").write_text(
        "import os, subprocess, sys\nfrom promptsr_torch import train\n"
        "assert train.run_in_background()\n"
        f"print({policies}, flush=True)\n"
        f"subprocess.run([sys.executable, {str(tmp_path / 'child.py')!r}])\n")
    scripts = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, str(tmp_path / "trainer.py")], capture_output=True, text=True,
                         cwd=scripts, env=dict(os.environ, PYTHONPATH=scripts))
    assert out.returncode == 0, out.stderr
    trainer_policies, child_policies = out.stdout.strip().splitlines()
    assert trainer_policies == f"[{os.SCHED_IDLE}]"
    # Leaving SCHED_IDLE needs CAP_SYS_NICE (root outside containers) or RLIMIT_NICE 20: ask the OS.
    leave = ("import os; os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\n"
             "try:\n    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0)); print(1)\n"
             "except PermissionError:\n    print(0)")
    may_leave = subprocess.run([sys.executable, "-c", leave], capture_output=True, text=True).stdout.strip() == "1"
    assert child_policies == f"[{os.SCHED_OTHER if may_leave else os.SCHED_IDLE}]"


def test_the_trainer_starts_its_evaluations_at_normal_priority_without_preexec_fn(tmp_path, monkeypatch):
    started = {}

    class FakePopen:
        def __init__(self, cmd, **kwargs):
            started.update(cmd=cmd, kwargs=kwargs)
            self.pid = 1

    monkeypatch.setattr(train.subprocess, "Popen", FakePopen)
    t = trainer(tmp_path / "run", "fp32")
    t.launch_eval(0)
    assert started["cmd"][started["cmd"].index("--priority") + 1] == "normal"
    assert "preexec_fn" not in started["kwargs"]


def test_gradient_agreement_separates_rounding_from_minibatch_noise(tmp_path):
    """The precision check's yardstick: a batch compared with itself is exact, bf16 differs a little,
    and a different batch differs much more (at random weights)."""
    from promptsr_torch import precision_check
    pairs = synthetic_pairs()
    t = trainer(tmp_path, "bf16")
    a = data.sample_batch(pairs, 2, 16, 2, np.random.default_rng(1))
    b = data.sample_batch(pairs, 2, 16, 2, np.random.default_rng(2))
    same = precision_check.gradient_agreement(t, [a, a])
    assert same[0][3] == 0.0 and same[0][4] == pytest.approx(1.0)
    assert 0.0 < same[0][1] < 0.2 and same[0][2] > 0.98
    different = precision_check.gradient_agreement(t, [a, b])
    assert different[0][3] > 0.0
    if train.cpu_has_bf16():
        assert different[0][3] > 3 * different[0][1]
    # Without bf16 instructions oneDNN emulates bf16 less closely: on an AVX2-only EPYC (2026-11-29) the
    # bf16 gradient was 0.16 from fp32 and another batch's 0.08, so the check only holds where bf16 is
    # native, and train.py's --precision auto picks fp32 elsewhere.


def tiny_data_root(tmp_path):
    """Tiny Set5/Set14 folders and three synthetic training images: enough for Trainer.run()."""
    from PIL import Image
    root = tmp_path / "data"
    tiny_validation_sets(root)
    (root / "train" / "T" / "HR").mkdir(parents=True)
    for i, (_, hr) in enumerate(synthetic_pairs()):
        Image.fromarray(hr).save(root / "train" / "T" / "HR" / f"{i}.png")
    return root


def test_a_timed_run_halves_the_rate_at_its_fractions_and_ends_with_a_checkpoint_and_an_evaluation(tmp_path):
    root = tiny_data_root(tmp_path)
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "run"), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", "fp32", "--data", str(root), "--lr", "1e-3",
                             "--minutes", "10", "--decay-at", "0.5", "0.75", "--priority", "normal"])
    t = train.Trainer(args)
    t.started = train.time.time() - 0.6 * 600  # as if 6 of the 10 minutes had passed
    assert t.time_halvings() == 1 and not t.out_of_time()
    t.started = train.time.time() - 0.8 * 600
    assert t.time_halvings() == 2 and not t.out_of_time()
    args.minutes = 1e-9  # ends after its first step
    t.run()
    assert t.it == 1
    saved = torch.load(t.ckpt, map_location="cpu")
    assert saved["iter"] == 1
    assert [r["iter"] for r in train.read_curve(str(tmp_path / "run" / "curve.csv"))] == ["1"]


def test_eval_every_0_ends_a_timed_run_with_a_checkpoint_and_no_evaluation(tmp_path):
    root = tiny_data_root(tmp_path)
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "run"), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", "fp32", "--data", str(root), "--minutes", "1e-9",
                             "--eval-every", "0", "--priority", "normal"])
    t = train.Trainer(args)
    t.run()
    assert t.it == 1 and torch.load(t.ckpt, map_location="cpu")["iter"] == 1
    assert t.pending_eval is None
    assert not [f for f in os.listdir(tmp_path / "run") if f.startswith("eval") or f.startswith("curve")]


def test_a_run_with_replicas_shuts_its_thread_pool_down(tmp_path):
    root = tiny_data_root(tmp_path)
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "run"), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", "fp32", "--data", str(root), "--minutes", "1e-9",
                             "--eval-every", "0", "--priority", "normal", "--replicas", "2"])
    t = train.Trainer(args)
    t.run()
    assert t.it == 1
    with pytest.raises(RuntimeError):  # a shut-down executor refuses new work
        t.pool.submit(int)


def test_without_minutes_the_rate_follows_the_iteration_schedule_alone(tmp_path):
    t = trainer(tmp_path / "run", "fp32")
    t.started = train.time.time() - 1e6
    assert t.time_halvings() == 0 and not t.out_of_time()


def test_the_model_card_names_the_machine_and_the_command_of_a_gpu_run(tmp_path):
    gpu = train.parse_args(["--scale", "3", "--out", "/tmp/gpu/x3", "--device", "cuda", "--batch", "24", "--patch", "64",
                            "--minutes", "7", "--decay-at", "0.4", "0.65"])
    card = export.training_summary({"args": vars(gpu), "iter": 912, "hardware": "NVIDIA H100 80GB HBM3, torch 2.11.0"},
                                   str(tmp_path / "last.pt"))
    assert card["hardware"] == "NVIDIA H100 80GB HBM3, torch 2.11.0"
    assert card["command"].endswith("--device cuda --minutes 7.0 --decay-at 0.4 0.65")
    assert "--batch 24 --patch 64" in card["command"]
    cpu = train.parse_args(["--scale", "3", "--out", "run", "--threads", "-2"])
    card = export.training_summary({"args": vars(cpu), "iter": 10}, str(tmp_path / "last.pt"))
    assert card["hardware"].startswith("CPU") and "up to 2 threads" in card["hardware"]
    assert "--device" not in card["command"] and "--minutes" not in card["command"]
    gpu = train.parse_args(["--scale", "2", "--out", "run", "--device", "cuda", "--precision", "bf16"])
    assert "--precision bf16 --device cuda" in train.command_line(vars(gpu))
    two = train.parse_args(["--scale", "2", "--out", "run", "--replicas", "2", "--precision", "fp32"])
    card = export.training_summary({"args": vars(two), "iter": 10}, str(tmp_path / "last.pt"))
    assert "2 model replicas of 1 thread" in card["hardware"]
    assert "--precision fp32 --replicas 2" in card["command"]
    bf16 = train.parse_args(["--scale", "3", "--out", "run", "--precision", "bf16", "--minutes", "108"])
    card = export.training_summary({"args": vars(bf16), "iter": 10}, str(tmp_path / "last.pt"))
    assert "--precision bf16 --minutes 108.0" in card["command"]
    assert "--precision" not in export.training_summary({"args": vars(cpu), "iter": 10}, str(tmp_path / "last.pt"))["command"]
    assert "--lr-scale" not in card["command"]
    scaled = train.parse_args(["--scale", "3", "--out", "run", "--lr", "1e-4", "--lr-scale", "0.5"])
    assert "--lr 0.0001 --lr-scale 0.5 " in export.training_summary({"args": vars(scaled), "iter": 10}, "last.pt")["command"]
    assert "--warmup" not in card["command"] and "--ema" not in card["command"]  # the defaults go unnamed
    tuned = train.parse_args(["--scale", "4", "--out", "run", "--warmup", "50", "--ema", "0.998"])
    ck = {"args": vars(tuned), "iter": 10, "ema": {}, "ema_steps": 10}
    card = export.training_summary(ck, "last.pt")
    assert "--clip 0.5 --warmup 50 --ema 0.998 --out run" in card["command"]  # a resume must repeat them
    assert export.exported_weights(ck, ema=True).endswith("(10 updates; decay 0.998 in the last run)")


def test_a_cpu_run_names_the_vector_instructions_its_speed_and_bf16_numerics_depend_on(monkeypatch):
    assert train.cpu_vector_label({"avx2", "avx512f", "avx512_bf16"}) == "AVX-512 bf16"
    assert train.cpu_vector_label({"avx2", "avx512f", "avx512_bf16", "amx_bf16"}) == "AVX-512 bf16 + AMX"
    assert train.cpu_vector_label({"avx2", "avx512f"}) == "AVX-512 without bf16"
    assert train.cpu_vector_label({"sse2", "avx2"}) == "AVX2-only"
    monkeypatch.setattr(train, "cpu_flags", lambda: {"avx2"})
    label = train.hardware_label({"threads": -2})
    assert "; AVX2-only), torch" in label and label.endswith("up to 2 threads (fewer while other processes keep cores busy)")


def test_the_model_card_says_which_weights_were_exported(tmp_path):
    a = vars(train.parse_args(["--scale", "2", "--out", "run"]))
    ck = {"args": a, "iter": 5, "ema": {}, "ema_steps": 5}
    assert export.training_summary(ck, "last.pt")["weights"].startswith("exponential moving average")
    assert "moving average was not used" in export.training_summary(ck, "last.pt", weights="raw")["weights"]
    assert "no moving average" in export.training_summary({"args": a, "iter": 5}, "last.pt")["weights"]


def guard_hits(log_path, factor=5.0):
    """Replays a train.log's logged gradient norms through the guard (a restart starts a new guard): the
    windows' medians where the log has them (gmed), else their means, which logs before the median was
    logged hold and which are at least as jumpy (the healthy runs below pass even so)."""
    import re
    guard, hits = train.DivergenceGuard(factor), []
    for line in open(log_path):
        if line.startswith("resumed") or "training images" in line:
            guard = train.DivergenceGuard(factor)
        m = re.match(r"iter (\d+) l1 [\d.]+ gnorm ([\d.]+)(?: gmed ([\d.]+))?", line)
        if m and guard.excursion(float(m.group(3) or m.group(2))):
            hits.append(int(m.group(1)))
    return hits


def test_the_guard_flags_the_logged_excursions_and_nothing_in_healthy_runs():
    runs = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "models", "training")
    assert guard_hits(os.path.join(runs, "promptsr-x4", "train.log"))[0] == 1890  # began ~1860 (norm 0.15)
    assert guard_hits(os.path.join(runs, "promptsr-x2", "train.log")) == [3800, 6110]  # 0.97 and 0.70 against ~0.1
    healthy = ["promptsr-x3", "promptsr-x2-gpu1", "promptsr-x3-gpu1", "promptsr-x4-gpu1"]  # x4-gpu1: + CPU phase
    healthy += [f"promptsr-x{s}-gpu2/call{c}" for s in (2, 3, 4) for c in (1, 2)]
    for run in healthy:
        assert guard_hits(os.path.join(runs, run, "train.log")) == [], run


def test_the_guard_needs_a_history_and_keeps_spikes_out_of_it():
    g = train.DivergenceGuard(5.0, min_history=3)
    assert not any(g.excursion(v) for v in (1.0, 0.9, 0.8))  # a warm-up's falling norms are history
    assert g.excursion(4.6) and g.excursion(4.6)  # over 5 x median 0.9, and not learned as normal
    assert not g.excursion(4.0)
    assert not train.DivergenceGuard(0.0, min_history=0).excursion(1e9)  # --guard 0: off


def test_a_rollback_restores_the_snapshot_at_half_the_rate_and_survives_a_restart(tmp_path):
    pairs = synthetic_pairs()
    t = trainer(tmp_path / "run", "fp32")
    take_steps(t, pairs, 1)
    t.snapshot()
    kept = {k: v.clone() for k, v in t.model.state_dict().items()}
    kept_ema = {k: v.clone() for k, v in t.ema.items()}
    take_steps(t, pairs, 2)
    assert t.roll_back() == 1 and t.it == 1 and t.ema_steps == 1 and t.lr_scale == 0.5
    assert all(torch.equal(t.model.state_dict()[k], kept[k]) for k in kept)
    assert all(torch.equal(t.ema[k], kept_ema[k]) for k in kept_ema)
    take_steps(t, pairs, 1)
    assert t.opt.param_groups[0]["lr"] == pytest.approx(0.5 * t.args.lr)
    t.save()
    assert trainer(tmp_path / "run", "fp32").lr_scale == 0.5


def test_a_run_rolls_back_when_the_gradient_norm_of_a_whole_window_jumps_but_not_for_one_outlier_batch(
        tmp_path, monkeypatch, capsys):
    root = tiny_data_root(tmp_path)
    # windows of 3 steps; five healthy ones make the history, then one outlier step (window 16-18, mean 3.4,
    # median 0.1: the x3 runs' pattern), then a window of high steps (22-24: an excursion's pattern)
    norms = iter([0.1] * 16 + [10.0] + [0.1] * 5 + [10.0] * 3 + [0.1] * 100)
    monkeypatch.setattr(train.torch.nn.utils, "clip_grad_norm_", lambda params, clip: torch.tensor(next(norms)))
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "run"), "--batch", "2", "--patch", "16",
                             "--warmup", "0", "--precision", "fp32", "--data", str(root), "--iters", "30",
                             "--log-every", "3", "--priority", "normal"])
    t = train.Trainer(args)
    t.run()
    out = capsys.readouterr().out
    assert "iter 18 l1" in out and " gnorm 3.400 gmed 0.100 " in out
    assert out.count("guard:") == 1
    assert ("guard: median gradient norm 10.000 of the window ending at iteration 24 is over 5x its recent median; "
            "rolled back to iteration 0") in out
    assert t.it == 30 and t.lr_scale == 0.5
    assert torch.load(t.ckpt, map_location="cpu")["lr_scale"] == 0.5


def test_a_rollback_replays_its_iterations_on_fresh_batches_and_a_resume_keeps_them(tmp_path):
    pairs = synthetic_pairs()
    t = trainer(tmp_path / "run", "fp32")
    first = data.sample_batch(pairs, 2, 16, 2, t.batch_rng())[0]
    # without a rollback: the batches drawn before the rollback count joined the seed
    assert np.array_equal(first, data.sample_batch(pairs, 2, 16, 2, np.random.default_rng([t.args.seed, 0]))[0])
    t.snapshot()
    take_steps(t, pairs, 2)
    t.roll_back()
    replay = data.sample_batch(pairs, 2, 16, 2, t.batch_rng())[0]
    assert t.it == 0 and not np.array_equal(first, replay)  # the outlier batch is not drawn again
    t.save()
    resumed = trainer(tmp_path / "run", "fp32")
    assert resumed.rollbacks == 1
    assert np.array_equal(replay, data.sample_batch(pairs, 2, 16, 2, resumed.batch_rng())[0])


def test_lr_scale_replaces_the_scale_a_checkpoint_carries(tmp_path):
    t = trainer(tmp_path / "run", "fp32")
    t.lr_scale = 1 / 256
    t.save()
    assert trainer(tmp_path / "run", "fp32").lr_scale == 1 / 256
    resumed = trainer(tmp_path / "run", "fp32", "--lr-scale", "0.5")
    take_steps(resumed, synthetic_pairs(), 1)
    assert resumed.lr_scale == 0.5 and resumed.opt.param_groups[0]["lr"] == pytest.approx(0.5 * resumed.args.lr)


def test_a_batch_that_does_not_fit_is_halved_until_it_does(tmp_path, monkeypatch, capsys):
    root = tiny_data_root(tmp_path)
    real_backward = train.Trainer.backward

    def backward(self, x, y, bf16):
        if x.shape[0] > 2:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")
        return real_backward(self, x, y, bf16)

    monkeypatch.setattr(train.Trainer, "backward", backward)
    args = train.parse_args(["--scale", "2", "--out", str(tmp_path / "run"), "--batch", "8", "--patch", "16",
                             "--warmup", "0", "--precision", "fp32", "--data", str(root), "--iters", "2",
                             "--priority", "normal"])
    t = train.Trainer(args)
    t.run()
    out = capsys.readouterr().out
    assert "with batch 8: going on with batch 4" in out and "with batch 4: going on with batch 2" in out
    assert t.it == 2 and torch.load(t.ckpt, map_location="cpu")["args"]["batch"] == 2


def test_promptsr_star_started_from_promptsr_computes_exactly_what_it_does_and_learns_its_new_blocks(tmp_path):
    from promptsr_torch.model import build
    torch.manual_seed(3)
    small = build("promptsr", 2).eval()
    init = tmp_path / "promptsr-x2.pt"
    torch.save({"ema": small.state_dict(), "iter": 100, "args": {"scale": 2}}, init)
    star = train.Trainer(train.parse_args(["--scale", "2", "--variant", "promptsr-star", "--out", str(tmp_path / "star"),
                                           "--init", str(init)]))
    assert star.args.init_note.endswith("4 new CPBs start as the identity")
    x = torch.rand(1, 3, 40, 36)
    with torch.no_grad():
        assert torch.equal(star.model.eval()(x), small(x))
    star.model.train()
    star.model(x).abs().mean().backward()
    new = star.model.groups[0].blocks[3]
    assert new.ffn_fine.fc2.weight.grad.abs().sum() > 0 and new.gapl.proj.weight.grad.abs().sum() > 0
    x3 = train.Trainer(train.parse_args(["--scale", "3", "--out", str(tmp_path / "x3"), "--init", str(init)]))
    assert "identity" not in x3.args.init_note  # same depth: every block comes from the init


def test_main_records_the_arguments_in_a_new_run_folder(tmp_path, monkeypatch):
    # Session 9's PromptSR* x3/x4 runs started in fresh folders and lost their args.json.
    started = []
    monkeypatch.setattr(train, "Trainer", lambda args: started.append(args) or type("T", (), {"run": lambda self: None})())
    out = tmp_path / "new" / "run"
    train.main(["--scale", "3", "--out", str(out), "--lr", "5e-5", "--priority", "normal"])
    recorded = json.loads((out / "args.json").read_text())
    assert recorded["scale"] == 3 and recorded["lr"] == 5e-5 and recorded["out"] == str(out)
    assert len(started) == 1


def test_evaluating_images_at_once_gives_the_same_scores(tmp_path):
    from PIL import Image
    from promptsr_torch import evaluate
    root = tmp_path / "data"
    tiny_validation_sets(root)
    rng = np.random.default_rng(5)
    for name in ("Set5", "Set14"):
        for stem, (h, w) in (("b", (32, 28)), ("c", (20, 36))):
            hr = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
            Image.fromarray(hr).save(root / "val" / name / "HR" / f"{stem}.png")
            Image.fromarray(data.imresize(hr, 0.5)).save(root / "val" / name / "LR_bicubic" / "X2" / f"{stem}x2.png")
    model = train.build("promptsr", 2).eval()
    one = evaluate.evaluate(model, 2, data_root=str(root))
    two = evaluate.evaluate(model, 2, data_root=str(root), workers=2)
    for name in ("Set5", "Set14"):
        assert len(one[name][2]) == 3
        assert [r[0] for r in two[name][2]] == [r[0] for r in one[name][2]]  # same images, same order
        for a, b in zip(one[name][2], two[name][2]):
            assert b[1] == pytest.approx(a[1], abs=1e-6) and b[2] == pytest.approx(a[2], abs=1e-7)


def test_the_card_tells_every_phase_of_a_run_resumed_and_restarted_from_its_own_weights(tmp_path):
    from promptsr_torch import bank
    pairs = synthetic_pairs()
    first = trainer(tmp_path / "cpu", "fp32")
    take_steps(first, pairs, 2)
    first.wall += 3600.0  # as the run loop counts it (step() alone does not)
    first.save()
    resumed = trainer(tmp_path / "cpu", "bf16")
    take_steps(resumed, pairs, 1)
    resumed.wall += 1800.0
    resumed.save()
    start = bank.write_start(resumed.ckpt, str(tmp_path), weights="raw")  # as for a GPU call: fresh Adam
    gpu = trainer(tmp_path / "gpu", "fp32", "--init", start)
    take_steps(gpu, pairs, 2)
    gpu.wall += 720.0
    gpu.save()
    card = export.training_summary(torch.load(gpu.ckpt, map_location="cpu"), gpu.ckpt)
    assert [p["iterations"] for p in card["phases"]] == ["0-2", "2-3", "0-2"]
    assert card["iterations"] == 5  # the counter restarted at the --init; the card counts all of them
    assert card["precision"] == "fp32; then bf16; then fp32"
    assert card["init"] == "fresh initialisation"
    assert card["phases"][1]["start"] == f"resumed {resumed.ckpt} at iteration 2 (Adam state kept)"
    assert card["phases"][2]["start"].endswith("x2 iteration 3, raw weights")
    assert "--precision bf16" in card["phases"][1]["command"] and f"--init {start}" in card["phases"][2]["command"]
    # each process's own time, and the card's total is theirs, not only the last run's (whose count restarted)
    assert [p["wall_s"] for p in torch.load(gpu.ckpt, map_location="cpu")["phases"]] == [3600.0, 1800.0, 720.0]
    assert card["train_wall_hours"] == 1.7 and card["phases"][1]["wall_hours"] == 0.5
    x4 = train.Trainer(train.parse_args(["--scale", "4", "--out", str(tmp_path / "x4"), "--init", gpu.ckpt,
                                         "--precision", "fp32"]))
    x4.save()
    card = export.training_summary(torch.load(x4.ckpt, map_location="cpu"), x4.ckpt)
    assert len(card["phases"]) == 4 and card["iterations"] == 0  # the x2 phases made its start, not its training
    assert card["init"].endswith("x2 iteration 2, ema weights") and card["precision"] == "fp32"


def test_a_checkpoint_from_before_phase_records_resumes_with_its_run_marked_unrecorded(tmp_path):
    old = trainer(tmp_path / "run", "fp32")
    take_steps(old, synthetic_pairs(), 2)
    old.save()
    ck = torch.load(old.ckpt, map_location="cpu")
    del ck["phases"]
    torch.save(ck, old.ckpt)
    resumed = trainer(tmp_path / "run", "fp32")
    take_steps(resumed, synthetic_pairs(), 1)
    resumed.save()
    card = export.training_summary(torch.load(resumed.ckpt, map_location="cpu"), resumed.ckpt)
    assert [p["iterations"] for p in card["phases"]] == ["0-2", "2-3"] and card["iterations"] == 3
    assert card["init"].startswith("not recorded")
    # the stripped checkpoint's args are its last process's alone, and the card must not pass them off as the run's
    assert card["phases"][0]["precision"] == "fp32 (of its last process; earlier ones not recorded)"
    assert card["phases"][0]["command"].startswith("(of its last process; earlier ones not recorded) cd scripts")
    assert card["phases"][1]["precision"] == "fp32"


def test_extend_history_puts_only_the_last_export_clause_in_the_past():
    old = "A: the moving average is exported. B: the moving average is exported. Arguments: b.json."
    new = export.extend_history(old, "C: the moving average is exported.")
    assert new == ("A: the moving average is exported. B: exported then. Arguments: b.json. "
                   "C: the moving average is exported.")
    assert export.extend_history("", "C.") == "C."
    assert export.extend_history("A: exported then.", "C.") == "A: exported then. C."


def test_history_add_reads_the_existing_card_and_refuses_a_missing_one_naming_it(tmp_path):
    card = tmp_path / "promptsr-star-x3.json"
    card.write_text(json.dumps({"training": {"history": "Session 1: the moving average is exported."}}))
    assert export.previous_history(str(tmp_path), "promptsr-star-x3") == "Session 1: the moving average is exported."
    with pytest.raises(SystemExit, match=r"promptsr-star-x9\.json does not exist; use --history instead"):
        export.previous_history(str(tmp_path), "promptsr-star-x9")
