"""``tf.TensorArray`` (TF 1.x TensorArrayV3 ops) and its gradients.

A TensorArray is a handle (a 0-d object array holding a ``_Store`` that each run of its
TensorArrayV3 op makes anew) and a float ``flow`` scalar that orders its reads after its
writes: every write returns a new flow, every read takes one, and tf.while_loop carries the
flow as the loop variable. Gradients follow TF: a gradient TensorArray per (array, source)
made by TensorArrayGradV3, with read <-> write, gather <-> scatter and concat <-> split.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.ops import array_ops

_FLOW = np.array(0.0, np.float32)


class _Store:
    """One run's elements of a TensorArray."""

    def __init__(self, size, dtype, dynamic_size, clear_after_read, element_shape,
                 aggregate=False, identical_shapes=False):
        self.elements = [None] * int(size)
        # TF: with identical_element_shapes the first write fixes the element shape, and
        # elements never written then read as zeros of it (dynamic_rnn's stack of a loop
        # that stopped at the longest sequence_length); written shapes are not enforced here
        self.identical_shapes = identical_shapes
        self.first_shape = None  # of the first write (elements may be cleared by reads)
        self.dtype = dtype
        self.dynamic_size = dynamic_size
        self.clear_after_read = clear_after_read
        self.element_shape = element_shape
        self.aggregate = aggregate  # a gradient array: writes to one index add up
        self.cleared = set()
        self.grads = {}

    def write(self, index, value, name, owned=False):
        """Stores ``value`` at ``index`` (a copy unless ``owned``: a value no one else
        holds)."""
        index = int(index)
        if index < 0:
            raise ValueError(f"TensorArray {name}: Tried to write to index {index} but that "
                             f"is negative")
        if index >= len(self.elements):
            if not self.dynamic_size:
                raise ValueError(f"TensorArray {name}: Tried to write to index {index} but "
                                 f"array is not resizeable and size is: {len(self.elements)}")
            self.elements.extend([None] * (index + 1 - len(self.elements)))
        if not owned:
            value = np.array(value, dtype=self.dtype, copy=True)
        shape = self.element_shape
        if shape is not None and shape != value.shape:
            raise ValueError(f"TensorArray {name}: Could not write to TensorArray index "
                             f"{index} because the value shape is {list(value.shape)} which is "
                             f"incompatible with the TensorArray's element shape: "
                             f"{list(shape)} (consider setting infer_shape=False).")
        current = self.elements[index]
        if current is not None:
            if not self.aggregate:
                raise ValueError(f"TensorArray {name}: Could not write to TensorArray index "
                                 f"{index} because it has already been written to.")
            value = current + value
        self.elements[index] = value
        if self.first_shape is None:
            self.first_shape = value.shape

    def known_shape(self):
        for element in self.elements:
            if element is not None:
                return element.shape
        return self.element_shape

    def read(self, index, name):
        index = int(index)
        if not 0 <= index < len(self.elements):
            raise ValueError(f"TensorArray {name}: Tried to read from index {index} but array "
                             f"size is: {len(self.elements)}")
        value = self.elements[index]
        if value is None:
            if index in self.cleared:
                raise ValueError(f"TensorArray {name}: Could not read index {index} twice "
                                 f"because it was cleared after a previous read (perhaps try "
                                 f"setting clear_after_read = false?)")
            shape = self.known_shape()
            shape = self.first_shape if shape is None else shape
            if shape is not None and (self.aggregate or self.identical_shapes
                                      or self.element_shape is not None):
                return np.zeros(shape, self.dtype)
            raise ValueError(f"TensorArray {name}: Could not read from TensorArray index "
                             f"{index} because it has not yet been written to.")
        if self.clear_after_read and not self.aggregate:
            self.elements[index] = None
            self.cleared.add(index)
        return value


def _store(handle):
    return handle[()]


def _name(op):
    return op.inputs[0].op.name


@register_op
class TensorArrayV3(OpDef):
    """A new TensorArray of ``size`` elements: outputs (handle, flow)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.resource),
                (tensor_shape.scalar(), dtypes.float32)]

    def kernel(self, op, ctx):
        dtype = dtypes.as_dtype(op.attrs["dtype"]).as_numpy_dtype
        shape = op.attrs["element_shape"]
        static = tuple(shape.as_list()) if shape.is_fully_defined() else None
        dynamic, clear = op.attrs["dynamic_size"], op.attrs["clear_after_read"]

        def create(size):
            handle = np.empty((), dtype=object)
            handle[()] = _Store(size, dtype, dynamic, clear, static,
                                identical_shapes=op.attrs.get("identical_element_shapes",
                                                              False))
            return handle, _FLOW
        return create


@register_op
class TensorArrayGradV3(OpDef):
    """The gradient TensorArray of a TensorArray for ``source`` (made on first use, sized
    like it; writes to one index add up): outputs (grad handle, flow)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.resource),
                (tensor_shape.scalar(), dtypes.float32)]

    def kernel(self, op, ctx):
        source = op.attrs["source"]

        def grad(handle, flow):
            forward = _store(handle)
            grad_handle = forward.grads.get(source)
            if grad_handle is None:
                grad_handle = np.empty((), dtype=object)
                grad_handle[()] = _Store(len(forward.elements), forward.dtype, True, False,
                                         forward.known_shape(), aggregate=True)
                forward.grads[source] = grad_handle
            return grad_handle, _FLOW
        return grad


class _TensorArrayOp(OpDef):
    stateful = True
    shape_determining_inputs = ()


@register_op
class TensorArrayWriteV3(_TensorArrayOp):
    """Writes ``value`` at ``index``; returns the new flow."""

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.float32)]

    def kernel(self, op, ctx):
        name = _name(op)

        def write(handle, index, value, flow):
            _store(handle).write(index, value, name)
            return _FLOW
        return write

    def grad(self, op, flow_grad):
        handle, index = op.inputs[0], op.inputs[1]
        grad_handle, grad_flow = _grad_array(handle, flow_grad)
        value = read_v3(grad_handle, index, grad_flow, op.inputs[2].dtype.base_dtype)
        return [None, None, value, flow_grad]


@register_op
class TensorArrayReadV3(_TensorArrayOp):
    """The element at ``index``."""

    def infer(self, op):
        return [(op.attrs.get("_element_shape", tensor_shape.unknown_shape()),
                 dtypes.as_dtype(op.attrs["dtype"]))]

    def kernel(self, op, ctx):
        name = _name(op)
        return lambda handle, index, flow: _store(handle).read(index, name)

    def grad(self, op, grad):
        handle, index, flow = op.inputs
        grad_handle, grad_flow = _grad_array(handle, flow)
        return [None, None, write_v3(grad_handle, index, grad, grad_flow)]


@register_op
class TensorArrayGatherV3(_TensorArrayOp):
    """The elements at ``indices``, stacked."""

    def infer(self, op):
        element = op.attrs["element_shape"]
        indices = op.inputs[1].shape
        count = indices.as_list()[0] if indices.ndims == 1 else None
        shape = (tensor_shape.TensorShape([count]).concatenate(element)
                 if element.ndims is not None else tensor_shape.unknown_shape())
        return [(shape, dtypes.as_dtype(op.attrs["dtype"]))]

    def kernel(self, op, ctx):
        name = _name(op)
        dtype = dtypes.as_dtype(op.attrs["dtype"]).as_numpy_dtype
        element = op.attrs["element_shape"]

        def gather(handle, indices, flow):
            store = _store(handle)
            values = [store.read(i, name) for i in np.asarray(indices).reshape(-1)]
            if not values:
                shape = store.known_shape()
                if shape is None and element.is_fully_defined():
                    shape = tuple(element.as_list())
                if shape is None:
                    raise ValueError(f"TensorArray {name}: TensorArray has size zero, but "
                                     f"element shape {element} is not fully defined. "
                                     f"Currently only static shapes are supported when "
                                     f"packing zero-size TensorArrays.")
                return np.zeros((0,) + tuple(shape), dtype)
            return np.stack(values)
        return gather

    def grad(self, op, grad):
        handle, indices, flow = op.inputs
        grad_handle, grad_flow = _grad_array(handle, flow)
        return [None, None, scatter_v3(grad_handle, indices, grad, grad_flow)]


@register_op
class TensorArrayScatterV3(_TensorArrayOp):
    """Writes ``value[i]`` at ``indices[i]``; returns the new flow."""

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.float32)]

    def kernel(self, op, ctx):
        name = _name(op)

        def scatter(handle, indices, value, flow):
            store = _store(handle)
            indices = np.asarray(indices).reshape(-1)
            if len(indices) != len(value):
                raise ValueError(f"TensorArray {name}: Expected len(indices) == "
                                 f"values.shape[0], but saw: {len(indices)} vs. {len(value)}")
            # One copy of the whole value; each element is a view of it no one else holds.
            value = np.array(value, dtype=store.dtype, copy=True)
            for position, index in enumerate(indices):
                store.write(index, value[position], name, owned=True)
            return _FLOW
        return scatter

    def grad(self, op, flow_grad):
        handle, indices = op.inputs[0], op.inputs[1]
        grad_handle, grad_flow = _grad_array(handle, flow_grad)
        value = gather_v3(grad_handle, indices, grad_flow, op.inputs[2].dtype.base_dtype,
                          op.inputs[2].shape[1:] if op.inputs[2].shape.ndims else None)
        return [None, None, value, flow_grad]


@register_op
class TensorArrayConcatV3(_TensorArrayOp):
    """All elements concatenated along their first axis, and their lengths."""

    dynamic_output_shape = True

    def infer(self, op):
        element = op.attrs.get("element_shape_except0", tensor_shape.unknown_shape())
        shape = (tensor_shape.TensorShape([None]).concatenate(element)
                 if element.ndims is not None else tensor_shape.unknown_shape())
        return [(shape, dtypes.as_dtype(op.attrs["dtype"])),
                (tensor_shape.TensorShape([None]), dtypes.int64)]

    def kernel(self, op, ctx):
        name = _name(op)

        def concat(handle, flow):
            store = _store(handle)
            values = [store.read(i, name) for i in range(len(store.elements))]
            lengths = np.array([len(v) for v in values], np.int64)
            return np.concatenate(values), lengths
        return concat

    def grad(self, op, grad, _):
        handle, flow = op.inputs
        grad_handle, grad_flow = _grad_array(handle, flow)
        return [None, split_v3(grad_handle, grad, op.outputs[1], grad_flow)]


@register_op
class TensorArraySplitV3(_TensorArrayOp):
    """Splits ``value`` along its first axis into pieces of ``lengths``; the new flow."""

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.float32)]

    def kernel(self, op, ctx):
        name = _name(op)

        def split(handle, value, lengths, flow):
            store = _store(handle)
            lengths = np.asarray(lengths).reshape(-1)
            if lengths.sum() != len(value):
                raise ValueError(f"TensorArray {name}: Expected sum of lengths to be equal to "
                                 f"values.shape[0], but sum of lengths is {lengths.sum()} and "
                                 f"value's shape is: {list(np.shape(value))}")
            value, start = np.array(value, dtype=store.dtype, copy=True), 0
            for index, length in enumerate(lengths):
                store.write(index, value[start:start + length], name, owned=True)
                start += length
            return _FLOW
        return split

    def grad(self, op, flow_grad):
        handle = op.inputs[0]
        grad_handle, grad_flow = _grad_array(handle, flow_grad)
        value = make_op("TensorArrayConcatV3", [grad_handle, grad_flow],
                        {"dtype": op.inputs[1].dtype.base_dtype}).outputs[0]
        return [None, value, None, flow_grad]


@register_op
class TensorArraySizeV3(_TensorArrayOp):
    """The current number of elements."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.int32)]

    def kernel(self, op, ctx):
        return lambda handle, flow: np.array(len(_store(handle).elements), np.int32)


@register_op
class TensorArrayCloseV3(_TensorArrayOp):
    """Releases the elements."""

    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        def close(handle):
            _store(handle).elements = []
        return close


def _grad_array(handle, flow):
    outputs = make_op("TensorArrayGradV3", [handle, flow], {"source": "gradients"},
                      name="TensorArrayGrad/TensorArrayGradV3").outputs
    return outputs[0], outputs[1]


def write_v3(handle, index, value, flow, name=None):
    index = ops.convert_to_tensor(index, dtype=dtypes.int32)
    return make_op("TensorArrayWriteV3", [handle, index, value, flow],
                   {"T": value.dtype.base_dtype}, name=name or "TensorArrayWriteV3").outputs[0]


def read_v3(handle, index, flow, dtype, element_shape=None, name=None):
    index = ops.convert_to_tensor(index, dtype=dtypes.int32)
    attrs = {"dtype": dtype, "_element_shape": tensor_shape.TensorShape(element_shape)}
    return make_op("TensorArrayReadV3", [handle, index, flow], attrs,
                   name=name or "TensorArrayReadV3").outputs[0]


def gather_v3(handle, indices, flow, dtype, element_shape=None, name=None):
    indices = ops.convert_to_tensor(indices, dtype=dtypes.int32)
    return make_op("TensorArrayGatherV3", [handle, indices, flow],
                   {"dtype": dtype, "element_shape": tensor_shape.TensorShape(element_shape)},
                   name=name or "TensorArrayGatherV3").outputs[0]


def scatter_v3(handle, indices, value, flow, name=None):
    indices = ops.convert_to_tensor(indices, dtype=dtypes.int32)
    return make_op("TensorArrayScatterV3", [handle, indices, value, flow],
                   {"T": value.dtype.base_dtype}, name=name or "TensorArrayScatterV3").outputs[0]


def split_v3(handle, value, lengths, flow, name=None):
    lengths = ops.convert_to_tensor(lengths, dtype=dtypes.int64)
    return make_op("TensorArraySplitV3", [handle, value, lengths, flow],
                   {"T": value.dtype.base_dtype}, name=name or "TensorArraySplitV3").outputs[0]


class TensorArray:
    """``tf.TensorArray``: a list of tensors of one dtype, written and read by index, that
    tf.while_loop can carry (TF 1.x graph TensorArray on TensorArrayV3 ops)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._infer_shape = infer_shape
        self._element_shape = [tensor_shape.TensorShape(element_shape)]
        if handle is not None:
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            self._handle, self._flow = handle, flow
            return
        if size is None:
            raise ValueError("Size must be provided if handle is not provided")
        with ops.name_scope(name, "TensorArray", [size]) as scope:
            size = ops.convert_to_tensor(size, dtype=dtypes.int32)
            attrs = {"dtype": self._dtype, "element_shape": self._element_shape[0],
                     "dynamic_size": bool(dynamic_size),
                     "clear_after_read": True if clear_after_read is None
                     else bool(clear_after_read),
                     "identical_element_shapes": bool(infer_shape),
                     "tensor_array_name": tensor_array_name or ""}
            outputs = make_op("TensorArrayV3", [size], attrs, name=scope).outputs
        self._handle, self._flow = outputs

    @property
    def handle(self):
        return self._handle

    @property
    def flow(self):
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape[0]

    def _with_flow(self, flow):
        result = TensorArray(self._dtype, handle=self._handle, flow=flow,
                             infer_shape=self._infer_shape)
        result._element_shape = self._element_shape  # shared, as TF's
        return result

    def _merge_element_shape(self, shape):
        if self._infer_shape:
            self._element_shape[0] = self._element_shape[0].merge_with(shape)

    def identity(self):
        return self._with_flow(array_ops.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        grad_handle, grad_flow = _grad_array(self._handle, self._flow if flow is None
                                             else flow)
        result = TensorArray(self._dtype, handle=grad_handle, flow=grad_flow)
        result._element_shape = self._element_shape
        return result

    def read(self, index, name=None):
        """The element at ``index``."""
        value = read_v3(self._handle, index, self._flow, self._dtype,
                        self._element_shape[0], name=name)
        return value

    def write(self, index, value, name=None):
        """A TensorArray with ``value`` written at ``index``."""
        with ops.name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = ops.convert_to_tensor(value, dtype=self._dtype, name="value")
            self._merge_element_shape(value.shape)
            return self._with_flow(write_v3(self._handle, index, value, self._flow))

    def stack(self, name=None):
        """All elements stacked along a new first axis."""
        with ops.name_scope(name, "TensorArrayStack", [self._handle]):
            return self.gather(_range_of(self.size()), name=name)

    def gather(self, indices, name=None):
        """The elements at ``indices``, stacked."""
        return gather_v3(self._handle, indices, self._flow, self._dtype,
                         self._element_shape[0], name=name)

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        element = self._element_shape[0]
        attrs = {"dtype": self._dtype,
                 "element_shape_except0": element[1:] if element.ndims else
                 tensor_shape.unknown_shape()}
        return make_op("TensorArrayConcatV3", [self._handle, self._flow], attrs,
                       name=name or "TensorArrayConcatV3").outputs[0]

    def unstack(self, value, name=None):
        """A TensorArray holding the slices of ``value`` along its first axis."""
        with ops.name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            value = ops.convert_to_tensor(value, dtype=self._dtype, name="value")
            return self.scatter(_range_of(array_ops.shape(value)[0]), value)

    def scatter(self, indices, value, name=None):
        """A TensorArray with ``value[i]`` written at ``indices[i]``."""
        with ops.name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = ops.convert_to_tensor(value, dtype=self._dtype, name="value")
            if value.shape.ndims:
                self._merge_element_shape(value.shape[1:])
            return self._with_flow(scatter_v3(self._handle, indices, value, self._flow))

    def split(self, value, lengths, name=None):
        """A TensorArray holding pieces of ``value`` of the given ``lengths``."""
        with ops.name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = ops.convert_to_tensor(value, dtype=self._dtype, name="value")
            return self._with_flow(split_v3(self._handle, value, lengths, self._flow))

    def size(self, name=None):
        return make_op("TensorArraySizeV3", [self._handle, self._flow],
                       name=name or "TensorArraySizeV3").outputs[0]

    def close(self, name=None):
        return make_op("TensorArrayCloseV3", [self._handle], name=name or "TensorArrayCloseV3")


def _range_of(limit):
    from tfcompat.ops import math_ops
    return math_ops._range(0, limit)


__all__ = ["TensorArray"]
