"""A TF 1.x between-graph replicated training program, written as TF 1.x's distributed
examples are: every task runs this file with its job name and index; the ps serves, each
worker builds its own graph with ``replica_device_setter`` and trains the one model the ps
holds, asynchronously, through ``tf.Session(server.target)``.

    python between_graph_training.py --ps_hosts=127.0.0.1:2222 \
        --worker_hosts=127.0.0.1:2223,127.0.0.1:2224 --job_name=worker --task_index=0

The model is softmax regression on three Gaussian blobs, or on MNIST with ``--data_dir``
(the folder of the four MNIST .gz files). Every process stops by itself after
``--deadline`` seconds at the latest.
"""
import argparse
import json
import os
import threading
import time

import numpy as np

import tfcompat as tf

FEATURES, CLASSES = 8, 3


def build_model(cluster, task_index, features=FEATURES, classes=CLASSES, worker_device=None):
    """Softmax regression, variables on the ps, the rest on this worker (or on
    ``worker_device``)."""
    with tf.device(tf.train.replica_device_setter(
            worker_device=worker_device or f"/job:worker/task:{task_index}", cluster=cluster)):
        x = tf.placeholder(tf.float32, [None, features], name="x")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        logits = tf.layers.dense(x, classes, name="softmax")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits))
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=global_step)
    return {"x": x, "labels": labels, "loss": loss, "accuracy": accuracy,
            "global_step": global_step, "train_op": train_op,
            "init": tf.global_variables_initializer(),
            "uninitialized": tf.report_uninitialized_variables()}


def sample(rng, count):
    """Points around three fixed class centres (the same centres in every process)."""
    centres = np.random.RandomState(42).randn(CLASSES, FEATURES) * 3.0
    labels = rng.randint(0, CLASSES, count)
    points = centres[labels] + rng.randn(count, FEATURES)
    return points.astype(np.float32), labels.astype(np.int64)


def mnist_sampler(data_dir):
    """Batches of MNIST training images and the test set, as ``sample`` gives them."""
    from tfcompat.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets(data_dir)

    def draw(rng, count):
        if count > 1000:
            return mnist.test.images, mnist.test.labels.astype(np.int64)
        images, labels = mnist.train.next_batch(count)
        return images, labels.astype(np.int64)
    return draw


def train(server, cluster, task_index, steps, data_dir=None, batch=32):
    if data_dir:
        model, draw = build_model(cluster, task_index, 784, 10), mnist_sampler(data_dir)
    else:
        model, draw = build_model(cluster, task_index), sample
    rng = np.random.RandomState(100 + task_index)
    with tf.Session(server.target) as sess:
        if task_index == 0:
            sess.run(model["init"])
        else:  # wait for the chief, as tf.train.SessionManager.wait_for_session does
            while sess.run(model["uninitialized"]).size:
                time.sleep(0.05)
        for step in range(1, steps + 1):
            xs, ys = draw(rng, batch)
            sess.run(model["train_op"], {model["x"]: xs, model["labels"]: ys})
            if step % 10 == 0:
                print(f"worker {task_index} step {step}", flush=True)
        xs, ys = draw(rng, 500 if not data_dir else 10000)
        return {"accuracy": float(sess.run(model["accuracy"], {model["x"]: xs,
                                                              model["labels"]: ys})),
                "global_step": int(sess.run(model["global_step"]))}


def train_monitored(server, cluster, task_index, last_step, checkpoint_dir, step_delay):
    """The same model trained through MonitoredTrainingSession (the chief checkpoints every
    10 steps) until the global step reaches ``last_step``; each step prints the global step
    it reached."""
    model = build_model(cluster, task_index)
    rng = np.random.RandomState(100 + task_index)
    config = tf.ConfigProto(operation_timeout_in_ms=30000)
    hooks = [tf.train.StopAtStepHook(last_step=last_step)]
    with tf.train.MonitoredTrainingSession(
            master=server.target, is_chief=task_index == 0, checkpoint_dir=checkpoint_dir,
            save_checkpoint_steps=10, save_summaries_steps=None, save_summaries_secs=None,
            hooks=hooks, config=config) as sess:
        while not sess.should_stop():
            xs, ys = sample(rng, 32)
            _, step = sess.run([model["train_op"], model["global_step"]],
                               {model["x"]: xs, model["labels"]: ys})
            print(f"worker {task_index} global step {step}", flush=True)
            time.sleep(step_delay)
    with tf.Session(server.target) as sess:
        xs, ys = sample(rng, 500)
        return {"accuracy": float(sess.run(model["accuracy"], {model["x"]: xs,
                                                              model["labels"]: ys})),
                "global_step": int(sess.run(model["global_step"]))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps_hosts", required=True)
    parser.add_argument("--worker_hosts", required=True)
    parser.add_argument("--job_name", choices=["ps", "worker"], required=True)
    parser.add_argument("--task_index", type=int, default=0)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--result", default="")
    parser.add_argument("--deadline", type=float, default=120.0)
    parser.add_argument("--data_dir", default="")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--checkpoint_dir", default="",
                        help="train through MonitoredTrainingSession, checkpointing here")
    parser.add_argument("--step_delay", type=float, default=0.0)
    args = parser.parse_args()
    watchdog = threading.Timer(args.deadline, os._exit, [3])
    watchdog.daemon = True
    watchdog.start()
    cluster = tf.train.ClusterSpec({"ps": args.ps_hosts.split(","),
                                    "worker": args.worker_hosts.split(",")})
    server = tf.train.Server(cluster, job_name=args.job_name, task_index=args.task_index)
    if args.job_name == "ps":
        server.join()
        return
    if args.checkpoint_dir:
        result = train_monitored(server, cluster, args.task_index, args.steps,
                                 args.checkpoint_dir, args.step_delay)
    else:
        result = train(server, cluster, args.task_index, args.steps, args.data_dir,
                       args.batch)
    if args.result:
        with open(args.result, "w") as out:
            json.dump(result, out)
    print(f"worker {args.task_index}: {result}", flush=True)


if __name__ == "__main__":
    main()
