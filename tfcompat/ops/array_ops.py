"""Array ops: constants, placeholders, identity, shapes and reshaping (TF's array_ops)."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_shape_value, constant_value, format_shape,
                                       make_op, make_tensor, register_op)


# ---- constants and feeds -------------------------------------------------------------------
@register_op
class Const(OpDef):
    """A constant tensor; the value lives in the graph as the ``value`` attr (``tf.constant``)."""

    differentiable = False

    def infer(self, op):
        value = op.attrs["value"]
        return [(tensor_shape.TensorShape(value.shape), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        value = op.attrs["value"]
        value.setflags(write=False)  # shared by every run: kernels must never write into it
        return lambda: value


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """``tf.constant``: a scalar value is broadcast to ``shape``; a list is reshaped to it."""
    array = ops.numpy_value_of(value, dtype)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.as_dtype(array.dtype)
    if shape is not None:
        shape = tuple(tensor_shape.as_shape(shape).as_list())
        if verify_shape and array.shape != shape:
            raise TypeError(f"Expected Tensor's shape: {shape}, got {array.shape}.")
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=array.dtype)
        elif array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape (value has "
                            f"{array.size} elements, shape is {shape} with "
                            f"{int(np.prod(shape))} elements).")
    return make_tensor("Const", attrs={"value": array, "dtype": dtype}, name=name)


@register_op
class Placeholder(OpDef):
    """A value that must be fed (``tf.placeholder``); running it unfed is an error."""

    differentiable = False

    def infer(self, op):
        return [(op.attrs["shape"], op.attrs["dtype"])]

    def kernel(self, op, ctx):
        dtype, shape = op.attrs["dtype"], op.attrs["shape"]
        shape_text = "" if shape.ndims is None else f" and shape {format_shape(shape)}"
        message = (f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                   f"{_tf_type_name(dtype)}{shape_text}\n\t [[node {op.name}]]")

        def unfed():
            raise errors.InvalidArgumentError(None, op, message)
        return unfed


def _tf_type_name(dtype):
    """The C++ DataTypeString ("float" for float32) that TF's error messages use."""
    return {"float32": "float", "float64": "double"}.get(dtype.base_dtype.name,
                                                          dtype.base_dtype.name)


def placeholder(dtype, shape=None, name=None):
    """``tf.placeholder(dtype, shape=None, name=None)``."""
    return make_tensor("Placeholder", attrs={"dtype": dtypes.as_dtype(dtype),
                                             "shape": tensor_shape.as_shape(shape)},
                       name=name or "Placeholder")


@register_op
class PlaceholderWithDefault(OpDef):
    """Passes ``input`` through unless fed (``tf.placeholder_with_default``)."""

    may_alias_input = True

    def infer(self, op):
        return [(op.attrs["shape"], op.inputs[0].dtype)]

    def kernel(self, op, ctx):
        return lambda x: x

    def grad(self, op, dy):
        return [dy]


def placeholder_with_default(input, shape, name=None):  # noqa: A002 (TF's argument name)
    value = ops.convert_to_tensor(input)
    shape = tensor_shape.as_shape(shape)
    if not value.shape.is_compatible_with(shape):
        raise ValueError(f"Shapes {value.shape} and {shape} are incompatible")
    return make_tensor("PlaceholderWithDefault", [value], {"shape": shape},
                       name=name or "PlaceholderWithDefault")


# ---- identity-like -------------------------------------------------------------------------
class _PassThrough(OpDef):
    may_alias_input = True

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda x: x


@register_op
class Identity(_PassThrough):
    """y = x; dy/dx = 1 (``tf.identity``). Reading a ref variable goes through one of these."""

    def grad(self, op, dy):
        return [dy]


@register_op
class StopGradient(_PassThrough):
    """y = x with no gradient (``tf.stop_gradient``)."""

    differentiable = False


def identity(input, name=None):  # noqa: A002
    return make_tensor("Identity", [ops.convert_to_tensor(input)], name=name or "Identity")


def stop_gradient(input, name=None):  # noqa: A002
    return make_tensor("StopGradient", [ops.convert_to_tensor(input)],
                       name=name or "StopGradient")


# ---- shapes --------------------------------------------------------------------------------
class _ShapeQuery(OpDef):
    differentiable = False

    def kernel(self, op, ctx):
        out_type = op.attrs["out_type"].as_numpy_dtype
        query = self.query
        return lambda x: np.asarray(query(x), dtype=out_type)


@register_op
class Shape(_ShapeQuery):
    """The dynamic shape as a 1-D int32 tensor (``tf.shape``)."""

    query = staticmethod(np.shape)

    def infer(self, op):
        return [(tensor_shape.TensorShape([op.inputs[0].shape.ndims]), op.attrs["out_type"])]


@register_op
class Size(_ShapeQuery):
    """Number of elements (``tf.size``)."""

    query = staticmethod(np.size)

    def infer(self, op):
        return [(tensor_shape.scalar(), op.attrs["out_type"])]


@register_op
class Rank(_ShapeQuery):
    """Number of dimensions (``tf.rank``)."""

    query = staticmethod(np.ndim)

    def infer(self, op):
        return [(tensor_shape.scalar(), op.attrs["out_type"])]


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    return make_tensor("Shape", [ops.convert_to_tensor(input)],
                       {"out_type": dtypes.as_dtype(out_type)}, name=name or "Shape")


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    return make_tensor("Size", [ops.convert_to_tensor(input)],
                       {"out_type": dtypes.as_dtype(out_type)}, name=name or "Size")


def rank(input, name=None):  # noqa: A002
    return make_tensor("Rank", [ops.convert_to_tensor(input)], {"out_type": dtypes.int32},
                       name=name or "Rank")


@register_op
class Reshape(OpDef):
    """Reshape with one -1 wildcard (``tf.reshape``); the gradient reshapes back."""

    may_alias_input = True
    fusible = False

    def infer(self, op):
        x, target = op.inputs
        new_shape = constant_shape_value(target)
        known = constant_value(target)
        if known is not None and x.shape.is_fully_defined():
            n = x.shape.num_elements()
            dims = [int(d) for d in known.ravel()]
            if dims.count(-1) > 1:
                raise ValueError(f"Cannot reshape in '{op.name}': more than one -1 in {dims}")
            if -1 in dims:
                rest = int(np.prod([d for d in dims if d != -1]))
                if rest == 0 or n % rest:
                    raise ValueError(f"Cannot reshape a tensor with {n} elements to shape "
                                     f"{dims} for '{op.name}' (op: 'Reshape')")
                dims[dims.index(-1)] = n // rest
            elif int(np.prod(dims)) != n:
                raise ValueError(f"Cannot reshape a tensor with {n} elements to shape "
                                 f"[{','.join(map(str, dims))}] ({int(np.prod(dims))} elements) "
                                 f"for '{op.name}' (op: 'Reshape') with input shapes: "
                                 f"{format_shape(x.shape)}, {format_shape(target.shape)}.")
            new_shape = tensor_shape.TensorShape(dims)
        return [(new_shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        name = op.name

        def reshape_kernel(x, new_shape):
            try:
                return np.reshape(x, tuple(new_shape))
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, op, f"Input to reshape is a tensor with {x.size} values, but the "
                    f"requested shape has {int(np.prod(new_shape))}\n\t [[node {name}]]") from None
        return reshape_kernel

    def grad(self, op, dy):
        return [reshape(dy, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: A002
    tensor = ops.convert_to_tensor(tensor)
    shape_tensor = ops.convert_to_tensor(shape, dtype=dtypes.int32) if not isinstance(
        shape, ops.Tensor) else shape
    return make_tensor("Reshape", [tensor, shape_tensor], name=name or "Reshape")


@register_op
class ZerosLike(OpDef):
    """Zeros with the shape and dtype of the input (``tf.zeros_like``)."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        return np.zeros_like


@register_op
class OnesLike(ZerosLike):
    """Ones with the shape and dtype of the input (``tf.ones_like``)."""

    op_type = "OnesLike"

    def kernel(self, op, ctx):
        return np.ones_like


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    tensor = ops.convert_to_tensor(tensor)
    out = make_tensor("ZerosLike", [tensor], name=name or "zeros_like")
    if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
        from tfcompat.ops.math_ops import cast
        out = cast(out, dtype)
    return out


def ones_like(tensor, dtype=None, name=None, optimize=True):
    tensor = ops.convert_to_tensor(tensor)
    out = make_tensor("OnesLike", [tensor], name=name or "ones_like")
    if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
        from tfcompat.ops.math_ops import cast
        out = cast(out, dtype)
    return out


@register_op
class Fill(OpDef):
    """A tensor of shape ``dims`` filled with the scalar ``value`` (``tf.fill``)."""

    def infer(self, op):
        dims, value = op.inputs
        if value.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {value.shape.ndims} for "
                             f"'{op.name}' (op: 'Fill')")
        return [(constant_shape_value(dims), value.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda dims, value: np.full(tuple(dims), value, dtype=value.dtype)

    def grad(self, op, dy):
        from tfcompat.ops.math_ops import reduce_sum
        return [None, reduce_sum(dy)]


def fill(dims, value, name=None):
    return make_tensor("Fill", [ops.convert_to_tensor(dims, dtype=dtypes.int32),
                                ops.convert_to_tensor(value)], name=name or "Fill")


def zeros(shape, dtype=dtypes.float32, name=None):
    """``tf.zeros``: a constant when the shape is static, else Fill."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(shape, ops.Tensor):
        return fill(shape, constant(0, dtype=dtype), name=name or "zeros")
    return constant(np.zeros(tensor_shape.as_shape(shape).as_list(), dtype.as_numpy_dtype),
                    dtype=dtype, name=name or "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    dtype = dtypes.as_dtype(dtype)
    if isinstance(shape, ops.Tensor):
        return fill(shape, constant(1, dtype=dtype), name=name or "ones")
    return constant(np.ones(tensor_shape.as_shape(shape).as_list(), dtype.as_numpy_dtype),
                    dtype=dtype, name=name or "ones")


@register_op
class Pack(OpDef):
    """Stacks N tensors along a new axis (``tf.stack``); the gradient unstacks."""

    def infer(self, op):
        first = op.inputs[0]
        shape = first.shape
        for t in op.inputs[1:]:
            if t.dtype.base_dtype != first.dtype.base_dtype:
                raise TypeError(f"Tensors in list passed to 'values' of 'Pack' Op have types "
                                f"[{', '.join(x.dtype.base_dtype.name for x in op.inputs)}] "
                                "that don't all match.")
            try:
                shape = shape.merge_with(t.shape)
            except ValueError:
                raise ValueError(f"Shapes must be equal rank, but are {t.shape} and "
                                 f"{first.shape}: From merging shape of '{op.name}' "
                                 "(op: 'Pack')") from None
        if shape.ndims is None:
            return [(tensor_shape.unknown_shape(), first.dtype.base_dtype)]
        dims = shape.as_list()
        axis = op.attrs["axis"] % (len(dims) + 1)
        dims.insert(axis, len(op.inputs))
        return [(tensor_shape.TensorShape(dims), first.dtype.base_dtype)]

    def kernel(self, op, ctx):
        axis = op.attrs["axis"]
        return lambda *xs: np.stack(xs, axis=axis)

    def grad(self, op, dy):
        return unstack(dy, num=len(op.inputs), axis=op.attrs["axis"])


def stack(values, axis=0, name="stack"):
    values = [ops.convert_to_tensor(v) for v in values]
    return make_tensor("Pack", values, {"axis": axis, "N": len(values)}, name=name)


@register_op
class Unpack(OpDef):
    """Splits a tensor into ``num`` tensors along ``axis`` (``tf.unstack``)."""

    def infer(self, op):
        x = op.inputs[0]
        num, axis = op.attrs["num"], op.attrs["axis"]
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), x.dtype.base_dtype)] * num
        dims = x.shape.as_list()
        axis %= len(dims)
        del dims[axis]
        return [(tensor_shape.TensorShape(dims), x.dtype.base_dtype)] * num

    def kernel(self, op, ctx):
        axis = op.attrs["axis"]
        return lambda x: tuple(np.moveaxis(x, axis, 0))

    def grad(self, op, *dys):
        if all(d is None for d in dys):
            return [None]
        dys = [d if d is not None else zeros_like(out) for d, out in zip(dys, op.outputs)]
        return [stack(dys, axis=op.attrs["axis"])]


def unstack(value, num=None, axis=0, name="unstack"):
    value = ops.convert_to_tensor(value)
    if num is None:
        if value.shape.ndims is None or value.shape[axis].value is None:
            raise ValueError(f"Cannot infer num from shape {value.shape}")
        num = value.shape[axis].value
    return make_op("Unpack", [value], {"num": num, "axis": axis}, name=name).outputs


ops._OVERLOADS["unstack"] = unstack


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "constant",
    "placeholder",
    "placeholder_with_default",
    "identity",
    "stop_gradient",
    "shape",
    "size",
    "rank",
    "reshape",
    "zeros_like",
    "ones_like",
    "fill",
    "zeros",
    "ones",
    "stack",
    "unstack",
]
