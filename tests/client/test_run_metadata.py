"""Traced runs: RunOptions(trace_level=FULL_TRACE) + tf.RunMetadata give TF's step
statistics, FileWriter.add_run_metadata / add_session_log write them for TensorBoard (read
back with TensorBoard's own protobuf classes), and timeline makes a Chrome trace."""
import json

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import config_pb2, event_pb2

import tfcompat as tf
from tfcompat.client import timeline
from tfcompat.lib.io.tf_record import read_records

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def _model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="w")
    y = tf.nn.relu(tf.matmul(x, w, name="product") - 4.0, name="y")
    train = tf.assign_add(w, tf.ones_like(w), name="train")
    return x, y, train


def test_a_traced_run_reports_each_op_it_ran_and_gives_the_untraced_results():
    with tf.Graph().as_default():
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: np.ones((2, 3), np.float32)}
            plain = sess.run(y, feed)
            metadata = tf.RunMetadata()
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            traced = sess.run(y, feed, options=options, run_metadata=metadata)
            again = sess.run(y, feed)
    np.testing.assert_array_equal(traced, plain)
    np.testing.assert_array_equal(again, plain)
    (device,) = metadata.step_stats.dev_stats
    assert device.device == CPU
    nodes = {node.node_name: node for node in device.node_stats}
    assert {"product", "y"} <= set(nodes)
    assert nodes["product"].timeline_label == "product = MatMul(x, w/read)"
    assert nodes["y"].timeline_label.startswith("y = Relu(")
    starts = [node.all_start_micros for node in device.node_stats]
    assert starts == sorted(starts) and starts[0] > 1_500_000_000_000_000  # epoch micros
    for node in device.node_stats:
        assert node.all_end_rel_micros == node.op_end_rel_micros >= 0
        assert node.all_end_rel_nanos >= node.all_end_rel_micros * 1000
    # protobuf's own parser reads the same message back
    parsed = config_pb2.RunMetadata.FromString(metadata.SerializeToString())
    assert [n.node_name for n in parsed.step_stats.dev_stats[0].node_stats] == \
        [n.node_name for n in device.node_stats]
    assert parsed.SerializeToString() == metadata.SerializeToString()
    assert tf.RunMetadata.FromString(metadata.SerializeToString()) == metadata


def test_without_a_trace_level_the_run_metadata_stays_empty():
    with tf.Graph().as_default():
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            metadata = tf.RunMetadata()
            sess.run(y, {x: np.ones((1, 3))}, options=tf.RunOptions(), run_metadata=metadata)
    assert metadata.step_stats.dev_stats == [] and metadata.SerializeToString() == b""


def test_a_traced_run_that_fails_changes_nothing():
    with tf.Graph().as_default():
        x, y, train = _model()
        check = tf.debugging.assert_positive(x)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            metadata = tf.RunMetadata()
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run([train, check], {x: -np.ones((1, 3))}, options=options,
                         run_metadata=metadata)
            np.testing.assert_array_equal(sess.run("w:0"), np.arange(6).reshape(3, 2))
    assert metadata.step_stats.dev_stats == []


def test_file_writer_records_run_metadata_and_session_logs_for_tensorboard(tmp_path):
    with tf.Graph().as_default() as graph:
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            metadata = tf.RunMetadata()
            sess.run(y, {x: np.ones((1, 3))},
                     options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                     run_metadata=metadata)
        writer = tf.summary.FileWriter(str(tmp_path), graph)
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), global_step=1)
        writer.add_run_metadata(metadata, "step001", global_step=1)
        with pytest.raises(ValueError, match="already used for this event type"):
            writer.add_run_metadata(metadata, "step001")
        writer.close()
    (event_file,) = tmp_path.iterdir()
    events = [event_pb2.Event.FromString(bytes(r)) for r in read_records(str(event_file))]
    assert [(e.session_log.status, e.step) for e in events if e.HasField("session_log")] == \
        [(event_pb2.SessionLog.START, 1)]
    accumulator = event_accumulator.EventAccumulator(str(tmp_path))
    accumulator.Reload()
    assert accumulator.Tags()["run_metadata"] == ["step001"]
    stored = accumulator.RunMetadata("step001")
    assert stored.SerializeToString() == metadata.SerializeToString()
    read_back = [e for e in tf.train.summary_iterator(str(event_file))
                 if e.HasField("tagged_run_metadata")]
    assert read_back[0].tagged_run_metadata.tag == "step001"


def test_timeline_gives_a_chrome_trace_of_the_step():
    with tf.Graph().as_default():
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            metadata = tf.RunMetadata()
            sess.run(y, {x: np.ones((1, 3))},
                     options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                     run_metadata=metadata)
    trace = json.loads(timeline.Timeline(metadata.step_stats).generate_chrome_trace_format())
    events = trace["traceEvents"]
    assert events[0]["args"]["name"] == f"{CPU} Compute"
    ops = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    product = ops["product"]
    assert product["name"] == "MatMul" and product["args"]["input0"] == "x"
    assert product["args"]["input1"] == "w/read" and product["dur"] >= 0
    assert len(ops) == len(metadata.step_stats.dev_stats[0].node_stats)


def test_the_config_and_node_def_messages_legacy_code_touches():
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    config.gpu_options.allow_growth = True
    assert config.graph_options.optimizer_options.global_jit_level == 1
    assert tf.ConfigProto().graph_options.optimizer_options.global_jit_level == \
        tf.OptimizerOptions.DEFAULT
    with pytest.raises(ValueError, match='has no "jit" field'):
        tf.OptimizerOptions(jit=1)
    with tf.Graph().as_default():
        with tf.device("/cpu:0"):
            total = tf.add(tf.constant(1.0, name="a"), 2.0, name="total")
        node = total.op.node_def
        assert isinstance(node, tf.NodeDef)  # multi-GPU examples' assign_to_device test
        assert (node.name, node.op, node.input, node.device) == \
            ("total", "Add", ["a", "total/y"], "/device:CPU:0")
        assert node.attr["T"] == tf.float32
