"""The 2017 ``tf.contrib.layers`` functions the book uses (TF 1.15's
contrib/layers/python/layers/layers.py): ``fully_connected``, ``batch_norm``, ``dropout``,
``flatten`` (and ``linear``/``relu``/``relu6``), all decorated with ``add_arg_scope``.

- ``fully_connected`` opens ``variable_scope(scope, "fully_connected")`` with a custom
  getter that renames the core Dense layer's "kernel"/"bias" to "weights"/"biases" and makes
  them model variables; no biases when a ``normalizer_fn`` is given (or
  ``biases_initializer=None``); the normalizer, then ``activation_fn`` (default tf.nn.relu),
  run inside the scope ("fully_connected/Relu").
- ``batch_norm`` (scope "BatchNorm", ``scale=False`` by default: no gamma) follows TF's three
  paths: rank-2 inputs, or rank-4 inputs with custom ``updates_collections``, use the fused
  kernel's semantics (moving variance updated with the unbiased batch variance, epsilon at
  least 1.001e-5); other inputs with the default UPDATE_OPS use ``tf.layers``'
  BatchNormalization; ``fused=False`` with other collections uses the legacy moments path.
  ``updates_collections=None`` forces the updates with the output (control dependencies).
  ``batch_weights``, ``zero_debias_moving_mean``, ``renorm`` and ``adjustment`` are not
  supported yet (ValueError).
"""
import numbers

import numpy as np

from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.framework.variables import model_variable
from tfcompat.contrib.layers.initializers import xavier_initializer
from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.layers import core as core_layers
from tfcompat.layers import normalization as normalization_layers
from tfcompat.layers import utils as layer_utils
from tfcompat.ops import array_ops, math_ops

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
_FUSED_MIN_EPSILON = 1.001e-5


# ---- helpers (TF's contrib/layers utils.py) --------------------------------------------------
def get_variable_collections(variables_collections, name):
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def append_tensor_alias(tensor, alias):
    if alias.endswith("/"):
        alias = alias[:-1]
    if hasattr(tensor, "aliases"):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections, alias, outputs):
    """Adds ``outputs`` (with ``alias`` appended to ``outputs.aliases``) to
    ``collections``."""
    if collections:
        append_tensor_alias(outputs, alias)
        ops.add_to_collections(collections, outputs)
    return outputs


def _add_variable_to_collections(variable, collections_set, collections_name):
    collections = get_variable_collections(collections_set, collections_name) or []
    if isinstance(collections, str):
        collections = [collections]
    for collection in collections:
        if not any(v is variable for v in ops.get_collection(collection)):
            ops.add_to_collection(collection, variable)


def _model_variable_getter(getter, name, shape=None, dtype=None, initializer=None,
                           regularizer=None, trainable=True, collections=None,
                           caching_device=None, partitioner=None, rename=None,
                           use_resource=None, **_):
    """Custom getter making the layers' variables model variables, renamed per
    ``rename`` ({"kernel": "weights", "bias": "biases"})."""
    short_name = name.split("/")[-1]
    if rename and short_name in rename:
        parts = name.split("/")
        parts[-1] = rename[short_name]
        name = "/".join(parts)
    return model_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                          regularizer=regularizer, collections=collections,
                          trainable=trainable, caching_device=caching_device,
                          partitioner=partitioner, custom_getter=getter)


def _build_variable_getter(rename=None):
    def layer_variable_getter(getter, *args, **kwargs):
        kwargs["rename"] = rename
        return _model_variable_getter(getter, *args, **kwargs)
    return layer_variable_getter


# ---- fully_connected ---------------------------------------------------------------------------
@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=xavier_initializer(),
                    weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None,
                    reuse=None, variables_collections=None, outputs_collections=None,
                    trainable=True, scope=None):
    """``tf.contrib.layers.fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu,
    normalizer_fn=None, normalizer_params=None, weights_initializer=xavier_initializer(),
    weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
    biases_regularizer=None, reuse=None, variables_collections=None,
    outputs_collections=None, trainable=True, scope=None)``."""
    if not isinstance(num_outputs, (numbers.Integral, np.integer)) or \
            isinstance(num_outputs, bool):
        raise ValueError(f"num_outputs type should be one of [<class 'int'>], got "
                         f"{type(num_outputs)}.")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"fully_connected: `normalizer_fn` must be callable, got "
                        f"{normalizer_fn!r}")
    layer_variable_getter = _build_variable_getter({"bias": "biases", "kernel": "weights"})
    with vs.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                           custom_getter=layer_variable_getter) as sc:
        inputs = ops.convert_to_tensor(inputs)
        layer = core_layers.Dense(
            units=int(num_outputs), activation=None,
            use_bias=not normalizer_fn and biases_initializer is not None,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            activity_regularizer=None, trainable=trainable, name=sc.name,
            dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def linear(inputs, num_outputs, **kwargs):
    """``tf.contrib.layers.linear``: ``fully_connected`` with ``activation_fn=None``."""
    return fully_connected(inputs, num_outputs, activation_fn=None, **kwargs)


def relu(inputs, num_outputs, **kwargs):
    """``tf.contrib.layers.relu``: ``fully_connected`` with ``activation_fn=tf.nn.relu``."""
    return fully_connected(inputs, num_outputs, activation_fn=nn.relu, **kwargs)


def relu6(inputs, num_outputs, **kwargs):
    """``tf.contrib.layers.relu6``: ``fully_connected`` with ``activation_fn=tf.nn.relu6``."""
    return fully_connected(inputs, num_outputs, activation_fn=nn.relu6, **kwargs)


# ---- dropout / flatten ------------------------------------------------------------------------
@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    """``tf.contrib.layers.dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
    outputs_collections=None, scope=None, seed=None)``: keeps units with probability
    ``keep_prob`` (scaled by 1 / keep_prob) when training, identity otherwise."""
    if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1:
        raise ValueError(f"Layer Dropout: `keep_prob` must be in (0, 1] (the probability of "
                         f"keeping a unit), got {keep_prob!r}")
    with vs.variable_scope(scope, "Dropout", [inputs],
                           custom_getter=_model_variable_getter) as sc:
        inputs = ops.convert_to_tensor(inputs)
        layer = core_layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                                    name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=layer_utils.check_bool_flag(
            is_training, sc.name, "is_training"))
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """``tf.contrib.layers.flatten``: [batch, ...] -> [batch, k]."""
    with ops.name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = ops.convert_to_tensor(inputs)
        outputs = core_layers.flatten(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


# ---- batch_norm -------------------------------------------------------------------------------
def _unsupported(argument):
    raise ValueError(f"tf.contrib.layers.batch_norm: tfcompat does not support `{argument}` "
                     "yet")


def _is_update_ops(collections):
    return isinstance(collections, str) and collections == ops.GraphKeys.UPDATE_OPS


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001,
               activation_fn=None, param_initializers=None, param_regularizers=None,
               updates_collections=ops.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format=DATA_FORMAT_NHWC,
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """``tf.contrib.layers.batch_norm`` (TF 1.15 defaults: decay=0.999, center=True,
    scale=False, epsilon=0.001, updates_collections=UPDATE_OPS, is_training=True); see the
    module docstring for the paths taken."""
    if batch_weights is not None:
        _unsupported("batch_weights")
    if zero_debias_moving_mean:
        _unsupported("zero_debias_moving_mean")
    if renorm:
        _unsupported("renorm")
    if adjustment is not None:
        _unsupported("adjustment")
    if fused is None:
        fused = True
    inputs = ops.convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if fused and rank in (2, 4) and (rank == 2 or not _is_update_ops(updates_collections)):
        return _fused_batch_norm(
            inputs, decay=decay, center=center, scale=scale, epsilon=epsilon,
            activation_fn=activation_fn, param_initializers=param_initializers,
            param_regularizers=param_regularizers, updates_collections=updates_collections,
            is_training=is_training, reuse=reuse, variables_collections=variables_collections,
            outputs_collections=outputs_collections, trainable=trainable,
            data_format=data_format, scope=scope)
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    layer_variable_getter = _build_variable_getter()
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                           custom_getter=layer_variable_getter) as sc:
        is_training = layer_utils.check_bool_flag(is_training, sc.name, "is_training")
        param_initializers = param_initializers or {}
        param_regularizers = param_regularizers or {}
        if _is_update_ops(updates_collections):
            layer = normalization_layers.BatchNormalization(
                axis=1 if data_format == DATA_FORMAT_NCHW else -1, momentum=decay,
                epsilon=epsilon, center=center, scale=scale,
                beta_initializer=param_initializers.get("beta", init_ops.zeros_initializer()),
                gamma_initializer=param_initializers.get("gamma", init_ops.ones_initializer()),
                moving_mean_initializer=param_initializers.get(
                    "moving_mean", init_ops.zeros_initializer()),
                moving_variance_initializer=param_initializers.get(
                    "moving_variance", init_ops.ones_initializer()),
                beta_regularizer=param_regularizers.get("beta"),
                gamma_regularizer=param_regularizers.get("gamma"), trainable=trainable,
                name=sc.name, _scope=sc, _reuse=reuse, fused=fused)
            outputs = layer.apply(inputs, training=is_training)
            _add_variable_to_collections(layer.moving_mean, variables_collections,
                                         "moving_mean")
            _add_variable_to_collections(layer.moving_variance, variables_collections,
                                         "moving_variance")
            if layer.beta is not None:
                _add_variable_to_collections(layer.beta, variables_collections, "beta")
            if layer.gamma is not None:
                _add_variable_to_collections(layer.gamma, variables_collections, "gamma")
            if activation_fn is not None:
                outputs = activation_fn(outputs)
            return collect_named_outputs(outputs_collections, sc.name, outputs)
        return _legacy_batch_norm(inputs, sc, decay, center, scale, epsilon, activation_fn,
                                  param_initializers, updates_collections, is_training,
                                  variables_collections, outputs_collections, trainable,
                                  data_format)


def _params(center, scale, params_shape, dtype, param_initializers, param_regularizers,
            variables_collections, trainable, constants):
    """beta, gamma, moving_mean, moving_variance as contrib creates them (model variables;
    constants 0/1 in place of a missing beta/gamma when ``constants``)."""
    beta = gamma = None
    if center:
        beta = model_variable(
            "beta", shape=params_shape, dtype=dtype,
            initializer=param_initializers.get("beta", init_ops.zeros_initializer()),
            regularizer=param_regularizers.get("beta"),
            collections=get_variable_collections(variables_collections, "beta"),
            trainable=trainable)
    elif constants:
        beta = array_ops.constant(0.0, dtype=dtype, shape=params_shape)
    if scale:
        gamma = model_variable(
            "gamma", shape=params_shape, dtype=dtype,
            initializer=param_initializers.get("gamma", init_ops.ones_initializer()),
            regularizer=param_regularizers.get("gamma"),
            collections=get_variable_collections(variables_collections, "gamma"),
            trainable=trainable)
    elif constants:
        gamma = array_ops.constant(1.0, dtype=dtype, shape=params_shape)
    moving_mean = model_variable(
        "moving_mean", shape=params_shape, dtype=dtype,
        initializer=param_initializers.get("moving_mean", init_ops.zeros_initializer()),
        trainable=False,
        collections=get_variable_collections(variables_collections, "moving_mean"))
    moving_variance = model_variable(
        "moving_variance", shape=params_shape, dtype=dtype,
        initializer=param_initializers.get("moving_variance", init_ops.ones_initializer()),
        trainable=False,
        collections=get_variable_collections(variables_collections, "moving_variance"))
    return beta, gamma, moving_mean, moving_variance


def _moving_updates(moving_mean, moving_variance, mean, variance, decay):
    update_mean = normalization_layers.assign_moving_average(moving_mean, mean, decay)
    update_variance = normalization_layers.assign_moving_average(moving_variance, variance,
                                                                 decay)
    return update_mean, update_variance


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                      param_regularizers, updates_collections, is_training, reuse,
                      variables_collections, outputs_collections, trainable, data_format,
                      scope):
    """TF's ``_fused_batch_norm`` (rank 2 or 4) with ordinary ops: training normalises with
    the biased batch variance but updates the moving variance with the unbiased one."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        is_training = layer_utils.check_bool_flag(is_training, sc.name, "is_training")
        inputs = ops.convert_to_tensor(inputs)
        shape = inputs.shape
        rank = shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank")
        if rank not in (2, 4):
            raise ValueError(f"Inputs {inputs.name} has unsupported rank. Expected 2 or 4 but "
                             f"got {rank}")
        if rank == 2:
            channel_axis = 1
            if shape[1].value is None:
                raise ValueError("`C` dimension must be known but is None")
        else:
            channel_axis = 3 if data_format == DATA_FORMAT_NHWC else 1
        channels = shape[channel_axis].value
        if channels is None:
            raise ValueError(f"Inputs {inputs.name} has undefined `C` dimension "
                             f"{shape[channel_axis:channel_axis + 1]}.")
        beta, gamma, moving_mean, moving_variance = _params(
            center, scale, [channels], dtypes.float32, param_initializers or {},
            param_regularizers or {}, variables_collections, trainable, constants=True)
        epsilon = max(float(epsilon), _FUSED_MIN_EPSILON)
        reduction_axes = [i for i in range(rank) if i != channel_axis]
        bshape = [1] * rank
        bshape[channel_axis] = channels

        def _b(v):
            v = math_ops.cast(v, inputs.dtype.base_dtype)
            return v if channel_axis == rank - 1 else array_ops.reshape(v, bshape)

        def _training():
            mean, variance = nn.moments(math_ops.cast(inputs, dtypes.float32), reduction_axes)
            output = nn.batch_normalization(inputs, _b(mean), _b(variance), _b(beta), _b(gamma),
                                            epsilon)
            return output, mean, normalization_layers.bessel_corrected(variance, inputs,
                                                                       reduction_axes)

        def _inference():
            output = nn.batch_normalization(inputs, _b(moving_mean), _b(moving_variance),
                                            _b(beta), _b(gamma), epsilon)
            return (output, ops.convert_to_tensor(moving_mean),
                    ops.convert_to_tensor(moving_variance))

        outputs, mean, variance = layer_utils.smart_cond(is_training, _training, _inference)
        training_value = layer_utils.constant_value(is_training)
        if training_value is None or training_value:
            if updates_collections is None:
                def _force_updates():
                    updates = _moving_updates(moving_mean, moving_variance, mean, variance,
                                              decay)
                    with ops.control_dependencies(updates):
                        return array_ops.identity(outputs)
                outputs = layer_utils.smart_cond(is_training, _force_updates, lambda: outputs)
            else:
                update_mean, update_variance = layer_utils.smart_cond(
                    is_training,
                    lambda: _moving_updates(moving_mean, moving_variance, mean, variance,
                                            decay),
                    lambda: (moving_mean, moving_variance))
                ops.add_to_collections(updates_collections, update_mean)
                ops.add_to_collections(updates_collections, update_variance)
        outputs.set_shape(shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _legacy_batch_norm(inputs, sc, decay, center, scale, epsilon, activation_fn,
                       param_initializers, updates_collections, is_training,
                       variables_collections, outputs_collections, trainable, data_format):
    """TF's non-fused, non-layer path (custom ``updates_collections`` with fused=False):
    ``tf.nn.moments`` (biased variance) for both the output and the moving averages."""
    shape = inputs.shape
    rank = shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    dtype = inputs.dtype.base_dtype
    if data_format == DATA_FORMAT_NCHW:
        moments_axes = [0] + list(range(2, rank))
        params_shape = shape[1:2]
        broadcast = [1, shape[1].value] + [1] * (rank - 2)
    else:
        moments_axes = list(range(rank - 1))
        params_shape = shape[-1:]
        broadcast = None
    if not params_shape.is_fully_defined():
        raise ValueError(f"Inputs {inputs.name} has undefined channels dimension "
                         f"{params_shape}.")
    # (TF 1.15's legacy path ignores param_regularizers.)
    beta, gamma, moving_mean, moving_variance = _params(
        center, scale, params_shape.as_list(), dtype, param_initializers, {},
        variables_collections, trainable, constants=False)
    training_value = layer_utils.constant_value(is_training)
    if training_value is None or training_value:
        mean, variance = nn.moments(inputs, moments_axes, keep_dims=broadcast is not None)
        if broadcast is not None:
            mean = array_ops.reshape(mean, [-1])
            variance = array_ops.reshape(variance, [-1])

        def moving_vars_fn():
            return moving_mean, moving_variance
        if updates_collections is None:
            def _force_updates():
                updates = _moving_updates(moving_mean, moving_variance, mean, variance, decay)
                with ops.control_dependencies(updates):
                    return array_ops.identity(mean), array_ops.identity(variance)
            mean, variance = layer_utils.smart_cond(is_training, _force_updates, moving_vars_fn)
        else:
            update_mean, update_variance = layer_utils.smart_cond(
                is_training,
                lambda: _moving_updates(moving_mean, moving_variance, mean, variance, decay),
                moving_vars_fn)
            ops.add_to_collections(updates_collections, update_mean)
            ops.add_to_collections(updates_collections, update_variance)
            batch_mean, batch_variance = mean, variance
            mean, variance = layer_utils.smart_cond(
                is_training, lambda: (batch_mean, batch_variance), moving_vars_fn)
    else:
        mean, variance = moving_mean, moving_variance
    if broadcast is not None:
        mean = array_ops.reshape(mean, broadcast)
        variance = array_ops.reshape(variance, broadcast)
        if beta is not None:
            beta = array_ops.reshape(beta, broadcast)
        if gamma is not None:
            gamma = array_ops.reshape(gamma, broadcast)
    outputs = nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
    outputs.set_shape(shape)
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(outputs_collections, sc.name, outputs)
