"""The backward steps of benchmarks/bench_cnn.py's CNN, fused and not, timed in one process
(interleaved rounds, median per round): the lower layer's Conv2DBackpropInput ->
ReluGrad (+ BiasAddGrad) -> Conv2DBackpropFilter as the chained step of rules/conv.py
against its three kernels in turn, and that step paired with the upper layer's
Conv2DBackpropFilter (two tasks) against the two run one after the other. Inputs are
random, with a max pool's gradient (at most one nonzero per 2x2 window and channel).

    python benchmarks/bench_conv_steps.py [--batch 50 200] [--rounds 7] [--threads 1]

Process CPU time and wall time are printed; with ``--threads 2`` the kernels cut their work
as a two-thread run does (the paired step then runs its tasks side by side).
"""
import argparse
import os
import sys
import time
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tfcompat as tf  # noqa: E402 (this checkout's tfcompat)
from tfcompat.runtime import lowering, threads  # noqa: E402
from tfcompat.runtime.rules import conv  # noqa: E402


def _backward_ops():
    """The gradient ops of two conv layers as in the CNN (32 then 64 channels, stride 2)."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        lower = tf.layers.conv2d(x, 32, 3, padding="same", activation=tf.nn.relu)
        upper = tf.layers.conv2d(lower, 64, 3, strides=2, padding="same",
                                 activation=tf.nn.relu)
        loss = tf.reduce_sum(tf.nn.max_pool(upper, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"))
        lower_kernel, lower_bias, upper_kernel = tf.trainable_variables()[:3]
        lower_grads = tf.gradients(loss, [lower_kernel, lower_bias, upper_kernel])
    filter_grad, bias_grad, upper_filter_grad = (g.op for g in lower_grads)
    relu_grad = bias_grad.inputs[0].op
    return relu_grad.inputs[0].op, relu_grad, bias_grad, filter_grad, upper_filter_grad


def _pooled_gradient(rng, batch):
    """dy of the upper conv: one nonzero per 2x2 window and channel, 90 % of them."""
    dy = np.zeros((batch, 14, 14, 64), np.float32)
    chosen = rng.integers(0, 4, (batch, 7, 7, 64))
    values = rng.standard_normal((batch, 7, 7, 64)).astype(np.float32)
    values *= rng.random((batch, 7, 7, 64)) < 0.9
    for offset in range(4):
        dy[:, offset // 2::2, offset % 2::2] = np.where(chosen == offset, values, 0)
    return dy


def _cases(batch):
    """{name: callable} of the step variants on one batch of random inputs."""
    rng = np.random.default_rng(0)
    input_op, relu_op, bias_op, filter_op, upper_filter_op = _backward_ops()
    steps = [SimpleNamespace(op=op, kernel=kernel) for op, kernel in (
        (input_op, lowering.lookup_fast_kernel(input_op, None)),
        (relu_op, conv._relu_layer_grad_kernel(None, relu_op, bias_op)),
        (filter_op, conv._filter_grad_kernel(filter_op, None, True)))]
    chained = conv._input_relu_filter_kernel(None, *steps)
    upper = conv._filter_grad_kernel(upper_filter_op, None, True)
    x = rng.random((batch, 28, 28, 1), dtype=np.float32)
    y = np.maximum(rng.standard_normal((batch, 28, 28, 32)), 0).astype(np.float32)
    kernel = rng.standard_normal((3, 3, 32, 64)).astype(np.float32)
    dy = _pooled_gradient(rng, batch)
    x_patches = conv._patches(conv._Buffers(), x, *conv._conv_windows(
        filter_op, x.shape, (3, 3, 1, 32)))
    y_patches = conv._patches(conv._Buffers(), y, *conv._conv_windows(
        upper_filter_op, y.shape, (3, 3, 32, 64)))
    sizes, lower_sizes = np.array(y.shape, np.int32), np.array([3, 3, 1, 32], np.int32)
    upper_sizes = np.array([3, 3, 32, 64], np.int32)

    def three_steps():
        relu_out, bias = steps[1].kernel(steps[0].kernel(sizes, kernel, dy), y)
        return bias, steps[2].kernel(x, lower_sizes, relu_out, x_patches)

    def chain():
        return chained(sizes, kernel, dy, y, x, lower_sizes, x_patches)

    def upper_filter():
        return upper(y, upper_sizes, dy, y_patches)

    def one_after_the_other():
        return upper_filter(), chain()

    def paired():
        return threads.policy().run_tasks([upper_filter, chain])
    return {"three steps": three_steps, "chained step": chain,
            "upper filter grad + chained, in turn": one_after_the_other,
            "upper filter grad + chained, paired": paired}


def _median_ms(run, steps=5):
    walls, cpus = [], []
    for _ in range(steps):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1e3 * np.median(cpus), 1e3 * np.median(walls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    threads.policy().before_run(args.threads, True)
    for batch in args.batch:
        cases = _cases(batch)
        rounds = {name: [] for name in cases}
        for run in cases.values():
            run()  # compiles and fills the kept buffers
        for _ in range(args.rounds):
            for name, run in cases.items():
                rounds[name].append(_median_ms(run))
        print(f"batch {batch}, {threads.policy().parts()} thread(s), load "
              f"{os.getloadavg()[0]:.1f}:")
        for name, values in rounds.items():
            cpu, wall = np.median(values, axis=0)
            print(f"  {name:40s} CPU {cpu:7.2f} ms   wall {wall:7.2f} ms")


if __name__ == "__main__":
    main()
