"""tf.summary ops and FileWriter, checked with TensorBoard's own readers and a real
TensorBoard server."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib import summary_proto
from tfcompat.lib.io.tf_record import encode_record, read_records

# TensorBoard is a test dependency (pyproject's "test" extra): its own readers are the proof.
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2, graph_pb2, summary_pb2


def _accumulator(logdir):
    acc = event_accumulator.EventAccumulator(
        str(logdir), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    return acc


def _train_and_log(logdir, steps=5):
    """A tiny regression whose MSE is logged each step, book style."""
    with tf.Graph().as_default() as graph:
        X = tf.placeholder(tf.float32, [None, 2], name="X")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        W = tf.Variable(tf.zeros([2, 1]), name="W")
        with tf.name_scope("loss"):
            error = tf.matmul(X, W) - y
            mse = tf.reduce_mean(tf.square(error), name="mse")
        training_op = tf.assign(W, W - 0.1 * tf.gradients(mse, [W])[0])
        mse_summary = tf.summary.scalar("MSE", mse)
        weights_summary = tf.summary.histogram("weights", W)
        rng = np.random.default_rng(0)
        xs = rng.normal(size=(20, 2)).astype(np.float32)
        ys = xs @ np.array([[1.0], [-2.0]], np.float32)
        expected = []
        with tf.Session() as sess, tf.summary.FileWriter(str(logdir), graph) as writer:
            sess.run(W.initializer)
            for step in range(steps):
                value, summary, hist = sess.run([mse, mse_summary, weights_summary],
                                                {X: xs, y: ys})
                writer.add_summary(summary, step)
                writer.add_summary(hist, step)
                expected.append((step, float(value)))
                sess.run(training_op, {X: xs, y: ys})
            final_weights = sess.run(W)
    return expected, final_weights


def test_summary_op_names_tags_and_collections():
    with tf.Graph().as_default():
        x = tf.constant(2.0)
        s = tf.summary.scalar("MSE", x)
        with tf.name_scope("loss"):
            t = tf.summary.scalar("acc", x)
        f = tf.summary.scalar("lr", x, family="train")
        assert s.op.name == "MSE" and s.op.type == "ScalarSummary" and s.dtype == tf.string
        assert t.op.name == "loss/acc"
        assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s, t, f]
        with tf.Session() as sess:
            proto = summary_pb2.Summary.FromString(sess.run(t))
            assert proto.value[0].tag == "loss/acc" and proto.value[0].simple_value == 2.0
            merged = summary_pb2.Summary.FromString(sess.run(tf.summary.merge_all()))
            assert [v.tag for v in merged.value] == ["MSE", "loss/acc", "train/train/lr"]


def test_scalars_histograms_and_graph_read_back_by_tensorboard(tmp_path):
    expected, final_weights = _train_and_log(tmp_path)
    acc = _accumulator(tmp_path)
    assert acc.Tags()["scalars"] == ["MSE"]
    got = [(e.step, e.value) for e in acc.Scalars("MSE")]
    assert [s for s, _ in got] == [s for s, _ in expected]
    np.testing.assert_allclose([v for _, v in got], [v for _, v in expected], rtol=1e-6)
    histo = acc.Histograms("weights")[0].histogram_value
    assert histo.num == 2 and histo.min == 0.0 and histo.max == 0.0
    graph = acc.Graph()
    names = {node.name for node in graph.node}
    assert {"X", "y", "W", "loss/mse", "MSE"} <= names
    matmul = next(n for n in graph.node if n.name == "loss/MatMul")
    assert list(matmul.input) == ["X", "W/read"] and matmul.op == "MatMul"


def test_histogram_buckets_match_numpy_counts(tmp_path):
    values = np.random.default_rng(1).normal(size=1000)
    with tf.Graph().as_default():
        h = tf.summary.histogram("h", tf.constant(values))
        data = tf.Session().run(h)
    histo = summary_pb2.Summary.FromString(data).value[0].histo
    assert histo.num == 1000 and sum(histo.bucket) == 1000
    np.testing.assert_allclose(histo.sum, values.sum())
    np.testing.assert_allclose(histo.sum_squares, (values ** 2).sum())
    assert histo.min == values.min() and histo.max == values.max()
    limits = np.array(histo.bucket_limit)
    counts = np.array(histo.bucket)
    below = np.searchsorted(limits, values, side="right")
    np.testing.assert_array_equal(np.bincount(below, minlength=len(limits)), counts)


def test_event_file_layout(tmp_path):
    with tf.summary.FileWriter(str(tmp_path), filename_suffix=".v2") as writer:
        writer.add_summary(summary_proto.summary([summary_proto.summary_value("a", 1.5)]), 7)
    (name,) = os.listdir(tmp_path)
    assert name.startswith("events.out.tfevents.") and name.endswith(f"{socket.gethostname()}.v2")
    records = list(read_records(tmp_path / name))
    first = event_pb2.Event.FromString(records[0])
    assert first.file_version == "brain.Event:2"
    second = event_pb2.Event.FromString(records[1])
    assert second.step == 7 and second.summary.value[0].simple_value == 1.5


def test_torn_last_record_keeps_everything_before_it(tmp_path):
    path = tmp_path / "events.out.tfevents.0.host"
    records = [summary_proto.event(1.0, file_version="brain.Event:2")] + [
        summary_proto.event(2.0, step=i, summary_bytes=summary_proto.summary(
            [summary_proto.summary_value("x", float(i))])) for i in range(1, 4)]
    data = b"".join(encode_record(r) for r in records)
    path.write_bytes(data[:-5])  # the last record is cut short, as by a crash mid-write
    assert len(list(read_records(path))) == 3
    assert [e.step for e in _accumulator(tmp_path).Scalars("x")] == [1, 2]


def test_writer_killed_mid_run_loses_nothing_already_flushed(tmp_path):
    script = f"""
import os, signal, numpy as np, tfcompat as tf
x = tf.placeholder(tf.float32, [])
s = tf.summary.scalar("loss", x)
sess = tf.Session()
writer = tf.summary.FileWriter({str(tmp_path)!r}, max_queue=1)
for step in range(10):
    writer.add_summary(sess.run(s, {{x: step * 0.5}}), step)
os.kill(os.getpid(), signal.SIGKILL)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    steps = [(e.step, e.value) for e in _accumulator(tmp_path).Scalars("loss")]
    assert steps == [(i, i * 0.5) for i in range(10)]


def test_bad_input_errors(tmp_path):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="needs a scalar tensor.*'v:0'"):
            tf.summary.scalar("loss", tf.zeros([3], name="v"))
        with pytest.raises(TypeError, match="needs real numbers.*string"):
            tf.summary.histogram("h", tf.constant(["a"]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram "
                                                                 "for: h"):
            tf.Session().run(tf.summary.histogram("h", tf.constant([1.0, np.nan])))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(tf.errors.PermissionDeniedError, match=str(blocker / "logs")):
        tf.summary.FileWriter(str(blocker / "logs"))
    writer = tf.summary.FileWriter(str(tmp_path / "ok"))
    writer.close()
    with pytest.raises(RuntimeError, match="is closed"):
        writer.add_summary(summary_proto.summary([]), 1)
    writer.reopen()
    writer.add_summary(summary_proto.summary([summary_proto.summary_value("a", 1.0)]), 1)
    writer.close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_tensorboard_serves_the_scalars(tmp_path):
    expected, _ = _train_and_log(tmp_path, steps=4)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(tmp_path), "--host",
         "127.0.0.1", "--port", str(port), "--load_fast=false", "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/data/plugin/scalars/scalars?run=.&tag=MSE"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    points = json.load(response)
                if len(points) == len(expected):
                    break
            except OSError:
                pass
            assert time.time() < deadline, "TensorBoard did not serve the scalars in time"
            assert server.poll() is None, "TensorBoard exited early"
            time.sleep(0.5)
        assert [p[1] for p in points] == [s for s, _ in expected]
        np.testing.assert_allclose([p[2] for p in points], [v for _, v in expected], rtol=1e-6)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/plugin/graphs/graph?run=.",
                                    timeout=10) as response:
            graph = graph_pb2.GraphDef()
            from google.protobuf import text_format
            text_format.Parse(response.read().decode(), graph)
        assert any(node.name == "loss/mse" for node in graph.node)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_python_built_summary_is_written(tmp_path):
    summary = tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.5)])
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(summary, 3)
    assert [(e.step, e.value) for e in _accumulator(tmp_path).Scalars("acc")] == [(3, 0.5)]
