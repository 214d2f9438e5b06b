"""``arg_scope`` / ``add_arg_scope`` (TF 1.x contrib/framework/python/ops/arg_scope.py).

``with arg_scope([f, g], k=v):`` makes ``k=v`` the default keyword argument of the
decorated functions ``f`` and ``g`` inside the block; explicit keyword arguments win, and
nested scopes update the outer defaults. A dict yielded by an ``arg_scope`` can be re-entered
with ``arg_scope(saved_scope)``.
"""
import contextlib
import functools
import threading

_DECORATED_OPS = {}  # key -> names of the keyword arguments the function takes
_STATE = threading.local()


def _get_arg_stack():
    if not hasattr(_STATE, "stack"):
        _STATE.stack = [{}]
    return _STATE.stack


def current_arg_scope():
    """The innermost scope: {function key: {argument: default}}."""
    return _get_arg_stack()[-1]


def _key_op(op):
    return getattr(op, "_key_op", str(op))


def _name_op(op):
    return (op.__module__, op.__name__)


def _kwarg_names(func):
    defaults = func.__defaults__ or ()
    count = len(defaults)
    code = func.__code__
    names = code.co_varnames[:code.co_argcount]
    return names[len(names) - count:] if count else ()


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """``arg_scope(list_ops_or_scope, **kwargs)``: a list/tuple of decorated functions and
    the defaults to give them, or a scope dict to re-enter (then no kwargs)."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, kwargs "
                             "must be empty.")
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope "
                            "(i.e. dict)")
        current_scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{_name_op(op)} is not decorated with @add_arg_scope")
            key = _key_op(op)
            if key in current_scope:
                merged = current_scope[key].copy()
                merged.update(kwargs)
                current_scope[key] = merged
            else:
                current_scope[key] = kwargs.copy()
    stack = _get_arg_stack()
    stack.append(current_scope)
    try:
        yield current_scope
    finally:
        stack.pop()


def add_arg_scope(func):
    """Decorator: lets ``arg_scope`` supply default keyword arguments to ``func``."""
    key = _key_op(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scope = current_arg_scope()
        if key in scope:
            current_args = scope[key].copy()
            current_args.update(kwargs)
        else:
            current_args = kwargs
        return func(*args, **current_args)

    _DECORATED_OPS.setdefault(key, _kwarg_names(func))
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    """True when ``func`` was decorated with ``add_arg_scope``."""
    return _key_op(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    """The keyword-argument names ``func`` accepts from ``arg_scope``."""
    if not has_arg_scope(func):
        raise ValueError(f"{func} is not decorated with @add_arg_scope")
    return _DECORATED_OPS[_key_op(func)]
