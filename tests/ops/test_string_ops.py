"""String ops: formatting, joining, splitting, substrings, regexes, hash buckets (values
computed with TensorFlow 2.21's tf.compat.v1 ops), number parsing, tf.strings.format."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib.string_hash import fingerprint64, siphash24

WORDS = [b"", b"a", b"hello", b"0123456789abcdef", b"the quick brown fox jumps", b"x" * 40,
         b"y" * 64, b"lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
         b"tempor incididunt", b"z" * 129, bytes(range(200))]
# TensorFlow's string_to_hash_bucket_fast(WORDS, 2**62) and _strong(WORDS, 2**62, [1, 2]) for
# the first 8 words, and with 1000003 buckets (strong key [7, 99]) for the last two.
TF_FAST = [1936946117179621455, 3694432073954588131, 3786372426573024488,
           1493332391325024359, 1388962031143230994, 3168538174772821140,
           4471793200125962424, 1005983100216491264]
TF_STRONG = [443797209252341627, 546566331822570742, 2957200328589801622,
             2696401170605352036, 564122078832430147, 620143099891017215,
             1169733625819952541, 435434491860532444]


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_hash_buckets_match_tensorflow():
    assert [fingerprint64(w) % 2**62 for w in WORDS[:8]] == TF_FAST
    assert [siphash24([1, 2], w) % 2**62 for w in WORDS[:8]] == TF_STRONG
    with tf.Graph().as_default():
        fast = tf.string_to_hash_bucket_fast(WORDS[8:], 1000003)
        strong = tf.strings.to_hash_bucket_strong(WORDS[8:], 1000003, [7, 99])
        assert fast.op.type == "StringToHashBucketFast" and fast.dtype == tf.int64
        fast_v, strong_v = _run([fast, strong])
    np.testing.assert_array_equal(fast_v, [629295, 568369])
    np.testing.assert_array_equal(strong_v, [421978, 876461])
    with pytest.raises(ValueError, match="num_buckets"):
        tf.string_to_hash_bucket_fast(["a"], 0)


def test_as_string_formats():
    with tf.Graph().as_default():
        out = _run([tf.as_string([3.14159, -2.0, 1e10]),
                    tf.as_string([3.14159], precision=2),
                    tf.as_string([3.14159], scientific=True),
                    tf.as_string([3.14159, 1e-7], shortest=True),
                    tf.as_string([7, -3], width=4, fill="0"),
                    tf.as_string([True, False])])
    assert out[0].tolist() == [b"3.141590", b"-2.000000", b"10000000000.000000"]
    assert out[1].tolist() == [b"3.14"] and out[2].tolist() == [b"3.141590e+00"]
    assert out[3].tolist() == [b"3.14159", b"1e-07"]
    assert out[4].tolist() == [b"0007", b"-003"] and out[5].tolist() == [b"true", b"false"]
    with pytest.raises(ValueError, match="both scientific and shortest"):
        tf.as_string([1.0], scientific=True, shortest=True)


def test_join_reduce_join_substr_strip_length():
    with tf.Graph().as_default():
        joined = tf.string_join([["a", "b"], "x"], separator="-")
        rows = tf.reduce_join([[b"a", b"b"], [b"c", b"d"]], axis=1, separator=b"-")
        everything = tf.reduce_join([[b"a", b"b"], [b"c", b"d"]])
        kept = tf.reduce_join([[b"a", b"b"], [b"c", b"d"]], axis=0, keep_dims=True)
        assert rows.shape.as_list() == [2] and kept.shape.as_list() == [1, 2]
        sub = tf.substr([b"hello", b"world"], [1, -3], [3, 5])
        stripped = tf.strings.strip(["  a b \n"])
        lengths = tf.strings.length(["", "abc"])
        values = _run([joined, rows, everything, kept, sub, stripped, lengths])
    assert values[0].tolist() == [b"a-x", b"b-x"]
    assert values[1].tolist() == [b"a-b", b"c-d"] and values[2] == b"abcd"
    assert values[3].tolist() == [[b"ac", b"bd"]]
    assert values[4].tolist() == [b"ell", b"rld"] and values[5].tolist() == [b"a b"]
    assert values[6].tolist() == [0, 3]
    with tf.Graph().as_default():
        bad = tf.substr(["abc"], [5], [1])
        with pytest.raises(tf.errors.InvalidArgumentError, match="pos 5 out of range"):
            _run(bad)


def test_regex_ops():
    with tf.Graph().as_default():
        every = tf.regex_replace(["aaa bab"], "a+", r"<\0>")
        first = tf.strings.regex_replace(["aaa bab"], "(a)+", r"<\1>", replace_global=False)
        swapped = tf.regex_replace(["ab"], "(a)(b)", r"\2\1")
        matches = tf.strings.regex_full_match(["abc", "abcd"], "a.c")
        values = _run([every, first, swapped, matches])
    assert values[0].tolist() == [b"<aaa> b<a>b"] and values[1].tolist() == [b"<a> bab"]
    assert values[2].tolist() == [b"ba"] and values[3].tolist() == [True, False]
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid pattern"):
            _run(tf.regex_replace(["a"], "(", "x"))


def test_splits_give_sparse_tensors():
    with tf.Graph().as_default():
        split = tf.string_split([b"a b  c", b"d"])
        characters = tf.string_split(["ab"], delimiter="")
        kept_empty = tf.strings.split([b"a,b,,c"], sep=",")
        whitespace = tf.strings.split([b" a  b "])
        values = _run([split, characters, kept_empty, whitespace])
    assert values[0].indices.tolist() == [[0, 0], [0, 1], [0, 2], [1, 0]]
    assert values[0].values.tolist() == [b"a", b"b", b"c", b"d"]
    assert values[0].dense_shape.tolist() == [2, 3]
    assert values[1].values.tolist() == [b"a", b"b"]
    assert values[2].values.tolist() == [b"a", b"b", b"", b"c"]
    assert values[3].values.tolist() == [b"a", b"b"] and values[3].dense_shape.tolist() == [1, 2]


def test_string_to_number():
    with tf.Graph().as_default():
        floats = tf.string_to_number([b"3.5", b"-1e3", b" 7"])
        ints = tf.strings.to_number(["12", "-4"], out_type=tf.int64)
        assert floats.dtype == tf.float32 and ints.dtype == tf.int64
        floats_v, ints_v = _run([floats, ints])
        np.testing.assert_array_equal(floats_v, [3.5, -1000.0, 7.0])
        np.testing.assert_array_equal(ints_v, [12, -4])
        with pytest.raises(tf.errors.InvalidArgumentError, match="could not correctly convert "
                                                                 "string: abc"):
            _run(tf.string_to_number(["abc"]))


def test_strings_format_prints_like_tensorflow():
    with tf.Graph().as_default():
        values = _run([tf.strings.format("x={} y={}", [tf.constant([1, 2, 3]),
                                                        tf.constant(2.5)]),
                       tf.strings.format("{}", [tf.constant([[1.5, 2], [3, 4]])]),
                       tf.strings.format("{}", tf.constant(np.arange(10))),
                       tf.strings.format("{}", [tf.constant([b"ab", b"c"])])])
    assert values == [b"x=[1 2 3] y=2.5", b"[[1.5 2]\n [3 4]]", b"[0 1 2 ... 7 8 9]",
                      b'["ab" "c"]']
    with pytest.raises(ValueError, match="placeholder"):
        tf.strings.format("{} {}", [tf.constant(1)])


def test_legacy_hash_bucket_and_base64_match_tensorflow():
    words = [b"", b"a", b"hello", b"0123456789abcdef", b"the quick brown fox jumps",
             bytes(range(200)), b"\xff\xfe"]
    # TensorFlow's string_to_hash_bucket(words, 2**62) (TF's own Hash64).
    expected = [105434511174508091, 2996632905371535868, 1331861223480393034,
                1490712428580208486, 3703650558349189930, 4185538572715980330,
                1843735224854915352]
    with tf.Graph().as_default():
        buckets = tf.strings.to_hash_bucket(words, 2**62)
        assert buckets.op.type == "StringToHashBucket"
        encoded = tf.io.encode_base64([b"hi?>", b"abcd"])
        padded = tf.encode_base64([b"hi?>"], pad=True)
        decoded = tf.decode_base64([b"aGk_Pg", b"aGk_Pg=="])
        values = _run([buckets, encoded, padded, decoded])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid character"):
            _run(tf.decode_base64(["a+b/"]))
    assert values[0].tolist() == expected
    assert values[1].tolist() == [b"aGk_Pg", b"YWJjZA"] and values[2].tolist() == [b"aGk_Pg=="]
    assert values[3].tolist() == [b"hi?>", b"hi?>"]


def test_fingerprint_as_tensorflow():
    # The bytes TensorFlow 2.21 prints for the same inputs.
    with tf.Graph().as_default():
        words = tf.fingerprint(tf.constant(["hello", "",
                                            "a longer string of text for hashing purposes!!"]))
        numbers = tf.fingerprint(tf.constant([[1, 2], [3, 4]], tf.int32))
        floats = tf.fingerprint(tf.constant([[[1.5], [2.5]]], tf.float32))
        pairs = tf.fingerprint(tf.constant([["ab", "c"], ["d", "e"]]))
        assert words.op.type == "Fingerprint" and words.shape.as_list() == [3, 8]
        with pytest.raises(ValueError, match="Shape must be at least rank 1"):
            tf.fingerprint(tf.constant(1.0))
        with tf.Session() as sess:
            got = [v.tolist() for v in sess.run([words, numbers, floats, pairs])]
    assert got[0] == [[232, 12, 56, 49, 169, 229, 139, 180], [79, 64, 144, 47, 59, 106, 225, 154],
                      [11, 218, 199, 36, 250, 251, 95, 113]]
    assert got[1] == [[76, 18, 253, 133, 168, 204, 240, 10], [254, 162, 60, 240, 103, 244, 53,
                                                               255]]
    assert got[2] == [[159, 245, 221, 58, 27, 233, 225, 143]]
    assert got[3] == [[65, 83, 39, 149, 164, 245, 170, 22], [234, 62, 180, 96, 191, 13, 17, 56]]
