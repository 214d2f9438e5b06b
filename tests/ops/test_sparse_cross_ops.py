"""tf.sparse.cross / cross_hashed: crosses of sparse and dense string/int64 inputs, in TF's
order, with TF's FingerprintCat64 hashes (expected values printed by TensorFlow 2.21)."""
import pytest

import tfcompat as tf


def _parts(value):
    return value.indices.tolist(), value.values.tolist(), value.dense_shape.tolist()


def test_crosses_match_tensorflow():
    with tf.Graph().as_default():
        a = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2])
        b = tf.SparseTensor([[0, 0], [1, 0]], ["d", "e"], [2, 1])
        c = tf.constant([["f"], ["g"]])
        n = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant([7, -3, 12], tf.int64),
                            [2, 3])
        crosses = [tf.sparse.cross([a, b, c]), tf.sparse.cross_hashed([a, b, c]),
                   tf.sparse.cross_hashed([a, b, c], num_buckets=1000),
                   tf.sparse.cross_hashed([a, b, c], hash_key=12345),
                   tf.sparse.cross([a, n]), tf.sparse.cross_hashed([n, c], num_buckets=97),
                   tf.sparse.cross_hashed([a])]
        assert crosses[0].indices.op.type == "SparseCross"
        with tf.Session() as sess:
            got = [_parts(v) for v in sess.run(crosses)]
    three = [[0, 0], [1, 0], [1, 1]]
    assert got[0] == (three, [b"a_X_d_X_f", b"b_X_e_X_g", b"c_X_e_X_g"], [2, 2])
    assert got[1] == (three, [5684865645872741371, 1392610987527938559,
                              6629649657679214674], [2, 2])
    assert got[2] == (three, [178, 366, 674], [2, 2])
    assert got[3] == (three, [5852850068685742274, 4737120951455595692,
                              3190808656999449650], [2, 2])
    assert got[4] == ([[0, 0], [1, 0], [1, 1], [1, 2], [1, 3]],
                      [b"a_X_7", b"b_X_-3", b"b_X_12", b"c_X_-3", b"c_X_12"], [2, 4])
    assert got[5] == (three, [18, 35, 45], [2, 2])
    assert got[6][1] == [3550520439517529108, 5701958020731327761, 5287514571041673476]


def test_cross_errors():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="string or int64"):
            tf.sparse.cross([tf.constant([[1.0]])])
        rows = tf.sparse.cross([tf.constant([["a"], ["b"]]), tf.constant([["c"]])])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="batch size"):
                sess.run(rows)
