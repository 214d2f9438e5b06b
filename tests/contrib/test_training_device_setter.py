"""tf.contrib.training.GreedyLoadBalancingStrategy with replica_device_setter."""
import pytest

import tfcompat as tf


def test_greedy_strategy_balances_bytes_over_ps_tasks():
    tf.reset_default_graph()
    strategy = tf.contrib.training.GreedyLoadBalancingStrategy(
        2, tf.contrib.training.byte_size_load_fn)
    with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_strategy=strategy)):
        big = tf.Variable(tf.zeros([100, 10]), name="big")      # 4000 bytes -> task 0
        small = tf.Variable(tf.zeros([10]), name="small")       # 40 bytes -> task 1
        medium = tf.Variable(tf.zeros([50]), name="medium")     # task 1 (40 < 4000)
        last = tf.Variable(tf.zeros([1000]), name="last")       # task 1 (240 < 4000)
    assert [v.op.device for v in (big, small, medium, last)] == [
        "/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:1", "/job:ps/task:1"]
    assert tf.contrib.training.byte_size_load_fn(big.op) == 4000
    with pytest.raises(ValueError, match="must have a single output"):
        tf.contrib.training.byte_size_load_fn(tf.no_op())
    with pytest.raises(AttributeError, match="does not implement tf.contrib.training.bogus"):
        tf.contrib.training.bogus  # noqa: B018
