"""ApplyAdaMax, ApplyAddSign and ApplyPowerSign (ops/contrib_training_ops.py) against one
step of TensorFlow's kernels (goldens from tests/golden/make_contrib_training_goldens.py),
bit for bit, and TF's input checks."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import contrib_training_ops

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), os.pardir, "golden",
                               "contrib_training_goldens.npz"))
F = np.float32
CASES = {
    "ApplyAdaMax": lambda var, m, v, g: contrib_training_ops.apply_ada_max(
        var, m, v, F(0.81), F(0.1), F(0.9), F(0.99), F(1e-7), g),
    "ApplyAddSign": lambda var, m, v, g: contrib_training_ops.apply_add_sign(
        var, m, F(0.1), F(1.5), F(0.7), F(0.9), g),
    "ApplyPowerSign": lambda var, m, v, g: contrib_training_ops.apply_power_sign(
        var, m, F(0.1), F(0.6), F(0.7), F(0.9), g),
}


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


@pytest.mark.parametrize("op_type", sorted(CASES))
def test_one_step_matches_tensorflow(op_type):
    var, m, v = (tf.Variable(GOLDENS[key]) for key in ("var", "m", "v"))
    update = CASES[op_type](var, m, v, GOLDENS["grad"])
    assert update.op.type == op_type and update.shape.as_list() == [6]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update)
        got = sess.run([var, m, v])
    # PowerSign's exp may differ from Eigen's vectorised exp by an ulp.
    tolerance = 2e-7 if op_type == "ApplyPowerSign" else 0
    for key, value in zip(("var", "m", "v"), got, strict=True):
        np.testing.assert_allclose(value, GOLDENS[f"{op_type}/{key}"], rtol=tolerance, atol=0)


def test_checks():
    var, m = tf.Variable(np.zeros(3, F)), tf.Variable(np.zeros(2, F))
    with pytest.raises(ValueError, match="Shapes"):
        contrib_training_ops.apply_add_sign(var, m, F(0.1), F(1), F(1), F(0.9),
                                            np.zeros(3, F))
    with pytest.raises(TypeError, match="does not match type float32"):
        contrib_training_ops.apply_power_sign(var, tf.Variable(np.zeros(3, F)), F(0.1),
                                              tf.constant(1.0, tf.float64), F(1), F(0.9),
                                              np.zeros(3, F))
    with pytest.raises(ValueError, match="Shape must be rank 0"):
        contrib_training_ops.apply_ada_max(var, tf.Variable(np.zeros(3, F)),
                                           tf.Variable(np.zeros(3, F)), F(0.9), [F(0.1)] * 2,
                                           F(0.9), F(0.99), F(1e-7), np.zeros(3, F))
