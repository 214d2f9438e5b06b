"""Fake quantisation: outputs on TF's nudged grid (zero exact), straight-through gradients
inside the range, min/max gradients from the clipped entries, per-channel ranges."""
import math

import numpy as np
import pytest

import tfcompat as tf

X = np.array([-7.0, -6.0, -1.3, 0.0, 0.02, 2.71, 5.99, 6.5, 100.0], np.float32)


def _reference(values, low, high, num_bits, narrow):
    """Element by element in float32 arithmetic, as TF's kernels: the nudged range and the
    nearest grid point (half up)."""
    f = np.float32
    quant_min, quant_max = f(1 if narrow else 0), f(2 ** num_bits - 1)
    scale = (f(high) - f(low)) / (quant_max - quant_min)
    zero = min(max(quant_min - f(low) / scale, quant_min), quant_max)
    zero = f(math.floor(zero + f(0.5)))
    nudged_min, nudged_max = (quant_min - zero) * scale, (quant_max - zero) * scale
    out = []
    for v in values:
        clamped = min(max(f(v), nudged_min), nudged_max)
        out.append(f(math.floor((clamped - nudged_min) / scale + f(0.5))) * scale + nudged_min)
    return np.array(out), nudged_min, nudged_max


@pytest.mark.parametrize("num_bits,narrow", [(8, False), (4, False), (8, True)])
def test_args_and_vars_forward_and_gradients(num_bits, narrow):
    low, high = -1.1, 3.3
    expected, nudged_min, nudged_max = _reference(X, low, high, num_bits, narrow)
    weights = np.arange(9, dtype=np.float32)
    with tf.Graph().as_default():
        x = tf.constant(X)
        by_args = tf.fake_quant_with_min_max_args(x, min=low, max=high, num_bits=num_bits,
                                                  narrow_range=narrow)
        mn, mx = tf.constant(low), tf.constant(high)
        by_vars = tf.fake_quant_with_min_max_vars(x, mn, mx, num_bits=num_bits,
                                                  narrow_range=narrow)
        grads = tf.gradients(tf.reduce_sum(by_vars * weights), [x, mn, mx])
        args_grad = tf.gradients(tf.reduce_sum(by_args * weights), x)[0]
        values = tf.Session().run([by_args, by_vars, args_grad] + grads)
    np.testing.assert_allclose(values[0], expected, atol=1e-5)
    np.testing.assert_allclose(values[1], expected, atol=1e-5)
    assert values[0][3] == 0.0  # zero is exactly representable
    inside = (X >= nudged_min) & (X <= nudged_max)
    np.testing.assert_array_equal(values[2], np.where(inside, weights, 0))
    np.testing.assert_array_equal(values[3], np.where(inside, weights, 0))
    assert values[4] == weights[X < nudged_min].sum()
    assert values[5] == weights[X > nudged_max].sum()


def test_per_channel_and_gradient_functions():
    x = np.stack([X[:4], X[4:8]]).astype(np.float32)  # [2, 4]: four channels
    lows, highs = np.array([-1.0, -2.0, -6.0, 0.0], np.float32), np.array([1, 2, 6, 4.0],
                                                                          np.float32)
    with tf.Graph().as_default():
        out = tf.fake_quant_with_min_max_vars_per_channel(x, lows, highs)
        dy = np.ones_like(x)
        d_inputs, d_min, d_max = tf.fake_quant_with_min_max_vars_per_channel_gradient(
            dy, x, lows, highs)
        plain = tf.fake_quant_with_min_max_vars_gradient(dy[0], x[0], -1.0, 1.0)
        args_grad = tf.fake_quant_with_min_max_args_gradient(dy[0], x[0], min=-1.0, max=1.0)
        values = tf.Session().run([out, d_inputs, d_min, d_max, plain[0], args_grad])
    for channel in range(4):
        expected, low, high = _reference(x[:, channel], float(lows[channel]),
                                         float(highs[channel]), 8, False)
        np.testing.assert_allclose(values[0][:, channel], expected, atol=1e-5)
        column = x[:, channel]
        assert values[2][channel] == (column < low).sum()
        assert values[3][channel] == (column > high).sum()
    assert d_min.shape.as_list() == [4]
    np.testing.assert_array_equal(values[4], values[5])
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="float32"):
            tf.fake_quant_with_min_max_args(tf.constant([1.0], tf.float64))
    assert tf.quantization.fake_quant_with_min_max_vars is tf.fake_quant_with_min_max_vars
