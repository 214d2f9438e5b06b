"""``tf.contrib.layers``: fully_connected, batch_norm, dropout, flatten, the contrib
initializers (variance_scaling_initializer, xavier_initializer) and regularizers (l1, l2,
l1_l2, sum, apply_regularization), with ``arg_scope``/``add_arg_scope``."""
from tfcompat.contrib.framework.arg_scope import add_arg_scope, arg_scope  # noqa: F401
from tfcompat.contrib.layers.convolutional import (avg_pool2d, conv2d,  # noqa: F401
                                                   conv2d_transpose, convolution2d,
                                                   convolution2d_transpose, max_pool2d)
from tfcompat.contrib.layers.initializers import (variance_scaling_initializer,  # noqa: F401
                                                  xavier_initializer,
                                                  xavier_initializer_conv2d)
from tfcompat.contrib.layers.layers import (batch_norm, dropout, flatten,  # noqa: F401
                                            fully_connected, linear, relu, relu6)
from tfcompat.contrib.layers.regularizers import (apply_regularization,  # noqa: F401
                                                  l1_l2_regularizer, l1_regularizer,
                                                  l2_regularizer, sum_regularizer)

__all__ = ["arg_scope", "add_arg_scope", "variance_scaling_initializer", "xavier_initializer",
           "xavier_initializer_conv2d", "batch_norm", "dropout", "flatten", "fully_connected",
           "linear", "relu", "relu6", "apply_regularization", "l1_l2_regularizer",
           "l1_regularizer", "l2_regularizer", "sum_regularizer", "conv2d", "convolution2d",
           "conv2d_transpose", "convolution2d_transpose", "max_pool2d", "avg_pool2d"]

from tfcompat.contrib.layers import utils  # noqa: F401,E402
from tfcompat.contrib.layers.composite import (one_hot_encoding, repeat,  # noqa: F401,E402
                                               softmax, stack)

__all__ += ["one_hot_encoding", "repeat", "softmax", "stack"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.layers' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.layers.{name} yet")


# h-contrib: more of TF 1.15's contrib.layers (repeat/stack/one_hot_encoding/softmax: h-slim)
from tfcompat.contrib.layers.extra_layers import (bias_add, embed_sequence,  # noqa: E402,F401
                                                  dense_to_sparse, embedding_lookup_unique,
                                                  instance_norm, layer_norm, maxout,
                                                  unit_norm)
from tfcompat.contrib.layers.group_norm import group_norm  # noqa: E402,F401
from tfcompat.contrib.layers.optimizers import (OPTIMIZER_CLS_NAMES,  # noqa: E402,F401
                                                OPTIMIZER_SUMMARIES, optimize_loss)
from tfcompat.contrib.layers.separable import (separable_conv2d,  # noqa: E402,F401
                                               separable_convolution2d)

__all__ += ["layer_norm", "instance_norm", "group_norm", "bias_add", "unit_norm",
            "embed_sequence", "embedding_lookup_unique", "separable_conv2d",
            "separable_convolution2d", "optimize_loss", "OPTIMIZER_CLS_NAMES",
            "OPTIMIZER_SUMMARIES", "dense_to_sparse", "maxout"]
