"""Writes tests/golden/slim_nets_golden.json.gz: for each slim net built by the maintained
tf-slim package on TensorFlow (variables' names and shapes in creation order, end_points'
keys and static shapes), the reference for tests/contrib/slim/test_slim_nets.py.

Run with the scratch TensorFlow venv (tf-slim installed there, never a tfcompat dependency):
    /work/tfvenv/bin/python tests/golden/make_slim_nets_golden.py
"""
import gzip
import json
import sys
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf
import tf_keras.src.legacy_tf_layers as legacy_tf_layers
import tf_slim as slim
from tf_slim.nets import (alexnet, inception_v1, inception_v3, overfeat, resnet_v1,
                          resnet_v2, vgg)

tf.disable_v2_behavior()
# TF 2.21 looks for tf_keras.legacy_tf_layers, which tf_keras 2.21 keeps under tf_keras.src.
sys.modules.setdefault("tf_keras.legacy_tf_layers", legacy_tf_layers)

# name: (function, arg_scope, image size, keyword arguments)
CASES = {
    "vgg_a": (vgg.vgg_a, vgg.vgg_arg_scope, 224, {}),
    "vgg_16": (vgg.vgg_16, vgg.vgg_arg_scope, 224, {}),
    "vgg_19": (vgg.vgg_19, vgg.vgg_arg_scope, 224, {}),
    "vgg_16_fcn": (vgg.vgg_16, vgg.vgg_arg_scope, 256, {"spatial_squeeze": False,
                                                         "num_classes": 10}),
    "alexnet_v2": (alexnet.alexnet_v2, alexnet.alexnet_v2_arg_scope, 224, {}),
    "overfeat": (overfeat.overfeat, overfeat.overfeat_arg_scope, 231, {}),
    "resnet_v1_50": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope, 224, {}),
    "resnet_v1_50_os8": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope, 65,
                         {"num_classes": 7, "global_pool": False, "output_stride": 8}),
    "resnet_v2_50": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope, 224, {}),
    "resnet_v2_50_logits": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope, 64,
                            {"num_classes": 5}),
    "inception_v1": (inception_v1.inception_v1, inception_v1.inception_v1_arg_scope, 224,
                     {}),
    "inception_v1_base_4d": (inception_v1.inception_v1_base,
                             inception_v1.inception_v1_arg_scope, 160,
                             {"final_endpoint": "Mixed_4d"}),
    "inception_v3": (inception_v3.inception_v3, inception_v3.inception_v3_arg_scope, 299,
                     {"num_classes": 1001}),
    "inception_v3_small": (inception_v3.inception_v3, inception_v3.inception_v3_arg_scope,
                           150, {"num_classes": 10, "depth_multiplier": 0.5, "min_depth": 8,
                                 "spatial_squeeze": False}),
    "inception_v3_base_6a": (inception_v3.inception_v3_base,
                             inception_v3.inception_v3_arg_scope, 120,
                             {"final_endpoint": "Mixed_6a"}),
}


def describe(name, function, arg_scope, size, kwargs):
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [2, size, size, 3])
        with slim.arg_scope(arg_scope()):
            net, end_points = function(images, **kwargs)
        return {
            "size": size, "kwargs": kwargs,
            "variables": [[v.op.name, v.shape.as_list()] for v in tf.global_variables()],
            "model_variables": len(slim.get_model_variables()),
            "update_ops": len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            "moving_vars": len(tf.get_collection("moving_vars")),
            "end_points": [[k, t.shape.as_list()] for k, t in end_points.items()],
            "output": net.shape.as_list(),
        }


def tiny_resnet(module, images, output_stride=None):
    """A two-block ResNet small enough to keep its checkpoint in the repository."""
    blocks = [module.resnet_utils.Block("block1", module.bottleneck, [
        {"depth": 8, "depth_bottleneck": 2, "stride": 1},
        {"depth": 8, "depth_bottleneck": 2, "stride": 2}]),
        module.resnet_utils.Block("block2", module.bottleneck, [
            {"depth": 12, "depth_bottleneck": 4, "stride": 1}])]
    function = module.resnet_v1 if module is resnet_v1 else module.resnet_v2
    with slim.arg_scope(module.resnet_arg_scope()):
        return function(images, blocks, num_classes=3, is_training=False,
                        output_stride=output_stride,
                        scope=f"tiny_{module.__name__.split('.')[-1]}")


def tiny_checkpoints(folder):
    """For resnet_v1 and resnet_v2 (and a tiny inception_v3): a checkpoint of a tiny net with
    random values in every variable (batch norm statistics too) and its logits and end_points
    on fixed images; also block2 of the same weights run with output_stride=4 (atrous
    convolutions)."""
    rng = np.random.RandomState(0)
    images_value = rng.uniform(-1, 1, (2, 33, 33, 3)).astype(np.float32)
    outputs = {"images": images_value}
    for module in (resnet_v1, resnet_v2):
        name = module.__name__.split(".")[-1]
        with tf.Graph().as_default():
            images = tf.constant(images_value)
            logits, end_points = tiny_resnet(module, images)
            with tf.Session() as sess:
                for var in tf.global_variables():
                    shape = var.shape.as_list()
                    low = 0.5 if "moving_variance" in var.op.name else -0.5
                    var.load(rng.uniform(low, 1.0, shape).astype(np.float32), sess)
                (folder / name).mkdir(parents=True, exist_ok=True)
                tf.train.Saver().save(sess, str(folder / name / "model.ckpt"),
                                      write_meta_graph=False, write_state=False)
                outputs[f"{name}/logits"] = sess.run(logits)
                outputs[f"{name}/predictions"] = sess.run(end_points["predictions"])
                block1 = f"tiny_{name}/block1"
                outputs[f"{name}/block1"] = sess.run(end_points[block1])
        with tf.Graph().as_default():
            _, end_points = tiny_resnet(module, tf.constant(images_value), output_stride=4)
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, str(folder / name / "model.ckpt"))
                outputs[f"{name}/os4_block2"] = sess.run(end_points[f"tiny_{name}/block2"])
    tiny_inception_v3(folder, images_value, outputs, rng)
    np.savez(folder / "outputs.npz", **outputs)


def tiny_inception_v3(folder, images_value, outputs, rng):
    """A 0.02-depth inception_v3 (batch norm, SAME average pools, concatenations, the
    auxiliary head) with random values, on the same images scaled up to 139x139."""
    images = np.repeat(np.repeat(images_value, 4, axis=1), 4, axis=2)[:, :139, :139]
    with tf.Graph().as_default():
        with slim.arg_scope(inception_v3.inception_v3_arg_scope()):
            logits, end_points = inception_v3.inception_v3(
                tf.constant(images), num_classes=3, is_training=False, depth_multiplier=0.02,
                min_depth=1)
        with tf.Session() as sess:
            for var in tf.global_variables():
                low = 0.5 if "moving_variance" in var.op.name else -0.5
                var.load(rng.uniform(low, 1.0, var.shape.as_list()).astype(np.float32), sess)
            (folder / "inception_v3").mkdir(parents=True, exist_ok=True)
            tf.train.Saver().save(sess, str(folder / "inception_v3" / "model.ckpt"),
                                  write_meta_graph=False, write_state=False)
            for key in ("Mixed_5b", "Mixed_6e", "AuxLogits"):
                outputs[f"inception_v3/{key}"] = sess.run(end_points[key])
            outputs["inception_v3/logits"] = sess.run(logits)


def main():
    golden = {name: describe(name, *case) for name, case in CASES.items()}
    path = Path(__file__).with_name("slim_nets_golden.json.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as out:
        out.write((json.dumps(golden, separators=(",", ":")) + "\n").encode())
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    folder = Path(__file__).with_name("slim_nets_ckpt")
    tiny_checkpoints(folder)
    print(f"wrote {folder}")


if __name__ == "__main__":
    main()
