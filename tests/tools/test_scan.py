"""tfcompat scan: TensorFlow symbols of scripts and notebooks found without running them,
marked supported by the same rule as tfcompat's AttributeError, with a verdict per file."""
import json
import subprocess
import sys

from tfcompat.tools import scan

SCRIPT = """import tensorflow.compat.v1 as tf
from tensorflow.contrib import layers as contrib_layers
from tensorflow.examples.tutorials.mnist import input_data
import tensorflow
dense = tf.layers.dense
out = tf.nn.relu(tf.constant(1.0))
missing = tf.nn.not_a_real_function
contrib_layers.fully_connected
tensorflow.train.AdamOptimizer
def f():
    return tf.nn.relu
"""


def test_scan_of_a_script(tmp_path):
    path = tmp_path / "legacy.py"
    path.write_text(SCRIPT)
    symbols, errors = scan.scan_file(str(path))
    assert errors == []
    assert sorted(symbols) == sorted([
        "tf.contrib.layers", "tf.contrib.layers.fully_connected",
        "tf.examples.tutorials.mnist.input_data", "tf.layers.dense", "tf.nn.relu",
        "tf.constant", "tf.nn.not_a_real_function", "tf.train.AdamOptimizer"])
    assert symbols["tf.nn.relu"] == [f"{path}:6", f"{path}:11"]
    assert scan.resolves(["nn", "relu"]) and scan.resolves(["compat", "v1", "layers", "dense"])
    assert not scan.resolves(["nn", "not_a_real_function"])
    assert not scan.resolves(["contrib", "not_a_module", "thing"])


def test_scan_command_on_a_folder_with_a_notebook(tmp_path):
    (tmp_path / "ok.py").write_text("import tensorflow as tf\ntf.Session\n")
    cells = ["%matplotlib inline\nimport tensorflow as tf", "x = tf.placeholder(tf.float32)",
             "tf.contrib.nothing.here", "def broken(:\n    pass"]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"nbformat": 4, "cells": [
        {"cell_type": "code", "source": c} for c in cells]}))
    done = subprocess.run([sys.executable, "-m", "tfcompat", "scan", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 1
    assert f"{tmp_path}/nb.ipynb:cell 2:1 tf.placeholder: supported" in out
    assert "tf.contrib.nothing.here: NOT SUPPORTED" in out
    assert f"{tmp_path}/nb.ipynb:cell 4:1: could not parse" in out
    assert f"{tmp_path}/nb.ipynb: 3 TensorFlow symbols, 1 unsupported: " \
           "tf.contrib.nothing.here; 1 part(s) not parsed" in out
    assert f"{tmp_path}/ok.py: 1 TensorFlow symbols, runs on tfcompat" in out
    ok_only = subprocess.run([sys.executable, "-m", "tfcompat", "scan",
                              str(tmp_path / "ok.py")], capture_output=True, text=True,
                             timeout=300)
    assert ok_only.returncode == 0
