"""tf.ConditionalAccumulator and tf.SparseConditionalAccumulator: mean and sum of the applied
gradients, stale gradients dropped against the accumulator's global step (advanced by each
take, set by set_global_step), take_grad waiting for enough gradients from another thread,
per-row means of sparse gradients in first-seen order, TF's op types, names and errors (the
values checked against TensorFlow 2.21's tf.compat.v1)."""
import threading

import numpy as np
import pytest

import tfcompat as tf


def test_dense_mean_staleness_and_global_step():
    tf.reset_default_graph()
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2], shared_name="x")
    assert acc.accumulator_ref.op.type == "ResourceConditionalAccumulator"
    assert acc.name == "conditional_accumulator" and acc.dtype == tf.float32
    grad = tf.placeholder(tf.float32, [None])
    local_step = tf.placeholder(tf.int64, [])
    apply = acc.apply_grad(grad, local_step=local_step)
    take = acc.take_grad(2)
    count = acc.num_accumulated()
    assert apply.type == "ResourceAccumulatorApplyGradient"
    assert take.shape.as_list() == [2] and count.name == "conditional_accumulator_NumAccumulated:0"
    with tf.Session() as sess:
        sess.run(apply, {grad: [1, 2], local_step: 0})
        sess.run(apply, {grad: [3, 4], local_step: 0})
        assert sess.run(count) == 2
        np.testing.assert_array_equal(sess.run(take), [2.0, 3.0])
        assert sess.run(count) == 0
        sess.run(apply, {grad: [1, 2], local_step: 0})  # the take advanced the step to 1
        assert sess.run(count) == 0
        sess.run(apply, {grad: [1, 2], local_step: 1})
        assert sess.run(count) == 1
        sess.run(acc.set_global_step(5))
        sess.run(apply, {grad: [1, 2], local_step: 4})
        assert sess.run(count) == 1
        sess.run(acc.set_global_step(2))  # a smaller step is set too (with a warning)
        sess.run(apply, {grad: [1, 2], local_step: 3})
        assert sess.run(count) == 2
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Shape mismatch: expected \[2\], got \[3\]"):
            sess.run(apply, {grad: [1, 2, 3], local_step: 9})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Argument num_required must be positive, but was 0"):
            sess.run(acc.take_grad(0))
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        acc.apply_grad(np.ones(3, np.float32))


def test_sum_reduction_unknown_shape_and_errors():
    tf.reset_default_graph()
    acc = tf.ConditionalAccumulator(tf.float64, reduction_type="SUM")
    grad = tf.placeholder(tf.float64)
    apply = acc.apply_grad(grad, local_step=1)
    with tf.Session() as sess:
        sess.run(apply, {grad: [1.0, 2.0]})
        sess.run(apply, {grad: [0.5, 0.25]})
        np.testing.assert_array_equal(sess.run(acc.take_grad(2)), [1.5, 2.25])
        sess.run(apply, {grad: [1.0, 2.0]})  # the first gradient fixed the shape
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Shape mismatch: expected \[2\], got \[3\]"):
            sess.run(apply, {grad: [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="Attr 'reduction_type' of "
                                         "'ResourceConditionalAccumulator' Op passed string "
                                         "'MAX' not in"):
        tf.ConditionalAccumulator(tf.float32, reduction_type="MAX")


def test_take_waits_for_gradients_from_another_thread():
    tf.reset_default_graph()
    acc = tf.ConditionalAccumulator(tf.float32, shape=[])
    grad = tf.placeholder(tf.float32, [])
    apply = acc.apply_grad(grad)
    take = acc.take_grad(3)
    with tf.Session() as sess:
        taken = []
        thread = threading.Thread(target=lambda: taken.append(sess.run(take)))
        thread.start()
        for value in (1.0, 2.0, 6.0):
            assert not taken
            sess.run(apply, {grad: value})
        thread.join(10)
    assert taken == [3.0]


def test_sparse_accumulator_averages_each_row():
    tf.reset_default_graph()
    acc = tf.SparseConditionalAccumulator(tf.float32, shape=(), shared_name="y")
    assert acc.accumulator_ref.op.type == "SparseConditionalAccumulator"
    indices = tf.placeholder(tf.int64, [None])
    values = tf.placeholder(tf.float32, [None, 2])
    apply = acc.apply_grad(indices, values, local_step=0)
    taken = acc.take_indexed_slices_grad(2)
    assert apply.type == "SparseAccumulatorApplyGradient"
    assert acc.num_accumulated().op.type == "AccumulatorNumAccumulated"
    assert acc.set_global_step(1).type == "AccumulatorSetGlobalStep"
    with tf.Session() as sess:
        sess.run(apply, {indices: [0, 3], values: [[1, 1], [2, 2]]})
        sess.run(apply, {indices: [3, 1], values: [[4, 4], [5, 5]]})
        result = sess.run(taken)
        np.testing.assert_array_equal(result.indices, [0, 3, 1])
        np.testing.assert_array_equal(result.values, [[1, 1], [3, 3], [5, 5]])
        np.testing.assert_array_equal(result.dense_shape, [-1, 2])
        # an IndexedSlices with its dense shape; take_grad gives the three tensors
        known = tf.IndexedSlices(tf.constant([[1.0, 1.0], [2.0, 2.0]]),
                                 tf.constant([2, 0], tf.int64), tf.constant([4, 2], tf.int64))
        sess.run(acc.apply_indexed_slices_grad(known, local_step=1))
        got = sess.run(acc.take_grad(1))
        np.testing.assert_array_equal(got.indices, [2, 0])
        np.testing.assert_array_equal(got.shape, [4, 2])
        # the first gradient's rows stay as they are; later ones add to an index's first row
        sess.run(acc.apply_grad(tf.constant([3, 1, 3], tf.int64),
                                tf.constant([[1.0, 1.0], [2.0, 2.0], [5.0, 5.0]]), local_step=2))
        sess.run(acc.apply_grad(tf.constant([3], tf.int64), tf.constant([[3.0, 3.0]]),
                                local_step=2))
        got = sess.run(acc.take_grad(2))
        np.testing.assert_array_equal(got.indices, [3, 1, 3])
        np.testing.assert_array_equal(got.values, [[2, 2], [2, 2], [5, 5]])
