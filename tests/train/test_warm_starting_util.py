"""tf.train.warm_start and tf.train.VocabInfo: plain variables load their (or a renamed)
checkpoint tensor; vocabulary variables remap rows (axis 0, with old_vocab_size and OOV
buckets) or columns (axis 1) by token, missing entries from the backup initializer (the
expected matrices are what TensorFlow 2.21's compat.v1 warm_start gives); the selection
forms of vars_to_warm_start and TF's errors."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture
def previous(tmp_path):
    (tmp_path / "old.txt").write_text("a\nb\nc\nd\n")
    (tmp_path / "new.txt").write_text("c\nx\na\nd\n")
    with tf.Graph().as_default():
        tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="emb")
        tf.Variable(np.arange(8, dtype=np.float32).reshape(2, 4), name="w")
        tf.Variable([7.0], name="b")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
    return tmp_path


def _new_graph():
    tf.reset_default_graph()
    ones = tf.ones_initializer()
    return (tf.get_variable("emb", [4, 2], initializer=ones),
            tf.get_variable("w2", [2, 4], initializer=ones),
            tf.get_variable("b", [1], initializer=ones))


def test_vocab_remapping_matches_tensorflow(previous):
    emb, w, b = _new_graph()
    tf.train.warm_start(
        str(previous / "model.ckpt"), vars_to_warm_start=".*",
        var_name_to_vocab_info={
            "emb": tf.train.VocabInfo(str(previous / "new.txt"), 3, 1, str(previous / "old.txt"),
                                      old_vocab_size=3),
            "w2": tf.train.VocabInfo(str(previous / "new.txt"), 4, 0, str(previous / "old.txt"),
                                     axis=1)},
        var_name_to_prev_var_name={"w2": "w"})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(emb), [[4, 5], [0, 0], [0, 1], [0, 0]])
        np.testing.assert_array_equal(sess.run(w), [[2, 0, 0, 3], [6, 0, 4, 7]])
        np.testing.assert_array_equal(sess.run(b), [7])


def test_backup_initializer_and_selection(previous):
    emb, w, b = _new_graph()
    info = tf.train.VocabInfo(str(previous / "new.txt"), 3, 1, str(previous / "old.txt"),
                              backup_initializer=tf.constant_initializer(0.5))
    tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start=None,
                        var_name_to_vocab_info={"emb": info})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(emb), [[4, 5], [.5, .5], [0, 1], [.5, .5]])
        np.testing.assert_array_equal(sess.run(b), [1])  # None: only vocabulary variables
    emb, w, b = _new_graph()
    tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start=[b])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(b) == [7] and sess.run(emb).tolist() == [[1, 1]] * 4


def test_errors(previous):
    _new_graph()
    with pytest.raises(ValueError, match="The only supported values for the axis argument are "
                                         "0 and 1.  Provided axis: 2"):
        tf.train.VocabInfo("n", 1, 0, "o", axis=2)
    with pytest.raises(ValueError, match="var_name_to_prev_var_name that were not used: "
                                         r"\{'missing'\}"):
        tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start="b",
                            var_name_to_prev_var_name={"missing": "x"})
    with pytest.raises(ValueError, match="If `vars_to_warm_start` is a list, it must be all "
                                         "`Variable` or all `str`"):
        tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start=["b", 3])
    with pytest.raises(ValueError, match="Tensor w2 is not found in"):
        tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start="w2")


def test_partitioned_variables_warm_start_by_slices(previous):
    """Parts group under their variable's name; each loads or remaps its slice."""
    tf.reset_default_graph()
    ones = tf.ones_initializer()
    emb = tf.get_variable("emb", [4, 2], initializer=ones,
                          partitioner=tf.fixed_size_partitioner(3))
    w = tf.get_variable("w2", [2, 4], initializer=ones,
                        partitioner=tf.fixed_size_partitioner(2))
    plain = tf.get_variable("w", [2, 4], initializer=ones,
                            partitioner=tf.fixed_size_partitioner(2))
    tf.train.warm_start(
        str(previous / "model.ckpt"), vars_to_warm_start=[".*"],
        var_name_to_vocab_info={
            "emb": tf.train.VocabInfo(str(previous / "new.txt"), 3, 1, str(previous / "old.txt"),
                                      old_vocab_size=3),
            "w2": tf.train.VocabInfo(str(previous / "new.txt"), 4, 0, str(previous / "old.txt"),
                                     axis=1)},
        var_name_to_prev_var_name={"w2": "w"})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(emb.as_tensor()),
                                      [[4, 5], [0, 0], [0, 1], [0, 0]])
        np.testing.assert_array_equal(sess.run(w.as_tensor()), [[2, 0, 0, 3], [6, 0, 4, 7]])
        np.testing.assert_array_equal(sess.run(plain.as_tensor()),
                                      np.arange(8).reshape(2, 4))


def test_partitioned_vocab_variable_split_along_columns_is_refused(previous):
    tf.reset_default_graph()
    tf.get_variable("w2", [2, 4], partitioner=tf.fixed_size_partitioner(2, axis=1))
    info = tf.train.VocabInfo(str(previous / "new.txt"), 4, 0, str(previous / "old.txt"), axis=1)
    with pytest.raises(ValueError, match=r"Expected 2nd dim of shape to be new_col_vocab_size "
                                         r"\(4\) \+ num_col_oov_buckets \(0\) = 4, but received "
                                         r"shape: \[2, 2\]"):
        tf.train.warm_start(str(previous / "model.ckpt"), vars_to_warm_start=None,
                            var_name_to_vocab_info={"w2": info},
                            var_name_to_prev_var_name={"w2": "w"})
