"""TF 1.x's promises on every tier: the reference interpreter, specialised plans and fused
kernels give a serial run's values to concurrent runs, fetched arrays are the caller's own,
specialisations notice variables that change shape, reads honour control dependencies and
NaN propagates through gradients as in TF."""
import threading

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import threads

TIERS = ["reference", "specialised", "fused"]


@pytest.fixture(autouse=True)
def _pinned_blas_threads(monkeypatch):
    """One BLAS thread count throughout: OpenBLAS's last bits depend on it, and on a loaded
    machine the policy would change it between runs (``runtime/threads.py``)."""
    monkeypatch.setattr(threads.policy(), "pinned", 1)


@pytest.fixture(params=TIERS)
def tier(request, monkeypatch):
    """Runs the test's sessions on one execution tier (fused: after 3 runs of a plan)."""
    if request.param == "reference":
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy")
    elif request.param == "specialised":
        monkeypatch.setenv("TFCOMPAT_FUSION", "0")
    else:
        monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "3")
    return request.param


def _dense_net(x, widths, seed=7):
    h = x
    for index, width in enumerate(widths):
        h = tf.layers.dense(h, width, activation=tf.nn.relu if index + 1 < len(widths) else None,
                            kernel_initializer=tf.glorot_uniform_initializer(seed=seed + index))
    return h


def _in_threads(count, work):
    """Runs ``work(k)`` in ``count`` threads; re-raises the first exception."""
    failures = []

    def guarded(k):
        try:
            work(k)
        except BaseException as exc:  # noqa: BLE001 - reported in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def test_concurrent_inference_gives_serial_values(tier):
    rng = np.random.RandomState(0)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 20))
        logits = _dense_net(x, [64, 64, 10])
        batches = [rng.randn(32, 20).astype(np.float32) for _ in range(8)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):  # onto the tier's own path (fused after 3 runs)
                sess.run(logits, {x: batches[0]})
            expected = [sess.run(logits, {x: b}) for b in batches]
            wrong = []

            def work(k):
                for i in range(1000):
                    j = (k + i) % len(batches)
                    if not np.array_equal(sess.run(logits, {x: batches[j]}), expected[j]):
                        wrong.append(j)
            _in_threads(8, work)
    assert wrong == []


def test_concurrent_training_steps_keep_their_intermediates(tier):
    """Steps of concurrent threads (a zero learning rate keeps the variables, so each
    step's loss and gradients must equal a serial run's) never see another's values."""
    rng = np.random.RandomState(1)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 12))
        y = tf.placeholder(tf.int32, (None,))
        logits = _dense_net(x, [32, 5])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                             logits=logits))
        grads = tf.gradients(loss, tf.trainable_variables())
        train = tf.train.MomentumOptimizer(0.0, 0.9).minimize(loss)
        feeds = [{x: rng.randn(40, 12).astype(np.float32), y: rng.randint(0, 5, 40)}
                 for _ in range(6)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):  # onto the tier's own path (fused after 3 runs)
                sess.run([train, loss] + grads, feeds[0])
            expected = [sess.run([train, loss] + grads, feed)[1:] for feed in feeds]
            wrong = []

            def work(k):
                for i in range(250):
                    j = (k + i) % len(feeds)
                    _, got_loss, *got = sess.run([train, loss] + grads, feeds[j])
                    if got_loss != expected[j][0] or not all(
                            np.array_equal(a, b) for a, b in zip(got, expected[j][1:])):
                        wrong.append(j)
            _in_threads(8, work)
    assert wrong == []


def test_failing_runs_among_training_threads_raise_tf_errors(tier):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 4))
        w = tf.Variable(tf.ones([4, 2]))
        out = tf.matmul(x, w)
        loss = tf.reduce_sum(tf.square(out))
        train = tf.train.GradientDescentOptimizer(0.0).minimize(loss)
        good = np.ones((3, 4), np.float32)
        bad = np.ones((3, 4, 1), np.float32)
        idx = tf.placeholder(tf.int32, [])
        picked = tf.gather(tf.constant([1.0, 2.0]), idx)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            outcomes = []

            def work(k):
                for i in range(200):
                    if (k + i) % 3 == 0:
                        try:
                            sess.run([train, picked], {x: good, idx: 5})
                            outcomes.append("no error")
                        except tf.errors.InvalidArgumentError:
                            outcomes.append("ok")
                    else:
                        got = sess.run([train, loss, picked], {x: good, idx: 1})
                        outcomes.append("ok" if got[1] == 96.0 and got[2] == 2.0 else "wrong")
            _in_threads(8, work)
            with pytest.raises(ValueError):
                sess.run(train, {x: bad})
    assert set(outcomes) == {"ok"}


def test_fetched_values_never_alias_feeds(tier):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 3))
        fetches = [tf.identity(x), tf.reshape(x, [-1]), x[1:], tf.stop_gradient(x),
                   tf.squeeze(tf.expand_dims(x, 0))]
        buffer = np.zeros((4, 3), np.float32)
        with tf.Session() as sess:
            for step in range(6):
                buffer[:] = step
                got = sess.run(fetches, {x: buffer})
                buffer[:] = -1  # the caller refills its batch buffer
                assert all(np.all(value == step) for value in got), step
            assert sess.run(x, {x: buffer}) is not None


def test_fetched_values_never_change_after_later_runs(tier):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (2, 2))
        v = tf.Variable(tf.zeros([2, 2]))
        hidden = tf.matmul(x, x) + 1.0
        step = tf.assign_add(v, hidden)
        fetches = [hidden, tf.reshape(hidden, [4]), step, v.read_value()]
        with tf.Session() as sess:
            sess.run(v.initializer)
            held = []
            for k in range(8):
                feed = np.full((2, 2), float(k), np.float32)
                values = sess.run(fetches, {x: feed})
                held.append((k, [value.copy() for value in values], values))
            for k, copies, values in held:
                for copy, value in zip(copies, values):
                    np.testing.assert_array_equal(copy, value, err_msg=f"run {k}")


def test_variable_reassigned_with_a_new_shape_respecialises(tier):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0, 3.0, 4.0], validate_shape=False)
        new_value = tf.placeholder(tf.float32)
        reassign = tf.assign(v, new_value, validate_shape=False)
        shape = tf.shape(v)
        grad = tf.gradients(tf.reduce_sum(v * v), v)[0]
        with tf.Session() as sess:
            sess.run(v.initializer)
            for _ in range(6):
                got_shape, got_grad = sess.run([shape, grad])
            assert list(got_shape) == [4]
            for value in ([5.0], [5.0, 6.0], [1.0, 2.0, 3.0, 4.0, 5.0]):
                sess.run(reassign, {new_value: value})
                for _ in range(6):
                    got_shape, got_grad = sess.run([shape, grad])
                    assert list(got_shape) == [len(value)]
                    np.testing.assert_array_equal(got_grad, 2 * np.array(value))


def test_reads_after_control_dependencies_see_the_update(tier):
    with tf.Graph().as_default():
        v = tf.Variable(0.0)
        increment = tf.assign_add(v, 1.0)
        with tf.control_dependencies([increment]):
            doubled = tf.identity(v) * 1.0
            read = v.read_value()
        with tf.Session() as sess:
            sess.run(v.initializer)
            assert [float(sess.run(doubled)) for _ in range(5)] == [1.0, 2.0, 3.0, 4.0, 5.0]
            assert [float(sess.run(read)) for _ in range(5)] == [6.0, 7.0, 8.0, 9.0, 10.0]


def test_reads_before_and_after_an_update_in_one_run(tier):
    """Consumers of a variable ordered before its update see the old value, those after it
    (control dependencies) the new one, in the same run; a variable no update of the run
    writes reads one value throughout (random ops between reads change nothing)."""
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        w = tf.Variable(10.0)
        noise = tf.random_uniform([], seed=1)
        before = v * 2.0 + w + noise * 0.0
        increment = tf.assign_add(v, 1.0)
        with tf.control_dependencies([increment]):
            after = v * 3.0 + w
            again = v + 0.0
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = [sess.run([before, after, again]) for _ in range(5)]
    assert got == [[2.0 * k + 10.0, 3.0 * (k + 1) + 10.0, k + 1.0] for k in range(1, 6)]


@pytest.mark.parametrize("activation, x, dy, expected", [
    # TF's gradient kernels: ReluGrad/Relu6Grad multiply dy by the mask; EluGrad/SeluGrad
    # select on output < 0, so a NaN output passes dy on.
    ("relu", [-1.0, 1.0, np.nan], [np.nan, np.nan, 1.0], [np.nan, np.nan, 0.0]),
    ("relu6", [-1.0, 7.0, 3.0, np.nan], [np.nan, np.inf, 2.0, 1.0], [np.nan, np.nan, 2.0, 0.0]),
    ("elu", [-1.0, 2.0, np.nan], [np.nan, np.nan, 3.0], [np.nan, np.nan, 3.0]),
    ("selu", [-1.0, 2.0, np.nan], [np.nan, 1.0, 1.0], [np.nan, 1.0507009873554805,
                                                       1.0507009873554805]),
    ("leaky_relu", [-1.0, 2.0, np.nan], [np.nan, 1.0, 1.0], [np.nan, 1.0, 0.2]),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_gradients_propagate_nan_as_tf(tier, activation, x, dy, expected, dtype):
    with tf.Graph().as_default():
        features = tf.placeholder(dtype, [len(x)])
        upstream = tf.placeholder(dtype, [len(x)])
        grad = tf.gradients(getattr(tf.nn, activation)(features), features,
                            grad_ys=upstream)[0]
        with tf.Session() as sess:
            for _ in range(6):
                got = sess.run(grad, {features: np.array(x, dtype), upstream: np.array(dy, dtype)})
                np.testing.assert_allclose(got, np.array(expected, dtype), rtol=1e-6)


def test_a_nan_batch_makes_every_parameter_non_finite(tier):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 4))
        out = _dense_net(x, [8, 8, 1])
        train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(out))
        batch = np.ones((5, 4), np.float32)
        batch[2, 1] = np.nan
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                sess.run(train, {x: np.ones((5, 4), np.float32)})
            sess.run(train, {x: batch})
            kernels = [v for v in tf.trainable_variables() if "kernel" in v.name]
            for kernel in sess.run(kernels):
                assert not np.isfinite(kernel).any() or not np.isfinite(kernel).all()
            assert not np.isfinite(sess.run(kernels[0])).all()


def test_cast_between_strings_and_numbers_is_unimplemented():
    with tf.Graph().as_default():
        to_number = tf.cast(tf.constant(["1.5"]), tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.UnimplementedError,
                               match="Cast string to float is not supported"):
                sess.run(to_number)


def test_reduce_sum_gradient_of_a_scalar_fed_to_an_unknown_rank_placeholder(tier):
    """A classic TF1 tutorial's placeholder("float"): the gradient's FloorMod divides an
    empty index list by the rank 0."""
    with tf.Graph().as_default():
        x = tf.placeholder("float")
        grad = tf.gradients(tf.reduce_sum(x * x), x)[0]
        with tf.Session() as sess:
            for _ in range(5):
                assert sess.run(grad, {x: 3.0}) == 6.0
            np.testing.assert_array_equal(sess.run(grad, {x: [1.0, 2.0]}), [2.0, 4.0])


@pytest.mark.parametrize("op", [tf.floormod, tf.floordiv, tf.div])
def test_integer_division_of_an_empty_tensor_by_zero_is_empty(op):
    with tf.Graph().as_default():
        empty = tf.placeholder(tf.int32, [None])
        result = op(empty, tf.constant(0))
        with tf.Session() as sess:
            assert sess.run(result, {empty: np.zeros(0, np.int32)}).shape == (0,)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
                sess.run(result, {empty: np.ones(2, np.int32)})


def _book_network(name):
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
    import models
    return models.build(tf, name)


@pytest.mark.parametrize("net", ["bn", "dropout", "deep_adam"])
def test_repeated_runs_are_bitwise_identical_from_the_first(net, monkeypatch):
    """The reference interpreter's first run and the specialised plan compute the same
    formulas in the same order (fusion off: it may change the last bits, see README)."""
    monkeypatch.setenv("TFCOMPAT_FUSION", "0")
    with tf.Graph().as_default():
        x, y, _, extra = _book_network(net)
        loss = tf.get_default_graph().get_tensor_by_name(
            "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0")
        grads = tf.gradients(tf.reduce_mean(loss), tf.trainable_variables())
        rng = np.random.default_rng(0)
        if net == "dropout":
            extra = {}  # (a training step draws new masks every run)
        feed = {x: rng.random((50, 784), dtype=np.float32), y: rng.integers(0, 10, 50), **extra}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(grads, feed)
            for _ in range(4):
                for a, b in zip(sess.run(grads, feed), first):
                    np.testing.assert_array_equal(a, b)


def test_adam_steps_are_bitwise_identical_on_the_reference_and_specialised_tiers(monkeypatch):
    def train(reference):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy" if reference else "")
        monkeypatch.setenv("TFCOMPAT_FUSION", "0")
        with tf.Graph().as_default():
            x, y, fetches, _ = _book_network("deep_adam")
            rng = np.random.default_rng(1)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(5):
                    sess.run(fetches, {x: rng.random((20, 784), dtype=np.float32),
                                       y: rng.integers(0, 10, 20)})
                return sess.run(tf.global_variables())
    for a, b in zip(train(True), train(False)):
        np.testing.assert_array_equal(a, b)
