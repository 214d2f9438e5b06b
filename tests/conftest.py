"""Shared test fixtures for the read-only data next to the project (``../shared``): real
MNIST and the files real TensorFlow wrote. A test that needs them fails under CI when they
are missing and is skipped elsewhere."""
import os
from pathlib import Path

import pytest

SHARED = (Path(__file__).resolve().parents[2] / "shared").resolve()
GOLDEN_ROOT = SHARED / "golden" / "ckpt"
MNIST_DIR = SHARED / "data" / "mnist"
MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def require(*paths):
    """The first of ``paths`` if all exist; else a failure under CI, a skip elsewhere."""
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        message = f"shared test data missing: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return paths[0]


@pytest.fixture
def golden_dir():
    """``golden_dir(name)``: the folder of one golden checkpoint (mlp_adam, ...)."""
    return lambda name: require(GOLDEN_ROOT / name)


@pytest.fixture(scope="session")
def mnist_source():
    """The folder holding the four original MNIST .gz files."""
    require(*(MNIST_DIR / name for name in MNIST_FILES))
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist_environment():
    """os.environ for a process that loads MNIST: TFCOMPAT_MNIST_SOURCE as set (.ci/run
    points it at ../shared/data/mnist), else that folder."""
    source = os.environ.get("TFCOMPAT_MNIST_SOURCE") or str(MNIST_DIR)
    folder = source[len("file://"):] if source.startswith("file://") else source
    if "://" not in folder:
        require(*(Path(folder) / name for name in MNIST_FILES))
    return dict(os.environ, TFCOMPAT_MNIST_SOURCE=source)
