"""``tf.py_func``: a Python function as a graph op (PyFunc / PyFuncStateless).

The function receives its inputs as NumPy arrays (strings as bytes) when the op runs and
returns one value per ``Tout`` type; a value of another type is an InvalidArgumentError
("0-th value returned by pyfunc_0 is double, but expects float"), an exception in the
function an UnknownError carrying it. Outputs have unknown static shapes.
"""
import itertools

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op

_TOKENS = itertools.count()
_TYPE_NAMES = {"float32": "float", "float64": "double"}


class _PythonFunction(str):
    """The function of a PyFunc op; its value (the attr ``token``) is TF's "pyfunc_<n>"."""

    def __new__(cls, fn):
        token = super().__new__(cls, f"pyfunc_{next(_TOKENS)}")
        token.fn = fn
        return token


@register_op
class PyFunc(OpDef):
    """Calls attr ``token``'s Python function; it may have side effects (stateful)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), t) for t in op.attrs["Tout"]]

    def kernel(self, op, ctx):
        token, types = op.attrs["token"], op.attrs["Tout"]

        def call(*inputs):
            inputs = [_as_bytes(x) for x in inputs]
            try:
                result = token.fn(*inputs)
            except errors.OpError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported as TF reports it
                raise errors.UnknownError(None, op, f"{type(exc).__name__}: {exc}") from None
            if not types:
                return None
            values = list(result) if isinstance(result, (list, tuple)) else [result]
            if len(values) != len(types):
                raise errors.InvalidArgumentError(
                    None, op, f"pyfunc returned {len(values)} values, but expects "
                              f"{len(types)}")
            outputs = [_checked(op, token, i, v, t) for i, (v, t) in
                       enumerate(zip(values, types))]
            return outputs[0] if len(outputs) == 1 else tuple(outputs)
        return call


def _as_bytes(value):
    """A scalar string input as bytes (TF passes those as ``bytes``, not 0-d arrays)."""
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        item = value.item()
        return item.encode() if isinstance(item, str) else item
    return value


def _checked(op, token, index, value, dtype):
    array = np.asarray(value)
    if dtype == dtypes.string:
        if array.dtype.kind in "SUO":
            return array.astype(object)
    elif array.dtype == dtype.as_numpy_dtype:
        return array
    got = dtypes.as_dtype(array.dtype).name if array.dtype.kind != "O" else "object"
    raise errors.InvalidArgumentError(
        None, op, f"{index}-th value returned by {token} is {_TYPE_NAMES.get(got, got)}, "
                  f"but expects {_TYPE_NAMES.get(dtype.name, dtype.name)}")


@register_op
class PyFuncStateless(PyFunc):
    """A PyFunc whose function has no side effects (``stateful=False``)."""

    op_type = "PyFuncStateless"
    stateful = False


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 (TF's argument name)
    """``tf.py_func``: ``func(*arrays)`` as an op; a list ``Tout`` gives a list of tensors."""
    single = not isinstance(Tout, (list, tuple))
    types = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    inputs = [ops.convert_to_tensor(x) for x in inp]
    op = make_op("PyFunc" if stateful else "PyFuncStateless", inputs,
                 {"token": _PythonFunction(func), "Tin": [t.dtype.base_dtype for t in inputs],
                  "Tout": types}, name=name or ("PyFunc" if stateful else "PyFuncStateless"),
                 graph=ops.get_default_graph())
    if single:
        return op.outputs[0] if op.outputs else op
    return op.outputs if op.outputs else op


__all__ = ["py_func"]
