"""tf.feature_column: values and variable names as TensorFlow 1.x gives them (the expected
rows below were produced by tf.compat.v1.feature_column.input_layer on the same features)."""
import numpy as np
import pytest

import tfcompat as tf

fc = tf.feature_column


def _features():
    return {"age": np.array([10., 30., 60.]), "pix": np.arange(12.).reshape(3, 2, 2),
            "color": np.array(["red", "blue", "pink"]), "id": np.array([0, 3, 7]),
            "word": np.array(["a", "b", "c"])}


def _columns():
    age = fc.numeric_column("age")
    return age, [
        age, fc.numeric_column("pix", shape=[2, 2]), fc.bucketized_column(age, [18, 30, 50]),
        fc.indicator_column(fc.categorical_column_with_vocabulary_list(
            "color", ["red", "green", "blue"])),
        fc.embedding_column(fc.categorical_column_with_identity("id", 4, default_value=1), 3,
                            initializer=tf.ones_initializer()),
        fc.indicator_column(fc.categorical_column_with_hash_bucket("word", 10))]


# tf.compat.v1.feature_column.input_layer (TensorFlow 2.21) on _features() and _columns().
TF_INPUT_LAYER = [
    [10, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    [30, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 4, 5, 6, 7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    [60, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 8, 9, 10, 11, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]


def test_input_layer_matches_tensorflow():
    tf.reset_default_graph()
    _, columns = _columns()
    out = fc.input_layer(_features(), columns)
    assert out.name == "input_layer/concat:0" and out.shape.as_list() == [3, 25]
    assert [v.name for v in tf.global_variables()] == [
        "input_layer/id_embedding/embedding_weights:0"]
    assert tf.global_variables()[0] in tf.model_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(out), TF_INPUT_LAYER)


def test_linear_model_variable_names_and_weighted_sum():
    tf.reset_default_graph()
    age, _ = _columns()
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    ident = fc.categorical_column_with_identity("id", 4)
    columns = [age, fc.bucketized_column(age, [18, 30, 50]), color, ident]
    cols_to_vars = {}
    out = fc.linear_model(_features(), columns, cols_to_vars=cols_to_vars)
    assert [v.name for v in tf.global_variables()] == [
        "linear_model/age/weights:0", "linear_model/age_bucketized/weights:0",
        "linear_model/color/weights:0", "linear_model/id/weights:0",
        "linear_model/bias_weights:0"]
    assert out.name == "linear_model/weighted_sum:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(out), np.zeros((3, 1)))
        for variable, value in [(cols_to_vars[age][0], [[0.5]]),
                                (cols_to_vars[color][0], [[1.0], [2.0], [3.0]]),
                                (cols_to_vars[ident][0], [[10.0], [20.0], [30.0], [40.0]]),
                                (cols_to_vars["bias"][0], [100.0])]:
            variable.load(value, sess)
        # age * 0.5 + color weight (pink: no id) + id weight (7: out of range, dropped) + bias
        np.testing.assert_allclose(sess.run(out)[:, 0], [5 + 1 + 10 + 100, 15 + 3 + 40 + 100,
                                                          30 + 0 + 0 + 100])


def test_embedding_combiners_skip_missing_ids_and_train():
    tf.reset_default_graph()
    ids = fc.categorical_column_with_identity("ids", 3)
    features = {"ids": np.array([[0, 2], [1, 5]])}  # 5 is out of range: no id
    outs = {}
    for combiner in ("mean", "sum", "sqrtn"):
        with tf.variable_scope(combiner):
            outs[combiner] = fc.input_layer(features, [fc.embedding_column(
                ids, 2, combiner=combiner, initializer=tf.constant_initializer(
                    [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(outs["sum"]), [[6, 8], [3, 4]])
        np.testing.assert_allclose(sess.run(outs["mean"]), [[3, 4], [3, 4]])
        np.testing.assert_allclose(sess.run(outs["sqrtn"]), [[6 / np.sqrt(2), 8 / np.sqrt(2)],
                                                             [3, 4]], rtol=1e-6)
    grads = tf.gradients(tf.reduce_sum(outs["sum"]), tf.trainable_variables()[1])[0]
    grads = tf.convert_to_tensor(grads)  # a gather's gradient: IndexedSlices, as in TF
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(grads), [[1, 1], [1, 1], [1, 1]])


def test_crossed_and_oov_columns_give_ids_in_range():
    tf.reset_default_graph()
    age = fc.numeric_column("age")
    crossed = fc.crossed_column([fc.bucketized_column(age, [18, 30, 50]), "color"], 7)
    assert crossed.name == "age_bucketized_X_color"
    vocabulary = fc.categorical_column_with_vocabulary_list("color", ["red"], num_oov_buckets=2)
    out = fc.input_layer(_features(), [fc.indicator_column(crossed),
                                       fc.indicator_column(vocabulary)])
    with tf.Session() as sess:
        value = sess.run(out)
    assert value.shape == (3, 10)
    np.testing.assert_array_equal(value.sum(axis=1), [2, 2, 2])
    np.testing.assert_array_equal(value[:, 7], [1, 0, 0])   # "red" is id 0 of the vocabulary


def test_bad_columns_raise_tensorflow_errors():
    age = fc.numeric_column("age")
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        fc.bucketized_column(age, [3, 1])
    with pytest.raises(ValueError, match="source_column must be a column generated with "):
        fc.bucketized_column(fc.categorical_column_with_identity("x", 3), [1])
    with pytest.raises(ValueError, match="key must be a string"):
        fc.numeric_column(3)
    with pytest.raises(ValueError, match="must be a _DenseColumn"):
        fc.input_layer({"x": np.array([1])}, [fc.categorical_column_with_identity("x", 3)])
    with pytest.raises(ValueError, match="Duplicate feature column name"):
        fc.input_layer({"age": np.array([1.0])}, [age, age])
    with pytest.raises(ValueError, match="Feature missing is not in features dictionary"):
        fc.input_layer({"age": np.array([1.0])}, [fc.numeric_column("missing")])
    with pytest.raises(ValueError, match="hash_bucket_size must be at least 1"):
        fc.categorical_column_with_hash_bucket("w", 0)


def test_vocabulary_file_column(tmp_path):
    tf.reset_default_graph()
    path = tmp_path / "colors.txt"
    path.write_text("red\ngreen\nblue\nextra\n")
    column = fc.categorical_column_with_vocabulary_file("color", str(path), vocabulary_size=3,
                                                        default_value=0)
    assert column.name == "color" and column._num_buckets == 3
    out = fc.input_layer(_features(), [fc.indicator_column(column)])
    with tf.Session() as sess:   # pink is out of vocabulary: default id 0
        np.testing.assert_array_equal(sess.run(out), [[1, 0, 0], [0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="Missing vocabulary_file in color"):
        fc.categorical_column_with_vocabulary_file("color", "")
    with pytest.raises(ValueError, match="Can't specify both num_oov_buckets and default_"):
        fc.categorical_column_with_vocabulary_file("color", str(path), num_oov_buckets=1,
                                                   default_value=0)


def test_crossed_column_ids_are_tensorflows():
    # TensorFlow 2.21 (compat.v1) input_layer gives these active indices per column.
    fc = tf.feature_column
    with tf.Graph().as_default():
        features = {"city": tf.constant([["paris"], ["rome"], ["oslo"]]),
                    "age": tf.constant([[31], [45], [12]], tf.int64),
                    "kind": tf.constant([["b"], ["a"], ["zz"]])}
        kind = fc.categorical_column_with_vocabulary_list("kind", ["a", "b"])
        cross = fc.crossed_column(["city", "age"], 1000)
        nested = fc.crossed_column([cross, kind], 50)
        keyed = fc.crossed_column(["city", kind], 30, hash_key=77)
        layers = [fc.input_layer(features, [fc.indicator_column(c)])
                  for c in (cross, nested, keyed)]
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            values = sess.run(layers)
    assert [np.argwhere(v)[:, 1].tolist() for v in values] == [[821, 853, 968], [23, 11, 8],
                                                               [16, 25, 7]]
