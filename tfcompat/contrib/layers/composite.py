"""``tf.contrib.layers``' ``repeat``, ``stack``, ``one_hot_encoding`` and ``softmax`` (TF 1.15
contrib/layers/python/layers/layers.py), the helpers slim models are written with.

``repeat(x, 3, conv2d, 64, [3, 3], scope='conv1')`` calls the layer with scopes
'conv1/conv1_1' .. 'conv1/conv1_3'; ``stack`` does the same with per-call arguments. Without
a ``scope`` the layer's ``__name__`` (a partial's function's) names the calls, and the outer
variable scope is "Repeat" / "Stack"."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.layers import utils
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops import variable_scope as vs

__all__ = ["repeat", "stack", "one_hot_encoding", "softmax"]


def _layer_scope_name(layer, fallback):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__
    return fallback


def _apply_numbered(inputs, layer, args_per_call, kwargs, default_scope):
    """Calls ``layer(outputs, *args, scope=<scope>_<i>)`` for each entry of
    ``args_per_call`` inside ``variable_scope(scope, default_scope)``."""
    scope = kwargs.pop("scope", None)
    with vs.variable_scope(scope, default_scope, [inputs]):
        outputs = ops.convert_to_tensor(inputs)
        prefix = scope if scope is not None else _layer_scope_name(
            layer, default_scope.lower())
        for index, layer_args in enumerate(args_per_call):
            kwargs["scope"] = f"{prefix}_{index + 1}"
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """``slim.repeat(inputs, repetitions, layer, *args, **kwargs)``: ``layer`` applied
    ``repetitions`` times with the same arguments, scopes '<scope>/<scope>_<i>'."""
    return _apply_numbered(inputs, layer, [args] * repetitions, kwargs, "Repeat")


def stack(inputs, layer, stack_args, **kwargs):
    """``slim.stack(inputs, layer, stack_args, **kwargs)``: ``layer`` applied once per entry
    of ``stack_args`` (a value or a tuple of positional arguments), scopes
    '<scope>/<scope>_<i>'."""
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    per_call = [a if isinstance(a, (list, tuple)) else [a] for a in stack_args]
    return _apply_numbered(inputs, layer, per_call, kwargs, "Stack")


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0,
                     outputs_collections=None, scope=None):
    """``slim.one_hot_encoding``: ``tf.one_hot`` of the labels (int32 labels cast to int64
    first) under name scope "OneHotEncoding"."""
    with ops.name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = ops.convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = math_ops.cast(labels, dtypes.int64)
        outputs = array_ops.one_hot(labels, num_classes, on_value=on_value,
                                    off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


def softmax(logits, scope=None):
    """``slim.softmax``: softmax over the last axis of N-d logits (N > 1, last dimension
    known), computed on the [-1, classes] reshape under variable scope "softmax"."""
    with vs.variable_scope(scope, "softmax", [logits]):
        logits = ops.convert_to_tensor(logits)
        num_logits = utils.last_dimension(logits.shape, min_rank=2)
        predictions = nn.softmax(array_ops.reshape(logits, [-1, num_logits]))
        predictions = array_ops.reshape(predictions, array_ops.shape(logits))
        predictions.set_shape(logits.shape)
        return predictions
