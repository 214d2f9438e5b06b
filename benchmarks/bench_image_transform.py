"""Times ``tf.contrib.image.rotate`` on a batch of 32 224x224x3 float32 images (one angle
per image), NEAREST and BILINEAR: tfcompat's specialised plan (the Numba kernel), its NumPy
reference kernel, and, with ``--tensorflow PYTHON`` (an interpreter with tensorflow),
TensorFlow's raw op ImageProjectiveTransformV2 on the same transforms. Blocks of runs
alternate between the contestants (TensorFlow in a worker process fed over a pipe); the
figures are medians of the per-run times.

    python benchmarks/bench_image_transform.py [--rounds 5] [--runs 5] [--tensorflow PY]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import tfcompat as tf  # noqa: E402
from tfcompat.ops import image_transform_ops  # noqa: E402

SHAPE = (32, 224, 224, 3)
INTERPOLATIONS = ("NEAREST", "BILINEAR")

_WORKER = """
import json, sys, time
import numpy as np
import tensorflow as tf
data = np.load(sys.argv[1])
images, transforms = tf.constant(data["images"]), tf.constant(data["transforms"])
for line in sys.stdin:
    interpolation, runs = line.split()
    times = []
    for _ in range(int(runs)):
        start = time.perf_counter()
        tf.raw_ops.ImageProjectiveTransformV2(
            images=images, transforms=transforms, output_shape=[224, 224],
            interpolation=interpolation, fill_mode="CONSTANT").numpy()
        times.append(time.perf_counter() - start)
    print(json.dumps(times), flush=True)
"""


def _data():
    rng = np.random.RandomState(0)
    images = rng.rand(*SHAPE).astype(np.float32)
    angles = rng.uniform(-np.pi, np.pi, SHAPE[0]).astype(np.float32)
    return images, angles


def _timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def _contestants(images, angles):
    """{name: {interpolation: callable}} for tfcompat's plan and its reference kernel."""
    placeholder = tf.placeholder(tf.float32, SHAPE)
    outputs = {i: tf.contrib.image.rotate(placeholder, angles, interpolation=i)
               for i in INTERPOLATIONS}
    sess = tf.Session()
    transforms = sess.run(tf.contrib.image.angles_to_projective_transforms(
        angles, float(SHAPE[1]), float(SHAPE[2])))
    for output in outputs.values():  # the reference run, then the specialised plan's first
        sess.run(output, {placeholder: images})
        sess.run(output, {placeholder: images})
    size = np.array(SHAPE[1:3], np.int32)

    def plan(interpolation):
        return lambda: sess.run(outputs[interpolation], {placeholder: images})

    def reference(interpolation):
        return lambda: image_transform_ops.projective_transform(
            images, transforms, int(size[0]), int(size[1]), interpolation)
    return transforms, {"tfcompat": {i: plan(i) for i in INTERPOLATIONS},
                        "reference kernel": {i: reference(i) for i in INTERPOLATIONS}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="runs per block")
    parser.add_argument("--tensorflow", metavar="PYTHON")
    args = parser.parse_args()
    images, angles = _data()
    transforms, contestants = _contestants(images, angles)
    worker = None
    if args.tensorflow:
        path = "/tmp/bench_image_transform_data.npz"
        np.savez(path, images=images, transforms=transforms)
        worker = subprocess.Popen([args.tensorflow, "-c", _WORKER, path], text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
    times = {(name, i): [] for name in list(contestants) + ["tensorflow"]
             for i in INTERPOLATIONS}
    for _ in range(args.rounds):
        for interpolation in INTERPOLATIONS:
            for name, functions in contestants.items():
                times[name, interpolation] += _timed(functions[interpolation], args.runs)
            if worker:
                worker.stdin.write(f"{interpolation} {args.runs}\n")
                worker.stdin.flush()
                times["tensorflow", interpolation] += json.loads(worker.stdout.readline())
    if worker:
        worker.stdin.close()
        worker.wait()
    print(f"rotate {SHAPE} float32, medians of {args.rounds} x {args.runs} runs (ms):")
    for (name, interpolation), values in times.items():
        if values:
            print(f"  {name:17s} {interpolation:9s} {1e3 * statistics.median(values):8.2f}")


if __name__ == "__main__":
    main()
