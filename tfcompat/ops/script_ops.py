"""``tf.py_func``, ``tf.numpy_function`` and ``tf.py_function``: Python functions as graph
ops (PyFunc / PyFuncStateless / EagerPyFunc).

``py_func`` / ``numpy_function`` call the function with NumPy arrays (scalar strings as bytes)
and require each result to have exactly its ``Tout`` type ("0-th value returned by pyfunc_0 is
double, but expects float"). ``py_function`` calls it with eager-style tensors (arrays with a
``.numpy()`` method) and converts each result to its ``Tout`` type as
``convert_to_tensor(value, dtype)`` does. An exception in the function becomes the TF error
class TF's py_func kernel maps it to: ValueError/TypeError -> InvalidArgumentError,
StopIteration -> OutOfRangeError, MemoryError -> ResourceExhaustedError, NotImplementedError ->
UnimplementedError, anything else -> UnknownError; the message starts "ValueError: ...".
Outputs have unknown static shapes. PyFunc ops are not differentiable (a gradient goes through
``Graph.gradient_override_map``); EagerPyFunc's gradient needs an eager tape, which tfcompat
has not, so ``tf.gradients`` through it raises LookupError.
"""
import itertools
import traceback

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op

_TOKENS = itertools.count()
_TYPE_NAMES = {"float32": "float", "float64": "double"}
_ERROR_CLASSES = ((ValueError, errors.InvalidArgumentError),
                  (TypeError, errors.InvalidArgumentError),
                  (StopIteration, errors.OutOfRangeError),
                  (MemoryError, errors.ResourceExhaustedError),
                  (NotImplementedError, errors.UnimplementedError))


class _PythonFunction(str):
    """The function of a PyFunc op; its value (the attr ``token``) is TF's "pyfunc_<n>"."""

    def __new__(cls, fn):
        token = super().__new__(cls, f"pyfunc_{next(_TOKENS)}")
        token.fn = fn
        return token


class EagerValue(np.ndarray):
    """An input of a ``py_function``: the array, with EagerTensor's ``numpy()``."""

    def numpy(self):
        """The value as a plain NumPy array (a NumPy scalar or bytes for 0-d values)."""
        plain = self.view(np.ndarray)
        return plain[()] if plain.ndim == 0 else plain


def _raise_as_tf_error(op, exc):
    """Re-raises an exception of the Python function as TF's py_func kernel reports it."""
    if isinstance(exc, errors.OpError):
        raise exc
    error_class = next((tf_class for py_class, tf_class in _ERROR_CLASSES
                        if isinstance(exc, py_class)), errors.UnknownError)
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    raise error_class(None, op, f"{type(exc).__name__}: {exc}\n{trace}") from None


@register_op
class PyFunc(OpDef):
    """Calls attr ``token``'s Python function on NumPy arrays; it may have side effects."""

    differentiable = False
    stateful = True
    eager_inputs = False

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), t) for t in op.attrs["Tout"]]

    def kernel(self, op, ctx):
        token, types = op.attrs["token"], op.attrs["Tout"]
        as_input = _as_eager_value if self.eager_inputs else _as_bytes
        convert = _converted if self.eager_inputs else _checked

        def call(*inputs):
            try:
                result = token.fn(*[as_input(x) for x in inputs])
            except Exception as exc:  # noqa: BLE001 - reported as TF reports it
                _raise_as_tf_error(op, exc)
            if not types:
                return None
            values = list(result) if isinstance(result, (list, tuple)) else [result]
            if len(values) != len(types):
                raise errors.InvalidArgumentError(
                    None, op, f"pyfunc returned {len(values)} values, but expects "
                              f"{len(types)}")
            outputs = [convert(op, token, i, v, t) for i, (v, t) in
                       enumerate(zip(values, types))]
            return outputs[0] if len(outputs) == 1 else tuple(outputs)
        return call


def _as_bytes(value):
    """A scalar string input as bytes (TF passes those as ``bytes``, not 0-d arrays)."""
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        item = value.item()
        return item.encode() if isinstance(item, str) else item
    return value


def _as_eager_value(value):
    array = np.array(value, copy=True)
    if array.dtype == object and array.size:
        array = np.vectorize(_to_bytes, otypes=[object])(array)
    return array.view(EagerValue)


def _checked(op, token, index, value, dtype):
    array = np.asarray(value)
    if dtype == dtypes.string:
        if array.dtype.kind in "SUO":
            return array.astype(object)
    elif array.dtype == dtype.as_numpy_dtype:
        return array
    _raise_wrong_type(op, token, index, array, dtype)


def _converted(op, token, index, value, dtype):
    """``convert_to_tensor(value, dtype)``: numbers convert within their kind (an int to a
    float too), strings stay strings; anything else is TF's wrong-type error."""
    array = np.asarray(value.numpy() if isinstance(value, EagerValue) else value)
    if dtype == dtypes.string:
        if array.dtype.kind in "SUO":
            return np.vectorize(_to_bytes, otypes=[object])(array) if array.size else \
                array.astype(object)
    else:
        wanted = np.dtype(dtype.as_numpy_dtype)
        allowed = {"f": "fiub", "c": "fciub", "i": "iub", "u": "iub", "b": "b"}
        if array.dtype.kind in allowed.get(wanted.kind, wanted.kind):
            return array.astype(wanted, copy=False)
    _raise_wrong_type(op, token, index, array, dtype)


def _to_bytes(item):
    return item.encode() if isinstance(item, str) else item


def _raise_wrong_type(op, token, index, array, dtype):
    got = dtypes.as_dtype(array.dtype).name if array.dtype.kind not in "OSU" else "string"
    raise errors.InvalidArgumentError(
        None, op, f"{index}-th value returned by {token} is {_TYPE_NAMES.get(got, got)}, "
                  f"but expects {_TYPE_NAMES.get(dtype.name, dtype.name)}")


@register_op
class PyFuncStateless(PyFunc):
    """A PyFunc whose function has no side effects (``stateful=False``)."""

    op_type = "PyFuncStateless"
    stateful = False


@register_op
class EagerPyFunc(PyFunc):
    """``tf.py_function``'s op: the function gets eager-style tensors (``x.numpy()``)."""

    op_type = "EagerPyFunc"
    differentiable = True
    grad = None
    eager_inputs = True


def _make_py_func_op(op_type, func, inp, Tout, name, extra_attrs=None):  # noqa: N803
    single = not isinstance(Tout, (list, tuple))
    types = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    inputs = [ops.convert_to_tensor(x) for x in inp]
    attrs = {"token": _PythonFunction(func), "Tin": [t.dtype.base_dtype for t in inputs],
             "Tout": types, **(extra_attrs or {})}
    op = make_op(op_type, inputs, attrs, name=name or op_type, graph=ops.get_default_graph())
    if not op.outputs:
        return op
    return op.outputs[0] if single else op.outputs


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 (TF's argument name)
    """``tf.py_func``: ``func(*arrays)`` as an op; a list ``Tout`` gives a list of tensors."""
    return _make_py_func_op("PyFunc" if stateful else "PyFuncStateless", func, inp, Tout, name)


def numpy_function(func, inp, Tout, name=None):  # noqa: N803 (TF's argument name)
    """``tf.numpy_function``: ``tf.py_func`` with ``stateful=True`` (TF 1.15)."""
    return py_func(func, inp, Tout, stateful=True, name=name)


def py_function(func, inp, Tout, name=None):  # noqa: N803 (TF's argument name)
    """``tf.py_function``: ``func(*eager_tensors)`` as an EagerPyFunc op; results convert to
    ``Tout``; a list ``Tout`` gives a list of tensors, an empty one the op."""
    return _make_py_func_op("EagerPyFunc", func, inp, Tout, name, {"is_async": False})


__all__ = ["py_func", "numpy_function", "py_function"]
