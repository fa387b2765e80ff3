"""Where the benchmark data is looked for: $PROMPTSR_DATA, the checkout's sibling, then /work/shared/data."""
import os

from promptsr_torch import data

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_environment_variable_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMPTSR_DATA", str(tmp_path))
    assert data.default_data_root() == str(tmp_path)


def test_the_sibling_of_the_checkout_comes_next(monkeypatch):
    monkeypatch.delenv("PROMPTSR_DATA", raising=False)
    monkeypatch.setattr(data.os.path, "isdir", lambda p: True)
    assert data.default_data_root() == os.path.normpath(os.path.join(CHECKOUT, "..", "shared", "data"))


def test_a_clone_made_elsewhere_falls_back_to_the_shared_folder(monkeypatch):
    monkeypatch.delenv("PROMPTSR_DATA", raising=False)
    monkeypatch.setattr(data.os.path, "isdir", lambda p: False)
    assert data.default_data_root() == "/work/shared/data"
