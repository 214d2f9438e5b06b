"""Acceptance: the book's chapter-10 tf.estimator.DNNClassifier listing on real MNIST
(tests/programs/chapter10_dnn_classifier.py) runs unchanged through ``python -m tfcompat``,
learns in 300 steps, and a second run resumes from its checkpoints."""
import re
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(__file__).resolve().parent / "programs" / "chapter10_dnn_classifier.py"


def _run(steps, model_dir, env, cwd):
    completed = subprocess.run([sys.executable, "-m", "tfcompat", str(PROGRAM), str(steps),
                                str(model_dir)], cwd=cwd, env=env, capture_output=True,
                               text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def test_chapter10_dnn_classifier_on_mnist(tmp_path, mnist_environment):
    env = dict(mnist_environment, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    model_dir = tmp_path / "model"
    out = _run(300, model_dir, env, tmp_path)
    accuracy = float(re.search(r"^accuracy: ([0-9.]+)$", out, re.M).group(1))
    assert accuracy > 0.9
    assert "predictions agree with evaluate: True" in out
    assert "'global_step': np.int64(300)" in out or "'global_step': 300" in out
    assert (model_dir / "model.ckpt-300.index").exists()
    assert list((model_dir / "eval").glob("events.out.tfevents.*"))
    out = _run(50, model_dir, env, tmp_path)   # resumes: 300 + 50 steps
    assert "'global_step': np.int64(350)" in out or "'global_step': 350" in out
