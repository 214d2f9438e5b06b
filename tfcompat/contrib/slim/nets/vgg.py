"""slim's VGG nets (TF 1.15 contrib/slim/python/slim/nets/vgg.py): ``vgg_a`` (VGG-11),
``vgg_16`` (``vgg_d``), ``vgg_19`` (``vgg_e``) and ``vgg_arg_scope``, with TF's variable
names ('vgg_16/conv1/conv1_1/weights' ... 'vgg_16/fc8/biases') so the published checkpoints
restore by name.

Five groups of 3x3 SAME convolutions ('conv<i>/conv<i>_<j>', each followed by a 2x2 max pool
'pool<i>'), then the fully connected layers as convolutions: fc6 (7x7 VALID), fc7 (1x1) with
dropout, fc8 (1x1, no activation). end_points are the convolutions' and pools' outputs under
the net's scope; with ``spatial_squeeze`` the logits are squeezed ('fc8/squeezed') and
replace end_points['<scope>/fc8']."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import arg_scope
from tfcompat.contrib.layers import convolutional, layers, regularizers, utils
from tfcompat.contrib.layers.composite import repeat
from tfcompat.ops import array_ops, init_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["vgg_arg_scope", "vgg_a", "vgg_16", "vgg_19", "vgg_d", "vgg_e"]


def vgg_arg_scope(weight_decay=0.0005):
    """The arg scope of the VGG nets: ReLU, L2 weight decay, zero biases, SAME padding."""
    with arg_scope([convolutional.conv2d, layers.fully_connected], activation_fn=nn.relu,
                   weights_regularizer=regularizers.l2_regularizer(weight_decay),
                   biases_initializer=init_ops.zeros_initializer()):
        with arg_scope([convolutional.conv2d], padding="SAME") as arg_sc:
            return arg_sc


def _vgg(inputs, convs_per_group, num_classes, is_training, dropout_keep_prob,
         spatial_squeeze, scope, default_name):
    """The VGG body with ``convs_per_group[i]`` convolutions in group i + 1."""
    with vs.variable_scope(scope, default_name, [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with arg_scope([convolutional.conv2d, layers.fully_connected,
                        convolutional.max_pool2d],
                       outputs_collections=end_points_collection):
            net = inputs
            for group, (count, depth) in enumerate(
                    zip(convs_per_group, (64, 128, 256, 512, 512), strict=True), start=1):
                net = repeat(net, count, convolutional.conv2d, depth, [3, 3],
                             scope=f"conv{group}")
                net = convolutional.max_pool2d(net, [2, 2], scope=f"pool{group}")
            net = convolutional.conv2d(net, 4096, [7, 7], padding="VALID", scope="fc6")
            net = layers.dropout(net, dropout_keep_prob, is_training=is_training,
                                 scope="dropout6")
            net = convolutional.conv2d(net, 4096, [1, 1], scope="fc7")
            net = layers.dropout(net, dropout_keep_prob, is_training=is_training,
                                 scope="dropout7")
            net = convolutional.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                       normalizer_fn=None, scope="fc8")
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if spatial_squeeze:
                net = array_ops.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points


def vgg_a(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
          spatial_squeeze=True, scope="vgg_a"):
    """VGG-11 ("configuration A"): 1, 1, 2, 2, 2 convolutions per group."""
    return _vgg(inputs, (1, 1, 2, 2, 2), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, "vgg_a")


def vgg_16(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, scope="vgg_16"):
    """VGG-16 ("configuration D"): 2, 2, 3, 3, 3 convolutions per group."""
    return _vgg(inputs, (2, 2, 3, 3, 3), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, "vgg_16")


def vgg_19(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, scope="vgg_19"):
    """VGG-19 ("configuration E"): 2, 2, 4, 4, 4 convolutions per group."""
    return _vgg(inputs, (2, 2, 4, 4, 4), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, "vgg_19")


vgg_a.default_image_size = 224
vgg_16.default_image_size = 224
vgg_19.default_image_size = 224
vgg_d = vgg_16
vgg_e = vgg_19
