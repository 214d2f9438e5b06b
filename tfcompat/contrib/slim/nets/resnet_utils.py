"""slim's ResNet helpers (TF 1.15 contrib/slim/python/slim/nets/resnet_utils.py): ``Block``,
``subsample``, ``conv2d_same``, ``stack_blocks_dense`` (atrous convolution once
``output_stride`` is reached) and ``resnet_arg_scope``; plus the network body both
resnet_v1 and resnet_v2 build (``resnet_network``).
"""
import collections

from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope, arg_scope
from tfcompat.contrib.layers import convolutional, initializers, layers, regularizers, utils
from tfcompat.contrib.layers.composite import softmax
from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["Block", "subsample", "conv2d_same", "stack_blocks_dense", "resnet_arg_scope"]


class Block(collections.namedtuple("Block", ["scope", "unit_fn", "args"])):
    """A ResNet block: its scope name, the unit function (a bottleneck) and one keyword
    dict per unit (depth, depth_bottleneck, stride)."""


def subsample(inputs, factor, scope=None):
    """``inputs`` taken every ``factor`` pixels (a 1x1 max pool), or as is for factor 1."""
    if factor == 1:
        return inputs
    return convolutional.max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
    """A strided 2-D convolution whose output size does not depend on the input's parity:
    SAME for stride 1, else explicit zero padding of (effective kernel - 1) then VALID."""
    if stride == 1:
        return convolutional.conv2d(inputs, num_outputs, kernel_size, stride=1, rate=rate,
                                    padding="SAME", scope=scope)
    effective = kernel_size + (kernel_size - 1) * (rate - 1)
    pad_beg = (effective - 1) // 2
    pad_end = effective - 1 - pad_beg
    inputs = array_ops.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
    return convolutional.conv2d(inputs, num_outputs, kernel_size, stride=stride, rate=rate,
                                padding="VALID", scope=scope)


@add_arg_scope
def stack_blocks_dense(net, blocks, output_stride=None, outputs_collections=None):
    """Applies the blocks' units ('<block>/unit_<i>'); once the stride so far reaches
    ``output_stride`` later units run with stride 1 and a growing atrous rate."""
    current_stride = 1
    rate = 1
    for block in blocks:
        with vs.variable_scope(block.scope, "block", [net]) as sc:
            for index, unit in enumerate(block.args):
                if output_stride is not None and current_stride > output_stride:
                    raise ValueError("The target output_stride cannot be reached.")
                with vs.variable_scope(f"unit_{index + 1}", values=[net]):
                    if output_stride is not None and current_stride == output_stride:
                        net = block.unit_fn(net, rate=rate, **dict(unit, stride=1))
                        rate *= unit.get("stride", 1)
                    else:
                        net = block.unit_fn(net, rate=1, **unit)
                        current_stride *= unit.get("stride", 1)
            net = utils.collect_named_outputs(outputs_collections, sc.name, net)
    if output_stride is not None and current_stride != output_stride:
        raise ValueError("The target output_stride cannot be reached.")
    return net


def resnet_arg_scope(weight_decay=0.0001, batch_norm_decay=0.997, batch_norm_epsilon=1e-5,
                     batch_norm_scale=True):
    """Convolutions with L2 decay, He (variance scaling) init, ReLU and batch norm (its
    updates in UPDATE_OPS); SAME max pools."""
    batch_norm_params = {"decay": batch_norm_decay, "epsilon": batch_norm_epsilon,
                         "scale": batch_norm_scale,
                         "updates_collections": ops.GraphKeys.UPDATE_OPS}
    with arg_scope([convolutional.conv2d],
                   weights_regularizer=regularizers.l2_regularizer(weight_decay),
                   weights_initializer=initializers.variance_scaling_initializer(),
                   activation_fn=nn.relu, normalizer_fn=layers.batch_norm,
                   normalizer_params=batch_norm_params):
        with arg_scope([layers.batch_norm], **batch_norm_params):
            with arg_scope([convolutional.max_pool2d], padding="SAME") as arg_sc:
                return arg_sc


def resnet_block(scope, unit_fn, base_depth, num_units, stride):
    """A Block of ``num_units`` bottlenecks of depth 4 * base_depth, the last one strided."""
    unit = {"depth": base_depth * 4, "depth_bottleneck": base_depth, "stride": 1}
    return Block(scope, unit_fn, [unit] * (num_units - 1) + [dict(unit, stride=stride)])


# Units per block of the standard depths (block strides 2, 2, 2, 1; base depths 64..512).
RESNET_UNITS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}


def standard_blocks(depth, unit_fn):
    return [resnet_block(f"block{i + 1}", unit_fn, base, units, stride)
            for i, (base, units, stride) in enumerate(
                zip((64, 128, 256, 512), RESNET_UNITS[depth], (2, 2, 2, 1), strict=True))]


def _root_block(net, output_stride, preactivation):
    if output_stride is not None:
        if output_stride % 4 != 0:
            raise ValueError("The output_stride needs to be a multiple of 4.")
        output_stride /= 4
    if preactivation:
        with arg_scope([convolutional.conv2d], activation_fn=None, normalizer_fn=None):
            net = conv2d_same(net, 64, 7, stride=2, scope="conv1")
    else:
        net = conv2d_same(net, 64, 7, stride=2, scope="conv1")
    net = convolutional.max_pool2d(net, [3, 3], stride=2, scope="pool1")
    return net, output_stride


def resnet_network(inputs, blocks, bottleneck, preactivation, num_classes, is_training,
                   global_pool, output_stride, include_root_block, reuse, scope,
                   default_name):
    """The ResNet body: root block (conv1 7x7/2, pool1), the blocks, for v2
    (``preactivation``) a final batch norm + ReLU ('postnorm'), global average pool
    ('pool5'), 1x1 'logits' and softmax end_points['predictions'] when ``num_classes``."""
    with vs.variable_scope(scope, default_name, [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with arg_scope([convolutional.conv2d, bottleneck, stack_blocks_dense],
                       outputs_collections=end_points_collection):
            with arg_scope([layers.batch_norm], is_training=is_training):
                net = inputs
                if include_root_block:
                    net, output_stride = _root_block(net, output_stride, preactivation)
                net = stack_blocks_dense(net, blocks, output_stride)
                if preactivation:
                    net = layers.batch_norm(net, activation_fn=nn.relu, scope="postnorm")
                if global_pool:
                    net = math_ops.reduce_mean(net, [1, 2], name="pool5", keepdims=True)
                if num_classes is not None:
                    net = convolutional.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                               normalizer_fn=None, scope="logits")
                end_points = utils.convert_collection_to_dict(end_points_collection)
                if num_classes is not None:
                    end_points["predictions"] = softmax(net, scope="predictions")
                return net, end_points
