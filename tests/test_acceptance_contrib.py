"""Acceptance: a TF 1.x BiLSTM-CRF tagger written against tf.contrib (crf, opt, rnn,
layers) runs unchanged through ``python -m tfcompat`` (``import tensorflow`` gives
tfcompat), learns its toy task, and its graph and NumPy Viterbi decoders agree."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve().parent / "acceptance_scripts" / "bilstm_crf_tagger.py"


def test_bilstm_crf_tagger_script_trains():
    result = subprocess.run([sys.executable, "-m", "tfcompat", str(SCRIPT)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "decoders agree: True" in result.stdout
