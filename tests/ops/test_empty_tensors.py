"""Every elementwise, activation and reduction op of the registry on zero-size inputs: an
empty result (or the reduction's identity) as TF gives, never an error — also for integer
division by zero, which computes nothing."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import op_def
from tfcompat.ops import math_ops, nn_ops

_FAMILIES = (math_ops._Unary, math_ops._Binary, math_ops._UnaryGrad, math_ops._Reduction,
             nn_ops._Activation, nn_ops._ActivationGrad)


def _op_types():
    return sorted(name for name, definition in op_def._REGISTRY.items()
                  if isinstance(definition, _FAMILIES))


def _dtype_for(op_type):
    """A dtype the op takes: bool for logical ops, int32 where floats are refused."""
    for dtype in (tf.float32, tf.bool, tf.int32):
        with tf.Graph().as_default():
            try:
                _build(op_type, dtype)
                return dtype
            except (TypeError, ValueError):
                continue
    raise AssertionError(f"{op_type} takes none of float32, bool, int32")


def _build(op_type, dtype, empty=None):
    definition = op_def.get_op_def(op_type)
    x = empty if empty is not None else tf.placeholder(dtype, [0, 3])
    if isinstance(definition, math_ops._Reduction):
        return op_def.make_tensor(op_type, [x, tf.constant([0])], {"keep_dims": False})
    if isinstance(definition, (math_ops._Unary, nn_ops._Activation)):
        attrs = {"alpha": 0.2} if op_type == "LeakyRelu" else None
        return op_def.make_tensor(op_type, [x], attrs)
    if isinstance(definition, nn_ops._ActivationGrad):
        attrs = {"alpha": 0.2} if op_type == "LeakyReluGrad" else None
        return op_def.make_tensor(op_type, [x, x], attrs)
    return op_def.make_tensor(op_type, [x, tf.zeros([3], dtype)])


@pytest.mark.parametrize("op_type", _op_types())
def test_zero_size_inputs(op_type):
    dtype = _dtype_for(op_type)
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None, 3])
        out = _build(op_type, dtype, x)
        with tf.Session() as sess:
            got = sess.run(out, {x: np.zeros((0, 3), dtype.as_numpy_dtype)})
    if isinstance(op_def.get_op_def(op_type), math_ops._Reduction):
        assert np.shape(got) == (3,)  # reduced over the empty axis: the identity per column
        if op_type in ("Max", "Min") and dtype == tf.float32:
            assert np.all(got == (-np.inf if op_type == "Max" else np.inf))
    else:
        assert np.shape(got) == (0, 3)
