"""tf.device scopes, tf.DeviceSpec, Operation.device, ConfigProto placement (TF 1.x rules)."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


@pytest.mark.parametrize("spec, canonical", [
    ("/gpu:0", "/device:GPU:0"),
    ("/cpu:1", "/device:CPU:1"),
    ("/job:ps/task:0/cpu:0", "/job:ps/task:0/device:CPU:0"),
    ("/job:worker/replica:0/task:3/device:GPU:*", "/job:worker/replica:0/task:3/device:GPU:*"),
    ("/GPU:2", "/device:GPU:2"),
    ("", ""),
])
def test_device_spec_canonical_names(spec, canonical):
    assert tf.DeviceSpec.from_string(spec).to_string() == canonical


def test_device_spec_fields_merge_and_replace():
    spec = tf.DeviceSpec(job="ps", task=1, device_type="cpu", device_index=0)
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == \
        ("ps", None, 1, "CPU", 0)
    merged = spec.make_merged_spec(tf.DeviceSpec.from_string("/task:4/gpu:1"))
    assert merged.to_string() == "/job:ps/task:4/device:GPU:1"
    assert spec.to_string() == "/job:ps/task:1/device:CPU:0"  # the original is unchanged
    assert spec.replace(task=2).to_string() == "/job:ps/task:2/device:CPU:0"
    with pytest.raises(ValueError, match="Unknown attribute: 'foo'"):
        tf.DeviceSpec.from_string("/foo:1")
    with pytest.raises(ValueError, match="multiple device types"):
        tf.DeviceSpec.from_string("/cpu:0/gpu:0")


def test_nested_device_scopes_merge_inner_fields_over_outer():
    with tf.device("/job:ps/task:1"):
        a = tf.constant(1.0, name="a")
        with tf.device("/gpu:0"):
            b = tf.constant(2.0, name="b")
            with tf.device("/job:worker"):
                c = tf.constant(3.0, name="c")
            with tf.device(""):
                d = tf.constant(4.0, name="d")
            with tf.device(None):
                e = tf.constant(5.0, name="e")
    assert a.op.device == "/job:ps/task:1"
    assert b.device == "/job:ps/task:1/device:GPU:0"
    assert c.op.device == "/job:worker/task:1/device:GPU:0"
    assert d.op.device == "/job:ps/task:1/device:GPU:0"
    assert e.op.device == ""
    assert b.op.node_def.device == "/job:ps/task:1/device:GPU:0"


def test_device_functions_see_the_op_and_outer_strings_complete_them():
    seen = []

    def by_type(op):
        seen.append(op.type)
        return "/job:ps/task:0" if op.type == "VariableV2" else "/job:worker/task:0"

    with tf.device("/cpu:0"):
        with tf.device(by_type):
            v = tf.Variable(1.0, name="v")
            y = tf.multiply(v, 2.0, name="y")
    assert v.op.device == "/job:ps/task:0/device:CPU:0"
    assert y.op.device == "/job:worker/task:0/device:CPU:0"
    assert "VariableV2" in seen and "Mul" in seen
    with tf.device(tf.DeviceSpec(job="ps", task=2)):
        z = tf.constant(0.0)
    assert z.op.device == "/job:ps/task:2"


def test_colocated_ops_take_the_partner_device():
    with tf.device("/job:ps/task:1"):
        v = tf.Variable(1.0, name="v")
    with tf.device("/job:worker/task:0"):
        with tf.colocate_with(v):
            slot = tf.identity(v, name="slot")
        plain = tf.identity(v, name="plain")
    assert slot.op.device == "/job:ps/task:1"
    assert plain.op.device == "/job:worker/task:0"


def test_imported_graph_keeps_devices():
    with tf.device("/job:ps/task:0/cpu:0"):
        tf.constant(1.0, name="k")
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        assert graph.get_operation_by_name("k").device == "/job:ps/task:0/device:CPU:0"


def test_gpu_pinned_op_fails_at_run_time_without_soft_placement():
    with tf.device("/gpu:0"):
        x = tf.constant([1.0, 2.0], name="x")
        y = tf.multiply(x, 3.0, name="y")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Cannot assign a device for operation (x|y).*explicitly "
                                 r"assigned to /device:GPU:0 but available devices are "
                                 r"\[ /job:localhost/replica:0/task:0/device:CPU:0 \]"):
            sess.run(y)
    config = tf.ConfigProto(allow_soft_placement=True)
    with tf.Session(config=config) as sess:
        np.testing.assert_allclose(sess.run(y), [3.0, 6.0])


def test_whole_graph_is_placed_and_unknown_jobs_fail_even_when_soft():
    with tf.device("/job:ps/task:0"):
        tf.constant(1.0, name="remote")
    local = tf.constant(2.0, name="local")
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="operation remote"):
            sess.run(local)


def test_device_count_gives_cpu_devices():
    with tf.device("/cpu:1"):
        y = tf.add(tf.constant(1.0), 1.0, name="y")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="CPU:1"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
        assert sess.run(y) == 2.0
        assert [d.name for d in sess.list_devices()] == [
            "/job:localhost/replica:0/task:0/device:CPU:0",
            "/job:localhost/replica:0/task:0/device:CPU:1"]


def test_log_device_placement_prints_each_op(capsys):
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    b = tf.add(a, 1.0, name="b")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        sess.run(b)
        sess.run(b)
    lines = capsys.readouterr().out.splitlines()
    assert "a: (Const): /job:localhost/replica:0/task:0/device:CPU:0" in lines
    assert "b: (Add): /job:localhost/replica:0/task:0/device:CPU:0" in lines
    assert len([line for line in lines if line.startswith("b: ")]) == 1  # placed once


def test_config_proto_fields_and_errors():
    config = tf.ConfigProto(intra_op_parallelism_threads=2,
                            gpu_options=tf.GPUOptions(allow_growth=True))
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    assert config.intra_op_parallelism_threads == 2 and config.gpu_options.allow_growth
    assert not config.allow_soft_placement and config.device_count == {}
    with pytest.raises(ValueError, match='ConfigProto has no "bogus" field'):
        tf.ConfigProto(bogus=1)
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto"):
        tf.Session(config={"allow_soft_placement": True})
