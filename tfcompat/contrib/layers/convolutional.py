"""``tf.contrib.layers`` convolution and pooling functions (TF 1.15's
contrib/layers/python/layers/layers.py): ``conv2d`` (``convolution2d``), ``conv2d_transpose``
(``convolution2d_transpose``), ``max_pool2d`` and ``avg_pool2d``, all under ``add_arg_scope``.

The convolutions open ``variable_scope(scope, "Conv")`` ("Conv2d_transpose") with the
getter that names the core layer's variables "weights"/"biases" and makes them model
variables ("Conv/weights", "Conv_1/biases"); defaults: SAME padding, stride 1,
xavier_initializer weights, zero biases, ``activation_fn=tf.nn.relu``. With a
``normalizer_fn`` (e.g. batch_norm) there are no biases and the normalizer runs before the
activation. The pools open ``name_scope(scope, "MaxPool2D")`` ("AvgPool2D") with kernel 2x2,
stride 2 and VALID padding by default.
"""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.layers.initializers import xavier_initializer
from tfcompat.contrib.layers.layers import (_add_variable_to_collections,
                                            _build_variable_getter, collect_named_outputs)
from tfcompat.framework import ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.layers import convolutional as conv_layers
from tfcompat.layers import pooling as pooling_layers

_FORMATS = {None: "channels_last", "NHWC": "channels_last", "NCHW": "channels_first"}


def _layer_format(data_format):
    if data_format not in _FORMATS:
        raise ValueError("data_format has to be either NCHW or NHWC.")
    return _FORMATS[data_format]


def _convolution(layer_class, default_scope, inputs, num_outputs, kernel_size, options):
    """Builds the convolution layer inside the contrib scope, then normalizer and activation."""
    if options["normalizer_fn"] is not None and not callable(options["normalizer_fn"]):
        raise TypeError(f"`normalizer_fn` must be callable, got {options['normalizer_fn']!r}")
    getter = _build_variable_getter({"bias": "biases", "kernel": "weights"})
    with vs.variable_scope(options["scope"], default_scope, [inputs], reuse=options["reuse"],
                           custom_getter=getter) as sc:
        inputs = ops.convert_to_tensor(inputs)
        layer = layer_class(
            filters=num_outputs, kernel_size=kernel_size, strides=options["stride"],
            padding=options["padding"], data_format=_layer_format(options["data_format"]),
            activation=None,
            use_bias=not options["normalizer_fn"] and options["biases_initializer"] is not None,
            kernel_initializer=options["weights_initializer"],
            bias_initializer=options["biases_initializer"],
            kernel_regularizer=options["weights_regularizer"],
            bias_regularizer=options["biases_regularizer"], trainable=options["trainable"],
            name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=options["reuse"],
            **options["extra"])
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, options["variables_collections"], "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, options["variables_collections"],
                                         "biases")
        if options["normalizer_fn"] is not None:
            outputs = options["normalizer_fn"](outputs, **(options["normalizer_params"] or {}))
        if options["activation_fn"] is not None:
            outputs = options["activation_fn"](outputs)
        return collect_named_outputs(options["outputs_collections"], sc.name, outputs)


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                  rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=xavier_initializer(), weights_regularizer=None,
                  biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None,
                  reuse=None, variables_collections=None, outputs_collections=None,
                  trainable=True, scope=None):
    """``tf.contrib.layers.conv2d(inputs, num_outputs, kernel_size, stride=1, padding='SAME',
    data_format=None, rate=1, activation_fn=tf.nn.relu, normalizer_fn=None, ...)``."""
    options = dict(locals())
    options["extra"] = {"dilation_rate": rate}
    return _convolution(conv_layers.Conv2D, "Conv", inputs, num_outputs, kernel_size, options)


@add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                            data_format="NHWC", activation_fn=nn.relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=xavier_initializer(),
                            weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """``tf.contrib.layers.conv2d_transpose(inputs, num_outputs, kernel_size, stride=1,
    padding='SAME', data_format='NHWC', activation_fn=tf.nn.relu, ...)``."""
    options = dict(locals())
    options["extra"] = {}
    return _convolution(conv_layers.Conv2DTranspose, "Conv2d_transpose", inputs, num_outputs,
                        kernel_size, options)


def _pool2d(layer_class, default_scope, inputs, kernel_size, stride, padding, data_format,
            outputs_collections, scope):
    with ops.name_scope(scope, default_scope, [inputs]) as sc:
        inputs = ops.convert_to_tensor(inputs)
        layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                            data_format=_layer_format(data_format), _scope=sc)
        outputs = layer.apply(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """``tf.contrib.layers.max_pool2d(inputs, kernel_size, stride=2, padding='VALID',
    data_format='NHWC', outputs_collections=None, scope=None)``."""
    return _pool2d(pooling_layers.MaxPooling2D, "MaxPool2D", inputs, kernel_size, stride,
                   padding, data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """``tf.contrib.layers.avg_pool2d(inputs, kernel_size, stride=2, padding='VALID',
    data_format='NHWC', outputs_collections=None, scope=None)``."""
    return _pool2d(pooling_layers.AveragePooling2D, "AvgPool2D", inputs, kernel_size, stride,
                   padding, data_format, outputs_collections, scope)


conv2d = convolution2d
conv2d_transpose = convolution2d_transpose
