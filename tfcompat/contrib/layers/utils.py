"""``tf.contrib.layers``' utils module (TF 1.15 contrib/layers/python/layers/utils.py, reached
as ``slim.utils``): output aliases and collections (``collect_named_outputs``,
``convert_collection_to_dict``, the end_points dicts of slim's nets) and static shape
helpers (``last_dimension``, ``channel_dimension``, ``two_element_tuple``)."""
import collections

from tfcompat.contrib.layers.layers import (append_tensor_alias,  # noqa: F401
                                            collect_named_outputs, get_variable_collections)
from tfcompat.framework import ops
from tfcompat.framework.op_def import constant_value as _folded_value
from tfcompat.ops.variables import Variable

__all__ = ["collect_named_outputs", "append_tensor_alias", "gather_tensors_aliases",
           "get_tensor_aliases", "convert_collection_to_dict", "constant_value",
           "static_cond", "smart_cond", "get_variable_collections", "channel_dimension",
           "last_dimension", "two_element_tuple", "n_positive_integers"]


def get_tensor_aliases(tensor):
    """The aliases given to ``tensor`` by ``collect_named_outputs``, else its op's name (its
    own name for outputs other than the first)."""
    if hasattr(tensor, "aliases"):
        return tensor.aliases
    return [tensor.op.name] if tensor.name.endswith(":0") else [tensor.name]


def gather_tensors_aliases(tensors):
    """Every alias of every tensor of ``tensors``, in order."""
    return [alias for tensor in tensors for alias in get_tensor_aliases(tensor)]


def convert_collection_to_dict(collection, clear_collection=False):
    """An OrderedDict {alias: tensor} of the tensors of ``collection`` (slim's end_points);
    ``clear_collection`` empties the collection afterwards."""
    output = collections.OrderedDict(
        (alias, tensor) for tensor in ops.get_collection(collection)
        for alias in get_tensor_aliases(tensor))
    if clear_collection:
        ops.get_default_graph().clear_collection(collection)
    return output


def constant_value(value_or_tensor_or_var, dtype=None):
    """The value of a Python/NumPy value or of a tensor TF can fold statically (None when it
    cannot); ``dtype`` checks the tensor's type."""
    if value_or_tensor_or_var is None:
        raise ValueError("value_or_tensor_or_var cannot be None")
    value = value_or_tensor_or_var
    if isinstance(value_or_tensor_or_var, (ops.Tensor, Variable)):
        if dtype and value_or_tensor_or_var.dtype != dtype:
            raise ValueError(f"It has the wrong type {value_or_tensor_or_var.dtype} instead "
                             f"of {dtype}")
        if isinstance(value_or_tensor_or_var, Variable):
            return None
        value = _folded_value(value_or_tensor_or_var)
    return value


def static_cond(pred, fn1, fn2):
    """``fn1()`` if the Python boolean ``pred`` holds, else ``fn2()``."""
    if not callable(fn1):
        raise TypeError("fn1 must be callable.")
    if not callable(fn2):
        raise TypeError("fn2 must be callable.")
    return fn1() if pred else fn2()


def smart_cond(pred, fn1, fn2, name=None):
    """``static_cond`` when ``pred`` is known statically, else ``tf.cond``."""
    pred_value = constant_value(pred)
    if pred_value is not None:
        return static_cond(pred_value, fn1, fn2)
    from tfcompat.ops import control_flow_ops
    return control_flow_ops.cond(pred, fn1, fn2, name=name)


def _get_dimension(shape, dim, min_rank=1):
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError(f"rank of shape must be at least {min_rank} not: {len(dims)}")
    value = dims[dim].value
    if value is None:
        raise ValueError(f"dimension {dim} of shape must be known but is None: {shape}")
    return value


def channel_dimension(shape, data_format, min_rank=1):
    """The channel size of ``shape`` (axis 1 for 'channels_first', else the last axis)."""
    axis = 1 if data_format == "channels_first" else -1
    return _get_dimension(shape, axis, min_rank=min_rank)


def last_dimension(shape, min_rank=1):
    """The last dimension of ``shape``, which must be known and of rank >= ``min_rank``."""
    return _get_dimension(shape, -1, min_rank=min_rank)


def two_element_tuple(int_or_tuple):
    """(h, w) from an int, a pair or a 2-element TensorShape."""
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError(f"Must be a list with 2 elements: {int_or_tuple}")
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if hasattr(int_or_tuple, "dims"):
        if len(int_or_tuple) == 2:
            return int_or_tuple[0], int_or_tuple[1]
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def n_positive_integers(n, value):
    """``value`` (an int or n ints) as a tuple of n positive ints."""
    if isinstance(value, int):
        if value > 0:
            return (value,) * n
    else:
        values = tuple(value) if not hasattr(value, "as_list") else tuple(value.as_list())
        if len(values) == n and all(isinstance(v, int) and v > 0 for v in values):
            return values
    raise ValueError(f"Expected sequence of {n} positive integers, but received {value!r}")
