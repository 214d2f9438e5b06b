"""Acceptance: a TF 1.x program in the slim style (tests/contrib/slim/programs/
slim_finetune.py) runs unchanged through ``python -m tfcompat``: slim.learning.train
pre-training into a logdir, fine-tuning in a fresh graph from assign_from_checkpoint_fn with
the logits excluded, and slim.evaluation.evaluate_once with slim.metrics."""
import os
import re
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(__file__).resolve().parent / "programs" / "slim_finetune.py"


def test_slim_pretrain_finetune_evaluate_program(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "tfcompat", str(PROGRAM), str(tmp_path)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=300,
                               env=dict(os.environ,
                                        PYTHONPATH=str(Path(__file__).resolve().parents[3])))
    assert completed.returncode == 0, completed.stderr[-3000:]
    out = completed.stdout
    assert "pretrain checkpoint: model.ckpt-60" in out
    assert "finetune checkpoint: model.ckpt-80" in out
    assert "conv1 kept from pretraining: True" in out
    assert "batch norm moving mean updated: True" in out
    assert "logits shape: [288, 6]" in out
    assert float(re.search(r"^accuracy: ([0-9.]+)$", out, re.M).group(1)) > 0.9
    assert float(re.search(r"^finetune loss: ([0-9.]+)$", out, re.M).group(1)) < 0.5
    assert list((tmp_path / "eval").glob("events.out.tfevents.*"))
    assert list((tmp_path / "pretrain").glob("events.out.tfevents.*"))
    assert "global step 59: loss" in completed.stderr
