"""tf.feature_column.make_parse_example_spec, weighted_categorical_column and
shared_embedding_columns against TensorFlow (tests/golden/make_feature_column_goldens.py
prints the expected values with TF 2.21's tf.compat.v1.feature_column)."""
import importlib.util
import pathlib

import numpy as np
import pytest

import tfcompat as tf

fc = tf.feature_column
_spec = importlib.util.spec_from_file_location(
    "make_feature_column_goldens",
    pathlib.Path(__file__).parents[1] / "golden" / "make_feature_column_goldens.py")
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)

TF_NAMES = ["input_layer/id_weighted_by_id_w_embedding/embedding_weights:0",
            "input_layer_1/id_weighted_by_id_w_embedding/embedding_weights:0",
            "input_layer_2/id_weighted_by_id_w_embedding/embedding_weights:0",
            "input_layer_3/id_other_shared_embedding/embedding_weights:0",
            "linear_model/id_weighted_by_id_w/weights:0", "linear_model/bias_weights:0"]
TF_VALUES = [  # embedding sum / mean / sqrtn, shared embeddings, linear_model
    [[10.5, 13.0], [4.5, 6.0], [0.0, 0.0]],
    [[4.2, 5.2], [3.0, 4.0], [7.0, 8.0]],
    [[5.093248, 6.305926], [3.0, 4.0], [7.0, 8.0]],
    [[3.0, 4.0, 3.0, 4.0], [3.0, 4.0, 5.0, 6.0], [7.0, 8.0, 4.0, 5.0]],
    [[200.5], [15.0], [0.0]]]


def test_weighted_and_shared_columns_match_tensorflow():
    tf.reset_default_graph()
    dense, linear = goldens.build()
    assert [v.name for v in tf.global_variables()] == TF_NAMES
    shared = tf.get_collection("id_other_shared_embedding")
    assert [v.name for v in shared] == [TF_NAMES[3]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.global_variables()[4].load(np.array([[1.0], [10.0], [100.0], [1000.0]]), sess)
        values = sess.run(dense + [linear])
    for value, expected in zip(values, TF_VALUES, strict=True):
        np.testing.assert_allclose(value, expected, rtol=1e-6)


def test_weighted_indicator_sums_weights_and_shared_embedding_trains():
    tf.reset_default_graph()
    ident = fc.categorical_column_with_identity("id", 4)
    weighted = fc.weighted_categorical_column(ident, "id_w")
    features = goldens.features()
    out = fc.input_layer(features, [fc.indicator_column(weighted)])
    expected = np.zeros((3, 4), np.float32)
    for row, (ids, weights) in enumerate(zip(features["id"], features["id_w"], strict=True)):
        for i, w in zip(ids, weights, strict=True):
            if i >= 0:
                expected[row, i] += w
    a = fc.categorical_column_with_identity("a", 3)
    b = fc.categorical_column_with_identity("b", 3)
    shared = fc.shared_embedding_columns([b, a], 2, combiner="sum",
                                         initializer=tf.zeros_initializer())
    assert [c.name for c in shared] == ["b_shared_embedding", "a_shared_embedding"]
    emb = fc.input_layer({"a": np.array([[0], [1]]), "b": np.array([[1], [2]])}, shared)
    target = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], np.float32)
    loss = tf.reduce_sum(tf.square(emb - target))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert len(tf.trainable_variables()) == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out), expected)
        for _ in range(200):
            sess.run(step)
        table = sess.run(tf.trainable_variables()[0])
    # one table for both columns: row 1 is a's second id and b's first, so it converges to
    # the mean of the two targets it gets, (3, 4) and (5, 6).
    np.testing.assert_allclose(table, [[1.0, 2.0], [4.0, 5.0], [7.0, 8.0]], atol=1e-3)


def test_make_parse_example_spec_matches_tensorflow():
    age = fc.numeric_column("age", default_value=2.0)
    pix = fc.numeric_column("pix", shape=[2, 2], dtype=tf.int64, default_value=1)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    weighted = fc.weighted_categorical_column(fc.categorical_column_with_identity("id", 4),
                                              "id_w")
    word = fc.categorical_column_with_hash_bucket("word", 10, dtype=tf.int64)
    columns = [fc.bucketized_column(age, [1.0, 3.0]), pix, fc.indicator_column(color),
               fc.embedding_column(weighted, 2), fc.indicator_column(word),
               fc.crossed_column(["a", fc.bucketized_column(age, [0.0])], 5)]
    spec = fc.make_parse_example_spec(columns)
    summary = {key: (type(value).__name__, getattr(value, "shape", None), value.dtype.name,
                     getattr(value, "default_value", None)) for key, value in spec.items()}
    assert summary == {  # as TF 2.21 prints it
        "a": ("VarLenFeature", None, "string", None),
        "age": ("FixedLenFeature", (1,), "float32", (2.0,)),
        "color": ("VarLenFeature", None, "string", None),
        "id": ("VarLenFeature", None, "int64", None),
        "id_w": ("VarLenFeature", None, "float32", None),
        "pix": ("FixedLenFeature", (2, 2), "int64", ((1, 1), (1, 1))),
        "word": ("VarLenFeature", None, "int64", None)}
    assert isinstance(spec["age"], tf.FixedLenFeature)


def test_bad_extra_columns_raise_tensorflow_errors():
    a = fc.categorical_column_with_identity("a", 3)
    with pytest.raises(ValueError, match="same number of buckets"):
        fc.shared_embedding_columns([a, fc.categorical_column_with_identity("b", 4)], 2)
    with pytest.raises(ValueError, match="same type"):
        fc.shared_embedding_columns([a, fc.categorical_column_with_hash_bucket("b", 3)], 2)
    with pytest.raises(ValueError, match="weight_feature_key must be a string"):
        fc.weighted_categorical_column(a, None)
    with pytest.raises(ValueError, match="different parse_spec for key age"):
        fc.make_parse_example_spec([fc.numeric_column("age"),
                                    fc.numeric_column("age", shape=[2])])
    with pytest.raises(ValueError, match="must be _FeatureColumn instances"):
        fc.make_parse_example_spec(["age"])
    with pytest.raises(ValueError, match="shape of default_value"):
        fc.numeric_column("x", shape=[2], default_value=[1.0, 2.0, 3.0])
    tf.reset_default_graph()
    weighted = fc.weighted_categorical_column(a, "w", dtype=tf.float32)
    with pytest.raises(ValueError, match="Bad dtype"):
        fc.linear_model({"a": np.array([[1]]), "w": np.array([[1]], np.int64)}, [weighted])
