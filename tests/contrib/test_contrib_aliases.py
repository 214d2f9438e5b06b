"""Small tf.contrib aliases: contrib.framework.nest, contrib.util, contrib.stateless and the
deprecated summary functions of contrib.deprecated (tags unprefixed, TF's default op names)."""
import types

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib import proto_wire as pw
from tfcompat.lib import summary_proto


def test_framework_nest_is_tf_nest():
    nest = tf.contrib.framework.nest
    structure = {"b": [1, (2, 3)], "a": 0}
    assert nest.flatten(structure) == [0, 1, 2, 3]
    assert nest.map_structure(lambda v: v * 2, structure) == {"b": [2, (4, 6)], "a": 0}
    assert nest.is_sequence([1]) and not nest.is_sequence(1)


def test_util_tensor_protos_constant_value_and_ops_used():
    util = tf.contrib.util
    proto = util.make_tensor_proto([[1.0, 2.0]])
    np.testing.assert_array_equal(util.make_ndarray(proto), np.float32([[1, 2]]))
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [2], name="x")
        folded = tf.shape(x)
        tf.add(tf.matmul(tf.reshape(x, [1, 2]), tf.ones([2, 1])), 1.0)
        np.testing.assert_array_equal(util.constant_value(folded), [2])
        assert util.constant_value(x) is None
        used = util.ops_used_by_graph_def(graph.as_graph_def())
    assert sorted(used) == ["Add", "Const", "MatMul", "Placeholder", "Reshape", "Shape"]
    with pytest.raises(AttributeError, match="does not implement tf.contrib.util"):
        util.stripped_op_list_for_graph  # noqa: B018


def test_stateless_matches_tf_random_stateless():
    stateless = tf.contrib.stateless
    with tf.Graph().as_default(), tf.Session() as sess:
        seed = tf.constant([1, 2], tf.int64)
        ours = [stateless.stateless_random_uniform([3], seed),
                stateless.stateless_random_normal([3], seed),
                stateless.stateless_truncated_normal([3], seed),
                stateless.stateless_multinomial([[0.0, 0.0]], 4, seed)]
        reference = [tf.random.stateless_uniform([3], seed),
                     tf.random.stateless_normal([3], seed),
                     tf.random.stateless_truncated_normal([3], seed),
                     tf.random.stateless_multinomial([[0.0, 0.0]], 4, seed)]
        for got, want in zip(sess.run(ours), sess.run(reference), strict=True):
            np.testing.assert_array_equal(got, want)
        op_types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"StatelessRandomUniform", "StatelessMultinomial"} <= op_types


def _values(serialized):
    """{tag: simple_value or None} of a serialized Summary."""
    values = [summary_proto._parse_value(raw) for number, _, raw in pw.iter_fields(serialized)
              if number == 1]
    return {value["tag"]: value.get("simple_value") for value in values}


def test_deprecated_summaries():
    deprecated = tf.contrib.deprecated
    with tf.Graph().as_default(), tf.Session() as sess:
        with tf.name_scope("scope"):
            scalars = deprecated.scalar_summary(["a", "b"], tf.constant([1.0, 2.5]))
            histogram = deprecated.histogram_summary("h", tf.constant([1.0, 2.0, 3.0]),
                                                     name="hist")
            image = deprecated.image_summary("img", tf.zeros([2, 4, 4, 1]), max_images=1)
            audio = deprecated.audio_summary("snd", tf.zeros([1, 8]), 8000)
        assert scalars.op.name == "scope/ScalarSummary"
        assert histogram.op.name == "scope/hist"
        assert (image.op.type, audio.op.type) == ("ImageSummary", "AudioSummaryV2")
        assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [scalars, histogram, image, audio]
        merged = deprecated.merge_all_summaries()
        assert merged.op.name == "MergeSummary"
        values = _values(sess.run(merged))
        explicit = _values(sess.run(deprecated.merge_summary([scalars, histogram])))
    assert sorted(values) == ["a", "b", "h", "img/image", "snd/audio/0"]
    assert (values["a"], values["b"]) == (1.0, 2.5)
    assert sorted(explicit) == ["a", "b", "h"]
    with tf.Graph().as_default():
        assert deprecated.merge_all_summaries() is None


def test_ops_used_by_graph_def_follows_function_calls():
    node = types.SimpleNamespace
    library = {"outer_fn": node(nodes=[node(op="inner_fn"), node(op="Mul")]),
               "inner_fn": node(nodes=[node(op="Sqrt")]),
               "unused_fn": node(nodes=[node(op="Exp")])}
    graph_def = node(node=[node(op="Placeholder"), node(op="outer_fn")], library=library)
    assert sorted(tf.contrib.util.ops_used_by_graph_def(graph_def)) == [
        "Mul", "Placeholder", "Sqrt"]
