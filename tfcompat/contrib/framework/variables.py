"""Variable helpers of ``tf.contrib.framework`` (TF 1.x contrib/framework/python/ops/
variables.py): ``variable`` / ``model_variable`` (a ``tf.get_variable`` that also lands in
``GraphKeys.MODEL_VARIABLES``) and the collection queries ``get_variables`` & co."""
import functools

from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.framework import ops
from tfcompat.ops import variable_scope as vs


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
             collections=None, caching_device=None, device=None, partitioner=None,
             custom_getter=None, use_resource=None, synchronization=None, aggregation=None):
    """``tf.contrib.framework.variable``: ``tf.get_variable`` with explicit collections
    (default: GLOBAL_VARIABLES); ``custom_getter`` replaces the getter (TF passes the next
    getter of a variable scope's custom-getter chain here)."""
    collections = list(collections if collections is not None
                       else [ops.GraphKeys.GLOBAL_VARIABLES])
    collections = list(dict.fromkeys(collections))
    getter = vs.get_variable
    if custom_getter is not None:
        # ``custom_getter`` is the next getter of a scope's getter chain (it takes the full
        # variable name), called with the current scope's reuse, as TF does.
        getter = functools.partial(custom_getter, reuse=vs.get_variable_scope().reuse)
    with ops.device(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                      regularizer=regularizer, trainable=trainable, collections=collections,
                      partitioner=partitioner)


@add_arg_scope
def model_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None,
                   synchronization=None, aggregation=None):
    """``tf.contrib.framework.model_variable``: a ``variable`` also added to
    GLOBAL_VARIABLES and MODEL_VARIABLES."""
    collections = list(collections or [])
    collections += [ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    caching_device=caching_device, device=device, partitioner=partitioner,
                    custom_getter=custom_getter)


def add_model_variable(var):
    """Adds ``var`` to MODEL_VARIABLES (once)."""
    if var not in ops.get_collection(ops.GraphKeys.MODEL_VARIABLES):
        ops.add_to_collection(ops.GraphKeys.MODEL_VARIABLES, var)


def get_variables(scope=None, suffix=None, collection=ops.GraphKeys.GLOBAL_VARIABLES):
    """Variables of ``collection`` whose names start with ``scope`` (a regex, or a
    VariableScope) and end with ``suffix``."""
    if isinstance(scope, vs.VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return ops.get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, ops.GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, ops.GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, ops.GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include=None, exclude=None):
    """Global variables under the ``include`` scopes (all by default) minus those under the
    ``exclude`` scopes."""
    if include is None:
        to_include = get_variables()
    else:
        if not isinstance(include, (list, tuple)):
            raise TypeError("include is provided but is not a list or a tuple.")
        to_include = []
        for scope in include:
            to_include += get_variables(scope)
    to_exclude = set()
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            to_exclude |= set(get_variables(scope))
    return [v for v in to_include if v not in to_exclude]


def get_variables_by_suffix(suffix, scope=None):
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """Variables whose last name component is ``given_name``."""
    suffix = "/" + given_name + ":|^" + given_name + ":"
    return get_variables(scope=scope, suffix=suffix)


def get_unique_variable(var_op_name):
    """The variable whose op is named exactly ``var_op_name``."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError(f"Couldn't find variable {var_op_name}")
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError(f"Variable {var_op_name} does not uniquely identify a variable")


def get_variable_full_name(var):
    return var.op.name
