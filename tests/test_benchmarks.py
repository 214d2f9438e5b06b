"""benchmarks/: the book's networks build and train on tfcompat and on the hand-written NumPy
floor, and the clock behind the outside-BLAS share sees every kind of BLAS call tfcompat
makes (a hook that missed one would flatter the share). No timings are asserted."""
import importlib
import os
import sys

import numpy as np
import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "benchmarks")


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, BENCHMARKS)
    try:
        yield importlib.import_module("bench")
    finally:
        sys.path.remove(BENCHMARKS)


@pytest.mark.parametrize("net", ["bn", "dropout", "deep_adam"])
def test_each_network_trains_on_tfcompat_and_on_the_numpy_floor(bench, net):
    data = bench._batches(20, 2)
    for make_step in (bench.tfcompat_step, bench.numpy_step):
        step = make_step(net)
        for i in range(4):
            step(*data[i % 2])


def test_the_blas_clock_times_numpy_products_and_folded_gemms(bench):
    from tfcompat.runtime import blas
    plain_dot, plain_gemm = np.dot, blas._gemm
    a = np.ones((64, 64), np.float32)
    clock = bench.BlasClock()
    with clock.installed():
        np.dot(a, a)
    after_dot = clock.seconds
    with clock.installed():
        assert blas.gemm(1.0, a, False, a, False, 0.0, np.zeros((64, 64), np.float32))
    assert 0.0 < after_dot < clock.seconds
    assert np.dot is plain_dot and blas._gemm is plain_gemm  # restored


def test_the_outside_blas_share_of_m1_is_a_fraction_of_its_steps(bench):
    step_ms, blas_ms, share = bench.outside_blas_share(50, 20)
    assert 0.0 < blas_ms < step_ms and 0.0 < share < 1.0
