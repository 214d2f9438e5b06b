"""Array ops: constants, placeholders, identity, shapes and reshaping (TF's array_ops)."""
import builtins

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_shape_value, constant_value, format_shape,
                                       make_op, make_tensor, normalize_axis, register_op)


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
    """``tf.constant``: a scalar value is broadcast to ``shape``; a list is reshaped to it.
    The graph keeps its own copy of a NumPy value, as TF's TensorProto does: changing the
    caller's array later changes nothing in the graph (and running the graph never makes the
    caller's array read-only)."""
    array = ops.numpy_value_of(value, dtype)
    if isinstance(value, np.ndarray) and np.may_share_memory(array, value):
        array = array.copy()
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.as_dtype(array.dtype)
    if shape is not None:
        shape = tuple(tensor_shape.as_shape(shape).as_list())
        if verify_shape and array.shape != shape:
            raise TypeError(f"Expected Tensor's shape: {shape}, got {array.shape}.")
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=array.dtype)
        elif array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        elif array.size > int(np.prod(shape)):
            raise ValueError(f"Too many elements provided. Needed at most "
                             f"{int(np.prod(shape))}, but received {array.size}")
        else:  # TF 1.x: fewer values fill the shape with the last one (zeros when none)
            flat = array.reshape(-1)
            fill = flat[-1] if flat.size else (b"" if array.dtype == object else 0)
            array = np.concatenate([flat, np.full(int(np.prod(shape)) - flat.size, fill,
                                                  dtype=array.dtype)]).reshape(shape)
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
                   f"{dtypes.kernel_type_name(dtype)}{shape_text}\n\t [[node {op.name}]]")

        def unfed():
            raise errors.InvalidArgumentError(None, op, message)
        return unfed


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
    with ops.name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        value = ops.convert_to_tensor(input, name="input")  # TF: "<name>/input"
        shape = tensor_shape.as_shape(shape)
        if not value.shape.is_compatible_with(shape):
            raise ValueError(f"Shapes {value.shape} and {shape} are incompatible")
        return make_tensor("PlaceholderWithDefault", [value], {"shape": shape}, name=scope)


# ---- identity-like -------------------------------------------------------------------------
class _PassThrough(OpDef):
    may_alias_input = True
    forwards_input = True

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


@register_op
class ShapeN(OpDef):
    """The shapes of N tensors, one 1-D output each (``tf.shape_n``)."""

    differentiable = False

    def infer(self, op):
        out_type = op.attrs["out_type"]
        return [(tensor_shape.TensorShape([t.shape.ndims]), out_type) for t in op.inputs]

    def kernel(self, op, ctx):
        out_type = op.attrs["out_type"].as_numpy_dtype
        return lambda *xs: tuple(np.asarray(np.shape(x), dtype=out_type) for x in xs)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    inputs = [ops.convert_to_tensor(t) for t in input]
    return make_op("ShapeN", inputs, {"N": len(inputs), "out_type": dtypes.as_dtype(out_type)},
                   name=name or "ShapeN").outputs


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

    def infer(self, op):
        x, target = op.inputs
        new_shape = constant_shape_value(target)
        known = constant_value(target)
        if known is not None and x.shape.is_fully_defined():
            n = x.shape.num_elements()
            dims = [int(d) for d in known.ravel()]
            if dims.count(-1) > 1:  # TF leaves the dims unknown; the kernel raises
                return [(new_shape, x.dtype.base_dtype)]
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
                if np.min(new_shape, initial=0) < -1:  # NumPy would take -2 as a wildcard
                    raise ValueError
                return np.asarray(x).reshape(new_shape)
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, op, f"{_reshape_error(np.size(x), new_shape)}\n\t [[node {name}]]"
                ) from None
        return reshape_kernel

    def grad(self, op, dy):
        return [reshape(dy, shape(op.inputs[0])), None]


def _reshape_error(size, requested):
    """The Reshape kernel's message for a ``requested`` shape that ``size`` values miss."""
    dims = [int(d) for d in np.ravel(requested)]
    wildcards = [i for i, d in enumerate(dims) if d == -1]
    if len(wildcards) > 1:
        return f"Only one input size may be -1, not both {wildcards[0]} and {wildcards[1]}"
    for i, d in enumerate(dims):
        if d < -1:
            return f"Size {i} must be non-negative, not {d}"
    product = int(np.prod([d for d in dims if d != -1]))
    if wildcards:
        return (f"Input to reshape is a tensor with {size} values, but the requested shape "
                f"requires a multiple of {product}")
    return f"Input to reshape is a tensor with {size} values, but the requested shape has {product}"


def reshape(tensor, shape, name=None):  # noqa: A002
    """``tf.reshape``; a Python shape becomes the constant "<op>/shape", as in TF."""
    with ops.name_scope(name, "Reshape", [tensor, shape]) as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        shape_tensor = ops.convert_to_tensor(shape, dtype=dtypes.int32, name="shape") if \
            not isinstance(shape, ops.Tensor) else shape
        return make_tensor("Reshape", [tensor, shape_tensor], name=scope)


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
        known = constant_value(dims)
        if known is not None and np.any(np.asarray(known) < 0):
            raise ValueError(f"Fill dimensions must be >= 0 for '{op.name}' (op: 'Fill') with "
                             f"input shapes: {format_shape(dims.shape)}, "
                             f"{format_shape(value.shape)} and with computed input tensors: "
                             f"input[0] = <{' '.join(str(int(d)) for d in known)}>.")
        return [(constant_shape_value(dims), value.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda dims, value: np.full(tuple(dims), value, dtype=value.dtype)

    def grad(self, op, dy):
        from tfcompat.ops.math_ops import reduce_sum
        return [None, reduce_sum(dy)]


def fill(dims, value, name=None):
    return make_tensor("Fill", [ops.convert_to_tensor(dims, dtype=dtypes.int32),
                                ops.convert_to_tensor(value)], name=name or "Fill")


def _filled(value, shape, dtype, name, default_name):
    """TF 1.x's zeros/ones: a Const when the shape is static and has fewer than 1000
    elements, else Fill of a "shape_as_tensor" Const (keeps GraphDefs and .meta files small,
    as TF's ``_constant_if_small``)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, default_name, [shape]) as scope:
        if not isinstance(shape, ops.Tensor):
            try:
                dims = tensor_shape.as_shape(shape).as_list()
            except (TypeError, ValueError):
                dims = None  # a list holding tensors
            if dims is not None and None not in dims:
                if int(np.prod(dims)) < 1000:
                    return constant(value, dtype=dtype, shape=dims, name=scope)
                shape = constant(np.array(dims, np.int32), name="shape_as_tensor")
            else:
                shape = ops.convert_to_tensor(shape, dtype=dtypes.int32)
        return fill(shape, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """``tf.zeros``."""
    dtype = dtypes.as_dtype(dtype)
    zero = False if dtype == dtypes.bool else b"" if dtype == dtypes.string else 0
    return _filled(zero, shape, dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """``tf.ones``."""
    return _filled(True if dtypes.as_dtype(dtype) == dtypes.bool else 1, shape, dtype, name,
                   "ones")


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

    may_alias_input = True  # NumPy returns views of the input

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


# ---- shared helpers ------------------------------------------------------------------------
def _invalid(op, message):
    """TF's InvalidArgumentError raised by a kernel, naming the node."""
    return errors.InvalidArgumentError(None, op, f"{message}\n\t [[node {op.name}]]")


def _shape_text(shape):
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


def _index_text(position):
    return "[" + ",".join(str(int(i)) for i in position) + "]"


def _check_index_dtype(op, tensor, argument):
    dtype = tensor.dtype.base_dtype
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter '{argument}' has DataType {dtype.name} not "
                        f"in list of allowed values: int32, int64")


def _static_int(tensor):
    """The Python int value of a scalar tensor known at graph-construction time, else None."""
    value = constant_value(tensor)
    return None if value is None else int(np.asarray(value).reshape(()))


def _as_int_tensor(value, name=None):
    """An int32 (int64 when the values need it) tensor of a shape-like value; a list that
    holds tensors is packed (TF's auto-packing: ``tf.tile(x, [n, 1])``)."""
    if isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element") or (
            isinstance(value, (list, tuple)) and ops._contains_tensor(value)):
        return ops.convert_to_tensor(value)
    array = np.asarray(value)
    dtype = dtypes.int64 if array.dtype == np.int64 and array.size and (
        array.min() < -2**31 or array.max() >= 2**31) else dtypes.int32
    return ops.convert_to_tensor(value, dtype=dtype, name=name)


def _dims_list(shape):
    return None if shape.ndims is None else shape.as_list()


# ---- concat / split ------------------------------------------------------------------------
@register_op
class ConcatV2(OpDef):
    """Joins N tensors along ``axis`` (the last input) (``tf.concat``). The gradient splits
    dy back into pieces of the inputs' sizes (SplitV when static, else ConcatOffset+Slice)."""

    def infer(self, op):
        values, axis_tensor = op.inputs[:-1], op.inputs[-1]
        dtype = values[0].dtype.base_dtype
        if any(v.dtype.base_dtype != dtype for v in values):
            raise TypeError(f"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                            f"[{', '.join(v.dtype.base_dtype.name for v in values)}] that don't "
                            "all match.")
        _check_index_dtype(op, axis_tensor, "Tidx")
        shapes = ", ".join(format_shape(t.shape) for t in op.inputs)
        rank = None
        for v in values:
            if v.shape.ndims is None:
                continue
            if rank is None:
                rank = v.shape.ndims
            elif v.shape.ndims != rank:
                raise ValueError(f"Shape must be rank {rank} but is rank {v.shape.ndims} for "
                                 f"'{op.name}' (op: 'ConcatV2') with input shapes: {shapes}.")
        if rank == 0:
            raise ValueError(f"Can't concatenate scalars (use tf.stack instead) for '{op.name}' "
                             f"(op: 'ConcatV2') with input shapes: {shapes}.")
        axis = _static_int(axis_tensor)
        if rank is None or axis is None:
            return [(tensor_shape.unknown_shape(rank), dtype)]
        if not -rank <= axis < rank:
            raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range "
                             f"[{-rank}, {rank}), but got {axis} for '{op.name}' (op: "
                             f"'ConcatV2') with input shapes: {shapes}.")
        axis %= rank
        out = [None] * rank
        total = 0
        known = [v for v in values if v.shape.ndims is not None]
        for v in known:
            dims = v.shape.as_list()
            for i, d in enumerate(dims):
                if i == axis or d is None:
                    continue
                if out[i] is not None and out[i] != d:
                    raise ValueError(
                        f"Dimension {i} in both shapes must be equal, but are {out[i]} and {d}. "
                        f"Shapes are {format_shape(known[0].shape)} and {format_shape(v.shape)}."
                        f" for '{op.name}' (op: 'ConcatV2') with input shapes: {shapes}.")
                out[i] = d
            if total is not None:
                total = None if dims[axis] is None else total + dims[axis]
        out[axis] = total if len(known) == len(values) else None
        return [(tensor_shape.TensorShape(out), dtype)]

    def kernel(self, op, ctx):
        def concat_kernel(*args):
            values, axis = args[:-1], int(args[-1])
            rank = values[0].ndim
            if not -rank <= axis < rank:
                raise _invalid(op, f"ConcatOp : Expected concatenating dimensions in the range "
                               f"[{-rank}, {rank}), but got {axis}")
            axis %= rank
            first = values[0].shape
            for i, v in enumerate(values[1:], 1):
                if v.ndim != rank:
                    raise _invalid(op, f"ConcatOp : Ranks of all input tensors should match: "
                                   f"shape[0] = {_shape_text(first)} vs. shape[{i}] = "
                                   f"{_shape_text(v.shape)}")
                if any(a != b for j, (a, b) in enumerate(zip(first, v.shape)) if j != axis):
                    raise _invalid(op, f"ConcatOp : Dimensions of inputs should match: "
                                   f"shape[0] = {_shape_text(first)} vs. shape[{i}] = "
                                   f"{_shape_text(v.shape)}")
            return np.concatenate(values, axis=axis)
        return concat_kernel

    def grad(self, op, dy):
        values, axis_tensor = op.inputs[:-1], op.inputs[-1]
        axis = _static_int(axis_tensor)
        rank = values[0].shape.ndims
        if axis is not None and rank is not None:
            sizes = [v.shape[axis % rank].value for v in values]
            if None not in sizes:
                return list(split(dy, sizes, axis=axis % rank)) + [None]
        shapes = [shape(v) for v in values]
        offsets = make_op("ConcatOffset", [axis_tensor] + shapes).outputs
        return [slice(dy, o, s) for o, s in zip(offsets, shapes)] + [None]


@register_op
class ConcatOffset(OpDef):
    """Start offsets of each concatenated input inside the result (ConcatV2's gradient)."""

    differentiable = False

    def infer(self, op):
        return [(t.shape, t.dtype.base_dtype) for t in op.inputs[1:]]

    def kernel(self, op, ctx):
        def concat_offset(axis, *shapes):
            axis = int(axis) % len(shapes[0])
            offsets, position = [], 0
            for s in shapes:
                offset = np.zeros_like(s)
                offset[axis] = position
                position += int(s[axis])
                offsets.append(offset)
            return tuple(offsets)
        return concat_offset


def concat(values, axis, name="concat"):
    """``tf.concat(values, axis, name="concat")``; one value is returned through Identity."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with ops.name_scope(name) as scope:
            axis_tensor = _as_int_tensor(axis, name="concat_dim")
            value = ops.convert_to_tensor(values[0])
            if axis_tensor.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {axis_tensor.shape.ndims}")
            return identity(value, name=scope)
    values = [ops.convert_to_tensor(v) for v in values]
    return make_tensor("ConcatV2", values + [_as_int_tensor(axis)], {"N": len(values)},
                       name=name)


@register_op
class Split(OpDef):
    """Splits ``value`` (input 1) into ``num_split`` equal pieces along ``split_dim``
    (input 0) (``tf.split`` with a number); the gradient concatenates the pieces' grads."""

    may_alias_input = True  # NumPy returns views of the input

    def infer(self, op):
        axis_tensor, value = op.inputs
        num = op.attrs["num_split"]
        dtype = value.dtype.base_dtype
        axis = _static_int(axis_tensor)
        if value.shape.ndims is None or axis is None:
            return [(tensor_shape.unknown_shape(value.shape.ndims), dtype)] * num
        axis = normalize_axis(op, axis, value.shape.ndims)
        dims = value.shape.as_list()
        if dims[axis] is not None:
            if dims[axis] % num:
                raise ValueError(f"Dimension size must be evenly divisible by {num} but is "
                                 f"{dims[axis]} for '{op.name}' (op: 'Split') with input "
                                 f"shapes: {format_shape(axis_tensor.shape)}, "
                                 f"{format_shape(value.shape)} and with computed input tensors: "
                                 f"input[0] = <{axis}>.")
            dims[axis] //= num
        return [(tensor_shape.TensorShape(dims), dtype)] * num

    def kernel(self, op, ctx):
        num = op.attrs["num_split"]

        def split_kernel(axis, value):
            axis = int(axis)
            if not -value.ndim <= axis < value.ndim:
                raise _invalid(op, f"-input rank(-{value.ndim}) <= split_dim < input rank "
                               f"({value.ndim}), but got {axis}")
            if value.shape[axis] % num:
                raise _invalid(op, f"Number of ways to split should evenly divide the split "
                               f"dimension, but got split_dim {axis % value.ndim} (size = "
                               f"{value.shape[axis]}) and num_split {num}")
            return tuple(np.split(value, num, axis=axis))
        return split_kernel

    def grad(self, op, *dys):
        return [None, concat(list(dys), op.inputs[0])]


@register_op
class SplitV(OpDef):
    """Splits ``value`` into pieces of ``size_splits`` (one may be -1) along ``split_dim``."""

    may_alias_input = True  # NumPy returns views of the input

    def infer(self, op):
        value, sizes_tensor, axis_tensor = op.inputs
        num = op.attrs["num_split"]
        dtype = value.dtype.base_dtype
        axis = _static_int(axis_tensor)
        sizes = constant_value(sizes_tensor)
        if value.shape.ndims is None or axis is None:
            return [(tensor_shape.unknown_shape(value.shape.ndims), dtype)] * num
        axis = normalize_axis(op, axis, value.shape.ndims)
        dims = value.shape.as_list()
        if sizes is None:
            dims[axis] = None
            return [(tensor_shape.TensorShape(dims), dtype)] * num
        sizes = [int(s) for s in np.ravel(sizes)]
        if len(sizes) != num:
            raise ValueError(f"Length of size_splits should be equal to num_split: "
                             f"{len(sizes)} vs {num} for '{op.name}' (op: 'SplitV')")
        if sizes.count(-1) > 1:
            raise ValueError(f"size_splits can only have one -1 for '{op.name}' (op: 'SplitV')")
        total = dims[axis]
        if -1 in sizes and total is not None:
            sizes[sizes.index(-1)] = total - (sum(sizes) + 1)
        elif -1 not in sizes and total is not None and sum(sizes) != total:
            raise ValueError(f"Determined shape must either match input shape along split_dim "
                             f"exactly if fully specified, or be less than the size of the "
                             f"input along split_dim if not fully specified.  Got: {sum(sizes)}"
                             f" for '{op.name}' (op: 'SplitV')")
        out = []
        for s in sizes:
            piece = list(dims)
            piece[axis] = None if s < 0 else s
            out.append((tensor_shape.TensorShape(piece), dtype))
        return out

    def kernel(self, op, ctx):
        def split_v(value, sizes, axis):
            axis = int(axis)
            if not -value.ndim <= axis < value.ndim:
                raise _invalid(op, f"-input rank(-{value.ndim}) <= split_dim < input rank "
                               f"({value.ndim}), but got {axis}")
            sizes = [int(s) for s in sizes]
            total = value.shape[axis]
            if -1 in sizes:
                sizes[sizes.index(-1)] = total - (sum(sizes) + 1)
            if sum(sizes) != total or any(s < 0 for s in sizes):
                raise _invalid(op, "Determined shape must either match input shape along "
                               "split_dim exactly if fully specified, or be less than the size "
                               f"of the input along split_dim if not fully specified.  Got: "
                               f"{sum(sizes)}")
            index, start, pieces = [np.s_[:]] * value.ndim, 0, []
            for size in sizes:  # basic slicing: views, without np.split's overhead
                index[axis] = np.s_[start:start + size]
                pieces.append(value[tuple(index)])
                start += size
            return tuple(pieces)
        return split_v

    def grad(self, op, *dys):
        return [concat(list(dys), op.inputs[2]), None, None]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: an int gives Split into equal pieces, a list/tensor of sizes SplitV."""
    value = ops.convert_to_tensor(value)
    if isinstance(num_or_size_splits, (int, np.integer)):
        return make_op("Split", [_as_int_tensor(axis), value],
                       {"num_split": int(num_or_size_splits)}, name=name).outputs
    sizes = _as_int_tensor(num_or_size_splits)
    if num is None:
        if sizes.shape.ndims != 1 or sizes.shape[0].value is None:
            raise ValueError(f"Cannot infer num from shape {sizes.shape}")
        num = sizes.shape[0].value
    return make_op("SplitV", [value, sizes, _as_int_tensor(axis)], {"num_split": int(num)},
                   name=name).outputs


# ---- dimension shuffles --------------------------------------------------------------------
@register_op
class ExpandDims(OpDef):
    """Inserts a dimension of size 1 at ``dim`` (``tf.expand_dims``)."""

    may_alias_input = True

    def infer(self, op):
        x, dim_tensor = op.inputs
        dim = _static_int(dim_tensor)
        if x.shape.ndims is None or dim is None:
            return [(tensor_shape.unknown_shape(None if x.shape.ndims is None
                                                else x.shape.ndims + 1), x.dtype.base_dtype)]
        rank = x.shape.ndims
        if not -rank - 1 <= dim <= rank:
            raise ValueError(f"Tried to expand dim index {dim} for tensor with {rank} "
                             f"dimensions. for '{op.name}' (op: 'ExpandDims') with input shapes:"
                             f" {format_shape(x.shape)}, {format_shape(dim_tensor.shape)} and "
                             f"with computed input tensors: input[1] = <{dim}>.")
        dims = x.shape.as_list()
        dims.insert(dim % (rank + 1), 1)
        return [(tensor_shape.TensorShape(dims), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def expand_dims_kernel(x, dim):
            dim = int(np.asarray(dim).reshape(-1)[0])
            if not -x.ndim - 1 <= dim <= x.ndim:
                raise _invalid(op, f"Tried to expand dim index {dim} for tensor with {x.ndim} "
                               "dimensions.")
            return np.expand_dims(x, dim % (x.ndim + 1))
        return expand_dims_kernel

    def grad(self, op, dy):
        return [_reshape_like(dy, op.inputs[0]), None]


def _reshape_like(dy, x):
    if x.shape.is_fully_defined():
        return reshape(dy, x.shape.as_list())
    return reshape(dy, shape(x))


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """``tf.expand_dims(input, axis=None, name=None, dim=None)``."""
    if axis is None:
        if dim is None:
            raise ValueError("Must specify an axis argument to tf.expand_dims()")
        axis = dim
    elif dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    return make_tensor("ExpandDims", [ops.convert_to_tensor(input), _as_int_tensor(axis)],
                       name=name or "ExpandDims")


@register_op
class Squeeze(OpDef):
    """Removes size-1 dimensions (all of them, or those in ``squeeze_dims``)."""

    may_alias_input = True

    def infer(self, op):
        x = op.inputs[0]
        axes = op.attrs["squeeze_dims"]
        dtype = x.dtype.base_dtype
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        rank = x.shape.ndims
        dims = x.shape.as_list()
        if not axes:
            if None in dims:
                return [(tensor_shape.unknown_shape(), dtype)]
            return [(tensor_shape.TensorShape([d for d in dims if d != 1]), dtype)]
        wanted = set()
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(f"Tried to squeeze dim index {a} for tensor with {rank} "
                                 f"dimensions. for '{op.name}' (op: 'Squeeze') with input "
                                 f"shapes: {format_shape(x.shape)}.")
            a %= rank
            if dims[a] is not None and dims[a] != 1:
                raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                 f"{dims[a]} for '{op.name}' (op: 'Squeeze') with input "
                                 f"shapes: {format_shape(x.shape)}.")
            wanted.add(a)
        return [(tensor_shape.TensorShape([d for i, d in enumerate(dims) if i not in wanted]),
                 dtype)]

    def kernel(self, op, ctx):
        axes = op.attrs["squeeze_dims"]

        def squeeze_kernel(x):
            if not axes:
                return np.squeeze(x)
            normalised = []
            for a in axes:
                if not -x.ndim <= a < x.ndim:
                    raise _invalid(op, f"Tried to squeeze dim index {a} for tensor with "
                                   f"{x.ndim} dimensions.")
                if x.shape[a] != 1:
                    raise _invalid(op, f"Can not squeeze dim[{a % x.ndim}], expected a "
                                   f"dimension of 1, got {x.shape[a]}")
                normalised.append(a % x.ndim)
            return np.squeeze(x, axis=tuple(sorted(set(normalised))))
        return squeeze_kernel

    def grad(self, op, dy):
        return [_reshape_like(dy, op.inputs[0])]


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """``tf.squeeze(input, axis=None, name=None, squeeze_dims=None)``."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif np.isscalar(axis):
        axis = [axis]
    return make_tensor("Squeeze", [ops.convert_to_tensor(input)],
                       {"squeeze_dims": [int(a) for a in axis]}, name=name or "Squeeze")


@register_op
class Transpose(OpDef):
    """Permutes dimensions: y.shape[i] = x.shape[perm[i]] (``tf.transpose``); the gradient
    transposes back with the inverse permutation."""

    may_alias_input = True

    def infer(self, op):
        x, perm_tensor = op.inputs
        _check_index_dtype(op, perm_tensor, "Tperm")
        dtype = x.dtype.base_dtype
        rank = x.shape.ndims
        if perm_tensor.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {perm_tensor.shape.ndims} for "
                             f"'{op.name}' (op: 'Transpose') with input shapes: "
                             f"{format_shape(x.shape)}, {format_shape(perm_tensor.shape)}.")
        length = perm_tensor.shape[0].value if perm_tensor.shape.ndims == 1 else None
        if rank is not None and length is not None and rank != length:
            raise ValueError(f"Dimension must be {rank} but is {length} for '{op.name}' (op: "
                             f"'Transpose') with input shapes: {format_shape(x.shape)}, "
                             f"{format_shape(perm_tensor.shape)}.")
        if rank is None:
            rank = length
        perm = constant_value(perm_tensor)
        if perm is None or rank is None:
            return [(tensor_shape.unknown_shape(rank), dtype)]
        perm = [int(p) for p in np.ravel(perm)]
        for p in perm:
            if not -rank <= p < rank:
                raise ValueError(f"perm dim {p} is out of range of input rank {rank} for "
                                 f"'{op.name}' (op: 'Transpose') with input shapes: "
                                 f"{format_shape(x.shape)}, {format_shape(perm_tensor.shape)}.")
        if sorted(p % rank for p in perm) != list(range(rank)):
            raise ValueError(f"{perm} is not a permutation of [0, {rank}) for '{op.name}' (op: "
                             f"'Transpose')")
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(rank), dtype)]
        dims = x.shape.as_list()
        return [(tensor_shape.TensorShape([dims[p % rank] for p in perm]), dtype)]

    def kernel(self, op, ctx):
        def transpose_kernel(x, perm):
            if perm.shape != (x.ndim,):
                raise _invalid(op, f"transpose expects a vector of size {x.ndim}. But input(1) "
                               f"is a vector of size {perm.size}")
            normalised = [int(p) % x.ndim if -x.ndim <= p < x.ndim else -1 for p in perm]
            for p, q in zip(perm, normalised):
                if q < 0:
                    raise _invalid(op, f"{int(p)} is out of range [0 .. {x.ndim})")
            if len(set(normalised)) != x.ndim:
                raise _invalid(op, f"{normalised[0]} is duplicated in the input.")
            return np.transpose(x, normalised)
        return transpose_kernel

    def grad(self, op, dy):
        perm_tensor = op.inputs[1]
        perm = constant_value(perm_tensor)
        if perm is not None:
            rank = perm.size
            inverse = np.argsort([int(p) % rank for p in np.ravel(perm)]).astype(
                perm_tensor.dtype.as_numpy_dtype)
            inverse_tensor = constant(inverse)
        else:
            inverse_tensor = invert_permutation(perm_tensor)
        return [transpose(dy, inverse_tensor), None]


@register_op
class InvertPermutation(OpDef):
    """y[x[i]] = i (``tf.invert_permutation``)."""

    differentiable = False

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def invert(x):
            n = x.size
            if x.ndim != 1 or np.any((x < 0) | (x >= n)) or len(np.unique(x)) != n:
                raise _invalid(op, f"{x.tolist()} is not a permutation of 0..{n - 1}")
            out = np.empty_like(x)
            out[x] = np.arange(n, dtype=x.dtype)
            return out
        return invert


def invert_permutation(x, name=None):
    return make_tensor("InvertPermutation", [_as_int_tensor(x)],
                       name=name or "InvertPermutation")


def transpose(a, perm=None, name="transpose", conjugate=False):
    """``tf.transpose(a, perm=None, name="transpose")``; perm defaults to reversing the
    dimensions (computed at run time when the rank is unknown, as TF does)."""
    with ops.name_scope(name, "transpose", [a]) as scope:
        a = ops.convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is not None:
                perm_tensor = constant(np.arange(a.shape.ndims - 1, -1, -1, dtype=np.int32))
            else:
                from tfcompat.ops import math_ops
                r = rank(a)
                perm_tensor = math_ops.subtract(
                    math_ops.subtract(r, constant(1)), math_ops._range(0, r, 1))
        else:
            perm_tensor = _as_int_tensor(perm, name="perm")
        return make_tensor("Transpose", [a, perm_tensor], name=scope)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """``tf.matrix_transpose``: swaps the last two dimensions."""
    with ops.name_scope(name, "matrix_transpose", [a]) as scope:
        a = ops.convert_to_tensor(a, name="a")
        ndims = a.shape.ndims
        if ndims is None:
            from tfcompat.ops import math_ops
            r = rank(a)
            two, one = constant(2), constant(1)
            perm = concat([math_ops._range(0, math_ops.subtract(r, two), 1),
                           stack([math_ops.subtract(r, one), math_ops.subtract(r, two)])], 0)
        else:
            if ndims < 2:
                raise ValueError(f"Argument 'a' should be a (batch) matrix, with rank >= 2.  "
                                 f"Found: {a.shape}")
            perm = constant(np.array(list(range(ndims - 2)) + [ndims - 1, ndims - 2], np.int32),
                            name="perm")
        return make_tensor("Transpose", [a, perm], name=scope)


# ---- slicing and padding -------------------------------------------------------------------
@register_op
class Slice(OpDef):
    """x[begin[i] : begin[i] + size[i]] per dimension, size -1 meaning "to the end"
    (``tf.slice``); the gradient pads dy back to x's shape with zeros."""

    may_alias_input = True

    def infer(self, op):
        x, begin_tensor, size_tensor = op.inputs
        _check_index_dtype(op, begin_tensor, "Index")
        dtype = x.dtype.base_dtype
        rank = x.shape.ndims
        for t in (begin_tensor, size_tensor):
            if t.shape.ndims == 1 and t.shape[0].value is not None:
                if rank is not None and t.shape[0].value != rank:
                    raise ValueError(f"Shape must be rank {t.shape[0].value} but is rank {rank}"
                                     f" for '{op.name}' (op: 'Slice') with input shapes: "
                                     f"{format_shape(x.shape)}, {format_shape(begin_tensor.shape)}"
                                     f", {format_shape(size_tensor.shape)}.")
                rank = t.shape[0].value
        begin, size = constant_value(begin_tensor), constant_value(size_tensor)
        if size is None:
            partial = constant_shape_value(size_tensor)
            if partial.ndims is None:
                return [(tensor_shape.unknown_shape(rank), dtype)]
            return [(partial, dtype)]
        dims = _dims_list(x.shape) or [None] * len(size)
        out = []
        for i, s in enumerate(np.ravel(size)):
            s = int(s)
            b = None if begin is None else int(np.ravel(begin)[i])
            d = dims[i]
            if b is not None and d is not None and not 0 <= b <= d:
                raise ValueError(f"Expected begin[{i}] in [0, {d}], but got {b} for "
                                 f"'{op.name}' (op: 'Slice')")
            if s == -1:
                out.append(None if b is None or d is None else d - b)
            else:
                if s < -1 or (b is not None and d is not None and b + s > d):
                    raise ValueError(f"Expected size[{i}] in [0, "
                                     f"{d - b if b is not None and d is not None else '?'}], but"
                                     f" got {s} for '{op.name}' (op: 'Slice')")
                out.append(s)
        return [(tensor_shape.TensorShape(out), dtype)]

    def kernel(self, op, ctx):
        def slice_kernel(x, begin, size):
            if begin.shape != (x.ndim,) or size.shape != (x.ndim,):
                raise _invalid(op, f"Expected begin and size arguments to be 1-D tensors of "
                               f"size {x.ndim}, but got shapes {_shape_text(begin.shape)} and "
                               f"{_shape_text(size.shape)} instead.")
            index = []
            for i, (b, s, d) in enumerate(zip(begin.tolist(), size.tolist(), x.shape)):
                if s == -1:
                    s = d - b
                if not 0 <= b <= d:
                    raise _invalid(op, f"Expected begin[{i}] in [0, {d}], but got {b}")
                if not 0 <= s <= d - b:
                    raise _invalid(op, f"Expected size[{i}] in [0, {d - b}], but got {s}")
                index.append(builtins.slice(b, b + s))
            return x[tuple(index)]
        return slice_kernel

    def grad(self, op, dy):
        x, begin_tensor, _ = op.inputs
        index_dtype = begin_tensor.dtype.base_dtype
        begin = constant_value(begin_tensor)
        out_shape = op.outputs[0].shape
        if begin is not None and x.shape.is_fully_defined() and out_shape.is_fully_defined():
            before = np.ravel(begin).astype(np.int64)
            after = np.array(x.shape.as_list()) - before - np.array(out_shape.as_list())
            paddings = constant(np.stack([before, after], axis=1).astype(
                index_dtype.as_numpy_dtype))
        else:
            from tfcompat.ops import math_ops
            after = math_ops.subtract(math_ops.subtract(shape(x, out_type=index_dtype),
                                                        begin_tensor),
                                      shape(dy, out_type=index_dtype))
            paddings = stack([begin_tensor, after], axis=1)
        return [pad(dy, paddings), None, None]


def slice(input_, begin, size, name=None):  # noqa: A001 (tf.slice)
    """``tf.slice(input_, begin, size, name=None)``."""
    begin = _as_int_tensor(begin)
    size = _as_int_tensor(size) if isinstance(size, ops.Tensor) else ops.convert_to_tensor(
        size, dtype=begin.dtype.base_dtype)
    return make_tensor("Slice", [ops.convert_to_tensor(input_), begin, size],
                       name=name or "Slice")


class _PadBase(OpDef):
    def infer(self, op):
        x, paddings_tensor = op.inputs[:2]
        _check_index_dtype(op, paddings_tensor, "Tpaddings")
        dtype = x.dtype.base_dtype
        rank = x.shape.ndims
        pshape = paddings_tensor.shape
        if pshape.ndims is not None:
            if pshape.ndims != 2 or (pshape[1].value not in (None, 2)) or (
                    rank is not None and pshape[0].value not in (None, rank)):
                raise ValueError(f"Shape must be rank {rank if rank is not None else '?'} "
                                 f"with 2 columns, but paddings have shape "
                                 f"{format_shape(pshape)} for '{op.name}' (op: '{op.type}') "
                                 f"with input shapes: {format_shape(x.shape)}, "
                                 f"{format_shape(pshape)}.")
            if rank is None:
                rank = pshape[0].value
        paddings = constant_value(paddings_tensor)
        if paddings is None or rank is None:
            return [(tensor_shape.unknown_shape(rank), dtype)]
        if np.any(paddings < 0):
            raise ValueError(f"Paddings must be non-negative for '{op.name}' (op: '{op.type}')")
        dims = _dims_list(x.shape) or [None] * rank
        self._check_mirror(op, dims, paddings)
        return [(tensor_shape.TensorShape([None if d is None else d + int(p[0]) + int(p[1])
                                           for d, p in zip(dims, paddings)]), dtype)]

    def _check_mirror(self, op, dims, paddings):
        pass

    def grad(self, op, dy):
        x, paddings_tensor = op.inputs[:2]
        paddings = constant_value(paddings_tensor)
        index_dtype = paddings_tensor.dtype.base_dtype
        if paddings is not None:
            begin = constant(np.ascontiguousarray(paddings[:, 0]).astype(
                index_dtype.as_numpy_dtype))
        else:
            begin = reshape(slice(paddings_tensor, [0, 0], [-1, 1]), [-1])
        if x.shape.is_fully_defined():
            size = constant(np.array(x.shape.as_list(), dtype=index_dtype.as_numpy_dtype))
        else:
            size = shape(x, out_type=index_dtype)
        return [slice(dy, begin, size)] + [None] * (len(op.inputs) - 1)


@register_op
class Pad(_PadBase):
    """Zero padding (``tf.pad`` in CONSTANT mode); the gradient slices the interior out."""

    def kernel(self, op, ctx):
        def pad_kernel(x, paddings):
            _check_pad(op, x, paddings)
            return np.pad(x, paddings.astype(np.int64), mode="constant")
        return pad_kernel


@register_op
class PadV2(_PadBase):
    """Padding with a scalar ``constant_values`` (``tf.pad(..., constant_values=c)``)."""

    def infer(self, op):
        if op.inputs[2].dtype.base_dtype != op.inputs[0].dtype.base_dtype:
            raise TypeError(f"Input 'constant_values' of 'PadV2' Op has type "
                            f"{op.inputs[2].dtype.base_dtype.name} that does not match type "
                            f"{op.inputs[0].dtype.base_dtype.name} of argument 'input'.")
        return super().infer(op)

    def kernel(self, op, ctx):
        def pad_v2(x, paddings, value):
            _check_pad(op, x, paddings)
            return np.pad(x, paddings.astype(np.int64), mode="constant",
                          constant_values=value.item() if value.dtype != object else value)
        return pad_v2


def _check_pad(op, x, paddings):
    if paddings.shape != (x.ndim, 2):
        raise _invalid(op, f"The first dimension of paddings must be the rank of inputs"
                       f"{_shape_text(paddings.shape)}, input shape: {_shape_text(x.shape)}")
    if np.any(paddings < 0):
        raise _invalid(op, f"Paddings must be non-negative: {paddings.tolist()}")


@register_op
class MirrorPad(_PadBase):
    """REFLECT (edge not repeated) / SYMMETRIC (edge repeated) padding; the gradient
    (MirrorPadGrad) folds the padded borders back onto the values they copied."""

    def _check_mirror(self, op, dims, paddings):
        offset = 0 if op.attrs["mode"] == "SYMMETRIC" else 1
        for d, p in zip(dims, paddings):
            if d is not None and (p[0] > d - offset or p[1] > d - offset):
                raise ValueError(f"Paddings must be no greater than the dimension size: "
                                 f"{int(p[0])}, {int(p[1])} greater than {d - offset} for "
                                 f"'{op.name}' (op: 'MirrorPad')")

    def kernel(self, op, ctx):
        mode = op.attrs["mode"]
        offset = 0 if mode == "SYMMETRIC" else 1

        def mirror_pad(x, paddings):
            _check_pad(op, x, paddings)
            for i, (a, b) in enumerate(paddings.tolist()):
                if a > x.shape[i] - offset or b > x.shape[i] - offset:
                    raise _invalid(op, f"paddings must be no greater than the dimension size: "
                                   f"{a}, {b} greater than {x.shape[i] - offset}")
            return np.pad(x, paddings.astype(np.int64), mode=mode.lower())
        return mirror_pad

    def grad(self, op, dy):
        return [make_tensor("MirrorPadGrad", [dy, op.inputs[1]], {"mode": op.attrs["mode"]}),
                None]


@register_op
class MirrorPadGrad(OpDef):
    """Sums each padded border of dy into the entries it mirrored (MirrorPad's gradient)."""

    def infer(self, op):
        dy, paddings_tensor = op.inputs
        paddings = constant_value(paddings_tensor)
        dtype = dy.dtype.base_dtype
        if paddings is None or dy.shape.ndims is None:
            return [(tensor_shape.unknown_shape(dy.shape.ndims), dtype)]
        return [(tensor_shape.TensorShape([None if d is None else d - int(p[0]) - int(p[1])
                                           for d, p in zip(dy.shape.as_list(), paddings)]),
                 dtype)]

    def kernel(self, op, ctx):
        offset = 0 if op.attrs["mode"] == "SYMMETRIC" else 1

        def mirror_pad_grad(dy, paddings):
            out = dy
            for axis, (a, b) in enumerate(paddings.tolist()):
                n = out.shape[axis] - a - b
                moved = np.moveaxis(out, axis, 0)
                core = moved[a:a + n].copy()
                if a:
                    targets = a - np.arange(a) - 1 + offset
                    np.add.at(core, targets, moved[:a])
                if b:
                    targets = n - 1 - offset - np.arange(b)
                    np.add.at(core, targets, moved[a + n:])
                out = np.moveaxis(core, 0, axis)
            return np.ascontiguousarray(out) if out is not dy else out.copy()
        return mirror_pad_grad

    def grad(self, op, dz):
        return [make_tensor("MirrorPad", [dz, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):  # noqa: A002
    """``tf.pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0)``."""
    tensor = ops.convert_to_tensor(tensor)
    paddings = _as_int_tensor(paddings)
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, ops.Tensor) and np.all(
                np.asarray(constant_values) == 0):
            return make_tensor("Pad", [tensor, paddings], name=name or "Pad")
        value = ops.convert_to_tensor(constant_values, dtype=tensor.dtype.base_dtype)
        return make_tensor("PadV2", [tensor, paddings, value], name=name or "PadV2")
    if mode in ("REFLECT", "SYMMETRIC"):
        return make_tensor("MirrorPad", [tensor, paddings], {"mode": mode},
                           name=name or "MirrorPad")
    raise ValueError(f"Unknown padding mode: {mode}")


# ---- gather --------------------------------------------------------------------------------
def _check_indices_in_range(op, indices, limit, what="indices"):
    bad = (indices < 0) | (indices >= limit)
    if bad.any():
        position = np.argwhere(bad)[0] if indices.ndim else ()
        value = indices[tuple(position)]
        raise _invalid(op, f"{what}{_index_text(position)} = {int(value)} is not in "
                       f"[0, {limit})")


@register_op
class GatherV2(OpDef):
    """Gathers slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).
    The gradient scatters dy back with UnsortedSegmentSum (repeated indices accumulate),
    moving the gathered axis to the front and back for axis != 0, as TF does."""

    shape_determining_inputs = (2,)  # the axis; index values never change the shape

    def infer(self, op):
        params, indices, axis_tensor = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        _check_index_dtype(op, axis_tensor, "Taxis")
        dtype = params.dtype.base_dtype
        axis = _static_int(axis_tensor)
        if params.shape.ndims is None or indices.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        rank = params.shape.ndims
        if axis is None:
            return [(tensor_shape.unknown_shape(rank + indices.shape.ndims - 1), dtype)]
        if not -rank <= axis < rank:
            raise ValueError(f"Shape must be at least rank {(axis if axis >= 0 else -axis - 1) + 1}"
                             f" but is rank {rank} for '{op.name}' (op: 'GatherV2') with input "
                             f"shapes: {format_shape(params.shape)}, "
                             f"{format_shape(indices.shape)}, {format_shape(axis_tensor.shape)}.")
        axis %= rank
        dims = params.shape.as_list()
        return [(tensor_shape.TensorShape(dims[:axis] + indices.shape.as_list()
                                          + dims[axis + 1:]), dtype)]

    def kernel(self, op, ctx):
        def gather_kernel(params, indices, axis):
            axis = int(axis)
            if not -params.ndim <= axis < params.ndim:
                raise _invalid(op, f"Expected axis in the range [{-params.ndim}, {params.ndim}),"
                               f" but got {axis}")
            axis %= params.ndim
            _check_indices_in_range(op, indices, params.shape[axis])
            return np.take(params, indices, axis=axis)
        return gather_kernel

    def grad(self, op, dy):
        from tfcompat.ops import math_ops
        params, indices, axis_tensor = op.inputs
        axis = _static_int(axis_tensor)
        rank, index_rank = params.shape.ndims, indices.shape.ndims
        if axis is None or rank is None or index_rank is None:
            raise LookupError(f"Gradient of GatherV2 '{op.name}' needs a static axis and known "
                              "ranks in tfcompat")
        axis %= rank
        if axis == 0:
            return [_gather_rows_gradient(params, indices, dy), None, None]
        if params.shape[axis].value is not None:
            num = constant(params.shape[axis].value, dtype=indices.dtype.base_dtype)
        else:
            num = gather(shape(params, out_type=indices.dtype.base_dtype), axis)
        # dy: params[:axis] + indices + params[axis+1:]; bring the indices dims to the front.
        front = list(range(axis, axis + index_rank)) + list(range(axis)) + list(
            range(axis + index_rank, rank + index_rank - 1))
        summed = math_ops.unsorted_segment_sum(transpose(dy, front), indices, num)
        back = list(range(1, axis + 1)) + [0] + list(range(axis + 1, rank))
        return [transpose(summed, back), None, None]


def _gather_rows_gradient(params, indices, dy):
    """TF's axis-0 gradient of a gather: IndexedSlices of dy's rows (reshaped to
    [size(indices)] + params.shape[1:]) at the flattened indices, dense_shape params' shape."""
    from tfcompat.ops.indexed_slices import IndexedSlices, dense_shape_tensor
    params_shape = dense_shape_tensor(params)
    if indices.shape.is_fully_defined() and params.shape[1:].is_fully_defined():
        count = [indices.shape.num_elements()]
        values_shape = count + params.shape.as_list()[1:]
    else:
        count = expand_dims(size(indices), 0)
        values_shape = concat([count, slice(params_shape, [1], [-1])], 0)
    return IndexedSlices(reshape(dy, values_shape), reshape(indices, count), params_shape)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """``tf.gather(params, indices, validate_indices=None, name=None, axis=None,
    batch_dims=0)`` (batch_dims=0 only)."""
    if batch_dims != 0:
        raise NotImplementedError("tfcompat: tf.gather with batch_dims != 0")
    params = ops.convert_to_tensor(params)
    indices = _as_int_tensor(indices)
    axis_tensor = _as_int_tensor(0 if axis is None else axis)
    return make_tensor("GatherV2", [params, indices, axis_tensor], {"batch_dims": 0},
                       name=name or "GatherV2")


# ---- tiling, reversing ---------------------------------------------------------------------
@register_op
class Tile(OpDef):
    """Repeats ``input`` ``multiples[i]`` times along dimension i (``tf.tile``). The gradient
    reshapes dy to [m0, d0, m1, d1, ...] and sums over the m axes."""

    def infer(self, op):
        x, multiples_tensor = op.inputs
        _check_index_dtype(op, multiples_tensor, "Tmultiples")
        dtype = x.dtype.base_dtype
        rank = x.shape.ndims
        length = (multiples_tensor.shape[0].value if multiples_tensor.shape.ndims == 1
                  else None)
        if rank is not None and length is not None and rank != length:
            raise ValueError(f"Shape must be rank {rank} but is rank {length} for '{op.name}' "
                             f"(op: 'Tile') with input shapes: {format_shape(x.shape)}, "
                             f"{format_shape(multiples_tensor.shape)}.")
        rank = rank if rank is not None else length
        multiples = constant_value(multiples_tensor)
        if rank is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        dims = _dims_list(x.shape) or [None] * rank
        if multiples is None:
            partial = constant_shape_value(multiples_tensor)
            m = partial.as_list() if partial.ndims == rank else [None] * rank
        else:
            m = [int(v) for v in np.ravel(multiples)]
            if any(v < 0 for v in m):
                raise ValueError(f"Expected multiples >= 0, but got {m} for '{op.name}' "
                                 "(op: 'Tile')")
        return [(tensor_shape.TensorShape([None if d is None or k is None else d * k
                                           for d, k in zip(dims, m)]), dtype)]

    def kernel(self, op, ctx):
        def tile_kernel(x, multiples):
            if multiples.shape != (x.ndim,):
                raise _invalid(op, f"Expected multiples argument to be a vector of length "
                               f"{x.ndim} but got length {multiples.size}")
            for i, m in enumerate(multiples.tolist()):
                if m < 0:
                    raise _invalid(op, f"Expected multiples[{i}] >= 0, but got {m}")
            return np.tile(x, multiples.tolist()) if x.ndim else x.copy()
        return tile_kernel

    def grad(self, op, dy):
        from tfcompat.ops import math_ops
        x, multiples_tensor = op.inputs
        multiples = constant_value(multiples_tensor)
        if multiples is not None and x.shape.is_fully_defined():
            split_shape = []
            for m, d in zip(np.ravel(multiples), x.shape.as_list()):
                split_shape += [int(m), d]
            axes = list(range(0, len(split_shape), 2))
            return [math_ops.reduce_sum(reshape(dy, split_shape), axes), None]
        split_shape = reshape(transpose(stack([multiples_tensor,
                                               shape(x, out_type=multiples_tensor.dtype)])),
                              [-1])
        axes = math_ops._range(0, size(split_shape), 2)
        dx = math_ops.reduce_sum(reshape(dy, split_shape), axes)
        if x.shape.ndims is not None:
            dx.set_shape(x.shape)
        return [dx, None]


def tile(input, multiples, name=None):  # noqa: A002
    """``tf.tile(input, multiples, name=None)``."""
    return make_tensor("Tile", [ops.convert_to_tensor(input), _as_int_tensor(multiples)],
                       name=name or "Tile")


@register_op
class ReverseV2(OpDef):
    """Reverses the given axes (``tf.reverse``); the gradient reverses dy the same way."""

    may_alias_input = True  # NumPy returns views of the input

    def infer(self, op):
        x, axis_tensor = op.inputs
        _check_index_dtype(op, axis_tensor, "Tidx")
        axes = constant_value(axis_tensor)
        if axes is not None and x.shape.ndims is not None:
            seen = set()
            for a in np.ravel(axes):
                a = normalize_axis(op, int(a), x.shape.ndims)
                if a in seen:
                    raise ValueError(f"axis {a} specified more than once for '{op.name}' "
                                     "(op: 'ReverseV2')")
                seen.add(a)
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def reverse_kernel(x, axes):
            axes = [int(a) for a in np.ravel(axes)]
            for a in axes:
                if not -x.ndim <= a < x.ndim:
                    raise _invalid(op, f"'axis'[{axes.index(a)}] = {a} is out of valid range "
                                   f"[0, {x.ndim - 1}]")
            return np.flip(x, axis=tuple(a % x.ndim for a in axes)) if axes else x
        return reverse_kernel

    def grad(self, op, dy):
        return [reverse(dy, op.inputs[1]), None]


def reverse(tensor, axis, name=None):
    """``tf.reverse(tensor, axis, name=None)`` (ReverseV2)."""
    return make_tensor("ReverseV2", [ops.convert_to_tensor(tensor), _as_int_tensor(axis)],
                       name=name or "ReverseV2")


reverse_v2 = reverse


@register_op
class ReverseSequence(OpDef):
    """Reverses the first ``seq_lengths[b]`` entries along ``seq_dim`` of each slice ``b``
    along ``batch_dim`` (``tf.reverse_sequence``); the gradient reverses dy the same way."""

    shape_determining_inputs = ()

    def infer(self, op):
        x, lengths = op.inputs
        seq_dim, batch_dim = op.attrs["seq_dim"], op.attrs["batch_dim"]
        if x.shape.ndims is not None:
            for name, dim in (("seq_dim", seq_dim), ("batch_dim", batch_dim)):
                if not 0 <= dim < x.shape.ndims:
                    raise ValueError(f"Invalid {name} {dim} for input of rank "
                                     f"{x.shape.ndims} in '{op.name}' (op: 'ReverseSequence')")
        if lengths.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {lengths.shape.ndims} for "
                             f"'{op.name}' (op: 'ReverseSequence')")
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        seq_dim, batch_dim = op.attrs["seq_dim"], op.attrs["batch_dim"]

        def reverse_sequence_kernel(x, lengths):
            if len(lengths) != x.shape[batch_dim]:
                raise _invalid(op, f"Length of seq_lengths != input.dims({batch_dim}), "
                               f"({len(lengths)} vs. {x.shape[batch_dim]})")
            if np.any(lengths > x.shape[seq_dim]) or np.any(lengths < 0):
                raise _invalid(op, f"seq_lens(i) must be in [0, input.dims({seq_dim})]: "
                               f"{lengths.tolist()}")
            out = np.array(x, copy=True)
            for b, length in enumerate(lengths):
                index = [np.s_[:]] * x.ndim
                index[batch_dim] = b
                index[seq_dim] = np.s_[:int(length)]
                out[tuple(index)] = np.flip(x[tuple(index)], axis=seq_dim - (
                    1 if batch_dim < seq_dim else 0))
            return out
        return reverse_sequence_kernel

    def grad(self, op, dy):
        return [reverse_sequence(dy, op.inputs[1], seq_axis=op.attrs["seq_dim"],
                                 batch_axis=op.attrs["batch_dim"]), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None,  # noqa: A002
                     name=None, seq_dim=None, batch_dim=None):
    """``tf.reverse_sequence``: each batch entry reversed over its first seq_lengths steps."""
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim or 0)
    lengths = ops.convert_to_tensor(seq_lengths, name="seq_lengths")
    return make_tensor("ReverseSequence", [ops.convert_to_tensor(input), lengths],
                       {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis),
                        "Tlen": lengths.dtype.base_dtype}, name=name or "ReverseSequence")


# ---- strided slices (Tensor.__getitem__) ---------------------------------------------------
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_index(op, begin, end, strides):
    """The NumPy index (ints, slices, None, Ellipsis) that a StridedSlice spec denotes: TF's
    masks and NumPy's basic indexing agree on clamping, negative indices and strides."""
    attrs = op.attrs
    index = []
    seen_ellipsis = False
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            if seen_ellipsis:
                raise ValueError("Multiple ellipses in slice spec not allowed")
            seen_ellipsis = True
            index.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            index.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            index.append(b)
        else:
            if s == 0 and not isinstance(s, _Unknown):
                raise ValueError(f"strides[{i}] must be non-zero")
            index.append(builtins.slice(None if attrs["begin_mask"] & bit else b,
                                        None if attrs["end_mask"] & bit else e, s))
    if not seen_ellipsis:
        index.append(Ellipsis)  # implicit trailing full slices; keeps 0-d results arrays
    return tuple(index)


def _strided_dims(op, dims, index):
    """Output dims of ``index`` applied to ``dims`` (entries may be None = unknown)."""
    real = sum(1 for k in index if k is not None and k is not Ellipsis)
    if real > len(dims):
        raise ValueError(f"Index out of range using input dim {len(dims)}; input has only "
                         f"{len(dims)} dims for '{op.name}' (op: '{op.type}') with input "
                         f"shapes: {format_shape(tensor_shape.TensorShape(dims))}")
    position = index.index(Ellipsis)
    dense = (list(index[:position]) + [builtins.slice(None)] * (len(dims) - real)
             + list(index[position + 1:]))
    out, axis = [], 0
    for k in dense:
        if k is None:
            out.append(1)
            continue
        d = dims[axis]
        if isinstance(k, int):
            if d is not None and not isinstance(k, _Unknown) and not -d <= k < d:
                raise ValueError(f"slice index {k} of dimension {axis} out of bounds. for "
                                 f"'{op.name}' (op: '{op.type}') with input shapes: "
                                 f"{format_shape(tensor_shape.TensorShape(dims))}")
        elif d is None or any(isinstance(v, _Unknown) for v in (k.start, k.stop, k.step)):
            out.append(None)
        else:
            out.append(len(range(*k.indices(d))))
        axis += 1
    return out


def _spec_values(op, first):
    values = [constant_value(t) for t in op.inputs[first:first + 3]]
    if any(v is None for v in values):
        return None
    return [[int(v) for v in np.ravel(value)] for value in values]


class _Unknown(int):
    """An index entry whose value is only known at run time (static inference only)."""


def _partial_values(tensor):
    """Per-entry values of a 1-D index vector: ints where known, _Unknown(0) elsewhere."""
    value = constant_value(tensor)
    if value is not None:
        return [int(v) for v in np.ravel(value)]
    if tensor.op.type == "Pack" and tensor.op.attrs.get("axis", 0) == 0:
        out = []
        for part in tensor.op.inputs:
            v = constant_value(part)
            out.append(_Unknown(0) if v is None else int(v))
        return out
    return None


class _StridedBase(OpDef):
    spec_start = 1  # index of the begin input

    def _output_rank(self, op, rank):
        begin = op.inputs[self.spec_start]
        if begin.shape.ndims != 1 or begin.shape[0].value is None or rank is None:
            return None
        n = begin.shape[0].value
        attrs = op.attrs
        bits = [1 << i for i in range(n)]
        if sum(1 for b in bits if attrs["ellipsis_mask"] & b) > 1:
            return None
        new = sum(1 for b in bits if attrs["new_axis_mask"] & b and not attrs["ellipsis_mask"] & b)
        shrink = sum(1 for b in bits if attrs["shrink_axis_mask"] & b
                     and not (attrs["new_axis_mask"] | attrs["ellipsis_mask"]) & b)
        return rank + new - shrink

    def _slice_dims(self, op, in_shape):
        """Static output dims, or a TensorShape of known rank / unknown shape."""
        spec = [_partial_values(t) for t in op.inputs[self.spec_start:self.spec_start + 3]]
        if any(v is None for v in spec) or in_shape.ndims is None:
            return tensor_shape.unknown_shape(self._output_rank(op, in_shape.ndims))
        try:
            index = _strided_index(op, *spec)
        except ValueError as exc:
            raise ValueError(f"{exc} for '{op.name}' (op: '{op.type}')") from None
        return tensor_shape.TensorShape(_strided_dims(op, in_shape.as_list(), index))

    def _runtime_index(self, op):
        """Returns f(begin, end, strides) -> index, precomputed when the spec is constant."""
        spec = _spec_values(op, self.spec_start)
        fixed = _strided_index(op, *spec) if spec is not None else None

        def index_of(begin, end, strides):
            if fixed is not None:
                return fixed
            try:
                return _strided_index(op, [int(v) for v in begin], [int(v) for v in end],
                                      [int(v) for v in strides])
            except ValueError as exc:
                raise _invalid(op, str(exc)) from None
        return index_of


def _apply_index(op, x, index):
    try:
        return x[index]
    except IndexError:
        dims = x.shape
        real = [k for k in index if k is not None and k is not Ellipsis]
        if len(real) > x.ndim:
            raise _invalid(op, f"Index out of range using input dim {x.ndim}; input has only "
                           f"{x.ndim} dims") from None
        position = index.index(Ellipsis)
        dense = (list(index[:position]) + [builtins.slice(None)] * (x.ndim - len(real))
                 + list(index[position + 1:]))
        axis = 0
        for k in dense:
            if k is None:
                continue
            if isinstance(k, int) and not -dims[axis] <= k < dims[axis]:
                raise _invalid(op, f"slice index {k} of dimension {axis} out of bounds.") \
                    from None
            axis += 1
        raise


@register_op
class StridedSlice(_StridedBase):
    """NumPy-style basic indexing described by begin/end/strides and five bit masks
    (``tf.strided_slice``, ``Tensor.__getitem__``); the gradient is StridedSliceGrad."""

    may_alias_input = True

    def infer(self, op):
        x = op.inputs[0]
        for t, name in zip(op.inputs[1:], ("begin", "end", "strides")):
            _check_index_dtype(op, t, "Index")
            if t.shape.ndims not in (None, 1):
                raise ValueError(f"Shape must be rank 1 but is rank {t.shape.ndims} for "
                                 f"'{op.name}' (op: 'StridedSlice') ({name})")
        return [(self._slice_dims(op, x.shape), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        index_of = self._runtime_index(op)
        return lambda x, begin, end, strides: _apply_index(op, x, index_of(begin, end, strides))

    def grad(self, op, dy):
        x, begin, end, strides = op.inputs
        index_dtype = begin.dtype.base_dtype
        if x.shape.is_fully_defined():
            x_shape = constant(np.array(x.shape.as_list(), dtype=index_dtype.as_numpy_dtype))
        else:
            x_shape = shape(x, out_type=index_dtype)
        attrs = {k: op.attrs[k] for k in _MASKS}
        return [make_tensor("StridedSliceGrad", [x_shape, begin, end, strides, dy], attrs),
                None, None, None]


@register_op
class StridedSliceGrad(_StridedBase):
    """Zeros of the sliced tensor's shape with dy written where StridedSlice read."""

    spec_start = 1

    def infer(self, op):
        return [(constant_shape_value(op.inputs[0]), op.inputs[4].dtype.base_dtype)]

    def kernel(self, op, ctx):
        index_of = self._runtime_index(op)

        def strided_slice_grad(x_shape, begin, end, strides, dy):
            out = np.zeros(tuple(int(d) for d in x_shape), dtype=dy.dtype)
            index = index_of(begin, end, strides)
            _apply_index(op, out, index)  # bounds errors as the forward op reports them
            out[index] = dy
            return out
        return strided_slice_grad

    def grad(self, op, ddx):
        _, begin, end, strides, _ = op.inputs
        return [None, None, None, None,
                strided_slice(ddx, begin, end, strides, **{k: op.attrs[k] for k in _MASKS})]


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """``tf.strided_slice``."""
    begin = _as_int_tensor(begin)
    end = _as_int_tensor(end)
    if strides is None:
        strides = ones_like(begin)
    strides = _as_int_tensor(strides)
    attrs = {"begin_mask": int(begin_mask), "end_mask": int(end_mask),
             "ellipsis_mask": int(ellipsis_mask), "new_axis_mask": int(new_axis_mask),
             "shrink_axis_mask": int(shrink_axis_mask)}
    return make_tensor("StridedSlice", [ops.convert_to_tensor(input_), begin, end, strides],
                       attrs, name=name or "StridedSlice")


def _is_index_tensor(value):
    if isinstance(value, ops.Tensor):
        return True
    return hasattr(value, "_as_graph_element")


def _slice_helper(tensor, slice_spec, var=None):
    """``Tensor.__getitem__``: ints, slices (with steps, negative bounds), ``tf.newaxis``,
    Ellipsis and scalar int tensors, turned into one StridedSlice named "strided_slice"."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    elif isinstance(slice_spec, list):
        raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                        f"scalar tf.int32/tf.int64 tensors are valid indices, got {slice_spec!r}")
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)

    def check(value):
        if _is_index_tensor(value):
            value = ops.convert_to_tensor(value)
            if value.dtype.base_dtype not in (dtypes.int32, dtypes.int64) or (
                    value.shape.ndims not in (None, 0)):
                raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis "
                                "(`None`) and scalar tf.int32/tf.int64 tensors are valid "
                                f"indices, got {value!r}")
            return value
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                            f"and scalar tf.int32/tf.int64 tensors are valid indices, got "
                            f"{value!r}")
        return int(value)

    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(s, builtins.slice):
            if s.start is None:
                begin.append(0)
                masks["begin_mask"] |= bit
            else:
                begin.append(check(s.start))
            if s.stop is None:
                end.append(0)
                masks["end_mask"] |= bit
            else:
                end.append(check(s.stop))
            strides.append(1 if s.step is None else check(s.step))
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["new_axis_mask"] |= bit
        else:
            value = check(s)
            begin.append(value)
            if isinstance(value, int):
                end.append(value + 1)
            else:
                from tfcompat.ops import math_ops
                end.append(math_ops.add(value, constant(1, dtype=value.dtype.base_dtype)))
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
    values = [tensor] + [v for v in begin + end + strides if _is_index_tensor(v)]
    with ops.name_scope(None, "strided_slice", values) as name:
        if begin:
            packed = [_pack_indices(part) for part in (begin, end, strides)]
        else:
            empty = constant(np.zeros(0, np.int32))
            packed = [empty, empty, empty]
        return strided_slice(tensor, *packed, name=name, **masks)


def _pack_indices(values):
    tensors = [v for v in values if isinstance(v, ops.Tensor)]
    if not tensors:
        return constant(np.array(values, dtype=np.int64 if any(
            not -2**31 <= v < 2**31 for v in values) else np.int32))
    dtype = dtypes.int64 if any(t.dtype.base_dtype == dtypes.int64 for t in tensors) \
        else dtypes.int32
    from tfcompat.ops import math_ops
    return stack([math_ops.cast(v, dtype) if isinstance(v, ops.Tensor)
                  else constant(v, dtype=dtype) for v in values])


# ---- gather_nd / scatter_nd ----------------------------------------------------------------
def _nd_index(op, params_shape, indices):
    depth = indices.shape[-1]
    if depth > len(params_shape):
        raise _invalid(op, f"index innermost dimension length must be <= params rank; saw: "
                       f"{depth} vs. {len(params_shape)}")
    limits = np.array(params_shape[:depth], dtype=np.int64)
    bad = np.any((indices < 0) | (indices >= limits), axis=-1)
    if bad.any():
        position = np.argwhere(bad)[0] if bad.ndim else ()
        entry = indices[tuple(position)]
        raise _invalid(op, f"indices{_index_text(position)} = "
                       f"[{', '.join(str(int(v)) for v in entry)}] does not index into param "
                       f"shape {_shape_text(params_shape)}")
    return tuple(np.moveaxis(indices, -1, 0))


@register_op
class GatherNd(OpDef):
    """out[i...] = params[indices[i...]] with indices' last dim indexing params' leading
    dims (``tf.gather_nd``); the gradient is ScatterNd (duplicates accumulate)."""

    def infer(self, op):
        params, indices = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        dtype = params.dtype.base_dtype
        if indices.shape.ndims is None or params.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        if indices.shape.ndims == 0:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             f"(op: 'GatherNd')")
        depth = indices.shape[-1].value
        if depth is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        if depth > params.shape.ndims:
            raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                             f"{format_shape(indices.shape)} and params shape: "
                             f"{format_shape(params.shape)} for '{op.name}' (op: 'GatherNd')")
        return [(tensor_shape.TensorShape(indices.shape.as_list()[:-1]
                                          + params.shape.as_list()[depth:]), dtype)]

    def kernel(self, op, ctx):
        def gather_nd(params, indices):
            return params[_nd_index(op, params.shape, indices)]
        return gather_nd

    def grad(self, op, dy):
        params, indices = op.inputs
        if params.shape.is_fully_defined():
            ref_shape = constant(np.array(params.shape.as_list(),
                                          dtype=indices.dtype.as_numpy_dtype))
        else:
            ref_shape = shape(params, out_type=indices.dtype.base_dtype)
        return [scatter_nd(indices, dy, ref_shape), None]


def gather_nd(params, indices, name=None, batch_dims=0):
    """``tf.gather_nd(params, indices, name=None)``."""
    if batch_dims != 0:
        raise NotImplementedError("tfcompat: tf.gather_nd with batch_dims != 0")
    return make_tensor("GatherNd", [ops.convert_to_tensor(params), _as_int_tensor(indices)],
                       name=name or "GatherNd")


@register_op
class ScatterNd(OpDef):
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (``tf.scatter_nd``)."""

    def infer(self, op):
        indices, updates, shape_tensor = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        return [(constant_shape_value(shape_tensor), updates.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def scatter_nd_kernel(indices, updates, out_shape):
            out_shape = tuple(int(d) for d in out_shape)
            index = _nd_index(op, out_shape, indices)
            expected = indices.shape[:-1] + out_shape[indices.shape[-1]:]
            if updates.shape != expected:
                raise _invalid(op, f"updates.shape {_shape_text(updates.shape)} must equal "
                               f"indices.shape[:-1] + shape[indices.shape[-1]:] = "
                               f"{_shape_text(expected)}")
            out = np.zeros(out_shape, dtype=updates.dtype)
            np.add.at(out, index, updates)
            return out
        return scatter_nd_kernel

    def grad(self, op, dy):
        return [None, gather_nd(dy, op.inputs[0]), None]


def scatter_nd(indices, updates, shape, name=None):  # noqa: A002
    """``tf.scatter_nd(indices, updates, shape, name=None)``."""
    indices = _as_int_tensor(indices)
    shape_tensor = shape if isinstance(shape, ops.Tensor) else ops.convert_to_tensor(
        shape, dtype=indices.dtype.base_dtype)
    return make_tensor("ScatterNd", [indices, ops.convert_to_tensor(updates), shape_tensor],
                       name=name or "ScatterNd")


# ---- masks, one-hot, eye, sequences --------------------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """``tf.boolean_mask``: the entries (slices) of ``tensor`` where ``mask`` is True; mask's
    k dims are flattened with the matching dims of tensor, then Where + GatherV2 (as TF)."""
    from tfcompat.ops import math_ops
    with ops.name_scope(name, values=[tensor, mask]):
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        mask = ops.convert_to_tensor(mask, name="mask")
        if mask.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"mask must be a bool tensor, got {mask.dtype.base_dtype.name}")
        k = mask.shape.ndims
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                             "not.")
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        axis = 0 if axis is None else int(axis)
        if tensor.shape.ndims is not None:
            tensor.shape[axis:axis + k].assert_is_compatible_with(mask.shape)
        if k > 1 or tensor.shape.ndims is None:
            full = shape(tensor)
            lead = math_ops.reduce_prod(full[axis:axis + k], [0], keepdims=True)
            static = tensor.shape
            tensor = reshape(tensor, concat([full[:axis], lead, full[axis + k:]], 0))
            if static.ndims is not None:
                tensor.set_shape(static[:axis].concatenate(
                    [static[axis:axis + k].num_elements()]).concatenate(static[axis + k:]))
            mask = reshape(mask, [-1])
        indices = squeeze(math_ops.where(mask), axis=[1])
        return gather(tensor, indices, axis=axis)


@register_op
class OneHot(OpDef):
    """out[..., j, ...] = on_value if indices[...] == j else off_value, the depth axis at
    ``axis`` (``tf.one_hot``); indices outside [0, depth) give an all-off row."""

    shape_determining_inputs = (1,)  # the depth

    differentiable = False

    def infer(self, op):
        indices, depth_tensor, on_value, off_value = op.inputs
        if indices.dtype.base_dtype not in (dtypes.uint8, dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter 'indices' has DataType "
                            f"{indices.dtype.base_dtype.name} not in list of allowed values: "
                            "uint8, int32, int64")
        if on_value.dtype.base_dtype != off_value.dtype.base_dtype:
            raise TypeError(f"Input 'off_value' of 'OneHot' Op has type "
                            f"{off_value.dtype.base_dtype.name} that does not match type "
                            f"{on_value.dtype.base_dtype.name} of argument 'on_value'.")
        axis = op.attrs["axis"]
        depth = _static_int(depth_tensor)
        dtype = on_value.dtype.base_dtype
        if depth is not None and depth < 0:
            raise ValueError(f"depth must be non-negative, got: {depth} for '{op.name}' "
                             "(op: 'OneHot')")
        if indices.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        rank = indices.shape.ndims
        if not -1 <= axis <= rank:
            raise ValueError(f"Expected axis to be -1 or between [0, {rank}).  But received: "
                             f"{axis} for '{op.name}' (op: 'OneHot')")
        dims = indices.shape.as_list()
        dims.insert(rank if axis == -1 else axis, depth)
        return [(tensor_shape.TensorShape(dims), dtype)]

    def kernel(self, op, ctx):
        axis = op.attrs["axis"]

        def one_hot_kernel(indices, depth, on_value, off_value):
            depth = int(depth)
            if depth < 0:
                raise _invalid(op, f"depth must be non-negative, got: {depth}")
            position = indices.ndim if axis == -1 else axis
            classes = np.arange(depth).reshape((depth,) + (1,) * (indices.ndim - position))
            hot = np.expand_dims(indices, position) == classes
            return np.where(hot, on_value, off_value).astype(on_value.dtype, copy=False)
        return one_hot_kernel


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``tf.one_hot``: dtype from on_value/off_value, else ``dtype``, else float32."""
    with ops.name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        indices = _as_int_tensor(indices, name="indices")
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        values = {}
        for key, value in (("on_value", on_value), ("off_value", off_value)):
            if value is not None:
                tensor = ops.convert_to_tensor(value, name=key)
                if dtype is not None and tensor.dtype.base_dtype != dtype:
                    raise TypeError(f"dtype {tensor.dtype.base_dtype.name} of {key} does not "
                                    f"match dtype parameter {dtype.name}")
                values[key] = tensor
        if dtype is None:
            dtype = (values["on_value"].dtype.base_dtype if "on_value" in values else
                     values["off_value"].dtype.base_dtype if "off_value" in values else
                     dtypes.float32)
        on = values.get("on_value")
        off = values.get("off_value")
        if on is None:
            on = constant(1, dtype=dtype, name="on_value")
        if off is None:
            off = constant(0, dtype=dtype, name="off_value")
        if on.dtype.base_dtype != off.dtype.base_dtype:
            raise TypeError(f"dtype {on.dtype.base_dtype.name} of on_value does not match dtype "
                            f"{off.dtype.base_dtype.name} of off_value")
        depth = ops.convert_to_tensor(depth, dtype=dtypes.int32, name="depth") if not \
            isinstance(depth, ops.Tensor) else depth
        return make_tensor("OneHot", [indices, depth, on, off],
                           {"axis": -1 if axis is None else int(axis)}, name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """``tf.eye``: a constant when the sizes are static, else built from Range and Equal."""
    from tfcompat.ops import math_ops
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, "eye", [num_rows, num_columns, batch_shape]) as scope:
        columns = num_rows if num_columns is None else num_columns
        sizes = [num_rows, columns] + ([] if batch_shape is None else list(batch_shape))
        if not any(isinstance(v, ops.Tensor) for v in sizes):
            matrix = np.eye(int(num_rows), int(columns), dtype=dtype.as_numpy_dtype)
            if batch_shape is not None:
                matrix = np.broadcast_to(matrix, tuple(int(b) for b in batch_shape)
                                         + matrix.shape).copy()
            return constant(matrix, dtype=dtype, name=scope)
        rows = math_ops._range(0, num_rows, 1)
        cols = math_ops._range(0, columns, 1)
        matrix = math_ops.cast(math_ops.equal(expand_dims(rows, 1), cols), dtype)
        if batch_shape is not None:
            target = concat([_as_int_tensor(batch_shape), shape(matrix)], 0)
            matrix = math_ops.broadcast_to(matrix, target)
        return identity(matrix, name=scope)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``tf.sequence_mask``: mask[..., j] = j < lengths[...]."""
    from tfcompat.ops import math_ops
    with ops.name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = _as_int_tensor(lengths)
        if maxlen is None:
            maxlen = math_ops.maximum(constant(0, dtype=lengths.dtype.base_dtype),
                                      math_ops.reduce_max(lengths))
        else:
            maxlen = ops.convert_to_tensor(maxlen, dtype=lengths.dtype.base_dtype) if not \
                isinstance(maxlen, ops.Tensor) else math_ops.cast(maxlen,
                                                                  lengths.dtype.base_dtype)
        row = math_ops._range(constant(0, dtype=lengths.dtype.base_dtype), maxlen,
                              constant(1, dtype=lengths.dtype.base_dtype))
        result = math_ops.less(row, expand_dims(lengths, -1))
        if dtypes.as_dtype(dtype).base_dtype == dtypes.bool:
            return result
        return math_ops.cast(result, dtype)


# The public builders re-exported as tf.*; extend when adding one.

ops.register_value_conversion(constant, stack)

__all__ = [
    "reverse_sequence",
    "shape_n",
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
    "concat",
    "split",
    "expand_dims",
    "squeeze",
    "transpose",
    "invert_permutation",
    "matrix_transpose",
    "gather",
    "slice",
    "pad",
    "tile",
    "reverse",
    "reverse_v2",
    "strided_slice",
    "gather_nd",
    "scatter_nd",
    "boolean_mask",
    "one_hot",
    "eye",
    "sequence_mask",
]
