"""Every chapter11_scripts/ script runs to completion, unchanged, through the runner
(``python -m tfcompat --epochs-cap 1 SCRIPT.py``) on real MNIST, and prints an accuracy.

Scripts that restore another one's checkpoint run after it, in the same working directory (the
order and the grouping come from tfcompat/book_accuracy.json, as for ``tfcompat book-check``).
The real MNIST files come from TFCOMPAT_MNIST_SOURCE, or ../shared/data/mnist when it is unset;
without them the tests fail under CI and are skipped elsewhere.
"""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfcompat import book_check, runner

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "chapter11_scripts"
ENTRIES = book_check.select(book_check.load_entries())
GROUPS = book_check.working_groups(ENTRIES)
EPOCHS_CAP = 1
TIMEOUT = 600  # seconds per script: a hang fails the test instead of the whole run


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    """One working directory per dependency group, shared by its scripts."""
    made = {}

    def get(group):
        if group not in made:
            made[group] = tmp_path_factory.mktemp(group)
        return made[group]
    return get


# --- the runner's epochs cap (TFCOMPAT_EPOCHS_CAP, --epochs-cap) -----------------------------

CAPPED = """
n_epochs = 20
n_epoches = 40
n_epochs_pretrain = 100
max_checks_without_progress = 20
batch_size = 200
small = 2
n_epochs_small = small
if __name__ == "__main__":
    n_epochs_main = 1000
    for i in range(2):
        n_epochs_loop = 5
def fit(n_epochs=100):
    n_epochs = 7
    return n_epochs
a, n_epochs_pair = 9, 9
options = dict(n_epochs=1000, other=1000)
fitted = fit(n_epochs=1000)
unfitted = fit()
"""


def run_capped(source, cap):
    namespace = {"__name__": "__main__"}
    exec(runner.compile_with_epochs_cap(source, "capped.py", cap), namespace)
    return namespace


def test_epochs_cap_transform():
    values = run_capped(CAPPED, 3)
    assert [values[name] for name in ("n_epochs", "n_epoches", "n_epochs_pretrain",
                                      "n_epochs_main", "n_epochs_loop", "n_epochs_pair")] == [3] * 6
    assert values["max_checks_without_progress"] == 20 and values["batch_size"] == 200
    assert values["a"] == 9 and values["n_epochs_small"] == 2   # only literals are capped
    assert values["options"] == {"n_epochs": 3, "other": 1000}
    assert values["fitted"] == 7 and values["unfitted"] == 7     # function bodies untouched
    assert run_capped("n_epochs = 2\n", 5)["n_epochs"] == 2       # a cap never raises a count


def test_epochs_cap_environment(monkeypatch):
    monkeypatch.delenv("TFCOMPAT_EPOCHS_CAP", raising=False)
    assert runner.epochs_cap() is None
    monkeypatch.setenv("TFCOMPAT_EPOCHS_CAP", "4")
    assert runner.epochs_cap() == 4
    for bad in ("0", "-1", "x"):
        monkeypatch.setenv("TFCOMPAT_EPOCHS_CAP", bad)
        with pytest.raises(ValueError, match="TFCOMPAT_EPOCHS_CAP"):
            runner.epochs_cap()


def test_epochs_cap_through_the_runner(tmp_path):
    """--epochs-cap reaches the script's n_epochs; the script is still __main__ with its argv
    and its own folder on sys.path, and a traceback still points into the user's file."""
    (tmp_path / "helper_module.py").write_text("VALUE = 'helper'\n")
    script = tmp_path / "train.py"
    script.write_text("import sys\nimport helper_module\nimport numpy as np\n"
                      "n_epochs = 20\n"
                      "print(__name__, sys.argv[1:], helper_module.VALUE, n_epochs, np.infty)\n"
                      "class Model:\n    pass\n"
                      "import pickle\npickle.dumps(Model())\n"
                      "raise RuntimeError('boom at line 10')\n")
    env = dict(os.environ)
    env.pop("TFCOMPAT_EPOCHS_CAP", None)
    completed = subprocess.run(
        [sys.executable, "-m", "tfcompat", "--epochs-cap", "2", "--numpy-aliases", str(script),
         "x"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == ["__main__ ['x'] helper 2 inf"]
    assert f'File "{script}", line 10, in <module>' in completed.stderr
    assert "RuntimeError: boom at line 10" in completed.stderr
    assert "runner.py" not in completed.stderr


# --- every script, capped at one epoch -----------------------------------------------------

_OUTCOMES = {}


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_script_runs(entry, mnist_environment, workdirs, record_property):
    if entry.requires:
        assert _OUTCOMES.get(entry.requires) == "ok", (
            f"{entry.requires} must run first (this script restores its checkpoint) and it "
            f"did not run through: {_OUTCOMES.get(entry.requires, 'not run')}")
    out = io.StringIO()
    result = book_check.run_script(entry, SCRIPTS / entry.script, workdirs(GROUPS[entry.script]),
                                   epochs_cap=EPOCHS_CAP, timeout=TIMEOUT, out=out,
                                   env=mnist_environment)
    _OUTCOMES[entry.script] = result.status
    record_property("seconds", round(result.seconds, 1))
    print(out.getvalue())
    print(f"{entry.script}: {result.status}, accuracy {result.accuracy} ({result.split}), "
          f"{result.seconds:.1f} s")
    assert result.status == "ok", f"{entry.script}: {result.detail}"
    assert 0.0 <= result.accuracy <= 1.0
