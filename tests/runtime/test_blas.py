"""The in-place GEMM into NumPy's own BLAS."""
import numpy as np
import pytest

from tfcompat.runtime import blas


def test_numpys_blas_is_found_for_both_float_types():
    # NumPy's Linux wheels (what the project installs) link scipy-openblas.
    assert blas.available(np.float32) and blas.available(np.float64)
    assert not blas.available(np.int32)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
@pytest.mark.parametrize("fortran", [(False, False), (True, False), (False, True)])
def test_gemm_accumulates_the_product_in_place(dtype, transpose_a, transpose_b, fortran):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(7, 5) if transpose_a else (5, 7)).astype(dtype)
    b = rng.normal(size=(3, 7) if transpose_b else (7, 3)).astype(dtype)
    a = np.asfortranarray(a) if fortran[0] else a
    b = np.asfortranarray(b) if fortran[1] else b
    c = rng.normal(size=(5, 3)).astype(dtype)
    expected = -0.5 * ((a.T if transpose_a else a) @ (b.T if transpose_b else b)) + 0.75 * c
    storage = c
    assert blas.gemm(-0.5, a, transpose_a, b, transpose_b, 0.75, c)
    assert c is storage
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(c, expected, rtol=tol, atol=tol)


def test_gemm_declines_what_it_cannot_take_and_leaves_the_target_alone():
    a = np.ones((4, 6))
    strided = np.ones((6, 6))[:, ::2]
    c = np.full((4, 3), 2.0)
    assert not blas.gemm(1.0, a, False, strided, False, 1.0, c)  # neither C nor F order
    assert not blas.gemm(1.0, np.ones((4, 0)), False, np.ones((0, 3)), False, 1.0, c)
    assert not blas.gemm(1.0, np.ones((4, 2), np.int64), False, np.ones((2, 3), np.int64),
                         False, 1.0, np.zeros((4, 3), np.int64))
    np.testing.assert_array_equal(c, 2.0)


def test_gemm_declines_mixed_dtypes_and_read_only_targets():
    c = np.zeros((2, 2), np.float32)
    assert not blas.gemm(1.0, np.ones((2, 2)), False, np.ones((2, 2), np.float32), False, 0.0, c)
    frozen = np.zeros((2, 2))
    frozen.flags.writeable = False
    assert not blas.gemm(1.0, np.ones((2, 2)), False, np.ones((2, 2)), False, 0.0, frozen)
    np.testing.assert_array_equal(c, 0.0)


def test_gemm_reads_any_layout_blas_can_step_through_and_writes_row_major_targets():
    rng = np.random.default_rng(1)
    wide = rng.normal(size=(6, 10))
    cases = [wide[:, :4], wide[:, ::2][:1], wide[::2, :1], wide[:4, :6].T,
             np.asfortranarray(wide)[:, 2:5]]
    for a in cases:
        b = rng.normal(size=(a.shape[1], 3))
        c_storage = np.zeros((a.shape[0] + 1, 5))
        c = c_storage[1:, 1:4]  # rows of contiguous elements, 5 apart
        assert blas.gemm(2.0, a, False, b, False, 0.0, c)
        np.testing.assert_allclose(c, 2.0 * a @ b, rtol=1e-12)
        np.testing.assert_array_equal(c_storage[0], 0.0)
    assert not blas.gemm(1.0, wide[:, ::2], False, np.ones((5, 3)), False, 0.0,
                         np.zeros((6, 3)))  # neither rows nor columns contiguous
    assert not blas.gemm(1.0, np.ones((4, 2)), False, np.ones((2, 3)), False, 0.0,
                         np.zeros((3, 4)).T)  # a column-major target
