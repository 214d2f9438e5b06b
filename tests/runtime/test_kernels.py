"""Numba kernels against NumPy references (float32 and float64)."""
import numba
import numpy as np
import pytest

from tfcompat.runtime import kernels

rng = np.random.default_rng(3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_gradients(dtype):
    dy = rng.normal(size=(7, 5)).astype(dtype)
    x = rng.normal(size=(7, 5)).astype(dtype)
    relu = np.maximum(x, 0)
    elu = np.where(x > 0, x, np.expm1(x))
    sig = 1 / (1 + np.exp(-x))
    th = np.tanh(x)
    tol = dict(rtol=1e-6 if dtype == np.float32 else 1e-12)
    np.testing.assert_allclose(kernels.relu_grad(dy, relu), np.where(relu > 0, dy, 0), **tol)
    np.testing.assert_allclose(kernels.elu_grad(dy, elu, 1.0),
                               np.where(elu < 0, dy * (elu + 1), dy), **tol)
    np.testing.assert_allclose(kernels.leaky_relu_grad(dy, x, 0.2), np.where(x > 0, dy, 0.2 * dy),
                               **tol)
    np.testing.assert_allclose(kernels.sigmoid_grad(dy, sig, 1.0), dy * sig * (1 - sig), **tol)
    np.testing.assert_allclose(kernels.tanh_grad(dy, th, 1.0), dy * (1 - th * th), **tol)


@numba.njit
def _expm1_each(x, out):
    for i in range(x.size):
        out[i] = kernels.expm1_negative_f32(x[i])


def test_expm1_negative_f32_is_within_one_ulp_of_correctly_rounded():
    """Every 61st float32 in [-20, 0) (18 million values, all exponents) against expm1 in
    float64 rounded once to float32; specials as NumPy's expm1 gives them."""
    top = np.float32(-20).view(np.uint32)
    x = np.arange(0x80000001, top + 1, 61, dtype=np.uint32).view(np.float32)
    x = np.concatenate([x, np.float32([-20, -17.5, -17.4, -1e-45, -np.inf, -np.float32(2) ** -24])])
    got = np.empty_like(x)
    _expm1_each(x, got)
    want = np.expm1(x.astype(np.float64)).astype(np.float32)
    ulps = np.abs(got.view(np.int32).astype(np.int64) - want.view(np.int32))
    assert ulps.max() <= 1, x[ulps.argmax()]
    special = np.float32([np.nan, -np.inf, -1e-45])
    _expm1_each(special, got[:3])
    np.testing.assert_array_equal(got[:3], np.expm1(special))


def test_adam_momentum_rmsprop_updates_in_place():
    var = rng.normal(size=10)
    grad = rng.normal(size=10)
    m, v = rng.random(10), rng.random(10)
    expected_m = 0.9 * m + 0.1 * grad
    expected_v = 0.999 * v + 0.001 * grad ** 2
    lr_t = 0.01 * np.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)
    expected_var = var - lr_t * expected_m / (np.sqrt(expected_v) + 1e-8)
    kernels.apply_adam(var, m, v, grad, lr_t, 0.9, 1 - 0.9, 1 - 0.999, 1e-8, False)
    np.testing.assert_allclose(m, expected_m, rtol=1e-12)
    np.testing.assert_allclose(v, expected_v, rtol=1e-12)
    np.testing.assert_allclose(var, expected_var, rtol=1e-12)

    accum = rng.random(10)
    var2 = var.copy()
    expected_accum = accum * 0.9 + grad
    kernels.apply_momentum(var2, accum, grad, 0.1, 0.9, True)
    np.testing.assert_allclose(var2, var - (grad * 0.1 + expected_accum * 0.9 * 0.1), rtol=1e-12)

    ms, mom = np.ones(10), np.zeros(10)
    var3 = var.copy()
    kernels.apply_rms_prop(var3, ms, mom, grad, 0.01, 1 - 0.9, 0.0, 1e-10)
    expected_ms = 0.9 + 0.1 * grad ** 2
    np.testing.assert_allclose(var3, var - 0.01 * grad / np.sqrt(expected_ms + 1e-10),
                               rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_uniform_fill_is_uniform_reproducible_and_advances(dtype):
    state = np.random.default_rng(7).integers(0, 2 ** 64, size=(4, kernels.UNIFORM_STREAMS),
                                              dtype=np.uint64, endpoint=False)
    first_state = state.copy()
    values = np.empty(200_001, dtype)  # not a whole number of rounds: a partial last one
    kernels.uniform_fill(state, values, dtype == np.float32)
    assert not np.array_equal(state, first_state)
    assert values.min() >= 0.0 and values.max() < 1.0
    counts = np.bincount((values * 64).astype(int), minlength=64)
    expected = values.size / 64
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 120  # 63 degrees of freedom: p < 1e-6 above this
    # neighbours, the two halves of one output (float32) and one stream's next output
    for lag in (1, kernels.UNIFORM_STREAMS, 2 * kernels.UNIFORM_STREAMS):
        assert abs(np.corrcoef(values[:-lag], values[lag:])[0, 1]) < 0.01
    # float32 keeps 24 random bits, float64 53
    scaled = values.astype(np.float64) * 2.0 ** 24
    assert np.array_equal(scaled, np.floor(scaled)) == (dtype == np.float32)
    again = np.empty_like(values)
    kernels.uniform_fill(first_state, again, dtype == np.float32)
    np.testing.assert_array_equal(again, values)
    more = np.empty_like(values)
    kernels.uniform_fill(state, more, dtype == np.float32)
    assert not np.array_equal(more, values)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pairwise_sum_adds_in_numpys_order(dtype):
    """Every length from 1 to 300 and a few long ones (the halving beyond 128 values): the
    bits of NumPy's add.reduce, which the cross-entropy's reference kernel calls."""
    rng = np.random.default_rng(3)
    for count in [*range(1, 301), 1000, 4097, 20011]:
        values = np.exp(rng.normal(size=count) * 8).astype(dtype)
        assert np.asarray(kernels._pairwise_sum(values, count), dtype).tobytes() == \
            np.add.reduce(values).tobytes(), count
