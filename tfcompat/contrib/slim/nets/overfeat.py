"""slim's OverFeat (TF 1.15 contrib/slim/python/slim/nets/overfeat.py): ``overfeat`` and
``overfeat_arg_scope``, with TF's variable names ('overfeat/conv1/weights' ...).

conv1 11x11 stride 4 VALID and conv2 5x5 VALID each followed by a 2x2 max pool, conv3-5
(3x3 SAME), pool5, then fc6 (6x6 VALID), fc7 and fc8 as convolutions (truncated-normal
0.005 weights, 0.1 biases; fc8 zero biases, no activation) with dropout between them;
spatial_squeeze as in vgg. Made for 231x231 inputs."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import arg_scope
from tfcompat.contrib.layers import convolutional, layers, regularizers, utils
from tfcompat.ops import array_ops, init_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["overfeat_arg_scope", "overfeat"]


def overfeat_arg_scope(weight_decay=0.0005):
    """ReLU, L2 weight decay, zero biases; SAME convolutions, VALID pools."""
    with arg_scope([convolutional.conv2d, layers.fully_connected], activation_fn=nn.relu,
                   weights_regularizer=regularizers.l2_regularizer(weight_decay),
                   biases_initializer=init_ops.zeros_initializer()):
        with arg_scope([convolutional.conv2d], padding="SAME"):
            with arg_scope([convolutional.max_pool2d], padding="VALID") as arg_sc:
                return arg_sc


def overfeat(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
             spatial_squeeze=True, scope="overfeat"):
    """OverFeat on 231x231 inputs; returns (logits, end_points)."""
    conv2d, max_pool2d = convolutional.conv2d, convolutional.max_pool2d
    with vs.variable_scope(scope, "overfeat", [inputs]) as sc:
        end_points_collection = sc.name + "_end_points"
        with arg_scope([conv2d, layers.fully_connected, max_pool2d],
                       outputs_collections=end_points_collection):
            net = conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = max_pool2d(net, [2, 2], scope="pool1")
            net = conv2d(net, 256, [5, 5], padding="VALID", scope="conv2")
            net = max_pool2d(net, [2, 2], scope="pool2")
            net = conv2d(net, 512, [3, 3], scope="conv3")
            net = conv2d(net, 1024, [3, 3], scope="conv4")
            net = conv2d(net, 1024, [3, 3], scope="conv5")
            net = max_pool2d(net, [2, 2], scope="pool5")
            with arg_scope([conv2d],
                           weights_initializer=init_ops.truncated_normal_initializer(
                               0.0, 0.005),
                           biases_initializer=init_ops.constant_initializer(0.1)):
                net = conv2d(net, 3072, [6, 6], padding="VALID", scope="fc6")
                net = layers.dropout(net, dropout_keep_prob, is_training=is_training,
                                     scope="dropout6")
                net = conv2d(net, 4096, [1, 1], scope="fc7")
                net = layers.dropout(net, dropout_keep_prob, is_training=is_training,
                                     scope="dropout7")
                net = conv2d(net, num_classes, [1, 1], activation_fn=None,
                             normalizer_fn=None,
                             biases_initializer=init_ops.zeros_initializer(), scope="fc8")
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if spatial_squeeze:
                net = array_ops.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points


overfeat.default_image_size = 231
