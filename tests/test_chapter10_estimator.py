"""Acceptance: the book's chapter-10 high-level listings on real MNIST run unchanged through
``python -m tfcompat`` and learn in 300 steps: tf.estimator.DNNClassifier
(tests/programs/chapter10_dnn_classifier.py, leaving its checkpoints in model_dir) and
the first printing's tf.contrib.learn DNNClassifier with SKCompat
(tests/programs/chapter10_contrib_learn.py)."""
import re
import subprocess
import sys
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "programs"


def _run(program, args, env, cwd):
    completed = subprocess.run([sys.executable, "-m", "tfcompat", str(PROGRAMS / program)]
                               + [str(a) for a in args], cwd=cwd, env=env,
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def test_chapter10_dnn_classifier_on_mnist(tmp_path, mnist_environment):
    env = dict(mnist_environment, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    model_dir = tmp_path / "model"
    out = _run("chapter10_dnn_classifier.py", [300, model_dir], env, tmp_path)
    accuracy = float(re.search(r"^accuracy: ([0-9.]+)$", out, re.M).group(1))
    assert accuracy > 0.9
    assert "predictions agree with evaluate: True" in out
    assert "'global_step': np.int64(300)" in out or "'global_step': 300" in out
    assert (model_dir / "model.ckpt-300.index").exists()
    assert list((model_dir / "eval").glob("events.out.tfevents.*"))


def test_chapter10_contrib_learn_dnn_classifier_on_mnist(tmp_path, mnist_environment):
    env = dict(mnist_environment, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = _run("chapter10_contrib_learn.py", [300], env, tmp_path)
    assert float(re.search(r"^accuracy: ([0-9.]+)$", out, re.M).group(1)) > 0.88
    assert float(re.search(r"^log loss: ([0-9.]+)$", out, re.M).group(1)) < 0.5
