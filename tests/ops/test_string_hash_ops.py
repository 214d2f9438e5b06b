"""StringToHashBucketFast is farmhash's Fingerprint64 bit for bit (expected values computed
with TensorFlow 2.21's tf.strings.to_hash_bucket_fast(words, 2**62)); AsString formats ints."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import string_hash_ops

WORDS = ["", "a", "ab", "abc", "abcd", "hello", "abcdefgh", "abcdefghijklmnop",
         "abcdefghijklmnopq", "x" * 32, "y" * 33, "z" * 64, "w" * 65,
         "The quick brown fox jumps over the lazy dog, again and again, 128!" * 2, "é"]
TF_BUCKETS = [1936946117179621455, 3694432073954588131, 3066228220894225694,
              2640714258260161385, 1897425971756105985, 3786372426573024488,
              4533385575889643785, 1469030743107030717, 2171023947900359592,
              3678204687145032709, 3999049019338133246, 294799756062990872,
              3272011567211491968, 718249332510491878, 693143013273849025]


def test_string_to_hash_bucket_fast_matches_tensorflow_for_every_length_class():
    tf.reset_default_graph()
    buckets = string_hash_ops.string_to_hash_bucket_fast(np.array(WORDS, dtype=object), 2 ** 62)
    assert buckets.dtype == tf.int64 and buckets.op.type == "StringToHashBucketFast"
    with tf.Session() as sess:
        assert sess.run(buckets).tolist() == TF_BUCKETS


def test_as_string_and_type_errors():
    tf.reset_default_graph()
    text = string_hash_ops.as_string(tf.constant([[-3, 0, 12]], tf.int64))
    with tf.Session() as sess:
        assert sess.run(text).tolist() == [[b"-3", b"0", b"12"]]
    with pytest.raises(TypeError, match="does not match expected type of string"):
        string_hash_ops.string_to_hash_bucket_fast(tf.constant([1]), 3)
