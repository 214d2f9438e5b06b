"""Optimizers on IndexedSlices gradients (an embedding's gather): TF 1.x's sparse updates
(ScatterSub, SparseApplyMomentum/Adagrad, Adam's scatter_add form) equal the dense updates
where TF's do, and touch only the gathered rows."""
import numpy as np
import pytest

import tfcompat as tf

TABLE = np.arange(15.0).reshape(5, 3) / 7.0


def _train(make_optimizer, sparse, ids=(3, 1, 3), steps=3):
    with tf.Graph().as_default() as graph:
        emb = tf.Variable(TABLE, name="emb")
        ids = tf.constant(list(ids))
        if sparse:
            rows = tf.gather(emb, ids)
        else:  # the same rows through a dense gradient
            rows = tf.matmul(tf.one_hot(ids, 5, dtype=tf.float64), emb)
        loss = tf.reduce_sum(tf.square(rows - 1.0) * [1.0, 2.0, 3.0])
        train = make_optimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train)
            return sess.run(emb), {op.type for op in graph.get_operations()}


OPTIMIZERS = {
    "sgd": (lambda: tf.train.GradientDescentOptimizer(0.1), "ScatterSub"),
    "momentum": (lambda: tf.train.MomentumOptimizer(0.1, 0.9), "SparseApplyMomentum"),
    "nesterov": (lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                 "SparseApplyMomentum"),
    "adagrad": (lambda: tf.train.AdagradOptimizer(0.1), "SparseApplyAdagrad"),
    "adam": (lambda: tf.train.AdamOptimizer(0.1), "ScatterAdd"),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_sparse_update_equals_dense(name):
    make, op_type = OPTIMIZERS[name]
    sparse_table, sparse_types = _train(make, True)
    dense_table, dense_types = _train(make, False)
    assert op_type in sparse_types and op_type not in dense_types
    np.testing.assert_allclose(sparse_table, dense_table, rtol=1e-12, atol=1e-12)
    untouched = [0, 2, 4]
    np.testing.assert_array_equal(sparse_table[untouched], TABLE[untouched])


def test_momentum_sparse_differs_from_dense_on_rows_left_out_as_tf():
    """Rows a step does not gather keep their momentum in the dense update only."""
    with tf.Graph().as_default():
        emb = tf.Variable(TABLE)
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.gather(emb, ids))
        train = tf.train.MomentumOptimizer(1.0, 0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {ids: [0]})
            sess.run(train, {ids: [1]})
            value = sess.run(emb)
    expected = TABLE.copy()
    expected[0] -= 1.0  # one step only: the second step did not touch row 0
    expected[1] -= 1.0
    np.testing.assert_allclose(value, expected)


class _DenseOnlySGD(tf.train.Optimizer):
    """An optimizer with only a dense update."""

    def __init__(self):
        super().__init__(False, "DenseOnlySGD")

    def _apply_dense(self, grad, var):
        from tfcompat.ops import training_ops
        return training_ops.apply_gradient_descent(var, tf.constant(0.1, tf.float64), grad).op


def test_optimizer_without_sparse_kernel_applies_the_densified_gradient():
    sparse_table, types = _train(_DenseOnlySGD, True)
    dense_table, _ = _train(_DenseOnlySGD, False)
    assert "UnsortedSegmentSum" in types and "ApplyGradientDescent" in types
    np.testing.assert_allclose(sparse_table, dense_table, rtol=1e-12)


def test_sparse_apply_errors():
    from tfcompat.ops import sparse_training_ops
    with tf.Graph().as_default():
        var = tf.Variable(TABLE)
        accum = tf.Variable(np.zeros((5, 3)))
        ids = tf.placeholder(tf.int32, [None])
        update = sparse_training_ops.sparse_apply_adagrad(var, accum, 0.1, np.ones((2, 3)), ids)
        with pytest.raises(ValueError, match="Shape must be rank 1"):
            sparse_training_ops.sparse_apply_adagrad(var, accum, 0.1, np.ones((2, 3)),
                                                     [[0, 1]])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Index 7 at offset 1 in indices is out of range"):
                sess.run(update, {ids: [0, 7]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="same size as indices"):
                sess.run(update, {ids: [0]})
            np.testing.assert_array_equal(sess.run(var), TABLE)


ROW_WISE = {
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5),
    "centered_rmsprop": lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5, centered=True),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
    "proximal_sgd": lambda: tf.train.ProximalGradientDescentOptimizer(
        0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
    "ftrl": lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01),
    "ftrl_v2": lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1),
}


@pytest.mark.parametrize("name", sorted(ROW_WISE))
def test_sparse_kernels_update_only_the_gathered_rows(name):
    """TF's SparseApply*: the gathered rows move exactly as a variable holding only those
    rows under the dense update; the other rows, and their slots, stay."""
    sparse_table, types = _train(ROW_WISE[name], True)
    assert any(t.startswith("SparseApply") for t in types)
    with tf.Graph().as_default():
        rows = tf.Variable(TABLE[[1, 3]], name="rows")
        picked = tf.matmul(tf.one_hot([1, 0, 1], 2, dtype=tf.float64), rows)
        loss = tf.reduce_sum(tf.square(picked - 1.0) * [1.0, 2.0, 3.0])
        train = ROW_WISE[name]().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            expected_rows = sess.run(rows)
    np.testing.assert_allclose(sparse_table[[1, 3]], expected_rows, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(sparse_table[[0, 2, 4]], TABLE[[0, 2, 4]])
