"""Acceptance: TF 1.x input-pipeline scripts (tf.data; queue runners with readers) run
unchanged through ``python -m tfcompat`` (``import tensorflow`` gives tfcompat), train and
reach their accuracy."""
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent / "acceptance_scripts"


@pytest.mark.parametrize("script, expected", [
    ("tfdata_training.py", "final accuracy"),
    ("queue_runner_training.py", "training accuracy"),
])
def test_input_pipeline_script_trains(script, expected):
    result = subprocess.run([sys.executable, "-m", "tfcompat", "--epochs-cap", "3",
                             str(SCRIPTS / script)], cwd=REPO, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert expected in result.stdout
