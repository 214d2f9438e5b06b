"""``tf.case`` and ``tf.switch_case`` as TF 1.x builds them: nested ``tf.cond``s, so only the
chosen branch runs."""
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, check_ops, control_flow_ops, math_ops


def _pairs(pred_fn_pairs):
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(
        pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple, got {pair}")
        if not callable(pair[1]):
            raise TypeError("fn for pred %s must be callable." % pair[0].name)
    return [(ops.convert_to_tensor(p), fn) for p, fn in pairs]


def _nested_conds(pairs, default):
    """fn of the first true predicate, else ``default()``, as nested tf.conds."""
    def chain(index):
        if index == len(pairs):
            return default()
        pred, fn = pairs[index]
        return control_flow_ops.cond(pred, fn, lambda: chain(index + 1))
    return chain(0)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """``tf.case(pred_fn_pairs, default=None, exclusive=False)``: the result of the fn
    paired with the first true predicate, else of ``default``. Without a default, the last
    pair's fn is the fallback and a run where no predicate holds fails; ``exclusive``
    checks at run time that at most one predicate holds."""
    pairs = _pairs(pred_fn_pairs)
    if not pairs and default is None:
        raise ValueError("pred_fn_pairs must not be empty when default is None")
    with ops.name_scope(name, "case", [p for p, _ in pairs]):
        predicates = [p for p, _ in pairs]
        for pred in predicates:
            if pred.dtype.base_dtype != dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        checks = []
        names = ", ".join(p.name for p in predicates)
        stacked = array_ops.stack(predicates) if predicates else None
        if exclusive and len(predicates) > 1:
            count = math_ops.reduce_sum(math_ops.cast(stacked, dtypes.int32))
            checks.append(check_ops.Assert(
                math_ops.less_equal(count, 1),
                [f"More than one condition evaluated as True but exclusive=True. "
                 f"Conditions: ({names}), Values:", stacked], summarize=len(predicates)))
        if default is None:
            pairs, (_, default_fn) = pairs[:-1], pairs[-1]
            checks.append(check_ops.Assert(
                math_ops.reduce_any(stacked),
                [f"None of the conditions evaluated as True. Conditions: ({names}), Values:",
                 stacked], summarize=len(predicates)))
        else:
            default_fn = default
        if not checks:
            return _nested_conds(pairs, default_fn)
        with ops.control_dependencies(checks):  # the predicates are read after the checks
            pairs = [(array_ops.identity(p), fn) for p, fn in pairs]
        if pairs:
            return _nested_conds(pairs, default_fn)
        value = default_fn()  # one pair and no default: its fn, after the checks
        with ops.control_dependencies(checks):
            if isinstance(value, (list, tuple)):
                return type(value)(array_ops.identity(v) for v in value)
            return array_ops.identity(value)


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """``tf.switch_case(branch_index, branch_fns, default=None)``: the result of
    branch_fns[branch_index] (a list, or (key, fn) pairs / a dict keyed by ints), else of
    ``default`` (the last branch when None)."""
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
    elif branch_fns and isinstance(branch_fns[0], (tuple, list)):
        items = sorted((int(k), fn) for k, fn in branch_fns)
    else:
        items = list(enumerate(branch_fns))
    if not items:
        raise ValueError("Must provide at least one item in branch_fns")
    for key, fn in items:
        if not callable(fn):
            raise TypeError(f"fn for branch {key} must be callable.")
    with ops.name_scope(name, "switch_case", [branch_index]):
        index = ops.convert_to_tensor(branch_index, name="branch_index")
        if index.dtype.base_dtype != dtypes.int32:
            raise TypeError("branch_index must be an int32 Tensor")
        default = default if default is not None else items[-1][1]
        pairs = [(math_ops.equal(index, array_ops.constant(key, dtypes.int32)), fn)
                 for key, fn in items]
        return _nested_conds(pairs, default)


__all__ = ["case", "switch_case"]
