"""Shared test fixtures. The read-only files real TensorFlow wrote live next to the project
(``../shared/golden``); a test that needs them fails under CI when they are missing and is
skipped elsewhere."""
import os
from pathlib import Path

import pytest

GOLDEN_ROOT = (Path(__file__).resolve().parents[2] / "shared" / "golden" / "ckpt").resolve()


def require(path):
    """``path`` if it exists; else a failure under CI, a skip elsewhere."""
    if not path.exists():
        message = f"golden files missing: {path}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def golden_dir():
    """``golden_dir(name)``: the folder of one golden checkpoint (mlp_adam, ...)."""
    return lambda name: require(GOLDEN_ROOT / name)
