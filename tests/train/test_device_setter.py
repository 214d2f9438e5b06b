"""tf.train.replica_device_setter: variables round robin over ps tasks, the rest on workers."""
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_variables_round_robin_over_ps_tasks_and_ops_on_the_worker():
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        a = tf.Variable(1.0, name="a")
        b = tf.Variable(2.0, name="b")
        c = tf.Variable(3.0, name="c")
        y = tf.add(a, b, name="y")
    assert [v.op.device for v in (a, b, c)] == ["/job:ps/task:0", "/job:ps/task:1",
                                                "/job:ps/task:0"]
    assert y.op.device == "/job:worker"


def test_cluster_gives_ps_tasks_and_worker_device_is_merged():
    cluster = tf.train.ClusterSpec({"ps": ["h:1", "h:2", "h:3"], "worker": ["h:4", "h:5"]})
    setter = tf.train.replica_device_setter(cluster=cluster, worker_device="/job:worker/task:1")
    with tf.device(setter):
        variables = [tf.Variable(float(i), name=f"v{i}") for i in range(4)]
        with tf.device("/cpu:0"):
            z = tf.identity(variables[0], name="z")
        with tf.device("/job:ps/task:2"):
            pinned = tf.Variable(0.0, name="pinned")
    assert [v.op.device for v in variables] == [
        "/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:2", "/job:ps/task:0"]
    assert z.op.device == "/job:worker/task:1/device:CPU:0"
    # An inner scope naming the ps task wins over the strategy's choice.
    assert pinned.op.device == "/job:ps/task:2"


def test_slots_follow_their_variable_and_no_ps_means_no_device_function():
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        w = tf.Variable([1.0, 2.0], name="w")
        u = tf.Variable([1.0, 2.0], name="u")
        loss = tf.reduce_sum(tf.square(w)) + tf.reduce_sum(u)
        tf.train.AdamOptimizer(0.1).minimize(loss)
    slot_devices = {v.op.name: v.op.device for v in tf.global_variables()}
    assert slot_devices["w/Adam"] == slot_devices["w/Adam_1"] == "/job:ps/task:0"
    assert slot_devices["u/Adam"] == "/job:ps/task:1"
    assert tf.train.replica_device_setter(ps_tasks=0) is None
    assert tf.train.replica_device_setter(cluster={"worker": ["h:1"]}) is None


def test_custom_strategy_and_unmerged_devices():
    chosen = []

    def last_task(op):
        chosen.append(op.name)
        return 3

    with tf.device(tf.train.replica_device_setter(ps_tasks=4, ps_strategy=last_task,
                                                  ps_device="/job:params/cpu:0")):
        v = tf.Variable(1.0, name="v")
    assert v.op.device == "/job:params/task:3/device:CPU:0" and chosen == ["v"]
    with pytest.raises(TypeError, match="ps_strategy must be callable"):
        tf.train.replica_device_setter(ps_tasks=1, ps_strategy=3)
    with tf.device(tf.train.replica_device_setter(ps_tasks=1, merge_devices=False)):
        with tf.device("/gpu:0"):
            g = tf.constant(1.0, name="g")
    assert g.op.device == "/device:GPU:0"
