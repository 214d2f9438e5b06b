"""tf.estimator.inputs.numpy_input_fn: batches, epochs, shuffling, the closing
OutOfRangeError, per-Session positions and TF's argument errors; pandas_input_fn's error
without pandas."""
import numpy as np
import pytest

import tfcompat as tf

inputs = tf.estimator.inputs


def _drain(tensors):
    batches = []
    with tf.Session() as sess:
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
            while True:
                batches.append(sess.run(tensors))
    return batches


def test_batches_walk_epochs_in_order_and_the_last_one_is_short():
    tf.reset_default_graph()
    x = {"a": np.arange(10, dtype=np.float64).reshape(10, 1), "b": np.arange(10) * 10}
    features, target = inputs.numpy_input_fn(x, np.arange(10) + 100, batch_size=4,
                                             num_epochs=2, shuffle=False)()
    assert sorted(features) == ["a", "b"]
    assert features["a"].dtype == tf.float64 and features["a"].shape.as_list() == [None, 1]
    assert target.dtype == tf.int64 and target.shape.as_list() == [None]
    batches = _drain([features["a"], features["b"], target])
    rows = np.concatenate([b[0][:, 0] for b in batches])
    np.testing.assert_array_equal(rows, np.r_[np.arange(10), np.arange(10)])
    assert [len(b[0]) for b in batches] == [4, 4, 4, 4, 4]
    for a, b, t in batches:
        np.testing.assert_array_equal(b, a[:, 0] * 10)
        np.testing.assert_array_equal(t, a[:, 0] + 100)
    tf.reset_default_graph()
    features = inputs.numpy_input_fn({"a": np.arange(5)}, batch_size=2, shuffle=False)()
    assert [len(b) for b in _drain(features["a"])] == [2, 2, 1]


def test_shuffled_epochs_are_permutations_and_runs_share_the_position():
    tf.reset_default_graph()
    features = inputs.numpy_input_fn(np.arange(12), batch_size=3, num_epochs=2,
                                     shuffle=True)()
    doubled = features * 2   # an array x gives the features tensor itself
    batches = _drain(features)
    epochs = np.concatenate(batches).reshape(2, 12)
    for epoch in epochs:
        np.testing.assert_array_equal(np.sort(epoch), np.arange(12))
    assert not np.array_equal(epochs[0], np.arange(12)) or not np.array_equal(
        epochs[1], np.arange(12))
    with tf.Session() as sess:   # a new Session starts again; each run takes the next batch
        first = sess.run(features)
        second = sess.run(doubled)
        assert len(set(first) | set(second // 2)) == 6


def test_endless_input_and_a_function_of_the_batch():
    tf.reset_default_graph()
    features, target = inputs.numpy_input_fn({"x": np.arange(3.0)}, np.arange(3), batch_size=2,
                                             num_epochs=None, shuffle=False)()
    total = tf.reduce_sum(features["x"])
    with tf.Session() as sess:
        values = [sess.run(total) for _ in range(6)]
    assert values == [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]   # [0 1] [2 0] [1 2] ...: batches wrap


def test_argument_errors():
    with pytest.raises(ValueError, match="shuffle must be provided and explicitly set as "
                                         "boolean"):
        inputs.numpy_input_fn({"x": np.arange(3)})
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        inputs.numpy_input_fn({"x": np.arange(3)}, np.arange(4), shuffle=False)
    with pytest.raises(ValueError, match="1 duplicate keys are found in both x and y"):
        inputs.numpy_input_fn({"x": np.arange(3)}, {"x": np.arange(3)}, shuffle=False)


def test_pandas_input_fn_needs_pandas():
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas_input_fn requires pandas"):
            inputs.pandas_input_fn(None, shuffle=False)
    else:
        frame = pandas.DataFrame({"a": [1.0, 2.0, 3.0]})
        tf.reset_default_graph()
        features, target = inputs.pandas_input_fn(frame, pandas.Series([4, 5, 6]),
                                                  batch_size=3, shuffle=False)()
        with tf.Session() as sess:
            a, t = sess.run([features["a"], target])
        assert a.tolist() == [1.0, 2.0, 3.0] and t.tolist() == [4, 5, 6]


def test_empty_arrays_end_at_once_even_without_an_epoch_limit():
    tf.reset_default_graph()
    features = inputs.numpy_input_fn({"x": np.zeros((0, 2))}, batch_size=4, num_epochs=None,
                                     shuffle=True)()
    assert _drain(features["x"]) == []
