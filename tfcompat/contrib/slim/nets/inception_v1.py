"""slim's Inception v1 / GoogLeNet (TF 1.15 contrib/slim/python/slim/nets/inception_v1.py):
``inception_v1_base``, ``inception_v1`` and ``inception_v1_arg_scope`` with TF's variable
names ('InceptionV1/Mixed_3b/Branch_1/Conv2d_0b_3x3/weights' ..., including TF's
'Mixed_5b/Branch_2/Conv2d_0a_3x3') so the published checkpoint restores by name.

The base is a fixed sequence of end points (convolutions and max pools with stride 1 and
SAME padding unless given, truncated-normal(0.01) weights) ending at ``final_endpoint``;
each 'Mixed_*' module concatenates four branches on the channel axis: a 1x1 convolution,
1x1 then 3x3, 1x1 then 3x3, and a 3x3 max pool then 1x1. The classifier averages 7x7,
applies dropout and a 1x1 convolution ('Logits/Conv2d_0c_1x1'), squeezed
('Logits/SpatialSqueeze'); end_points add 'Logits' and 'Predictions'."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import arg_scope
from tfcompat.contrib.layers import (convolutional, initializers, layers, regularizers)
from tfcompat.contrib.layers.composite import softmax
from tfcompat.framework import ops
from tfcompat.ops import array_ops, init_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["inception_v1_base", "inception_v1", "inception_v1_arg_scope"]

# Mixed modules: depths of Branch_0 1x1; Branch_1 1x1, 3x3; Branch_2 1x1, 3x3; Branch_3 1x1.
_MIXED = {
    "Mixed_3b": (64, 96, 128, 16, 32, 32), "Mixed_3c": (128, 128, 192, 32, 96, 64),
    "Mixed_4b": (192, 96, 208, 16, 48, 64), "Mixed_4c": (160, 112, 224, 24, 64, 64),
    "Mixed_4d": (128, 128, 256, 24, 64, 64), "Mixed_4e": (112, 144, 288, 32, 64, 64),
    "Mixed_4f": (256, 160, 320, 32, 128, 128), "Mixed_5b": (256, 160, 320, 32, 128, 128),
    "Mixed_5c": (384, 192, 384, 48, 128, 128),
}
# The end points in order: ("conv", depth, kernel, stride), ("pool", kernel, stride) or
# ("mixed",).
_END_POINTS = [
    ("Conv2d_1a_7x7", ("conv", 64, 7, 2)), ("MaxPool_2a_3x3", ("pool", 3, 2)),
    ("Conv2d_2b_1x1", ("conv", 64, 1, 1)), ("Conv2d_2c_3x3", ("conv", 192, 3, 1)),
    ("MaxPool_3a_3x3", ("pool", 3, 2)), ("Mixed_3b", ("mixed",)), ("Mixed_3c", ("mixed",)),
    ("MaxPool_4a_3x3", ("pool", 3, 2)), ("Mixed_4b", ("mixed",)), ("Mixed_4c", ("mixed",)),
    ("Mixed_4d", ("mixed",)), ("Mixed_4e", ("mixed",)), ("Mixed_4f", ("mixed",)),
    ("MaxPool_5a_2x2", ("pool", 2, 2)), ("Mixed_5b", ("mixed",)), ("Mixed_5c", ("mixed",)),
]


def _mixed(net, name):
    """One inception module (variable scope ``name``)."""
    d0, d1a, d1b, d2a, d2b, d3 = _MIXED[name]
    conv2d = convolutional.conv2d
    # TF's checkpoint names Mixed_5b's second Branch_2 convolution 'Conv2d_0a_3x3'.
    branch_2_second = "Conv2d_0a_3x3" if name == "Mixed_5b" else "Conv2d_0b_3x3"
    with vs.variable_scope(name):
        with vs.variable_scope("Branch_0"):
            branch_0 = conv2d(net, d0, [1, 1], scope="Conv2d_0a_1x1")
        with vs.variable_scope("Branch_1"):
            branch_1 = conv2d(net, d1a, [1, 1], scope="Conv2d_0a_1x1")
            branch_1 = conv2d(branch_1, d1b, [3, 3], scope="Conv2d_0b_3x3")
        with vs.variable_scope("Branch_2"):
            branch_2 = conv2d(net, d2a, [1, 1], scope="Conv2d_0a_1x1")
            branch_2 = conv2d(branch_2, d2b, [3, 3], scope=branch_2_second)
        with vs.variable_scope("Branch_3"):
            branch_3 = convolutional.max_pool2d(net, [3, 3], scope="MaxPool_0a_3x3")
            branch_3 = conv2d(branch_3, d3, [1, 1], scope="Conv2d_0b_1x1")
        return array_ops.concat([branch_0, branch_1, branch_2, branch_3], 3)


def _end_point(net, name, spec):
    if spec[0] == "conv":
        _, depth, kernel, stride = spec
        return convolutional.conv2d(net, depth, [kernel, kernel], stride=stride, scope=name)
    if spec[0] == "pool":
        _, kernel, stride = spec
        return convolutional.max_pool2d(net, [kernel, kernel], stride=stride, scope=name)
    return _mixed(net, name)


def inception_v1_base(inputs, final_endpoint="Mixed_5c", scope="InceptionV1"):
    """The Inception v1 layers up to ``final_endpoint``; returns (net, end_points)."""
    end_points = {}
    with vs.variable_scope(scope, "InceptionV1", [inputs]):
        with arg_scope([convolutional.conv2d, layers.fully_connected],
                       weights_initializer=init_ops.truncated_normal_initializer(0.0, 0.01)):
            with arg_scope([convolutional.conv2d, convolutional.max_pool2d], stride=1,
                           padding="SAME"):
                net = inputs
                for name, spec in _END_POINTS:
                    net = _end_point(net, name, spec)
                    end_points[name] = net
                    if name == final_endpoint:
                        return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def inception_v1(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 prediction_fn=softmax, spatial_squeeze=True, reuse=None,
                 scope="InceptionV1"):
    """Inception v1 on 224x224 inputs; returns (logits, end_points)."""
    with vs.variable_scope(scope, "InceptionV1", [inputs, num_classes], reuse=reuse) as sc:
        with arg_scope([layers.batch_norm, layers.dropout], is_training=is_training):
            net, end_points = inception_v1_base(inputs, scope=sc)
            with vs.variable_scope("Logits"):
                net = convolutional.avg_pool2d(net, [7, 7], stride=1, scope="MaxPool_0a_7x7")
                net = layers.dropout(net, dropout_keep_prob, scope="Dropout_0b")
                logits = convolutional.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                              normalizer_fn=None, scope="Conv2d_0c_1x1")
                if spatial_squeeze:
                    logits = array_ops.squeeze(logits, [1, 2], name="SpatialSqueeze")
                end_points["Logits"] = logits
                end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v1.default_image_size = 224


def inception_v1_arg_scope(weight_decay=0.00004, use_batch_norm=True,
                           batch_norm_var_collection="moving_vars"):
    """L2 decay; He-initialised ReLU convolutions with batch norm (decay 0.9997, epsilon
    0.001, moving statistics also in ``batch_norm_var_collection``) unless
    ``use_batch_norm`` is False."""
    batch_norm_params = {
        "decay": 0.9997, "epsilon": 0.001, "updates_collections": ops.GraphKeys.UPDATE_OPS,
        "variables_collections": {"beta": None, "gamma": None,
                                  "moving_mean": [batch_norm_var_collection],
                                  "moving_variance": [batch_norm_var_collection]}}
    normalizer_fn = layers.batch_norm if use_batch_norm else None
    normalizer_params = batch_norm_params if use_batch_norm else {}
    with arg_scope([convolutional.conv2d, layers.fully_connected],
                   weights_regularizer=regularizers.l2_regularizer(weight_decay)):
        with arg_scope([convolutional.conv2d],
                       weights_initializer=initializers.variance_scaling_initializer(),
                       activation_fn=nn.relu, normalizer_fn=normalizer_fn,
                       normalizer_params=normalizer_params) as sc:
            return sc
