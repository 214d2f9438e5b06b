"""Plan rewrites of specialised runs: matrix products folded into optimizer updates, and
variable reads shared where no update can come between them."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import blas
from tfcompat.runtime.plan import MIN_FOLDED_PRODUCT, ProductUpdate, UpdateGroup

_OPTIMIZERS = {
    "gd": (lambda: tf.train.GradientDescentOptimizer(0.05), 2),
    "momentum": (lambda: tf.train.MomentumOptimizer(0.05, 0.9), 2),
    # Nesterov's step and Adam's moments read the gradient itself: nothing to fold.
    "nesterov": (lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True), 0),
    "adam": (lambda: tf.train.AdamOptimizer(0.01), 0),
}


def _folded_updates(sess):
    """The ProductUpdate members of every specialised plan of ``sess``."""
    found = []
    for compiled in sess._plans.values():
        for run in compiled.specializations.values():
            for step in run.steps:
                members = step.members if isinstance(step, UpdateGroup) else [step]
                found += [m for m in members if isinstance(m, ProductUpdate)]
    return found


def _two_layer_step(make_optimizer, dtype, fetch_gradients=False):
    """A dense 128-96-90 network on a fed batch: both kernels' gradients are products of at
    least MIN_FOLDED_PRODUCT elements; the biases' are column sums."""
    assert 96 * 90 >= MIN_FOLDED_PRODUCT
    x = tf.placeholder(dtype, (None, 128), name="x")
    init = tf.random_normal_initializer(stddev=0.1, seed=3)
    hidden = tf.layers.dense(x, 96, activation=tf.nn.relu, kernel_initializer=init,
                             name="hidden")
    out = tf.layers.dense(hidden, 90, kernel_initializer=init, name="out")
    loss = tf.reduce_mean(tf.square(out - 0.5))
    optimizer = make_optimizer()
    grads_and_vars = optimizer.compute_gradients(loss)
    train_op = optimizer.apply_gradients(grads_and_vars)
    fetches = [train_op, [g for g, _ in grads_and_vars]] if fetch_gradients else train_op
    return x, fetches, tf.trainable_variables()


def _train(monkeypatch, executor, build, steps=5):
    """Variables after ``steps`` runs of the step ``build()`` returns, with the folded
    updates found (fresh graph and session)."""
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    batches = np.random.default_rng(0).normal(size=(steps, 64, 128))
    with tf.Graph().as_default():
        x, fetches, variables = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in batches:
                sess.run(fetches, {x: batch})
            return sess.run(variables), _folded_updates(sess)


def _assert_same(got, want, dtype):
    tol = 1e-5 if dtype == tf.float32 else 1e-12
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("name", sorted(_OPTIMIZERS))
def test_kernel_gradients_fold_into_the_updates_that_can_take_a_product(name, dtype,
                                                                        monkeypatch):
    make_optimizer, folds = _OPTIMIZERS[name]
    build = lambda: _two_layer_step(make_optimizer, dtype)  # noqa: E731
    want, _ = _train(monkeypatch, "numpy", build)
    got, folded = _train(monkeypatch, "", build)
    assert sorted(m.op.inputs[0].op.name for m in folded) == \
        ["hidden/kernel", "out/kernel"][:folds]
    assert all(m.product.type == "MatMul" for m in folded)
    _assert_same(got, want, dtype)


def test_without_blas_a_folded_update_multiplies_with_numpy(monkeypatch):
    make_optimizer, _ = _OPTIMIZERS["momentum"]
    build = lambda: _two_layer_step(make_optimizer, tf.float32)  # noqa: E731
    want, _ = _train(monkeypatch, "numpy", build)
    monkeypatch.setattr(blas, "gemm", lambda *args: False)
    got, folded = _train(monkeypatch, "", build)
    assert len(folded) == 2
    _assert_same(got, want, tf.float32)


def test_without_numpys_blas_nothing_is_folded(monkeypatch):
    make_optimizer, _ = _OPTIMIZERS["gd"]
    build = lambda: _two_layer_step(make_optimizer, tf.float32)  # noqa: E731
    want, _ = _train(monkeypatch, "numpy", build)
    monkeypatch.setattr(blas, "_functions", {})  # as where the library cannot be found
    got, folded = _train(monkeypatch, "", build)
    assert folded == []
    _assert_same(got, want, tf.float32)


def test_a_fetched_gradient_is_not_folded(monkeypatch):
    make_optimizer, _ = _OPTIMIZERS["gd"]
    build = lambda: _two_layer_step(make_optimizer, tf.float64, True)  # noqa: E731
    want, _ = _train(monkeypatch, "numpy", build)
    got, folded = _train(monkeypatch, "", build)
    assert folded == []
    _assert_same(got, want, tf.float64)


def test_small_products_are_not_folded(monkeypatch):
    def build():
        x = tf.placeholder(tf.float64, (None, 128), name="x")
        w = tf.Variable(np.full((128, 10), 0.01), name="w")  # 1280 elements
        loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
        return x, tf.train.GradientDescentOptimizer(0.001).minimize(loss), [w]
    want, _ = _train(monkeypatch, "numpy", build)
    got, folded = _train(monkeypatch, "", build)
    assert folded == []
    _assert_same(got, want, tf.float64)


def test_a_factor_that_is_a_variable_is_not_deferred_to_the_update(monkeypatch):
    """d(sum(x·W1·W2))/dW2 = (x·W1)ᵀ·1 is fine, but for sum(W1·W2) the gradient of W2 is
    W1ᵀ·dC: deferred to its update it would read W1 after W1's own update."""
    def build():
        x = tf.placeholder(tf.float64, (None, 128), name="x")
        rng = np.random.default_rng(1)
        w1 = tf.Variable(rng.normal(size=(128, 128)) * 0.1, name="w1")
        w2 = tf.Variable(rng.normal(size=(128, 128)) * 0.1, name="w2")
        loss = tf.reduce_sum(tf.square(tf.matmul(w1, w2))) + tf.reduce_sum(x) * 0.0
        return x, tf.train.GradientDescentOptimizer(0.01).minimize(loss), [w1, w2]
    want, _ = _train(monkeypatch, "numpy", build)
    got, folded = _train(monkeypatch, "", build)
    assert folded == []
    _assert_same(got, want, tf.float64)


def test_a_folded_step_that_fails_changes_no_variable():
    """The folded product is applied with the other updates, after every check: an
    uninitialised slot of the last variable leaves the first kernel as it was."""
    with tf.Graph().as_default():
        x, train_op, variables = _two_layer_step(_OPTIMIZERS["momentum"][0], tf.float32)
        batch = np.random.default_rng(2).normal(size=(64, 128))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op, {x: batch})
            assert len(_folded_updates(sess)) == 2
            optimizer_slot = [v for v in tf.global_variables()
                              if v.op.name == "out/bias/Momentum"][0]
            before = sess.run(variables)
            del sess._state.variables[optimizer_slot.op]
            with pytest.raises(tf.errors.FailedPreconditionError, match="out/bias/Momentum"):
                sess.run(train_op, {x: batch})
            for got, want in zip(sess.run(variables), before):
                np.testing.assert_array_equal(got, want)


def test_a_folded_update_of_new_read_only_storage_takes_the_reference_path():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, (None, 128), name="x")
        w = tf.Variable(np.zeros((128, 96)), name="w")
        b = tf.Variable(np.zeros(96), name="b")
        loss = tf.reduce_sum(tf.matmul(x, w) + b)  # dloss/dw = xᵀ·1
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        batch = np.random.default_rng(4).normal(size=(64, 128))
        step = -0.5 * batch.sum(axis=0)[:, None] * np.ones((1, 96))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op, {x: batch})
            assert len(_folded_updates(sess)) == 1
            np.testing.assert_allclose(sess.run(w), 3 * step)
            frozen = np.ones((128, 96))
            frozen.setflags(write=False)
            sess._state.variables[w.op] = frozen
            sess.run(train_op, {x: batch})
            np.testing.assert_allclose(sess.run(w), 1 + step)
            np.testing.assert_array_equal(frozen, 1.0)
            np.testing.assert_allclose(sess.run(b), np.full(96, -0.5 * 64 * 4))


def _reads_in_specialisation(sess, fetches):
    """{variable name: reads of it} in the specialised plan of ``fetches``."""
    compiled = sess._plans[(tuple(fetches), ())]
    (special,) = compiled.specializations.values()
    counts = {}
    for step in special.steps:
        if step.op.type == "VariableV2":
            counts[step.op.name] = counts.get(step.op.name, 0) + 1
    return counts


def test_reads_share_a_value_until_an_update_of_their_variable(monkeypatch):
    """Two consumers of v before any update share one read; an update of w between reads
    of v leaves v's read shared but makes w's later consumer read again; a py_func between
    two reads (it could do anything) makes the second read again. Values as TF's."""
    monkeypatch.setenv("TFCOMPAT_FUSION", "0")
    with tf.Graph().as_default():
        v = tf.Variable(2.0, name="v")
        w = tf.Variable(5.0, name="w")
        u = tf.Variable(1.0, name="u")
        first = v * w + v
        increment = tf.assign_add(w, 1.0)
        with tf.control_dependencies([increment]):
            second = v * w
        seen = tf.py_func(lambda x: x, [u + 0.0], tf.float32)
        third = u * 3.0 + seen
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = [sess.run([first, second]) for _ in range(3)]
            counts = _reads_in_specialisation(sess, [first, second])
            assert [sess.run([third]) for _ in range(3)] == [[4.0]] * 3
            counts.update(_reads_in_specialisation(sess, [third]))
    assert got == [[2.0 * (4 + k) + 2.0, 2.0 * (5 + k)] for k in range(1, 4)]
    assert counts == {"v": 1, "w": 2, "u": 2}
