"""An NMT-style TF 1.x program (tests/contrib/seq2seq/programs) runs unchanged under
``python -m tfcompat``, learns the toy task and decodes it greedily and by beam search."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PROGRAMS = Path(__file__).resolve().parent / "programs"


def test_reverse_task_nmt_learns_and_decodes():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "tfcompat",
                             str(PROGRAMS / "reverse_task_nmt.py")],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "greedy accuracy" in result.stdout
