"""``tf.contrib.layers.separable_conv2d`` (``separable_convolution2d``; TF 1.15 contrib
layers.py), as slim's MobileNets call it: with ``num_outputs`` a ``SeparableConv2D`` layer
whose variables are the model variables ``SeparableConv2d/depthwise_weights``,
``pointwise_weights`` and ``biases``; with ``num_outputs=None`` only the depthwise
convolution (``depthwise_weights`` [kh, kw, in, depth_multiplier], then ``biases`` unless a
normalizer runs). Then ``normalizer_fn`` and ``activation_fn`` (default relu).
"""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.framework.variables import model_variable
from tfcompat.contrib.layers.initializers import xavier_initializer
from tfcompat.contrib.layers.layers import (_add_variable_to_collections,
                                            _build_variable_getter, collect_named_outputs,
                                            get_variable_collections)
from tfcompat.framework import ops
from tfcompat.layers import convolutional as conv_layers
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope as vs

#: TF's default initializers (module-level, as the signature's defaults).
_XAVIER = xavier_initializer()
_ZEROS = init_ops.zeros_initializer()


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def _separable_layer(inputs, num_outputs, kernel_size, options, sc):
    layer = conv_layers.SeparableConv2D(
        filters=num_outputs, kernel_size=kernel_size, strides=options["stride"],
        padding=options["padding"], data_format=options["df"],
        dilation_rate=_pair(options["rate"]), activation=None,
        depth_multiplier=options["depth_multiplier"],
        use_bias=not options["normalizer_fn"] and options["biases_initializer"] is not None,
        depthwise_initializer=options["weights_initializer"],
        pointwise_initializer=options["pointwise_initializer"],
        bias_initializer=options["biases_initializer"],
        depthwise_regularizer=options["weights_regularizer"],
        pointwise_regularizer=options["weights_regularizer"],
        bias_regularizer=options["biases_regularizer"], trainable=options["trainable"],
        name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=options["reuse"])
    outputs = layer.apply(inputs)
    collections = options["variables_collections"]
    _add_variable_to_collections(layer.depthwise_kernel, collections, "weights")
    _add_variable_to_collections(layer.pointwise_kernel, collections, "weights")
    if layer.bias is not None:
        _add_variable_to_collections(layer.bias, collections, "biases")
    return outputs


def _depthwise_only(inputs, kernel_size, options):
    channels_first = options["data_format"].startswith("NC")
    num_filters_in = inputs.shape[1 if channels_first else -1].value
    if num_filters_in is None:
        raise ValueError(f"Inputs {inputs.name} has undefined channels dimension.")
    kernel_h, kernel_w = _pair(kernel_size)
    stride_h, stride_w = _pair(options["stride"])
    depthwise_weights = model_variable(
        "depthwise_weights",
        shape=[kernel_h, kernel_w, num_filters_in, options["depth_multiplier"]],
        dtype=inputs.dtype.base_dtype, initializer=options["weights_initializer"],
        regularizer=options["weights_regularizer"], trainable=options["trainable"],
        collections=get_variable_collections(options["variables_collections"], "weights"))
    strides = [1, 1, stride_h, stride_w] if channels_first else [1, stride_h, stride_w, 1]
    outputs = nn.depthwise_conv2d(inputs, depthwise_weights, strides, options["padding"],
                                  rate=_pair(options["rate"]),
                                  data_format=options["data_format"])
    if options["normalizer_fn"] is None and options["biases_initializer"] is not None:
        biases = model_variable(
            "biases", shape=[options["depth_multiplier"] * num_filters_in],
            dtype=inputs.dtype.base_dtype, initializer=options["biases_initializer"],
            regularizer=options["biases_regularizer"], trainable=options["trainable"],
            collections=get_variable_collections(options["variables_collections"], "biases"))
        outputs = nn.bias_add(outputs, biases, data_format=options["data_format"])
    return outputs


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1,
                            padding="SAME", data_format="NHWC", rate=1, activation_fn=nn.relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=_XAVIER, pointwise_initializer=None,
                            weights_regularizer=None, biases_initializer=_ZEROS,
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """``tf.contrib.layers.separable_conv2d(inputs, num_outputs, kernel_size,
    depth_multiplier=1, stride=1, padding='SAME', data_format='NHWC', rate=1, ...)``."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    options = dict(locals())
    options["df"] = "channels_first" if data_format.startswith("NC") else "channels_last"
    if pointwise_initializer is None:
        options["pointwise_initializer"] = weights_initializer
    getter = _build_variable_getter({"bias": "biases", "depthwise_kernel": "depthwise_weights",
                                     "pointwise_kernel": "pointwise_weights"})
    with vs.variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse,
                           custom_getter=getter) as sc:
        inputs = ops.convert_to_tensor(inputs)
        if num_outputs is not None:
            outputs = _separable_layer(inputs, num_outputs, kernel_size, options, sc)
        else:
            outputs = _depthwise_only(inputs, kernel_size, options)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


separable_conv2d = separable_convolution2d
