"""Multi-Adds counting (complexity.py) against hand counts and against the paper's published values."""
import numpy as np
import pytest
import torch
import torch.nn as nn

from promptsr_torch import complexity
from promptsr_torch.model import build

# Multi-Adds (G) the paper publishes for PromptSR x4 at a 1280x720 output.
ABLATIONS = [  # Table V (d) and Table VII (window), N = 2 CPBs per RG
    (dict(blocks=2, downscale=2), 81.1),
    (dict(blocks=2, downscale=4), 46.8),
    (dict(blocks=2, downscale=8), 38.3),
    (dict(blocks=2, window=8), 34.4),
]
TABLE_I_X4 = 53.5


def counts(**overrides):
    return complexity.multi_adds(build("promptsr", 4, **overrides).eval(), 180, 320)


def test_layer_macs_match_a_hand_count():
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1, groups=4), nn.Flatten(),
                        nn.Linear(4 * 8 * 8, 10))
    expected = 8 * 8 * 4 * 3 * 9 + 8 * 8 * 4 * 9 + 10 * 256
    assert complexity.layer_macs(net, torch.rand(1, 3, 8, 8)) == expected


def test_attention_matmuls_match_a_hand_count():
    m = counts()
    tokens = 320 * 192  # 180 rows padded to a multiple of 16
    assert m.wsa == 12 * 2 * 2 * tokens * 256 * 48   # 12 CPBs x 2 LPLs x (q k^T, attn v)
    assert m.csa == 12 * 2 * 2 * tokens * 128 * 48
    assert m.gapl == 12 * 4 * (tokens // 64) * tokens * 48


def test_paper_convention_is_what_the_ablation_tables_imply():
    rows = [(counts(**kw), paper) for kw, paper in ABLATIONS]
    a = np.array([[m.wsa + m.csa, m.gapl] for m, _ in rows], dtype=float)
    excess = np.array([paper * 1e9 - m.layers for m, paper in rows])
    (window_factor, anchor_factor), *_ = np.linalg.lstsq(a, excess, rcond=None)
    assert window_factor == pytest.approx(complexity.WINDOW_FACTOR, rel=0.1)
    assert anchor_factor == pytest.approx(complexity.ANCHOR_FACTOR, rel=0.1)
    for m, paper in rows:
        assert m.paper / 1e9 == pytest.approx(paper, rel=0.03)


def test_full_x4_multi_adds_within_15_percent_of_table_i():
    m = counts()
    # Held out: the convention was fitted on the ablation rows, not on this value (target: 15 %).
    assert m.paper / 1e9 == pytest.approx(TABLE_I_X4, rel=0.02)
