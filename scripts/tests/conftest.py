import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
torch.set_num_threads(2)

from promptsr_torch.data import DEFAULT_DATA  # noqa: E402


@pytest.fixture(scope="session")
def data_root():
    root = DEFAULT_DATA
    if not os.path.isdir(os.path.join(root, "val")):
        pytest.skip(f"benchmark data not found at {root}")
    return root
