"""Benchmark of issue 17: the training step of the book's chapter-14 MNIST RNN (28 steps of 28
inputs, a BasicRNNCell(150) or BasicLSTMCell(150) run by dynamic_rnn, a dense layer of 10 on
the final state, Adam 0.001) on tfcompat and, when ``--tensorflow PYTHON`` names an
interpreter with TensorFlow 2.x and tf-keras, on TensorFlow's compat.v1 Session with control
flow v1, in one run: median ms/step after a warm-up, random float32 batches fed through
feed_dict, 2 threads, the two alternating in blocks of steps. Each also reports its process
CPU time per step (all its threads): on a loaded machine the scheduler shares the cores per
runnable thread, so wall times there favour the program with more threads.

    python benchmarks/bench_rnn.py [--batch 50 200] [--steps 300] [--rounds 3]
                                   [--cells rnn lstm] [--tensorflow /path/to/python]

``--trees OLD NEW`` times tfcompat from source trees instead (an A/B of two commits: one
worker process per tree with its PYTHONPATH, their blocks alternating; e.g. OLD made by
``git archive BASE | tar -x -C /tmp/base``).
"""
import argparse
import os
import subprocess
import sys
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402 (after the thread settings)

STEPS, INPUTS, NEURONS, OUTPUTS = 28, 28, 150, 10
WARM_UP_STEPS = 260  # past tfcompat's fusion threshold of the loop body's plans


def build(tf, cell_kind):
    """The chapter-14 network; returns (X, y, training fetches)."""
    X = tf.placeholder(tf.float32, [None, STEPS, INPUTS], name="X")
    y = tf.placeholder(tf.int32, [None], name="y")
    cells = {"rnn": tf.nn.rnn_cell.BasicRNNCell, "lstm": tf.nn.rnn_cell.BasicLSTMCell}
    cell = cells[cell_kind](num_units=NEURONS)
    _, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    final = states.h if cell_kind == "lstm" else states
    logits = tf.layers.dense(final, OUTPUTS)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss)
    return X, y, [train, loss]


def _batches(batch, count=8, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((batch, STEPS, INPUTS), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def session_step(tf, cell_kind, config=None):
    graph = tf.Graph()
    with graph.as_default():
        X, y, fetches = build(tf, cell_kind)
        sess = tf.Session(graph=graph, config=config)
        sess.run(tf.global_variables_initializer())
    return lambda xb, yb: sess.run(fetches, {X: xb, y: yb})


def tfcompat_step(cell_kind):
    import tfcompat as tf
    return session_step(tf, cell_kind)


def tensorflow_step(cell_kind):
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)
    return session_step(tf, cell_kind, config)


def time_block(step, data, steps):
    """(median wall ms/step, mean process CPU ms/step: all threads) over ``steps`` steps."""
    samples = []
    cpu = time.process_time()
    for i in range(steps):
        xb, yb = data[i % len(data)]
        start = time.perf_counter()
        step(xb, yb)
        samples.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    return 1e3 * float(np.median(samples)), 1e3 * cpu / steps


def warm_up(step, data):
    for i in range(WARM_UP_STEPS):
        step(*data[i % len(data)])


def _serve(make_step, cell_kind, batch):
    """A worker process: times blocks of as many steps as each line of stdin asks."""
    step, data = make_step(cell_kind), _batches(int(batch))
    warm_up(step, data)
    print("ready", flush=True)
    for line in sys.stdin:
        print(*time_block(step, data, int(line)), flush=True)


def _start_worker(python, role, cell_kind, batch, env=None):
    worker = subprocess.Popen([python, os.path.abspath(__file__), role, cell_kind, str(batch)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env)
    if worker.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the {role} worker did not start")
    return worker


def _time_worker(worker, steps):
    worker.stdin.write(f"{steps}\n")
    worker.stdin.flush()
    return tuple(map(float, worker.stdout.readline().split()))


def compare_trees(trees, cell_kind, batch, steps, rounds):
    """Interleaved A/B of tfcompat source trees: one worker process per tree (its
    PYTHONPATH), blocks of ``steps // rounds`` steps in turn; {tree: (wall, CPU) medians}."""
    workers = {tree: _start_worker(sys.executable, "--tfcompat-worker", cell_kind, batch,
                                   dict(os.environ, PYTHONPATH=os.path.abspath(tree)))
               for tree in trees}
    blocks = {tree: [] for tree in trees}
    try:
        for _ in range(rounds):
            for tree, worker in workers.items():
                blocks[tree].append(_time_worker(worker, steps // rounds))
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    return {tree: tuple(np.median(values, axis=0)) for tree, values in blocks.items()}


def compare(cell_kind, batch, steps, rounds, tensorflow=None):
    """Median ms/step of tfcompat and (optionally) TensorFlow over alternating blocks."""
    data = _batches(batch)
    ours = tfcompat_step(cell_kind)
    warm_up(ours, data)
    worker = _start_worker(tensorflow, "--tf-worker", cell_kind, batch) if tensorflow else None
    blocks = {"tfcompat": [], "tensorflow": []}
    try:
        for _ in range(rounds):
            blocks["tfcompat"].append(time_block(ours, data, steps // rounds))
            if worker:
                blocks["tensorflow"].append(_time_worker(worker, steps // rounds))
    finally:
        if worker:
            worker.stdin.close()
            worker.wait()
    return {name: tuple(np.median(values, axis=0)) for name, values in blocks.items() if values}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm"])
    parser.add_argument("--tensorflow", metavar="PYTHON")
    parser.add_argument("--trees", nargs="+", metavar="TREE",
                        help="A/B: time tfcompat from each source tree instead (no TF)")
    parser.add_argument("--tf-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--tfcompat-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tf_worker or args.tfcompat_worker:
        _serve(tensorflow_step if args.tf_worker else tfcompat_step,
               *(args.tf_worker or args.tfcompat_worker))
        return
    for cell_kind in args.cells:
        for batch in args.batch:
            if args.trees:
                for tree, (wall, cpu) in compare_trees(args.trees, cell_kind, batch,
                                                       args.steps, args.rounds).items():
                    print(f"{cell_kind:5s} batch {batch:4d}: {tree}  {wall:8.2f} ms/step "
                          f"(CPU {cpu:7.2f})", flush=True)
                continue
            ms = compare(cell_kind, batch, args.steps, args.rounds, args.tensorflow)
            ours = ms["tfcompat"]
            line = (f"{cell_kind:5s} batch {batch:4d}: tfcompat {ours[0]:8.2f} ms/step "
                    f"(CPU {ours[1]:7.2f})")
            if "tensorflow" in ms:
                theirs = ms["tensorflow"]
                line += (f"   tensorflow {theirs[0]:8.2f} ms/step (CPU {theirs[1]:7.2f})   "
                         f"speed-up {theirs[0] / ours[0]:.2f}x (CPU {theirs[1] / ours[1]:.2f}x)")
            print(line, flush=True)


if __name__ == "__main__":
    main()
