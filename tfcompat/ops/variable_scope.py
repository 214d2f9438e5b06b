"""``tf.variable_scope`` and ``tf.get_variable`` (TF 1.x ``variable_scope.py``).

Variable names depend only on the variable scope; ops follow the name scope that every
variable scope also opens. So inside ``tf.name_scope("dnn")``, ``variable_scope("hidden1")``
gives variables ``hidden1/kernel`` and ops ``dnn/hidden1/MatMul``.
"""
import contextlib
import enum
import inspect

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import init_ops
from tfcompat.ops.variables import Variable


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A variable scope's settings (``tf.VariableScope``)."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)
    use_resource = property(lambda self: False)

    def reuse_variables(self):
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = dtypes.as_dtype(dtype)

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def get_collection(self, name):
        """The items of collection ``name`` created under this scope."""
        return ops.get_collection(name, self._name + "/" if self._name else "")

    def trainable_variables(self):
        return self.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(ops.GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None, **kwargs):
        full_name = f"{self._name}/{name}" if self._name else name
        if reuse is None:
            reuse = self._reuse
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = ops.convert_to_tensor(initializer).dtype.base_dtype
            if init_dtype != dtypes.as_dtype(dtype).base_dtype:
                raise ValueError(f"Initializer type '{init_dtype!r}' and explicit dtype "
                                 f"'{dtypes.as_dtype(dtype)!r}' don't match.")
        if dtype is None:
            dtype = self._dtype
        if initializer is None:
            initializer = self._initializer
        if regularizer is None:
            regularizer = self._regularizer
        if constraint is None:
            constraint = self._constraint
        if custom_getter is None:
            custom_getter = self._custom_getter
        # Variable names depend only on the variable scope, not on the name scope.
        with ops.name_scope(None):
            getter_args = dict(name=full_name, shape=shape, dtype=dtype, initializer=initializer,
                               regularizer=regularizer, reuse=reuse, trainable=trainable,
                               collections=collections, validate_shape=validate_shape,
                               constraint=constraint)
            if custom_getter is not None:
                return custom_getter(var_store.get_variable, **getter_args, **kwargs)
            return var_store.get_variable(**getter_args)


class _VariableStore:
    """The variables created by ``get_variable`` in one graph, by full name."""

    def __init__(self):
        self.vars = {}
        self.scope_counts = {}
        self.current_scope = VariableScope(False)

    def open_scope(self, name):
        self.scope_counts[name] = self.scope_counts.get(name, 0) + 1

    def close_subscopes(self, name):
        for key in self.scope_counts:
            if name is None or key.startswith(name + "/"):
                self.scope_counts[key] = 0

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     validate_shape=True, constraint=None, **kwargs):
        if trainable is None:
            trainable = True
        # A constant (non-callable) initializer gives the variable its value, shape and dtype.
        from_value = initializer is not None and not callable(initializer)
        if from_value and shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype).base_dtype
        shape = tensor_shape.as_shape(shape)
        if name in self.vars:
            if reuse is False or reuse is None:
                raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to "
                                 "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            found = self.vars[name]
            if not shape.is_compatible_with(found.get_shape()):
                raise ValueError(f"Trying to share variable {name}, but specified shape {shape} "
                                 f"and found shape {found.get_shape()}.")
            if not dtype.is_compatible_with(found.dtype):
                raise ValueError(f"Trying to share variable {name}, but specified dtype "
                                 f"{dtype.name} and found dtype {found.dtype.name}.")
            return found
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             "VarScope?")
        if initializer is None:
            initializer = _default_initializer(name, dtype)
        if from_value:
            init_value, variable_dtype = initializer, None
        else:
            if isinstance(initializer, type):
                initializer = initializer(dtype=dtype)
            if shape.is_fully_defined():
                shape_list = shape.as_list()

                def init_value():
                    return initializer(shape_list, dtype=dtype, partition_info=None)
                variable_dtype = dtype
            elif _takes_no_arguments(initializer):
                init_value, variable_dtype = initializer, None
            else:
                raise ValueError("The initializer passed is not valid. It should be a callable "
                                 "with no arguments and the shape should not be provided or an "
                                 "instance of `tf.keras.initializers.*' and `shape` should be "
                                 "fully defined.")
        variable = Variable(initial_value=init_value, name=name, trainable=trainable,
                            collections=collections, dtype=variable_dtype,
                            validate_shape=validate_shape, constraint=constraint)
        self.vars[name] = variable
        if regularizer is not None:
            graph = ops.get_default_graph()
            with graph.control_dependencies(None), ops.name_scope(name + "/Regularizer/"):
                loss = regularizer(variable)
            if loss is not None:
                ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, loss)
        return variable


def _takes_no_arguments(fn):
    """Whether ``fn`` can be called without arguments (TF lets such an initializer give the
    initial value of a variable whose shape is not given)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in signature.parameters.values())


def _default_initializer(name, dtype):
    """TF 1.x: floats get glorot_uniform, integers/bools zeros; others need an initializer."""
    if dtype.is_floating:
        return init_ops.glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_bool or dtype == dtypes.string:
        return init_ops.zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")


def _store(graph=None):
    graph = graph or ops.get_default_graph()
    if graph._variable_store is None:
        graph._variable_store = _VariableStore()
    return graph._variable_store


def get_variable_scope():
    """The current ``VariableScope`` (``tf.get_variable_scope``)."""
    return _store().current_scope


def _get_variable_store():
    return _store()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 **kwargs):
    """``tf.get_variable``: creates ``<scope>/<name>`` or, when reusing, returns it."""
    store = _store()
    return store.current_scope.get_variable(
        store, name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, validate_shape=validate_shape,
        custom_getter=custom_getter, constraint=constraint, **kwargs)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, **kwargs):
    """``tf.get_local_variable``: ``tf.get_variable`` for a variable in LOCAL_VARIABLES (plus
    ``collections``), never trainable, as TF 1.x's wrapper does."""
    collections = list(collections or []) + [ops.GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=False, collections=collections,
                        **kwargs)


def _unique_variable_scope(store, prefix):
    current = store.current_scope.name
    full = f"{current}/{prefix}" if current else prefix
    if store.scope_counts.get(full, 0) == 0:
        return prefix
    index = 1
    while store.scope_counts.get(f"{full}_{index}", 0) > 0:
        index += 1
    return f"{prefix}_{index}"


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """``tf.variable_scope``: opens a variable scope and (unless ``auxiliary_name_scope`` is
    False) a name scope. ``reuse`` is True, tf.AUTO_REUSE or None (inherit); once True it is
    inherited by every sub-scope. A ``default_name`` is uniquified ("dense", "dense_1")."""
    if default_name is None and name_or_scope is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None  # TF 1.x: False cannot switch reuse off; it means "inherit"
    if values is not None and not isinstance(values, (list, tuple)):
        raise TypeError("The values parameter to variable_scope must be an iterable.")
    graph = ops._graph_from_values(values)
    with graph.as_default():
        store = _store(graph)
        old_scope = store.current_scope
        with contextlib.ExitStack() as stack:
            if name_or_scope is not None:
                if isinstance(name_or_scope, VariableScope):
                    short_name = name_or_scope.name.split("/")[-1]
                    new_name = name_or_scope.name
                    base = name_or_scope
                    new_reuse = reuse if reuse else name_or_scope.reuse
                else:
                    if not isinstance(name_or_scope, str):
                        raise TypeError("VariableScope: name_or_scope must be a string or "
                                        "VariableScope.")
                    short_name = name_or_scope
                    new_name = f"{old_scope.name}/{name_or_scope}" if old_scope.name \
                        else name_or_scope
                    base = old_scope
                    new_reuse = reuse or old_scope.reuse
                if auxiliary_name_scope and short_name:
                    name_scope = stack.enter_context(graph.name_scope(short_name))
                else:
                    name_scope = None
                if isinstance(name_or_scope, VariableScope):
                    original_name_scope = name_or_scope.original_name_scope
                else:
                    original_name_scope = name_scope if name_scope is not None else (
                        graph.get_name_scope() + "/" if graph.get_name_scope() else "")
            else:
                if reuse:
                    raise ValueError("reuse=True cannot be used without a name_or_scope")
                name_scope = (stack.enter_context(graph.name_scope(default_name))
                              if auxiliary_name_scope else None)
                unique = _unique_variable_scope(store, default_name)
                new_name = f"{old_scope.name}/{unique}" if old_scope.name else unique
                base = old_scope
                new_reuse = old_scope.reuse
                original_name_scope = name_scope if name_scope is not None else (
                    graph.get_name_scope() + "/" if graph.get_name_scope() else "")
            scope = VariableScope(
                new_reuse, name=new_name,
                initializer=initializer if initializer is not None else base.initializer,
                regularizer=regularizer if regularizer is not None else base.regularizer,
                caching_device=caching_device or base.caching_device,
                partitioner=partitioner or base.partitioner,
                custom_getter=_compose_getters(custom_getter, old_scope.custom_getter)
                if custom_getter is not None else base.custom_getter,
                name_scope=original_name_scope,
                dtype=dtype if dtype is not None else base.dtype,
                constraint=constraint if constraint is not None else base.constraint)
            store.open_scope(new_name)
            # TF 1.x: jumping into a captured VariableScope restores the sub-scope counts on
            # exit; leaving a scope entered by name resets the counts of its sub-scopes (so
            # default names such as "dense" start again in the next scope of that name).
            saved_counts = (dict(store.scope_counts)
                            if isinstance(name_or_scope, VariableScope) else None)
            store.current_scope = scope
            try:
                yield scope
            finally:
                store.current_scope = old_scope
                if saved_counts is not None:
                    store.scope_counts = saved_counts
                else:
                    store.close_subscopes(new_name)


def _compose_getters(inner, outer):
    if outer is None:
        return inner

    def composed(getter, *args, **kwargs):
        return inner(lambda *a, **k: outer(getter, *a, **k), *args, **kwargs)
    return composed


def variable_op_scope(values, name_or_scope, default_name=None, initializer=None,
                      regularizer=None, caching_device=None, partitioner=None,
                      custom_getter=None, reuse=None, dtype=None, use_resource=None,
                      constraint=None):
    """``tf.variable_op_scope``: TF 1.x's deprecated spelling of ``tf.variable_scope(
    name_or_scope, default_name, values, ...)``."""
    return variable_scope(name_or_scope, default_name=default_name, values=values,
                          initializer=initializer, regularizer=regularizer,
                          caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, reuse=reuse, dtype=dtype,
                          use_resource=use_resource, constraint=constraint)
