"""slim.nets (vgg, alexnet, overfeat, inception_v1/v3, resnet_v1, resnet_v2): variable
names/shapes, end_points and outputs equal those of the maintained tf-slim package on TensorFlow
(tests/golden/make_slim_nets_golden.py), and tiny ResNets restore a TF checkpoint by name and
compute TF's logits."""
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.contrib.slim.nets import (alexnet, inception, inception_v1, inception_v3,
                                        overfeat, resnet_utils, resnet_v1, resnet_v2, vgg)

slim = tf.contrib.slim
GOLDEN = Path(__file__).resolve().parents[2] / "golden"
NETS = json.loads(gzip.decompress((GOLDEN / "slim_nets_golden.json.gz").read_bytes()))
CASES = {"vgg_a": (vgg.vgg_a, vgg.vgg_arg_scope), "vgg_16": (vgg.vgg_16, vgg.vgg_arg_scope),
         "vgg_19": (vgg.vgg_19, vgg.vgg_arg_scope),
         "vgg_16_fcn": (vgg.vgg_16, vgg.vgg_arg_scope),
         "alexnet_v2": (alexnet.alexnet_v2, alexnet.alexnet_v2_arg_scope),
         "overfeat": (overfeat.overfeat, overfeat.overfeat_arg_scope),
         "resnet_v1_50": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope),
         "resnet_v1_50_os8": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope),
         "resnet_v2_50": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope),
         "resnet_v2_50_logits": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope),
         "inception_v1": (inception_v1.inception_v1, inception_v1.inception_v1_arg_scope),
         "inception_v1_base_4d": (inception_v1.inception_v1_base,
                                  inception_v1.inception_v1_arg_scope),
         "inception_v3": (inception.inception_v3, inception.inception_v3_arg_scope),
         "inception_v3_small": (inception_v3.inception_v3, inception_v3.inception_v3_arg_scope),
         "inception_v3_base_6a": (inception_v3.inception_v3_base,
                                  inception_v3.inception_v3_arg_scope)}


def test_every_golden_net_is_tested():
    assert set(CASES) == set(NETS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_variables_end_points_and_output_match_tf_slim(name):
    function, arg_scope = CASES[name]
    golden = NETS[name]
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [2, golden["size"], golden["size"], 3])
        with slim.arg_scope(arg_scope()):
            net, end_points = function(images, **golden["kwargs"])
        assert [[v.op.name, v.shape.as_list()] for v in tf.global_variables()] == \
            golden["variables"]
        assert len(slim.get_model_variables()) == golden["model_variables"]
        assert [[k, t.shape.as_list()] for k, t in end_points.items()] == \
            golden["end_points"]
        assert net.shape.as_list() == golden["output"]
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == golden["update_ops"]
        assert len(tf.get_collection("moving_vars")) == golden["moving_vars"]


def test_module_attributes_and_errors():
    assert resnet_v1.resnet_v1_101.__name__ == "resnet_v1_101"
    assert vgg.vgg_d is vgg.vgg_16 and vgg.vgg_16.default_image_size == 224
    assert slim.nets.resnet_v2 is resnet_v2
    with pytest.raises(AttributeError, match="does not implement "
                                             "tf.contrib.slim.nets.inception.inception_v2 yet"):
        assert inception.inception_v2 is None
    with pytest.raises(AttributeError, match="does not implement tf.contrib.slim.nets.nasnet"):
        assert slim.nets.nasnet is None
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [1, 64, 64, 3])
        with pytest.raises(ValueError, match="The output_stride needs to be a multiple of 4."):
            resnet_v1.resnet_v1_50(images, output_stride=6)
        with pytest.raises(ValueError, match="The target output_stride cannot be reached."):
            resnet_v2.resnet_v2_50(images, output_stride=64)
        with pytest.raises(ValueError, match="depth_multiplier is not greater than zero."):
            inception.inception_v3(images, depth_multiplier=0)
        with pytest.raises(ValueError, match="Unknown final endpoint Mixed_9z"):
            inception_v3.inception_v3_base(tf.placeholder(tf.float32, [1, 150, 150, 3]),
                                           final_endpoint="Mixed_9z")
        with pytest.raises(ValueError, match="Unknown final endpoint Mixed_9z"):
            inception_v1.inception_v1_base(images, final_endpoint="Mixed_9z")
    assert inception_v3.inception_v3.default_image_size == 299


def _tiny_resnet(module, images, output_stride=None):
    blocks = [resnet_utils.Block("block1", module.bottleneck, [
        {"depth": 8, "depth_bottleneck": 2, "stride": 1},
        {"depth": 8, "depth_bottleneck": 2, "stride": 2}]),
        resnet_utils.Block("block2", module.bottleneck, [
            {"depth": 12, "depth_bottleneck": 4, "stride": 1}])]
    function = module.resnet_v1 if module is resnet_v1 else module.resnet_v2
    name = module.__name__.split(".")[-1]
    with slim.arg_scope(module.resnet_arg_scope()):
        return function(images, blocks, num_classes=3, is_training=False,
                        output_stride=output_stride, scope=f"tiny_{name}")


@pytest.mark.parametrize("module", [resnet_v1, resnet_v2])
def test_tiny_resnet_restores_tf_checkpoint_and_matches_tf_outputs(module):
    name = module.__name__.split(".")[-1]
    outputs = np.load(GOLDEN / "slim_nets_ckpt" / "outputs.npz")
    with tf.Graph().as_default():
        logits, end_points = _tiny_resnet(module, tf.constant(outputs["images"]))
        init_fn = slim.assign_from_checkpoint_fn(
            str(GOLDEN / "slim_nets_ckpt" / name / "model.ckpt"),
            slim.get_variables_to_restore())
        with tf.Session() as sess:
            init_fn(sess)
            got = sess.run([logits, end_points["predictions"],
                            end_points[f"tiny_{name}/block1"]])
    for value, key in zip(got, ("logits", "predictions", "block1"), strict=True):
        np.testing.assert_allclose(value, outputs[f"{name}/{key}"], rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("module", [resnet_v1, resnet_v2])
def test_tiny_resnet_with_atrous_output_stride_matches_tf(module):
    name = module.__name__.split(".")[-1]
    outputs = np.load(GOLDEN / "slim_nets_ckpt" / "outputs.npz")
    with tf.Graph().as_default():
        _, end_points = _tiny_resnet(module, tf.constant(outputs["images"]), output_stride=4)
        block2 = end_points[f"tiny_{name}/block2"]
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, str(GOLDEN / "slim_nets_ckpt" / name /
                                               "model.ckpt"))
            got = sess.run(block2)
    assert got.shape == (2, 9, 9, 12)
    np.testing.assert_allclose(got, outputs[f"{name}/os4_block2"], rtol=2e-4, atol=2e-5)


def test_tiny_inception_v3_restores_tf_checkpoint_and_matches_tf_outputs():
    outputs = np.load(GOLDEN / "slim_nets_ckpt" / "outputs.npz")
    images = np.repeat(np.repeat(outputs["images"], 4, axis=1), 4, axis=2)[:, :139, :139]
    with tf.Graph().as_default():
        with slim.arg_scope(inception_v3.inception_v3_arg_scope()):
            logits, end_points = inception_v3.inception_v3(
                tf.constant(images), num_classes=3, is_training=False, depth_multiplier=0.02,
                min_depth=1)
        init_fn = slim.assign_from_checkpoint_fn(
            str(GOLDEN / "slim_nets_ckpt" / "inception_v3" / "model.ckpt"),
            slim.get_model_variables())
        with tf.Session() as sess:
            init_fn(sess)
            keys = ("Mixed_5b", "Mixed_6e", "AuxLogits")
            got = sess.run([end_points[key] for key in keys] + [logits])
    for value, key in zip(got, keys + ("logits",), strict=True):
        np.testing.assert_allclose(value, outputs[f"inception_v3/{key}"], rtol=2e-4,
                                   atol=2e-5)
