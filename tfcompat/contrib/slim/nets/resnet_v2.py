"""slim's ResNet v2 (pre-activation; TF 1.15 contrib/slim/python/slim/nets/resnet_v2.py):
``bottleneck``, ``resnet_v2`` and ``resnet_v2_50/101/152/200`` with TF's variable names
('resnet_v2_50/block1/unit_1/bottleneck_v2/preact/gamma', '.../postnorm/beta' ...). The
root convolution has neither normalizer nor activation; a final batch norm + ReLU
('postnorm') follows the blocks."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.layers import convolutional, layers, utils
from tfcompat.contrib.slim.nets import resnet_utils
from tfcompat.ops import variable_scope as vs

__all__ = ["bottleneck", "resnet_v2", "resnet_v2_block", "resnet_v2_50", "resnet_v2_101",
           "resnet_v2_152", "resnet_v2_200", "resnet_arg_scope"]

resnet_arg_scope = resnet_utils.resnet_arg_scope


@add_arg_scope
def bottleneck(inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None,
               scope=None):
    """The v2 bottleneck unit: shortcut + conv3(conv2(conv1(preact))) with preact =
    relu(batch_norm(x)) ('preact'); the projection shortcut reads preact."""
    with vs.variable_scope(scope, "bottleneck_v2", [inputs]) as sc:
        depth_in = utils.last_dimension(inputs.shape, min_rank=4)
        preact = layers.batch_norm(inputs, activation_fn=nn.relu, scope="preact")
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, "shortcut")
        else:
            shortcut = convolutional.conv2d(preact, depth, [1, 1], stride=stride,
                                            normalizer_fn=None, activation_fn=None,
                                            scope="shortcut")
        residual = convolutional.conv2d(preact, depth_bottleneck, [1, 1], stride=1,
                                        scope="conv1")
        residual = resnet_utils.conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate,
                                            scope="conv2")
        residual = convolutional.conv2d(residual, depth, [1, 1], stride=1, normalizer_fn=None,
                                        activation_fn=None, scope="conv3")
        output = shortcut + residual
        return utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v2(inputs, blocks, num_classes=None, is_training=True, global_pool=True,
              output_stride=None, include_root_block=True, reuse=None, scope=None):
    """The v2 network over ``blocks`` (see resnet_utils.resnet_network)."""
    return resnet_utils.resnet_network(inputs, blocks, bottleneck, True, num_classes,
                                       is_training, global_pool, output_stride,
                                       include_root_block, reuse, scope, "resnet_v2")


def resnet_v2_block(scope, base_depth, num_units, stride):
    """A Block of v2 bottlenecks."""
    return resnet_utils.resnet_block(scope, bottleneck, base_depth, num_units, stride)


def _standard(depth):
    def network(inputs, num_classes=None, is_training=True, global_pool=True,
                output_stride=None, reuse=None, scope=f"resnet_v2_{depth}"):
        return resnet_v2(inputs, resnet_utils.standard_blocks(depth, bottleneck), num_classes,
                         is_training, global_pool, output_stride, include_root_block=True,
                         reuse=reuse, scope=scope)
    network.__name__ = network.__qualname__ = f"resnet_v2_{depth}"
    network.__doc__ = (f"ResNet-{depth} v2 (units per block "
                       f"{resnet_utils.RESNET_UNITS[depth]}); returns (net, end_points).")
    network.default_image_size = 224
    return network


resnet_v2.default_image_size = 224
resnet_v2_50 = _standard(50)
resnet_v2_101 = _standard(101)
resnet_v2_152 = _standard(152)
resnet_v2_200 = _standard(200)
