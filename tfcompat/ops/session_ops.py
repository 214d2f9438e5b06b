"""Tensors kept in the session between runs (``tf.get_session_handle``,
``tf.get_session_tensor``, ``tf.delete_session_tensor``), as TF 1.x's session handles.

Fetching a GetSessionHandle op's output gives a ``TensorHandle``: the value stays in the
session's store (a session resource), and later runs read it back by feeding the handle to
the placeholder of ``get_session_tensor`` — no copy through Python in between. A handle
lives until ``delete()`` (or ``delete_session_tensor``) or the end of its session.
"""
import itertools
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op
from tfcompat.ops import array_ops

__all__ = ["get_session_handle", "get_session_tensor", "delete_session_tensor"]

_STORE = "session_tensor_store"
_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_SCALAR = tensor_shape.TensorShape([])


class _TensorStore:
    """The session's kept tensors by handle string."""

    def __init__(self):
        self.values = {}
        self.lock = threading.Lock()
        self.ids = itertools.count()

    def keep(self, op, value):
        with self.lock:
            handle = f"{op.name};{next(self.ids)};{_DEVICE}"
            self.values[handle] = np.array(value, copy=True)
        return handle

    def get(self, op, handle):
        with self.lock:
            value = self.values.get(handle)
        if value is None:
            raise errors.InvalidArgumentError(
                None, op, f"The tensor with handle '{handle}' is not in the session store.")
        return value

    def delete(self, op, handle):
        with self.lock:
            if self.values.pop(handle, None) is None:
                raise errors.InvalidArgumentError(
                    None, op, f"The tensor with handle '{handle}' is not in the session "
                              "store.")


def _store(ctx):
    return ctx.resource(_STORE, _TensorStore)


def _handle_text(value):
    item = np.asarray(value).item()
    return item.decode() if isinstance(item, bytes) else str(item)


@register_op
class GetSessionHandle(OpDef):
    """Keeps its input in the session and outputs the handle string."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.string)]

    def kernel(self, op, ctx):
        return lambda value: np.array(_store(ctx).keep(op, value).encode(), dtype=object)


@register_op
class GetSessionHandleV2(GetSessionHandle):
    """GetSessionHandle with a resource-typed handle (TF 2's form); here the same."""

    op_type = "GetSessionHandleV2"


@register_op
class GetSessionTensor(OpDef):
    """The kept tensor a handle names (attr dtype)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        dtype = op.attrs["dtype"]

        def read(handle):
            value = _store(ctx).get(op, _handle_text(handle))
            if value.dtype != dtype.as_numpy_dtype and dtype != dtypes.string:
                raise errors.InvalidArgumentError(
                    None, op, f"The tensor with handle '{_handle_text(handle)}' has dtype "
                              f"{value.dtype}, not {dtype.name}")
            return value
        return read


@register_op
class DeleteSessionTensor(OpDef):
    """Removes a kept tensor from the session."""

    differentiable = False
    stateful = True
    mutates_state = True
    side_effects = True

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        return lambda handle: _store(ctx).delete(op, _handle_text(handle))


class TensorHandle:
    """A tensor kept in a session (what fetching ``get_session_handle`` gives): ``handle``
    is its string; ``eval()`` reads it back, ``delete()`` frees it."""

    def __init__(self, handle, dtype, session):
        self._handle = handle
        self._dtype = dtypes.as_dtype(dtype)
        self._session = session

    handle = property(lambda self: self._handle)
    dtype = property(lambda self: self._dtype)

    def __str__(self):
        return self._handle

    def __repr__(self):
        return f"TensorHandle({self._handle!r})"

    def get_raw_handle(self):
        return self._handle

    def _reader(self, kind):
        """The session's placeholder and op reading or deleting kept tensors (made once
        per session and dtype in its graph, as TF caches them)."""
        cache = self._session.__dict__.setdefault("_session_handle_ops", {})
        key = (kind, self._dtype)
        if key not in cache:
            with self._session.graph.as_default():
                with ops.name_scope(None):
                    cache[key] = (get_session_tensor(self._handle, self._dtype) if kind ==
                                  "read" else delete_session_tensor(self._handle))
        return cache[key]

    def eval(self):
        """The kept tensor's value."""
        holder, tensor = self._reader("read")
        return self._session.run(tensor, feed_dict={holder: self._handle})

    def delete(self):
        """Frees the kept tensor in its session."""
        holder, deleter = self._reader("delete")
        self._session.run(deleter, feed_dict={holder: self._handle})


def get_session_handle(data, name=None):
    """``tf.get_session_handle(data)``: fetching the result keeps ``data``'s value in the
    session and gives a TensorHandle."""
    data = ops.convert_to_tensor(data, name="data")
    return make_tensor("GetSessionHandle", [data], {"T": data.dtype.base_dtype},
                       name=name or "GetSessionHandle")


def get_session_tensor(handle, dtype, name=None):
    """``tf.get_session_tensor(handle, dtype)`` -> (holder, tensor): feed a handle to the
    string placeholder ``holder`` and ``tensor`` is the kept value."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "get_session_tensor"):
        holder = array_ops.placeholder(dtypes.string, shape=[], name="handle")
        tensor = make_tensor("GetSessionTensor", [holder], {"dtype": dtype},
                             name="GetSessionTensor")
        return holder, tensor


def delete_session_tensor(handle, name=None):
    """``tf.delete_session_tensor(handle)`` -> (holder, deleter): running ``deleter`` with a
    handle fed to ``holder`` frees that kept tensor."""
    with ops.name_scope(name, "delete_session_tensor"):
        holder = array_ops.placeholder(dtypes.string, shape=[], name="handle")
        deleter = make_op("DeleteSessionTensor", [holder], name="DeleteSessionTensor")
        return holder, deleter


def wrap_fetched_handle(tensor, value, session):
    """The user's value of a fetched tensor: a TensorHandle for GetSessionHandle outputs."""
    if tensor.op.type in ("GetSessionHandle", "GetSessionHandleV2"):
        return TensorHandle(_handle_text(value), tensor.op.inputs[0].dtype.base_dtype, session)
    return value
