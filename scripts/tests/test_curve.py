import pytest

from promptsr_torch import curve


def test_a_resumed_run_replaces_the_lines_of_the_run_it_discarded(tmp_path):
    log = tmp_path / "train.log"
    log.write_text("resumed at 0\n"
                   "iter 10 l1 0.50000 lr 5e-4 3.0s/it\n"
                   "iter 20 l1 4.96000 lr 5e-4 3.0s/it\n"      # diverged run
                   "# stopped by hand\n"
                   "resumed at 10\n"
                   "iter 20 l1 0.02000 gnorm 0.1 lr 3e-4 2t 4.6s/it\n"
                   "iter 30 l1 0.01900 gnorm 0.1 lr 3e-4 1t 5.0s/it\n")
    its, l1 = curve.training_loss(str(log))
    assert its == [10, 20, 30]
    assert l1 == [0.5, 0.02, 0.019]


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    (tmp_path / "train.log").write_text("iter 10 l1 0.5 lr 5e-4 3.0s/it\niter 20 l1 0.4 lr 5e-4 3.0s/it\n")
    (tmp_path / "curve.csv").write_text("iter,wall_s,train_l1,set5_psnr,set5_ssim,set14_psnr,set14_ssim\n"
                                        "20,60,0.4,31.9,0.9,28.5,0.85\n")
    out = curve.plot(str(tmp_path), 2)
    assert open(out, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
