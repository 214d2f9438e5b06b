"""Every chapter11_scripts/ script runs to completion, unchanged, through the runner
(``python -m tfcompat --epochs-cap 1 SCRIPT.py``) on real MNIST, and prints an accuracy.

Scripts that restore another one's checkpoint run after it, in the same working directory (the
order and the grouping come from tfcompat/book_accuracy.json, as for ``tfcompat book-check``).
The real MNIST files come from TFCOMPAT_MNIST_SOURCE, or ../shared/data/mnist when it is unset;
without them the tests fail under CI and are skipped elsewhere.
"""
import io
import os
from pathlib import Path

import pytest

from tfcompat import book_check

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "chapter11_scripts"
MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
ENTRIES = book_check.select(book_check.load_entries())
GROUPS = book_check.working_groups(ENTRIES)
EPOCHS_CAP = 1
TIMEOUT = 600  # seconds per script: a hang fails the test instead of the whole run


@pytest.fixture(scope="module")
def mnist_env():
    source = os.environ.get("TFCOMPAT_MNIST_SOURCE") or str(REPO.parent / "shared" / "data" / "mnist")
    folder = source[len("file://"):] if source.startswith("file://") else source
    if "://" not in folder and not all((Path(folder) / name).is_file() for name in MNIST_FILES):
        message = (f"real MNIST not found in {folder} (set TFCOMPAT_MNIST_SOURCE to a folder "
                   "holding the four IDX .gz files)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = dict(os.environ, TFCOMPAT_MNIST_SOURCE=source)
    env.pop("TFCOMPAT_EPOCHS_CAP", None)
    return env


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    """One working directory per dependency group, shared by its scripts."""
    made = {}

    def get(group):
        if group not in made:
            made[group] = tmp_path_factory.mktemp(group)
        return made[group]
    return get


_OUTCOMES = {}


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_script_runs(entry, mnist_env, workdirs, record_property):
    if entry.requires:
        assert _OUTCOMES.get(entry.requires) == "ok", (
            f"{entry.requires} must run first (this script restores its checkpoint) and it "
            f"did not run through: {_OUTCOMES.get(entry.requires, 'not run')}")
    out = io.StringIO()
    result = book_check.run_script(entry, SCRIPTS / entry.script, workdirs(GROUPS[entry.script]),
                                   epochs_cap=EPOCHS_CAP, timeout=TIMEOUT, out=out,
                                   env=mnist_env)
    _OUTCOMES[entry.script] = result.status
    record_property("seconds", round(result.seconds, 1))
    print(out.getvalue())
    print(f"{entry.script}: {result.status}, accuracy {result.accuracy} ({result.split}), "
          f"{result.seconds:.1f} s")
    assert result.status == "ok", f"{entry.script}: {result.detail}"
    assert 0.0 <= result.accuracy <= 1.0
