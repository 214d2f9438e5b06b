"""Chapter-14 style TF 1.x programs (tests/rnn/programs) run unchanged under
``python -m tfcompat`` and learn (short runs on synthetic data)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "programs"


@pytest.mark.parametrize("program", ["rnn_mnist.py", "stacked_lstm_time_series.py",
                                     "embedding_nce.py"])
def test_program_runs_under_python_m_tfcompat(program):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "tfcompat", str(PROGRAMS / program)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()
