"""Run-time checks and printing (TF's check_ops / numerics / logging_ops): ``tf.Assert``,
the ``tf.assert_*`` family, ``tf.check_numerics``, ``tf.Print`` and ``tf.print``.

A failing check raises InvalidArgumentError from the step; checks are read-only ops, which the
runtime schedules before any variable update of the step, so a training step whose assert
fails changes no variable."""
import collections.abc
import sys

import numpy as np

from tfcompat.framework import dtypes, errors, ops
from tfcompat.framework.op_def import (OpDef, constant_value, make_op, make_tensor,
                                       register_op)
from tfcompat.ops import array_ops, control_flow_ops, math_ops


# ---- TF's value summaries -------------------------------------------------------------------
def _scalar_text(value):
    """One element as TF prints it: shortest of %.6g/%.9g (float32) or %.15g/%.17g
    (float64) that reads back exactly; bools as 1/0; bytes decoded."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", "replace")
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (float, np.floating)):
        short, long_ = (6, 9) if np.asarray(value).dtype.itemsize <= 4 else (15, 17)
        text = f"{value:.{short}g}"
        return text if type(value)(text) == value or np.isnan(value) else f"{value:.{long_}g}"
    return str(value)


def summarize_value(value, limit):
    """A tensor value as TF's Assert and Print show it (inside their own brackets): nested
    brackets without commas below the first dimension, at most ``limit`` elements (all when
    negative), '...' where elements are left out: ``[1 2][3...]...`` for [[1, 2], [3, 4]]
    and a limit of 3."""
    value = np.asarray(value)
    if value.ndim == 0:
        return _scalar_text(value[()])
    limit = value.size if limit < 0 else limit
    printed = [0]

    def one_dim(array):
        parts = []
        for index, item in enumerate(array):
            if printed[0] >= limit:
                parts.append("...")
                break
            if array.ndim == 1:
                parts.append((" " if index else "") + _scalar_text(item))
                printed[0] += 1
            else:
                parts.append(one_dim(item))
        if array.ndim > 1 and printed[0] < value.size and parts[-1] != "...":
            parts.append("...")  # a row below was cut short
        return "[" + "".join(parts) + "]"
    return one_dim(value)[1:-1]


def _numpy_like(value, summarize):
    """A value as ``tf.print`` shows it: NumPy's layout, ``summarize`` items at each end of a
    long dimension (all when negative)."""
    value = np.asarray(value)
    if value.ndim == 0:
        return _scalar_text(value[()])
    threshold = sys.maxsize if summarize < 0 else 0
    return np.array2string(value, separator=" ", threshold=threshold,
                           edgeitems=max(summarize, 1),
                           formatter={"float_kind": _scalar_text, "bool": _scalar_text})


# ---- ops ------------------------------------------------------------------------------------
@register_op
class AssertOp(OpDef):
    """Raises InvalidArgumentError "assertion failed: [d0] [d1] ..." when ``condition`` is
    false, each data tensor summarised to ``summarize`` elements (``tf.Assert``)."""

    op_type = "Assert"
    stateful = True
    side_effects = True
    differentiable = False

    def infer(self, op):
        condition = op.inputs[0]
        if condition.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"Value passed to parameter 'condition' has DataType "
                            f"{condition.dtype.base_dtype.name} not in list of allowed "
                            "values: bool")
        if condition.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {condition.shape.ndims} for "
                             f"'{op.name}' (op: 'Assert')")
        return []

    def kernel(self, op, ctx):
        summarize = op.attrs["summarize"]

        def check(condition, *data):
            if not bool(condition):
                shown = " ".join(f"[{summarize_value(d, summarize)}]" for d in data)
                raise errors.InvalidArgumentError(
                    None, op, f"assertion failed: {shown}\n\t [[node {op.name}]]")
        return check


@register_op
class CheckNumerics(OpDef):
    """Passes ``tensor`` through, raising InvalidArgumentError "<message> : Tensor had NaN
    values" (Inf, Inf and NaN) when it holds any (``tf.check_numerics``); the gradient is
    checked the same way."""

    may_alias_input = True
    stateful = True
    side_effects = True

    def infer(self, op):
        x = op.inputs[0]
        if not x.dtype.base_dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'tensor' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values: "
                            "bfloat16, float16, float32, float64")
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        message = op.attrs["message"]

        def check_numerics(x):
            if not np.isfinite(x).all():
                nan, inf = bool(np.isnan(x).any()), bool(np.isinf(x).any())
                found = "Inf and NaN" if nan and inf else ("NaN" if nan else "Inf")
                raise errors.InvalidArgumentError(
                    None, op, f"{message} : Tensor had {found} values\n\t [[node {op.name}]]")
            return x
        return check_numerics

    def grad(self, op, dy):
        return [check_numerics(dy, "Not a number (NaN) or infinity (Inf) values detected in "
                                   "gradient. " + op.attrs["message"])]


def check_numerics(tensor, message, name=None):
    """``tf.check_numerics(tensor, message, name=None)``."""
    return make_tensor("CheckNumerics", [ops.convert_to_tensor(tensor)],
                       {"message": str(message)}, name=name or "CheckNumerics")


def _stream(output_stream):
    """The stream a print op writes to, looked up at run time (so redirections apply)."""
    if output_stream == "stdout":
        return sys.stdout
    if output_stream.startswith("file://"):
        return open(output_stream[len("file://"):], "a")  # noqa: SIM115 (closed by caller)
    return sys.stderr


def _write(output_stream, text):
    stream = _stream(output_stream)
    stream.write(text)
    stream.flush()
    if output_stream.startswith("file://"):
        stream.close()


@register_op
class PrintOp(OpDef):
    """Passes ``input`` through and prints ``message`` followed by each data tensor
    summarised in brackets to stderr, the first ``first_n`` times (all when negative)
    (``tf.Print``); the gradient passes through."""

    op_type = "Print"
    may_alias_input = True
    stateful = True
    side_effects = True

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        message, first_n = op.attrs["message"], op.attrs["first_n"]
        summarize = op.attrs["summarize"]
        count = [0]

        def print_kernel(x, *data):
            if first_n < 0 or count[0] < first_n:
                count[0] += 1
                shown = "".join(f"[{summarize_value(d, summarize)}]" for d in data)
                _write("stderr", f"{message}{shown}\n")
            return x
        return print_kernel

    def grad(self, op, dy):
        return [dy] + [None] * (len(op.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``tf.Print(input_, data, message=None, first_n=None, summarize=None, name=None)``."""
    data = [ops.convert_to_tensor(d) for d in data]
    return make_tensor("Print", [ops.convert_to_tensor(input_)] + data, {
        "message": message or "", "first_n": -1 if first_n is None else int(first_n),
        "summarize": 3 if summarize is None else int(summarize)}, name=name or "Print")


@register_op
class PrintV2(OpDef):
    """Prints its arguments joined by ``sep`` and followed by ``end`` (``tf.print``); the
    ``template`` attribute holds each argument as texts, None where the next input tensor's
    value goes (NumPy's layout, ``summarize`` items at each end). No outputs."""

    stateful = True
    side_effects = True
    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        template, summarize = op.attrs["template"], op.attrs["summarize"]
        sep, end, stream = op.attrs["sep"], op.attrs["end"], op.attrs["output_stream"]

        def print_v2(*values):
            values = iter(values)
            arguments = ["".join(text if text is not None
                                 else _numpy_like(next(values), summarize) for text in pieces)
                         for pieces in template]
            _write(stream, sep.join(arguments) + end)
        return print_v2


def _pieces(item, tensors):
    """One tf.print argument as texts, None standing for each tensor (collected)."""
    if isinstance(item, ops.Tensor) or hasattr(item, "_as_graph_element"):
        tensors.append(ops.convert_to_tensor(item))
        return [None]
    if isinstance(item, dict):
        pieces = ["{"]
        for index, (key, value) in enumerate(item.items()):
            pieces.append(("" if index == 0 else ", ") + f"{key!r}: ")
            pieces.extend(_pieces(value, tensors))
        return pieces + ["}"]
    if isinstance(item, (list, tuple)):
        pieces = ["["]
        for index, value in enumerate(item):
            pieces.append("" if index == 0 else ", ")
            pieces.extend(_pieces(value, tensors))
        return pieces + ["]"]
    return [str(item)]


def _stream_name(output_stream):
    if output_stream is None:
        return "stderr"
    if output_stream is sys.stdout:
        return "stdout"
    if output_stream is sys.stderr:
        return "stderr"
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    raise ValueError(f"Unsupported output stream, logging level, or file.{output_stream}. "
                     "Supported streams are sys.stdout, sys.stderr, or a file path beginning "
                     "with 'file://'.")


def print_v2(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=' ', end='\\n',
    name=None)``: in graph mode the PrintV2 op, which prints each time it runs."""
    tensors = []
    template = [_pieces(item, tensors) for item in inputs]
    attrs = {"template": template, "summarize": 3 if summarize is None else int(summarize),
             "sep": sep, "end": end, "output_stream": _stream_name(output_stream)}
    return make_op("PrintV2", tensors, attrs, name=name or "PrintV2")


# ---- the tf.assert_* family (TF's check_ops) -------------------------------------------------
def Assert(condition, data, summarize=None, name=None):  # noqa: N802
    """``tf.Assert(condition, data, summarize=None, name=None)``: the Assert op."""
    with ops.name_scope(name, "Assert", [condition] + list(data)):
        condition = ops.convert_to_tensor(condition, name="Condition")
        tensors = [ops.convert_to_tensor(d) for d in data]
        return make_op("Assert", [condition] + tensors,
                       {"summarize": 3 if summarize is None else int(summarize),
                        "T": [t.dtype.base_dtype for t in tensors]}, name="Assert")


def _static_failure(data):
    """The InvalidArgumentError of a check that fails at graph construction (TF's
    _assert_static): the data, texts and constant values, one a line."""
    lines = []
    for item in data:
        if isinstance(item, ops.Tensor):
            value = constant_value(item)
            lines.append(str(item) if value is None else str(np.asarray(value)))
        elif item:
            lines.append(str(item))
    return errors.InvalidArgumentError(None, None, "\n".join(lines))


def _binary_assert(symbol, compare, default_name, x, y, data, summarize, message, name,
                   static=False):
    with ops.name_scope(name, default_name, [x, y, data]):
        x = ops.convert_to_tensor(x, name="x")
        y = ops.convert_to_tensor(y, name="y")
        message = message or ""
        if data is None:
            data = [message, f"Condition x {symbol} y did not hold element-wise:",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        condition = math_ops.reduce_all(compare(x, y))
        if static:
            x_value, y_value = constant_value(x), constant_value(y)
            if x_value is not None and y_value is not None and not np.all(
                    _NUMPY_COMPARE[symbol](x_value, y_value)):
                raise _static_failure(data)
        return Assert(condition, data, summarize=summarize)


_NUMPY_COMPARE = {"==": np.equal, "!=": np.not_equal}


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_equal``: x == y everywhere (checked at graph construction when both are
    constants, as TF 1.15 does)."""
    return _binary_assert("==", math_ops.equal, "assert_equal", x, y, data, summarize, message,
                          name, static=True)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_none_equal``: x != y everywhere."""
    with ops.name_scope(name, "assert_none_equal", [x, y, data]):
        x = ops.convert_to_tensor(x, name="x")
        y = ops.convert_to_tensor(y, name="y")
        if data is None:
            data = [message or "", "Condition x != y did not hold for every single element:",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        return Assert(math_ops.reduce_all(math_ops.not_equal(x, y)), data, summarize=summarize)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_less``: x < y everywhere."""
    return _binary_assert("<", math_ops.less, "assert_less", x, y, data, summarize, message,
                          name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_less_equal``: x <= y everywhere."""
    return _binary_assert("<=", math_ops.less_equal, "assert_less_equal", x, y, data,
                          summarize, message, name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_greater``: x > y everywhere."""
    return _binary_assert(">", math_ops.greater, "assert_greater", x, y, data, summarize,
                          message, name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    """``tf.assert_greater_equal``: x >= y everywhere."""
    return _binary_assert(">=", math_ops.greater_equal, "assert_greater_equal", x, y, data,
                          summarize, message, name)


def _sign_assert(default_name, text, zero_first, compare):
    def check(x, data=None, summarize=None, message=None, name=None):
        with ops.name_scope(name, default_name, [x, data]):
            x = ops.convert_to_tensor(x, name="x")
            if data is None:
                data = [message or "", f"Condition x {text} did not hold element-wise:",
                        f"x ({x.name}) = ", x]
            zero = array_ops.zeros([], dtype=x.dtype.base_dtype)
            pair = (zero, x) if zero_first else (x, zero)
            return compare(*pair, data=data, summarize=summarize)
    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}``: x {text} everywhere."
    return check


assert_positive = _sign_assert("assert_positive", "> 0", True, assert_less)
assert_negative = _sign_assert("assert_negative", "< 0", False, assert_less)
assert_non_negative = _sign_assert("assert_non_negative", ">= 0", True, assert_less_equal)
assert_non_positive = _sign_assert("assert_non_positive", "<= 0", False, assert_less_equal)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None,
                name=None):
    """``tf.assert_near``: |x - y| <= atol + rtol·|y| everywhere (both default to 10·eps of
    the dtype)."""
    with ops.name_scope(name, "assert_near", [x, y, rtol, atol, data]):
        x = ops.convert_to_tensor(x, name="x")
        y = ops.convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        rtol = ops.convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol",
                                     dtype=x.dtype.real_dtype)
        atol = ops.convert_to_tensor(10 * eps if atol is None else atol, name="atol",
                                     dtype=x.dtype.real_dtype)
        if data is None:
            data = [message or "",
                    f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        tolerance = atol + rtol * math_ops.abs(y)
        difference = math_ops.abs(x - y)
        return Assert(math_ops.reduce_all(math_ops.less_equal(difference, tolerance)), data,
                      summarize=summarize)


def _prefix(message):
    return f"{message}.  " if message else ""


def _rank_assert(default_name, requirement, holds, dynamic):
    """assert_rank / assert_rank_at_least: a static failure raises ValueError at once; a
    static success gives a NoOp "static_checks_determined_all_ok"; else an Assert."""
    def check(x, rank, data=None, summarize=None, message=None, name=None):
        with ops.name_scope(name, default_name, [x, rank] + list(data or [])):
            x = ops.convert_to_tensor(x, name="x")
            rank = ops.convert_to_tensor(rank, dtype=dtypes.int32, name="rank")
            wanted = constant_value(rank)
            if wanted is not None and np.ndim(wanted) != 0:
                raise ValueError(f"Rank must be a scalar, got {wanted}")
            if wanted is not None and x.shape.ndims is not None:
                if not holds(x.shape.ndims, int(wanted)):
                    raise ValueError(f"{_prefix(message)}Tensor {x.name} must have rank "
                                     f"{requirement}{int(wanted)}.  Received rank "
                                     f"{x.shape.ndims}, shape {x.shape}")
                return control_flow_ops.no_op(name="static_checks_determined_all_ok")
            if data is None:
                data = [message or "", f"Tensor {x.name} must have rank {requirement}".rstrip(),
                        rank, "Received shape: ", array_ops.shape(x)]
            return Assert(dynamic(array_ops.rank(x), rank), data, summarize=summarize)
    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}(x, rank, ...)``."
    return check


assert_rank = _rank_assert("assert_rank", "", lambda a, b: a == b, math_ops.equal)
assert_rank_at_least = _rank_assert("assert_rank_at_least", "at least ",
                                    lambda a, b: a >= b, math_ops.greater_equal)


def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """``tf.assert_rank_in(x, ranks, ...)``: x's rank is one of ``ranks``."""
    with ops.name_scope(name, "assert_rank_in", [x] + list(ranks) + list(data or [])):
        x = ops.convert_to_tensor(x, name="x")
        ranks = tuple(ops.convert_to_tensor(r, dtype=dtypes.int32, name="ranks")
                      for r in ranks)
        wanted = [constant_value(r) for r in ranks]
        if x.shape.ndims is not None and all(w is not None for w in wanted):
            values = tuple(int(w) for w in wanted)
            if x.shape.ndims not in values:
                raise ValueError(f"{_prefix(message)}Tensor {x.name} must have rank in "
                                 f"{values}.  Received rank {x.shape.ndims}, shape {x.shape}")
            return control_flow_ops.no_op(name="static_checks_determined_all_ok")
        if data is None:
            data = [message or "", f"Tensor {x.name} must have rank in", *ranks,
                    "Received shape: ", array_ops.shape(x)]
        rank = array_ops.rank(x)
        matches = [math_ops.equal(rank, r) for r in ranks]
        return Assert(math_ops.reduce_any(array_ops.stack(matches)), data, summarize=summarize)


def _shape_spec(spec):
    """(has a leading '...'/'*', the dims after it) of an assert_shapes spec."""
    spec = list(spec) if not isinstance(spec, str) else [spec]
    ellipsis = bool(spec) and (spec[0] is Ellipsis or spec[0] == "*")
    return ellipsis, spec[1:] if ellipsis else spec


def _check_dim(x, index, axis, expected, source, message):
    """A static ValueError, None when the dim is known to match, or a run-time Assert."""
    actual = x.shape[axis].value if x.shape.ndims is not None else None
    wanted = constant_value(expected) if isinstance(expected, ops.Tensor) else expected
    text = f"Specified {source}.  Tensor {x.name} dimension {index} must have size"
    if actual is not None and wanted is not None:
        if actual != int(wanted):
            raise ValueError(f"{_prefix(message)}{text} {int(wanted)}.  Received size {actual}, "
                             f"shape {x.shape}")
        return None
    size = array_ops.shape(x)[axis]
    return Assert(math_ops.equal(size, math_ops.cast(expected, size.dtype)),
                  [message or "", text, expected, "Received shape: ", array_ops.shape(x)])


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """``tf.debugging.assert_shapes(shapes)``: each (tensor, spec) pair's rank and dims
    match its spec (ints, symbols shared between tensors, None or '.' for any size, a
    leading '...' or '*' for any outer dims; a one-entry spec also admits scalars).
    Static mismatches raise ValueError at once; the rest are checked at run time."""
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    with ops.name_scope(name, "assert_shapes", [t for t, _ in pairs]):
        symbols, checks = {}, []
        for tensor, spec in pairs:
            x = ops.convert_to_tensor(tensor)
            ellipsis, dims = _shape_spec(spec)
            if ellipsis:
                rank_check = assert_rank_at_least(x, len(dims), message=message)
            elif len(dims) == 1:
                rank_check = assert_rank_in(x, [0, 1], message=message)
            else:
                rank_check = assert_rank(x, len(dims), message=message)
            checks.append(rank_check)
            if len(dims) == 1 and not ellipsis and x.shape.ndims == 0:
                continue
            rank = x.shape.ndims
            for position, dim in enumerate(dims):
                axis = position - len(dims)
                index = position if rank is None else rank + axis
                if dim is None or dim == ".":
                    continue
                if isinstance(dim, str) and dim not in symbols:
                    known = x.shape[axis].value if rank is not None else None
                    symbols[dim] = (known if known is not None else array_ops.shape(x)[axis],
                                    f"by tensor {x.name} dimension {index}")
                    continue
                expected, source = symbols[dim] if isinstance(dim, str) else (
                    int(dim), "explicitly")
                checks.append(_check_dim(x, index, axis, expected, source, message))
        run_time = [c for c in checks if c is not None and c.type != "NoOp"]
        if not run_time:
            return control_flow_ops.no_op(name="static_checks_determined_all_ok")
        return control_flow_ops.group(*run_time)


def assert_integer(x, message=None, name=None):
    """``tf.assert_integer``: TypeError at once unless x has an integer dtype; a NoOp."""
    with ops.name_scope(name, "assert_integer", [x]):
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError(f'{_prefix(message)}Expected "x" to be integer type.  Found: '
                            f"{x.name} of dtype {x.dtype!r}")
        return control_flow_ops.no_op("statically_determined_was_integer")


def assert_type(tensor, tf_type, message=None, name=None):
    """``tf.assert_type``: TypeError at once unless ``tensor`` has dtype ``tf_type``."""
    with ops.name_scope(name, "assert_type", [tensor]):
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        tf_type = dtypes.as_dtype(tf_type)
        if tensor.dtype.base_dtype != tf_type:
            raise TypeError(f"{_prefix(message)}{tensor.name} must be of type {tf_type!r}; got "
                            f"{tensor.dtype.base_dtype!r}")
        return control_flow_ops.no_op("statically_determined_correct_type")


def assert_scalar(tensor, name=None, message=None):
    """``tf.assert_scalar``: ValueError at once unless ``tensor`` is known to be a scalar;
    returns the tensor."""
    with ops.name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = ops.convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            raise ValueError(f"{_prefix(message)}Expected scalar shape for {tensor.name}, saw "
                             f"shape: {tensor.shape}.")
        return tensor


def assert_proper_iterable(values):
    """``tf.assert_proper_iterable``: TypeError for tensors, arrays, strings and
    non-iterables."""
    unintentional = (ops.Tensor, np.ndarray, bytes, str)
    if isinstance(values, unintentional):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")
    if not isinstance(values, collections.abc.Iterable):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def assert_same_float_dtype(tensors=None, dtype=None):
    """``tf.assert_same_float_dtype``: the one floating dtype of ``tensors`` (and
    ``dtype``), float32 when there is none; ValueError on a mismatch."""
    first = None
    for tensor in tensors or ():
        if tensor is None:
            continue
        tensor_dtype = tensor.dtype.base_dtype
        if dtype is None:
            dtype, first = tensor_dtype, tensor
        elif tensor_dtype != dtypes.as_dtype(dtype):
            against = f" as {first.name}" if first is not None else ""
            raise ValueError(f"{tensor.name}, type={tensor.dtype!r}, must be of the same type "
                             f"({dtypes.as_dtype(dtype)!r}){against}.")
    if dtype is None:
        return dtypes.float32
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype!r}.")
    return dtype


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``tf.verify_tensor_all_finite(t, msg)``: ``t`` after a CheckNumerics of it, in the
    scope "VerifyFinite"."""
    t = x if t is None else t
    msg = message if msg is None else msg
    with ops.name_scope(name, "VerifyFinite", [t]):
        t = ops.convert_to_tensor(t, name="t")
        verified = check_numerics(t, message=msg)
        return control_flow_ops._with_dependencies([verified], t)


def add_check_numerics_ops():
    """``tf.add_check_numerics_ops()``: a group of CheckNumerics ops, one per floating
    output of every op of the default graph (message "<op name>:<output index>"),
    chained so they run in order; ValueError where tf.cond's ops are present."""
    checks = []
    graph = ops.get_default_graph()
    for op in graph.get_operations():
        if op.type in ("Switch", "RefSwitch", "Merge"):
            raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow "
                             "control flow operations such as `tf.cond()` or "
                             "`tf.while_loop()`.")
    for op in graph.get_operations():
        for index, output in enumerate(op.outputs):
            if output.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                with ops.control_dependencies(checks):
                    checks = [check_numerics(output, message=f"{op.name}:{index}")]
    return control_flow_ops.group(*checks)


def is_numeric_tensor(tensor):
    """``tf.is_numeric_tensor``: a Tensor of a numeric dtype."""
    return isinstance(tensor, ops.Tensor) and tensor.dtype.base_dtype in _NUMERIC


_NUMERIC = frozenset(dtypes.as_dtype(d) for d in (
    "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
    "complex64", "complex128", "bfloat16"))


def _monotone(default_name, compare):
    def check(x, name=None):
        with ops.name_scope(name, default_name, [x]):
            flat = array_ops.reshape(ops.convert_to_tensor(x, name="x"), [-1])
            if not is_numeric_tensor(flat):
                raise TypeError("Expected x to be numeric, not string.")
            return math_ops.reduce_all(compare(flat[1:], flat[:-1]))
    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}(x)``: over x flattened; true for < 2 entries."
    return check


is_non_decreasing = _monotone("is_non_decreasing", math_ops.greater_equal)
is_strictly_increasing = _monotone("is_strictly_increasing", math_ops.greater)


# The public builders re-exported as tf.*.
__all__ = [
    "Assert", "check_numerics", "Print", "verify_tensor_all_finite", "add_check_numerics_ops",
    "assert_equal", "assert_none_equal", "assert_less", "assert_less_equal", "assert_greater",
    "assert_greater_equal", "assert_positive", "assert_negative", "assert_non_negative",
    "assert_non_positive", "assert_near", "assert_rank", "assert_rank_at_least",
    "assert_rank_in", "assert_integer", "assert_type", "assert_scalar",
    "assert_proper_iterable", "assert_same_float_dtype", "is_numeric_tensor",
    "is_non_decreasing", "is_strictly_increasing",
]
