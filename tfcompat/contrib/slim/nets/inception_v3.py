"""slim's Inception v3 (TF 1.15 contrib/slim/python/slim/nets/inception_v3.py):
``inception_v3_base``, ``inception_v3`` and ``inception_v3_arg_scope`` with TF's variable
names, its quirks included ('Mixed_5c/Branch_1/Conv_1_0c_5x5', 'Mixed_6a/Branch_0/
Conv2d_1a_1x1' for a 3x3 convolution), so the published inception_v3 checkpoint restores
by name.

The stem (end points Conv2d_1a_3x3 .. MaxPool_5a_3x3) uses VALID padding, the mixed modules
SAME; each module concatenates its branches on the channel axis, a branch being a chain of
convolutions and pools, or ending in a pair of convolutions (1x3 and 3x1) read from the same
input and concatenated. Depths are max(int(d * depth_multiplier), min_depth). The
classifier adds the auxiliary head on Mixed_6e ('AuxLogits'), average pooling (8x8, or the
whole map when smaller: 'Logits/AvgPool_1a_<h>x<w>'), dropout ('PreLogits') and the 1x1
'Logits/Conv2d_1c_1x1'."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import arg_scope
from tfcompat.contrib.layers import convolutional, initializers, layers, regularizers
from tfcompat.contrib.layers.composite import softmax
from tfcompat.framework import ops
from tfcompat.ops import array_ops, init_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["inception_v3_base", "inception_v3", "inception_v3_arg_scope"]


def _conv(depth, kernel, scope, **options):
    return ("conv", depth, kernel, scope, options)


def _pool(kind, kernel, scope, **options):
    return (kind, None, kernel, scope, options)


def _pair(first, second):
    """Two convolutions of the same input, concatenated."""
    return ("pair", first, second)


def _module_35(pool_depth, branch_1_names=("Conv2d_0a_1x1", "Conv2d_0b_5x5")):
    return [[_conv(64, [1, 1], "Conv2d_0a_1x1")],
            [_conv(48, [1, 1], branch_1_names[0]), _conv(64, [5, 5], branch_1_names[1])],
            [_conv(64, [1, 1], "Conv2d_0a_1x1"), _conv(96, [3, 3], "Conv2d_0b_3x3"),
             _conv(96, [3, 3], "Conv2d_0c_3x3")],
            [_pool("avg", [3, 3], "AvgPool_0a_3x3"), _conv(pool_depth, [1, 1], "Conv2d_0b_1x1")]]


def _module_17(width):
    return [[_conv(192, [1, 1], "Conv2d_0a_1x1")],
            [_conv(width, [1, 1], "Conv2d_0a_1x1"), _conv(width, [1, 7], "Conv2d_0b_1x7"),
             _conv(192, [7, 1], "Conv2d_0c_7x1")],
            [_conv(width, [1, 1], "Conv2d_0a_1x1"), _conv(width, [7, 1], "Conv2d_0b_7x1"),
             _conv(width, [1, 7], "Conv2d_0c_1x7"), _conv(width, [7, 1], "Conv2d_0d_7x1"),
             _conv(192, [1, 7], "Conv2d_0e_1x7")],
            [_pool("avg", [3, 3], "AvgPool_0a_3x3"), _conv(192, [1, 1], "Conv2d_0b_1x1")]]


def _module_8(branch_1_second):
    return [[_conv(320, [1, 1], "Conv2d_0a_1x1")],
            [_conv(384, [1, 1], "Conv2d_0a_1x1"),
             _pair(_conv(384, [1, 3], "Conv2d_0b_1x3"), _conv(384, [3, 1], branch_1_second))],
            [_conv(448, [1, 1], "Conv2d_0a_1x1"), _conv(384, [3, 3], "Conv2d_0b_3x3"),
             _pair(_conv(384, [1, 3], "Conv2d_0c_1x3"), _conv(384, [3, 1], "Conv2d_0d_3x1"))],
            [_pool("avg", [3, 3], "AvgPool_0a_3x3"), _conv(192, [1, 1], "Conv2d_0b_1x1")]]


_REDUCE = {"stride": 2, "padding": "VALID"}
# (end point, layer) for the stem; (end point, branches) for the mixed modules.
_STEM = [
    ("Conv2d_1a_3x3", _conv(32, [3, 3], None, stride=2)),
    ("Conv2d_2a_3x3", _conv(32, [3, 3], None)),
    ("Conv2d_2b_3x3", _conv(64, [3, 3], None, padding="SAME")),
    ("MaxPool_3a_3x3", _pool("max", [3, 3], None, stride=2)),
    ("Conv2d_3b_1x1", _conv(80, [1, 1], None)),
    ("Conv2d_4a_3x3", _conv(192, [3, 3], None)),
    ("MaxPool_5a_3x3", _pool("max", [3, 3], None, stride=2)),
]
_MIXED = [
    ("Mixed_5b", _module_35(32)),
    ("Mixed_5c", _module_35(64, ("Conv2d_0b_1x1", "Conv_1_0c_5x5"))),
    ("Mixed_5d", _module_35(64)),
    ("Mixed_6a", [[_conv(384, [3, 3], "Conv2d_1a_1x1", **_REDUCE)],
                  [_conv(64, [1, 1], "Conv2d_0a_1x1"), _conv(96, [3, 3], "Conv2d_0b_3x3"),
                   _conv(96, [3, 3], "Conv2d_1a_1x1", **_REDUCE)],
                  [_pool("max", [3, 3], "MaxPool_1a_3x3", **_REDUCE)]]),
    ("Mixed_6b", _module_17(128)),
    ("Mixed_6c", _module_17(160)),
    ("Mixed_6d", _module_17(160)),
    ("Mixed_6e", _module_17(192)),
    ("Mixed_7a", [[_conv(192, [1, 1], "Conv2d_0a_1x1"),
                   _conv(320, [3, 3], "Conv2d_1a_3x3", **_REDUCE)],
                  [_conv(192, [1, 1], "Conv2d_0a_1x1"), _conv(192, [1, 7], "Conv2d_0b_1x7"),
                   _conv(192, [7, 1], "Conv2d_0c_7x1"),
                   _conv(192, [3, 3], "Conv2d_1a_3x3", **_REDUCE)],
                  [_pool("max", [3, 3], "MaxPool_1a_3x3", **_REDUCE)]]),
    ("Mixed_7b", _module_8("Conv2d_0b_3x1")),
    ("Mixed_7c", _module_8("Conv2d_0c_3x1")),
]


def _apply(net, layer, depth, scope=None):
    """One layer of a spec (a convolution, a pool or a concatenated pair)."""
    if layer[0] == "pair":
        return array_ops.concat([_apply(net, layer[1], depth), _apply(net, layer[2], depth)],
                                3)
    kind, channels, kernel, name, options = layer
    name = scope or name
    if kind == "conv":
        return convolutional.conv2d(net, depth(channels), kernel, scope=name, **options)
    pool = convolutional.max_pool2d if kind == "max" else convolutional.avg_pool2d
    return pool(net, kernel, scope=name, **options)


def _mixed(net, name, branches, depth):
    with vs.variable_scope(name):
        outputs = []
        for index, branch in enumerate(branches):
            with vs.variable_scope(f"Branch_{index}"):
                branch_net = net
                for layer in branch:
                    branch_net = _apply(branch_net, layer, depth)
                outputs.append(branch_net)
        return array_ops.concat(outputs, 3)


def _depth_function(min_depth, depth_multiplier):
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    return lambda d: max(int(d * depth_multiplier), min_depth)


def inception_v3_base(inputs, final_endpoint="Mixed_7c", min_depth=16, depth_multiplier=1.0,
                      scope=None):
    """The Inception v3 layers up to ``final_endpoint``; returns (net, end_points)."""
    depth = _depth_function(min_depth, depth_multiplier)
    end_points = {}
    layer_types = [convolutional.conv2d, convolutional.max_pool2d, convolutional.avg_pool2d]
    with vs.variable_scope(scope, "InceptionV3", [inputs]):
        net = inputs
        with arg_scope(layer_types, stride=1, padding="VALID"):
            for name, layer in _STEM:
                net = end_points[name] = _apply(net, layer, depth, scope=name)
                if name == final_endpoint:
                    return net, end_points
        with arg_scope(layer_types, stride=1, padding="SAME"):
            for name, branches in _MIXED:
                net = end_points[name] = _mixed(net, name, branches, depth)
                if name == final_endpoint:
                    return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def _reduced_kernel_size_for_small_input(input_tensor, kernel_size):
    """``kernel_size`` capped by the input's static height and width (when known)."""
    shape = input_tensor.shape.as_list()
    if shape[1] is None or shape[2] is None:
        return kernel_size
    return [min(shape[1], kernel_size[0]), min(shape[2], kernel_size[1])]


def _aux_logits(net, num_classes, depth, spatial_squeeze):
    with arg_scope([convolutional.conv2d, convolutional.max_pool2d, convolutional.avg_pool2d],
                   stride=1, padding="SAME"):
        with vs.variable_scope("AuxLogits"):
            net = convolutional.avg_pool2d(net, [5, 5], stride=3, padding="VALID",
                                           scope="AvgPool_1a_5x5")
            net = convolutional.conv2d(net, depth(128), [1, 1], scope="Conv2d_1b_1x1")
            kernel_size = _reduced_kernel_size_for_small_input(net, [5, 5])
            net = convolutional.conv2d(
                net, depth(768), kernel_size,
                weights_initializer=init_ops.truncated_normal_initializer(0.0, 0.01),
                padding="VALID", scope="Conv2d_2a_{}x{}".format(*kernel_size))
            net = convolutional.conv2d(
                net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                weights_initializer=init_ops.truncated_normal_initializer(0.0, 0.001),
                scope="Conv2d_2b_1x1")
            if spatial_squeeze:
                net = array_ops.squeeze(net, [1, 2], name="SpatialSqueeze")
            return net


def inception_v3(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 min_depth=16, depth_multiplier=1.0, prediction_fn=softmax,
                 spatial_squeeze=True, reuse=None, create_aux_logits=True,
                 scope="InceptionV3"):
    """Inception v3 on 299x299 inputs; returns (logits, end_points) with end_points
    'AuxLogits' (unless ``create_aux_logits`` is False), 'PreLogits', 'Logits' and
    'Predictions'."""
    depth = _depth_function(min_depth, depth_multiplier)
    with vs.variable_scope(scope, "InceptionV3", [inputs, num_classes], reuse=reuse) as sc:
        with arg_scope([layers.batch_norm, layers.dropout], is_training=is_training):
            net, end_points = inception_v3_base(inputs, scope=sc, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier)
            if create_aux_logits and num_classes:
                end_points["AuxLogits"] = _aux_logits(end_points["Mixed_6e"], num_classes,
                                                      depth, spatial_squeeze)
            with vs.variable_scope("Logits"):
                kernel_size = _reduced_kernel_size_for_small_input(net, [8, 8])
                net = convolutional.avg_pool2d(net, kernel_size, padding="VALID",
                                               scope="AvgPool_1a_{}x{}".format(*kernel_size))
                net = layers.dropout(net, keep_prob=dropout_keep_prob, scope="Dropout_1b")
                end_points["PreLogits"] = net
                logits = convolutional.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                              normalizer_fn=None, scope="Conv2d_1c_1x1")
                if spatial_squeeze:
                    logits = array_ops.squeeze(logits, [1, 2], name="SpatialSqueeze")
            end_points["Logits"] = logits
            end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v3.default_image_size = 299


def inception_v3_arg_scope(weight_decay=0.00004, batch_norm_var_collection="moving_vars",
                           use_fused_batchnorm=True):
    """L2 decay; He-initialised ReLU convolutions with batch norm (decay 0.9997, epsilon
    0.001, moving statistics also in ``batch_norm_var_collection``)."""
    batch_norm_params = {
        "decay": 0.9997, "epsilon": 0.001, "updates_collections": ops.GraphKeys.UPDATE_OPS,
        "fused": use_fused_batchnorm,
        "variables_collections": {"beta": None, "gamma": None,
                                  "moving_mean": [batch_norm_var_collection],
                                  "moving_variance": [batch_norm_var_collection]}}
    with arg_scope([convolutional.conv2d, layers.fully_connected],
                   weights_regularizer=regularizers.l2_regularizer(weight_decay)):
        with arg_scope([convolutional.conv2d],
                       weights_initializer=initializers.variance_scaling_initializer(),
                       activation_fn=nn.relu, normalizer_fn=layers.batch_norm,
                       normalizer_params=batch_norm_params) as sc:
            return sc
