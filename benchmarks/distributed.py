"""Benchmarks of issue 20 (tfcompat's distributed runtime on gRPC, localhost only):

1. the round trip of a remote ``Session.run`` feeding a 300x100 float32 tensor and fetching
   it back (``create_local_server``), median ms over blocks of runs;
2. training throughput of one network (``models.build``, M1 = ``bn``) in steps/s: in one
   process with a local Session, then by 1 ps + 1 worker and 1 ps + 2 workers (between-graph,
   asynchronous), each task a process on 127.0.0.1, variables placed by
   ``replica_device_setter``. A cluster's throughput is all workers' timed steps over the
   span from the first worker's start to the last one's end.

    python benchmarks/distributed.py [--net bn] [--batch 50] [--steps 300] [--rpc-runs 500]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402 (after the thread settings)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, REPO)


def rpc_round_trip(runs):
    """Median ms of a remote run feeding and fetching a 300x100 float32 tensor."""
    import tfcompat as tf
    server = tf.train.Server.create_local_server()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [300, 100])
        y = tf.identity(x)
    value = np.random.default_rng(0).random((300, 100), dtype=np.float32)
    blocks = []
    with tf.Session(server.target, graph=graph) as sess:
        for _ in range(20):
            sess.run(y, {x: value})
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(runs // 5):
                sess.run(y, {x: value})
            blocks.append((time.perf_counter() - start) / (runs // 5) * 1e3)
    return float(np.median(blocks))


def _batches(batch, count, seed):
    rng = np.random.default_rng(seed)
    return [(rng.random((batch, 784), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def _train(tf, target, net, batch, steps, seed, setter=None, chief=True):
    """(start, end) wall-clock seconds of ``steps`` timed training steps after a warm-up."""
    import models
    graph = tf.Graph()
    with graph.as_default(), tf.device(setter):
        X, y, fetches, extra = models.build(tf, net)
        init = tf.global_variables_initializer()
        uninitialized = tf.report_uninitialized_variables()
    data = _batches(batch, 16, seed)
    with tf.Session(target, graph=graph) as sess:
        if chief:
            sess.run(init)
        while sess.run(uninitialized).size:
            time.sleep(0.05)
        for xb, yb in data:
            sess.run(fetches, {X: xb, y: yb, **extra})
        start = time.time()
        for step in range(steps):
            xb, yb = data[step % len(data)]
            sess.run(fetches, {X: xb, y: yb, **extra})
        return start, time.time()


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def run_task(args):
    """One task of the benchmark cluster (this file run with --job)."""
    import tfcompat as tf
    cluster = tf.train.ClusterSpec(json.loads(args.cluster))
    server = tf.train.Server(cluster, job_name=args.job, task_index=args.task)
    if args.job == "ps":
        server.join()
        return
    setter = tf.train.replica_device_setter(cluster=cluster,
                                            worker_device=f"/job:worker/task:{args.task}")
    start, end = _train(tf, server.target, args.net, args.batch, args.steps, args.task,
                        setter, chief=args.task == 0)
    with open(args.result, "w") as out:
        json.dump({"start": start, "end": end, "steps": args.steps}, out)


def cluster_throughput(workers, net, batch, steps):
    """Steps/s of 1 ps + ``workers`` worker processes."""
    ports = _free_ports(workers + 1)
    cluster = {"ps": [f"127.0.0.1:{ports[0]}"],
               "worker": [f"127.0.0.1:{port}" for port in ports[1:]]}
    base = [sys.executable, os.path.abspath(__file__), "--cluster", json.dumps(cluster),
            "--net", net, "--batch", str(batch), "--steps", str(steps)]
    folder = tempfile.mkdtemp()
    processes = [subprocess.Popen(base + ["--job", "ps", "--task", "0"])]
    try:
        results = [os.path.join(folder, f"worker{i}.json") for i in range(workers)]
        workers_run = [subprocess.Popen(base + ["--job", "worker", "--task", str(i), "--result",
                                                results[i]]) for i in range(workers)]
        processes += workers_run
        for process in workers_run:
            if process.wait(timeout=600) != 0:
                raise RuntimeError("a worker failed")
        spans = [json.load(open(path)) for path in results]
        total = sum(span["steps"] for span in spans)
        return total / (max(s["end"] for s in spans) - min(s["start"] for s in spans))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--net", default="bn")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rpc-runs", type=int, default=500)
    parser.add_argument("--cluster")  # the options below: one task of a cluster run
    parser.add_argument("--job")
    parser.add_argument("--task", type=int, default=0)
    parser.add_argument("--result")
    args = parser.parse_args(argv)
    if args.job:
        run_task(args)
        return
    import tfcompat as tf
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"remote run, 300x100 float32 fed and fetched: {rpc_round_trip(args.rpc_runs):.3f} ms")
    start, end = _train(tf, "", args.net, args.batch, args.steps, 0)
    print(f"{args.net}, batch {args.batch}, one process:        {args.steps / (end - start):7.1f}"
          " steps/s")
    for workers in (1, 2):
        rate = cluster_throughput(workers, args.net, args.batch, args.steps)
        print(f"{args.net}, batch {args.batch}, 1 ps + {workers} worker(s): {rate:7.1f} steps/s")


if __name__ == "__main__":
    main()
