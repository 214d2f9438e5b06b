"""Tests of tfcompat.runner (tensorflow -> tfcompat aliases) and the tfcompat command."""
import os
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import tfcompat
from tfcompat import runner
from tfcompat.__main__ import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def aliases():
    """install_as_tensorflow() for one test; the aliases and finder are removed afterwards."""
    meta_path, had_python = list(sys.meta_path), "python" in vars(tfcompat)
    runner.install_as_tensorflow()
    yield
    sys.meta_path[:] = meta_path
    for name in [n for n in sys.modules if n == "tensorflow" or n.startswith("tensorflow.")]:
        del sys.modules[name]
    if not had_python:  # `import tensorflow.python` sets tfcompat.python, as for any submodule
        vars(tfcompat).pop("python", None)


def test_aliases_are_the_tfcompat_modules(aliases):
    import tensorflow as tf
    import tensorflow.compat.v1 as tf_v1
    import tensorflow.framework.errors
    import tensorflow.python.ops.math_ops
    from tensorflow.examples.tutorials.mnist import input_data
    from tensorflow.python.framework import dtypes

    import tfcompat.examples.tutorials.mnist.input_data
    import tfcompat.framework.dtypes
    import tfcompat.framework.errors
    assert tf is tfcompat and tf_v1 is tfcompat
    assert dtypes is tfcompat.framework.dtypes and tf.float32 is dtypes.float32
    assert tensorflow.framework.errors is tfcompat.framework.errors
    assert input_data is tfcompat.examples.tutorials.mnist.input_data
    assert tensorflow.python.ops.math_ops is sys.modules["tfcompat.ops.math_ops"]
    assert sys.modules["tensorflow.python.ops.math_ops"] is tensorflow.python.ops.math_ops
    # The shared modules keep their own specs, so tfcompat-relative machinery is unaffected.
    assert tfcompat.__spec__.name == "tfcompat"
    assert tfcompat.framework.dtypes.__spec__.name == "tfcompat.framework.dtypes"


def test_install_is_idempotent(aliases):
    runner.install_as_tensorflow()
    assert sum(isinstance(f, runner._TensorFlowAliases) for f in sys.meta_path) == 1
    assert isinstance(sys.meta_path[0], runner._TensorFlowAliases)


def test_missing_module(aliases):
    with pytest.raises(ModuleNotFoundError, match=r"No module named 'tensorflow\.python\.nope': "
                                                  r"tfcompat does not provide that module yet "
                                                  r"\(looked for tfcompat\.nope and "
                                                  r"tfcompat\.python\.nope\)") as info:
        import tensorflow.python.nope.deeper  # noqa: F401
    assert info.value.name == "tensorflow.python.nope"
    with pytest.raises(ModuleNotFoundError, match="tfcompat does not provide that module yet"):
        import tensorflow.no_such_thing  # noqa: F401


def test_missing_dependency_of_an_existing_module_is_not_hidden(aliases, monkeypatch):
    import tensorflow  # noqa: F401

    def import_module(name):  # as if tfcompat.<name> existed but needed an absent package
        raise ModuleNotFoundError("No module named 'absent_dependency'", name="absent_dependency")

    monkeypatch.setattr(runner.importlib, "import_module", import_module)
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'absent_dependency'$"):
        import tensorflow.contrib  # noqa: F401


def test_candidates():
    assert runner.tfcompat_candidates("tensorflow") == ["tfcompat"]
    assert runner.tfcompat_candidates("tensorflow.contrib.layers") == ["tfcompat.contrib.layers"]
    assert runner.tfcompat_candidates("tensorflow.compat.v1") == ["tfcompat"]
    assert runner.tfcompat_candidates("tensorflow.compat.v1.layers") == ["tfcompat.layers"]
    assert runner.tfcompat_candidates("tensorflow.python.ops.math_ops") == [
        "tfcompat.ops.math_ops", "tfcompat.python.ops.math_ops"]
    assert runner.tfcompat_candidates("tensorflow.contrib.slim.python.slim.nets.vgg")[-1] == \
        "tfcompat.contrib.slim.nets.vgg"
    assert runner.tfcompat_candidates("tensorflow.contrib.layers.python.layers")[-1] == \
        "tfcompat.contrib.layers"


def test_restored_numpy_names():
    import numpy as np
    assert not hasattr(np, "infty")
    with runner.restored_numpy_names():
        assert np.int is int and np.float is float and np.object is object
        assert np.reshape(np.arange(6), newshape=(2, 3)).shape == (2, 3)
        assert np.reshape(np.arange(6), (3, 2)).shape == (3, 2)
        with pytest.raises(TypeError, match="'newshape' and 'shape'"):
            np.reshape(np.arange(6), (3, 2), newshape=(2, 3))
        assert np.unicode is str and np.infty == np.inf and np.float_ is np.float64
        assert np.bool is np.bool_  # NumPy 2 still has it: left alone
    assert not hasattr(np, "infty") and "int" not in vars(np)
    assert np.reshape(np.arange(6), (3, 2)).shape == (3, 2)


# The command, in subprocesses ---------------------------------------------------------------


def run_command(args, cwd, command=(sys.executable, "-m", "tfcompat")):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("TFCOMPAT_EPOCHS_CAP", None)
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def write_script(folder, name, source):
    path = folder / name
    path.write_text(textwrap.dedent(source))
    return path


SHOW = """\
    import tensorflow as tf
    import tensorflow.compat.v1 as tf_v1
    from tensorflow.examples.tutorials.mnist import input_data
    from tensorflow.python.framework import dtypes
    import os, sys, tfcompat
    import helper  # found in the script's folder
    print(__name__, sys.argv)
    print(tf is tfcompat, tf_v1 is tfcompat, dtypes.float32 is tf.float32,
          input_data.read_data_sets.__module__, os.environ.get("TFCOMPAT_EPOCHS_CAP"))
"""


@pytest.mark.parametrize("prefix", [[], ["run"]], ids=["plain", "run"])
def test_runs_script_as_main(tmp_path, prefix):
    (tmp_path / "scripts").mkdir()
    write_script(tmp_path / "scripts", "helper.py", "")
    write_script(tmp_path / "scripts", "show.py", SHOW)
    result = run_command([*prefix, "scripts/show.py", "1", "--flag", "-x"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "__main__ ['scripts/show.py', '1', '--flag', '-x']",
        "True True True tfcompat.examples.tutorials.mnist.input_data None"]


def test_console_script_and_epochs_cap(tmp_path):
    command = shutil.which("tfcompat", path=os.path.dirname(sys.executable))
    if command is None:
        pytest.skip("the tfcompat console script is not installed (pip install -e .)")
    write_script(tmp_path, "helper.py", "")
    write_script(tmp_path, "show.py", SHOW)
    result = run_command(["run", "--epochs-cap", "3", "show.py", "a"], tmp_path, [command])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].endswith(" 3")


def test_exit_status(tmp_path):
    write_script(tmp_path, "exits.py", "import sys\nsys.exit(7)\n")
    assert run_command(["exits.py"], tmp_path).returncode == 7
    write_script(tmp_path, "ends.py", "print('done')\n")
    assert run_command(["ends.py"], tmp_path).returncode == 0


def test_traceback_points_into_script(tmp_path):
    write_script(tmp_path, "fails.py", """\
        import tensorflow as tf

        def step():
            raise ValueError("loss is NaN")

        step()
    """)
    result = run_command(["fails.py"], tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1] == '  File "fails.py", line 6, in <module>'
    assert '  File "fails.py", line 4, in step' in lines
    assert lines[-1] == "ValueError: loss is NaN"
    assert "runpy" not in result.stderr and "runner.py" not in result.stderr


def test_missing_module_in_script(tmp_path):
    write_script(tmp_path, "old.py", "from tensorflow.python.nope import thing\n")
    result = run_command(["old.py"], tmp_path)
    assert result.returncode == 1
    assert '  File "old.py", line 1, in <module>' in result.stderr.splitlines()
    assert ("ModuleNotFoundError: No module named 'tensorflow.python.nope': tfcompat does not "
            "provide that module yet") in result.stderr


def test_numpy_aliases_flag(tmp_path):
    write_script(tmp_path, "old_numpy.py", """\
        import numpy as np
        print(np.int is int, np.float is float, np.infty == np.inf, np.zeros(2, np.float).dtype)
    """)
    result = run_command(["--numpy-aliases", "old_numpy.py"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "float64"]
    result = run_command(["old_numpy.py"], tmp_path)
    assert result.returncode == 1
    assert "AttributeError: module 'numpy' has no attribute 'int'" in result.stderr


def test_missing_script(tmp_path):
    result = run_command(["nowhere.py"], tmp_path)
    assert result.returncode == 2
    assert "tfcompat: error: can't open file 'nowhere.py'" in result.stderr


# Dispatch and help, in process ---------------------------------------------------------------


def test_help_documents_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--numpy-aliases" in out and "np.int is int" in out and "--epochs-cap N" in out
    assert "tfcompat book-check" in out


def test_book_check_dispatch(monkeypatch):
    calls = []
    module = types.ModuleType("tfcompat.book_check")
    module.main = lambda argv: calls.append(argv) or 5
    monkeypatch.setitem(sys.modules, "tfcompat.book_check", module)
    assert main(["book-check", "--chapter", "11"]) == 5
    assert calls == [["--chapter", "11"]]


def test_book_check_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tfcompat.book_check", None)  # import fails as if absent
    assert main(["book-check"]) == 2
    assert "the module tfcompat.book_check is missing" in capsys.readouterr().err
