"""Numba kernels for the hot elementwise work of training steps, each one pass over memory
where NumPy needs several: activation gradients, the optimizer updates of TF's Apply*
kernels (applied in place) and uniform random numbers; plus scalar helpers that the
generated kernels of ``runtime/fusion.py`` call (a vectorisable float32 expm1 for Elu/Selu:
libm's scalar one would be slower than NumPy's SIMD pass).

Compiled lazily on first call (nothing is compiled at import) and cached on disk
(``cache=True``), so a second process does not compile again. Kernels take flat contiguous
arrays; the wrappers below (``_binary``) make inputs contiguous and allocate outputs. Scalars
that can change between runs (learning rates, decay) are arguments, never globals, since
Numba freezes globals into the compiled code; the optimizer updates get them in the
variable's dtype and compute in it (a float64 literal would turn a float32 loop into a
slower, unvectorised float64 one), as TF's kernels compute in T.
"""
import math

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

_jit = njit(cache=True, error_model="numpy", nogil=True)


# ---- activation gradients (dy, y or x) -> dx -------------------------------------------------
# TF's formulas in TF's order; ``one`` and the coefficients come in the arrays' dtype, so a
# float32 gradient is computed in float32 as the NumPy reference computes it (bit for bit).
@_jit
def _relu_grad(dy, y, out):
    for i in range(dy.size):
        out[i] = dy[i] if y[i] > 0 else dy[i] * 0  # TF: dy * (y > 0): NaN dy stays NaN


@_jit
def _elu_grad(dy, y, out, one):
    for i in range(dy.size):
        out[i] = dy[i] * (y[i] + one) if y[i] < 0 else dy[i]  # a NaN y passes dy on


@_jit
def _selu_grad(dy, y, out, scale, alpha_scale):
    for i in range(dy.size):
        out[i] = dy[i] * (y[i] + alpha_scale) if y[i] < 0 else dy[i] * scale


@_jit
def _leaky_relu_grad(dy, x, out, alpha):
    for i in range(dy.size):
        out[i] = dy[i] if x[i] > 0 else dy[i] * alpha


@_jit
def _sigmoid_grad(dy, y, out, one):
    for i in range(dy.size):
        out[i] = dy[i] * y[i] * (one - y[i])


@_jit
def _tanh_grad(dy, y, out, one):
    for i in range(dy.size):
        out[i] = dy[i] * (one - y[i] * y[i])


def _flat(array):
    return np.ascontiguousarray(array).reshape(-1)


def _binary(kernel):
    """``run(dy, y, *coefficients)``: a new output array; the coefficients are converted to
    its dtype."""
    def run(dy, y, *coefficients):
        out = np.empty(np.shape(dy), dtype=np.result_type(dy, y))
        kernel(_flat(dy), _flat(y), out.reshape(-1),
               *[out.dtype.type(c) for c in coefficients])
        return out
    run.__name__ = kernel.__name__.lstrip("_")
    return run


relu_grad = _binary(_relu_grad)
elu_grad = _binary(_elu_grad)
selu_grad = _binary(_selu_grad)
leaky_relu_grad = _binary(_leaky_relu_grad)
sigmoid_grad = _binary(_sigmoid_grad)
tanh_grad = _binary(_tanh_grad)


# ---- scalar helpers for generated (fused) kernels ---------------------------------------------
@intrinsic
def _float32_from_bits(typingctx, bits):
    """The float32 whose bit pattern is the int32 ``bits`` (a vectorisable 2**n)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float32))
    return types.float32(types.int32), codegen


_F32 = np.float32
_LOG2E, _LN2_HI, _LN2_LO = _F32(1.44269504), _F32(0.693359375), _F32(-2.12194440e-4)
_EXPM1_TAYLOR = tuple(_F32(1.0 / math.factorial(k)) for k in range(2, 8))  # 1/2! .. 1/7!


@_jit
def expm1_negative_f32(x):
    """exp(x) - 1 for float32 x <= 0 (NaN gives NaN) in float32 arithmetic without calls or
    branches, so a fused loop around it vectorises (NumPy's expm1 is a separate pass).

    x = n ln2 + r with |r| <= ln2/2 (ln2 split in two for an exact product), expm1(r) from
    its Taylor series to r^7, then 2^n (1 + expm1(r)) - 1 as (2^n - 1) + 2^n expm1(r), both
    parts exact but for one rounding. Below -17.5 the float32 result is -1. Measured: at
    most 1 ulp from the correctly rounded value over every float32 in [-20, 0).
    """
    x = _F32(-17.5) if x < _F32(-17.5) else x
    n = np.floor(x * _LOG2E + _F32(0.5))
    n = n if n <= _F32(0.0) else _F32(0.0)  # NaN (and a positive x) -> 0, a valid exponent
    r = x - n * _LN2_HI - n * _LN2_LO
    c2, c3, c4, c5, c6, c7 = _EXPM1_TAYLOR
    expm1_r = r + r * r * (c2 + r * (c3 + r * (c4 + r * (c5 + r * (c6 + r * c7)))))
    scale = _float32_from_bits((np.int32(n) + np.int32(127)) << np.int32(23))
    return (scale - _F32(1.0)) + scale * expm1_r


# ---- sparse softmax cross-entropy, around NumPy's exp and log --------------------------------
# The reference kernel (ops/nn_ops.py) takes exp and log from NumPy (its SIMD exp and log
# differ from libm's in the last bits): the fast rule calls NumPy for those and these loops
# for the rest, adding each row as NumPy's sum does, so the tiers agree bit for bit.
@_jit
def _block_sum(values, start, count):
    """values[start:start + count], at most 128 of them, added as NumPy's pairwise sum adds
    a block: below 8 values one by one, else in eight interleaved partial sums."""
    if count < 8:
        total = values[start]
        for j in range(start + 1, start + count):
            total += values[j]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    end = start + count - count % 8
    for j in range(start + 8, end, 8):
        r0 += values[j]
        r1 += values[j + 1]
        r2 += values[j + 2]
        r3 += values[j + 3]
        r4 += values[j + 4]
        r5 += values[j + 5]
        r6 += values[j + 6]
        r7 += values[j + 7]
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for j in range(end, start + count):
        total += values[j]
    return total


@_jit
def _pairwise_sum(values, count):
    """The sum of the 1-D ``values`` in NumPy's pairwise order (its float add.reduce):
    blocks of up to 128 as ``_block_sum``, longer runs as the sum of their two halves (split
    at a multiple of 8), in the values' dtype. The halving runs on explicit stacks (Numba
    cannot cache recursive functions)."""
    if count <= 128:
        return _block_sum(values, 0, count)
    starts = np.empty(128, np.int64)   # pending runs: start, length, halves already summed
    counts = np.empty(128, np.int64)
    summed = np.empty(128, np.bool_)
    partials = np.empty(128, values.dtype)
    starts[0], counts[0], summed[0] = 0, count, False
    tasks, results = 1, 0
    while tasks:
        tasks -= 1
        start, length = starts[tasks], counts[tasks]
        if length <= 128:
            partials[results] = _block_sum(values, start, length)
            results += 1
        elif summed[tasks]:
            results -= 1
            partials[results - 1] = partials[results - 1] + partials[results]
        else:
            half = length // 2
            half -= half % 8
            summed[tasks] = True
            starts[tasks + 1], counts[tasks + 1], summed[tasks + 1] = start + half, \
                length - half, False
            starts[tasks + 2], counts[tasks + 2], summed[tasks + 2] = start, half, False
            tasks += 3
    return partials[0]


@_jit
def xent_shift_rows(features, labels, shifted, picked):
    """Per row of ``features`` [rows, classes]: shifted = row - max(row) (NaN where the row
    has a NaN, as NumPy's max) and picked = shifted[label]. Returns the first row whose label
    is outside [0, classes), else -1 (the caller raises TF's error)."""
    rows, classes = features.shape
    for i in range(rows):
        label = labels[i]
        if label < 0 or label >= classes:
            return i
        top = features[i, 0]
        for j in range(1, classes):
            value = features[i, j]
            if value > top or value != value:
                top = value
        for j in range(classes):
            shifted[i, j] = features[i, j] - top
        picked[i] = shifted[i, label]
    return -1


@_jit
def xent_normalize(probs, labels, sums, one):
    """Per row of exp(shifted) ``probs``: sums[i] = its sum (NumPy's order), then in place
    probs = probs / sum - onehot(label) (``one`` in the arrays' dtype), each element rounded
    once as NumPy's passes round it."""
    rows, classes = probs.shape
    for i in range(rows):
        total = _pairwise_sum(probs[i], classes)
        sums[i] = total
        for j in range(classes):
            probs[i, j] /= total
        probs[i, labels[i]] -= one


# ---- uniform random numbers -------------------------------------------------------------------
UNIFORM_STREAMS = 64
_HALF_SCALE = np.float32(1.0 / 16777216.0)      # 2**-24
_FULL_SCALE = 1.0 / 9007199254740992.0            # 2**-53
_LOW24 = np.uint64(0xFFFFFF)


@_jit
def _uniform_value(bits, half, high):
    """The uniform in [0, 1) that a 64-bit output gives: float32 from bits 40-63 (``high``)
    or 16-39, float64 from the top 53 bits (the low bits of xoshiro256+ are its weak ones)."""
    if half:
        part = bits >> np.uint64(40) if high else (bits >> np.uint64(16)) & _LOW24
        return np.float32(np.int32(part)) * _HALF_SCALE
    return np.float64(np.int64(bits >> np.uint64(11))) * _FULL_SCALE


@_jit
def uniform_fill(state, out, half):
    """Fills the flat float32/float64 ``out`` with uniforms in [0, 1) from
    ``UNIFORM_STREAMS`` interleaved xoshiro256+ generators (``state``: uint64 of shape
    (4, UNIFORM_STREAMS), advanced in place). Each round advances every stream once, a loop
    the compiler vectorises (one serial stream ran at 1 ns a number here, this at 0.3); its
    outputs fill the next UNIFORM_STREAMS values, or for float32 (``half``) 2 x
    UNIFORM_STREAMS: high halves first, then middle ones. A last partial round takes the
    values it needs in that order."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    lanes = s0.size
    bits = np.empty(lanes, np.uint64)
    per_round = 2 * lanes if half else lanes
    n = out.size
    start = 0
    while start < n:
        for lane in range(lanes):
            a0, a1, a2, a3 = s0[lane], s1[lane], s2[lane], s3[lane]
            bits[lane] = a0 + a3
            shifted = a1 << np.uint64(17)
            a2 ^= a0
            a3 ^= a1
            a1 ^= a2
            a0 ^= a3
            a2 ^= shifted
            s0[lane], s1[lane], s2[lane] = a0, a1, a2
            s3[lane] = (a3 << np.uint64(45)) | (a3 >> np.uint64(19))
        if start + per_round <= n:
            for lane in range(lanes):
                out[start + lane] = _uniform_value(bits[lane], half, True)
            if half:
                for lane in range(lanes):
                    out[start + lanes + lane] = _uniform_value(bits[lane], half, False)
        else:
            for k in range(n - start):
                out[start + k] = _uniform_value(bits[k % lanes], half, k < lanes)
        start += per_round


# ---- optimizer updates, in place (TF's training_ops.cc formulas) ------------------------------
# Arguments: the variable and its slots (flat), the gradient (flat), then the coefficients
# the op prepares (``_ApplyOp.numba_coefficients``).
@_jit
def apply_gradient_descent(var, grad, lr):
    for i in range(var.size):
        var[i] -= lr * grad[i]


@_jit
def apply_momentum(var, accum, grad, lr, momentum, nesterov):
    # Branches stay outside the loops, which LLVM can then vectorise.
    if nesterov:
        for i in range(var.size):
            accum[i] = accum[i] * momentum + grad[i]
            var[i] -= grad[i] * lr + accum[i] * momentum * lr
    else:
        for i in range(var.size):
            accum[i] = accum[i] * momentum + grad[i]
            var[i] -= accum[i] * lr


@_jit
def apply_adam(var, m, v, grad, alpha, beta1, decay1, decay2, epsilon, nesterov):
    """``alpha`` = lr·sqrt(1 - beta2_power)/(1 - beta1_power), ``decay1`` = 1 - beta1 and
    ``decay2`` = 1 - beta2, computed by the caller in the variable's dtype."""
    # One loop per case: a branch inside the loop would keep LLVM from vectorising it.
    if nesterov:
        for i in range(var.size):
            g = grad[i]
            m[i] += (g - m[i]) * decay1
            v[i] += (g * g - v[i]) * decay2
            var[i] -= (g * decay1 + m[i] * beta1) * alpha / (np.sqrt(v[i]) + epsilon)
    else:
        for i in range(var.size):
            g = grad[i]
            m[i] += (g - m[i]) * decay1
            v[i] += (g * g - v[i]) * decay2
            var[i] -= m[i] * alpha / (np.sqrt(v[i]) + epsilon)


@_jit
def apply_adagrad(var, accum, grad, lr, update_slots):
    if update_slots:
        for i in range(var.size):
            accum[i] += grad[i] * grad[i]
    for i in range(var.size):
        var[i] -= grad[i] * lr / np.sqrt(accum[i])


@_jit
def apply_rms_prop(var, ms, mom, grad, lr, decay, momentum, epsilon):
    """``decay`` = 1 - rho in the variable's dtype."""
    for i in range(var.size):
        g = grad[i]
        ms[i] += (g * g - ms[i]) * decay
        mom[i] = mom[i] * momentum + g * lr / np.sqrt(ms[i] + epsilon)
        var[i] -= mom[i]


@_jit
def apply_centered_rms_prop(var, mg, ms, mom, grad, lr, decay, momentum, epsilon):
    """``decay`` = 1 - rho in the variable's dtype."""
    for i in range(var.size):
        g = grad[i]
        ms[i] += (g * g - ms[i]) * decay
        mg[i] += (g - mg[i]) * decay
        denominator = ms[i] - mg[i] * mg[i] + epsilon
        mom[i] = mom[i] * momentum + g * lr / np.sqrt(denominator)
        var[i] -= mom[i]
