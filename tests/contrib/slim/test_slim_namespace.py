"""tf.contrib.slim: the namespace, repeat/stack, utils, and the checkpoint assignment
helpers of fine-tuning (assign_from_checkpoint(_fn), assign_from_values(_fn))."""
import numpy as np
import pytest
from tensorboard.compat.proto import summary_pb2

import tfcompat as tf

slim = tf.contrib.slim


def test_namespace_reexports_layers_framework_and_modules():
    assert slim.conv2d is tf.contrib.layers.conv2d
    assert slim.arg_scope is tf.contrib.framework.arg_scope
    assert slim.get_variables_to_restore is tf.contrib.framework.get_variables_to_restore
    assert slim.l2_regularizer is tf.contrib.layers.l2_regularizer
    assert slim.losses is tf.contrib.losses and slim.metrics is tf.contrib.metrics
    for module in ("learning", "evaluation", "queues", "nets", "utils"):
        assert getattr(slim, module).__name__.startswith("tfcompat.contrib")
    assert "conv2d" in slim.__all__ and "assign_from_checkpoint_fn" in slim.__all__


@pytest.mark.parametrize("name", ["conv2d_in_plane"])
def test_missing_names_raise_not_implemented(name):
    with pytest.raises(AttributeError, match=f"does not implement tf.contrib.slim.{name} yet"):
        getattr(slim, name)


def test_repeat_and_stack_scopes_and_end_points():
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [2, 8, 8, 3])
        with slim.arg_scope([slim.conv2d], outputs_collections="ends"):
            net = slim.repeat(images, 2, slim.conv2d, 4, [3, 3], scope="conv1")
        net = slim.stack(slim.flatten(net), slim.fully_connected, [5, (6,)], scope="fc")
        names = [v.op.name for v in slim.get_model_variables()]
        assert names == ["conv1/conv1_1/weights", "conv1/conv1_1/biases",
                         "conv1/conv1_2/weights", "conv1/conv1_2/biases",
                         "fc/fc_1/weights", "fc/fc_1/biases", "fc/fc_2/weights",
                         "fc/fc_2/biases"]
        assert net.shape.as_list() == [2, 6]
        ends = slim.utils.convert_collection_to_dict("ends")
        assert list(ends) == ["conv1/conv1_1", "conv1/conv1_2"]
        with pytest.raises(ValueError, match="stack_args need to be a list or tuple"):
            slim.stack(net, slim.fully_connected, 3)


def test_utils_shape_helpers_and_one_hot_softmax():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3, 5])
        assert slim.utils.last_dimension(x.shape, min_rank=3) == 5
        with pytest.raises(ValueError, match="rank of shape must be at least 4 not: 3"):
            slim.utils.last_dimension(x.shape, min_rank=4)
        assert slim.utils.two_element_tuple(3) == (3, 3)
        assert slim.utils.n_positive_integers(2, [1, 2]) == (1, 2)
        probabilities = slim.softmax(x)
        one_hot = slim.one_hot_encoding(tf.constant([0, 2]), 3)
        with tf.Session() as sess:
            value = np.random.RandomState(0).randn(2, 3, 5).astype(np.float32)
            got, hot = sess.run([probabilities, one_hot], {x: value})
        expected = np.exp(value) / np.exp(value).sum(-1, keepdims=True)
        np.testing.assert_allclose(got, expected, rtol=1e-5)
        np.testing.assert_array_equal(hot, [[1, 0, 0], [0, 0, 1]])
        assert one_hot.op.name.startswith("OneHotEncoding/")


def _save_model(path):
    with tf.Graph().as_default():
        slim.model_variable("net/w", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0]]))
        slim.model_variable("net/b", initializer=tf.constant([5.0, 6.0]))
        slim.model_variable("head/w", initializer=tf.constant([7.0]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return tf.train.Saver().save(sess, path)


def test_assign_from_checkpoint_and_fn_with_exclude(tmp_path):
    ckpt = _save_model(str(tmp_path / "model.ckpt"))
    with tf.Graph().as_default():
        w = slim.model_variable("net/w", shape=[2, 2], initializer=tf.zeros_initializer())
        b = slim.model_variable("net/b", shape=[2], initializer=tf.zeros_initializer())
        head = slim.model_variable("head/w", shape=[3], initializer=tf.zeros_initializer())
        extra = slim.model_variable("new/v", shape=[1], initializer=tf.zeros_initializer())
        restore = slim.get_variables_to_restore(exclude=["head"])
        assert restore == [w, b, extra]
        assign_op, feed = slim.assign_from_checkpoint(ckpt, restore[:2])
        assert sorted(p.op.name for p in feed) == ["placeholder/net/b", "placeholder/net/w"]
        init_fn = slim.assign_from_checkpoint_fn(ckpt, restore, ignore_missing_vars=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(assign_op, feed)
            np.testing.assert_array_equal(sess.run(w), [[1, 2], [3, 4]])
            sess.run(tf.global_variables_initializer())
            init_fn(sess)
            np.testing.assert_array_equal(sess.run(b), [5, 6])
            np.testing.assert_array_equal(sess.run(head), [0, 0, 0])
        with pytest.raises(ValueError, match=r"Checkpoint is missing variable \[new/v\]"):
            slim.assign_from_checkpoint(ckpt, [extra])
        with pytest.raises(ValueError, match="Total size of new array must be unchanged"):
            slim.assign_from_checkpoint(ckpt, [head])
        with pytest.raises(ValueError, match="var_list cannot be empty"):
            slim.assign_from_checkpoint_fn(ckpt, [])
        assert slim.assign_from_checkpoint_fn(ckpt, [extra], ignore_missing_vars=True) is None


def test_assign_from_checkpoint_fn_reshapes_when_asked(tmp_path):
    ckpt = _save_model(str(tmp_path / "model.ckpt"))
    with tf.Graph().as_default():
        w = slim.model_variable("net/w", shape=[4], initializer=tf.zeros_initializer())
        init_fn = slim.assign_from_checkpoint_fn(ckpt, [w], reshape_variables=True)
        with tf.Session() as sess:
            init_fn(sess)
            np.testing.assert_array_equal(sess.run(w), [1, 2, 3, 4])


def test_assign_from_values_fn_and_local_variable():
    with tf.Graph().as_default():
        w = slim.variable("w", shape=[2, 2], initializer=tf.zeros_initializer())
        counter = slim.local_variable(3)
        assert counter in tf.local_variables() and counter not in tf.global_variables()
        init_fn = slim.assign_from_values_fn({"w": np.arange(4.0)})
        with pytest.raises(ValueError, match="Variable nope wasn't found"):
            slim.assign_from_values({"nope": np.zeros(1)})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.local_variables_initializer())
            init_fn(sess)
            np.testing.assert_array_equal(sess.run(w), [[0, 1], [2, 3]])
            assert sess.run(counter) == 3
        kept = slim.filter_variables([w], include_patterns=["w"], exclude_patterns=["x"])
        assert kept == [w]


def test_model_analyzer_prints_variable_and_op_sizes(capsys):
    with tf.Graph().as_default() as graph:
        slim.conv2d(tf.placeholder(tf.float32, [2, 8, 8, 1]), 8, [3, 3], scope="conv1")
        total = slim.model_analyzer.analyze_vars(slim.get_model_variables(), print_info=True)
        assert total == (80, 320)
        assert slim.model_analyzer.analyze_ops(graph) >= 2 * 8 * 8 * 8
    out = capsys.readouterr().out
    assert "conv1/weights:0 (float32_ref 3x3x1x8) [72, bytes: 288]" in out
    assert "Total bytes of variables: 320" in out


def test_summaries_names_collections_and_print():
    with tf.Graph().as_default():
        relu = tf.nn.relu(tf.constant([[-1.0, 2.0], [3.0, -4.0]]), name="act")
        histogram = slim.summaries.add_histogram_summary(relu, prefix="h")
        zero = slim.summaries.add_zero_fraction_summary(relu)
        printed = slim.summaries.add_scalar_summary(tf.reduce_sum(relu), name="total",
                                                    print_summary=True)
        assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [histogram, zero, printed]
        assert printed.op.type == "Print"
        with tf.Session() as sess:
            merged = summary_pb2.Summary.FromString(sess.run(tf.summary.merge([histogram, zero])))
            values = {v.tag: v for v in merged.value}
            assert set(values) == {"h/act", "act/Fraction_of_Zero_Values"}
            assert values["act/Fraction_of_Zero_Values"].simple_value == 0.5
            assert summary_pb2.Summary.FromString(sess.run(printed)).value[0].simple_value == 5.0
