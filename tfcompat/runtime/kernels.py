"""Numba kernels for the hot elementwise work of training steps, each one pass over memory
where NumPy needs several: activation gradients, the sparse softmax cross-entropy with its
backprop, and the optimizer updates of TF's Apply* kernels (applied in place). Forward
activations stay in NumPy, whose SIMD exp/expm1 beat a scalar Numba loop.

Compiled lazily on first call (nothing is compiled at import) and cached on disk
(``cache=True``), so a second process does not compile again. Kernels take flat contiguous
arrays; the ``*_into`` wrappers below make inputs contiguous and allocate outputs. Scalars
that can change between runs (learning rates, decay) are arguments, never globals, since
Numba freezes globals into the compiled code.
"""
import math

import numpy as np
from numba import njit

_jit = njit(cache=True, error_model="numpy", nogil=True)


# ---- activation gradients (dy, y or x) -> dx -------------------------------------------------
@_jit
def _relu_grad(dy, y, out):
    for i in range(dy.size):
        out[i] = dy[i] if y[i] > 0 else 0.0


@_jit
def _elu_grad(dy, y, out):
    for i in range(dy.size):
        out[i] = dy[i] if y[i] > 0 else dy[i] * (y[i] + 1.0)


@_jit
def _selu_grad(dy, y, out, scale, alpha_scale):
    for i in range(dy.size):
        out[i] = dy[i] * scale if y[i] > 0 else dy[i] * (y[i] + alpha_scale)


@_jit
def _leaky_relu_grad(dy, x, out, alpha):
    for i in range(dy.size):
        out[i] = dy[i] if x[i] > 0 else dy[i] * alpha


@_jit
def _sigmoid_grad(dy, y, out):
    for i in range(dy.size):
        out[i] = dy[i] * y[i] * (1.0 - y[i])


@_jit
def _tanh_grad(dy, y, out):
    for i in range(dy.size):
        out[i] = dy[i] * (1.0 - y[i] * y[i])


def _flat(array):
    return np.ascontiguousarray(array).reshape(-1)


def _binary(kernel):
    def run(dy, y, *params):
        out = np.empty(np.shape(dy), dtype=np.result_type(dy, y))
        kernel(_flat(dy), _flat(y), out.reshape(-1), *params)
        return out
    run.__name__ = kernel.__name__.lstrip("_")
    return run


relu_grad = _binary(_relu_grad)
elu_grad = _binary(_elu_grad)
selu_grad = _binary(_selu_grad)
leaky_relu_grad = _binary(_leaky_relu_grad)
sigmoid_grad = _binary(_sigmoid_grad)
tanh_grad = _binary(_tanh_grad)


# ---- softmax cross-entropy ---------------------------------------------------------------------
@_jit
def sparse_softmax_xent(features, labels, loss, backprop):
    """Per row of ``features`` [rows, classes]: loss = logsumexp(row) - row[label] and
    backprop = softmax(row) - onehot(label), in one pass per row (max, exp and sum, scale).
    Returns the first row whose label is outside [0, classes), else -1 (the caller raises
    TF's error)."""
    rows, classes = features.shape
    for i in range(rows):
        label = labels[i]
        if label < 0 or label >= classes:
            return i
        top = features[i, 0]
        for j in range(1, classes):
            if features[i, j] > top:
                top = features[i, j]
        total = 0.0
        for j in range(classes):
            e = math.exp(features[i, j] - top)
            backprop[i, j] = e
            total += e
        loss[i] = math.log(total) - (features[i, label] - top)
        for j in range(classes):
            backprop[i, j] /= total
        backprop[i, label] -= 1.0
    return -1


# ---- optimizer updates, in place (TF's training_ops.cc formulas) ------------------------------
@_jit
def apply_gradient_descent(var, lr, grad):
    for i in range(var.size):
        var[i] -= lr * grad[i]


@_jit
def apply_momentum(var, accum, lr, grad, momentum, nesterov):
    for i in range(var.size):
        accum[i] = accum[i] * momentum + grad[i]
        if nesterov:
            var[i] -= grad[i] * lr + accum[i] * momentum * lr
        else:
            var[i] -= accum[i] * lr


@_jit
def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
               nesterov):
    lr_t = lr * math.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
    for i in range(var.size):
        g = grad[i]
        m[i] += (g - m[i]) * (1.0 - beta1)
        v[i] += (g * g - v[i]) * (1.0 - beta2)
        if nesterov:
            var[i] -= (m[i] * beta1 + (1.0 - beta1) * g) * lr_t / (math.sqrt(v[i]) + epsilon)
        else:
            var[i] -= m[i] * lr_t / (math.sqrt(v[i]) + epsilon)


@_jit
def apply_adagrad(var, accum, lr, grad, update_slots):
    for i in range(var.size):
        if update_slots:
            accum[i] += grad[i] * grad[i]
        var[i] -= grad[i] * lr / math.sqrt(accum[i])


@_jit
def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad):
    for i in range(var.size):
        g = grad[i]
        ms[i] += (g * g - ms[i]) * (1.0 - rho)
        mom[i] = mom[i] * momentum + g * lr / math.sqrt(ms[i] + epsilon)
        var[i] -= mom[i]


@_jit
def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    for i in range(var.size):
        g = grad[i]
        ms[i] += (g * g - ms[i]) * (1.0 - rho)
        mg[i] += (g - mg[i]) * (1.0 - rho)
        denominator = ms[i] - mg[i] * mg[i] + epsilon
        mom[i] = mom[i] * momentum + g * lr / math.sqrt(denominator)
        var[i] -= mom[i]
