"""``tf.variable_scope`` and ``tf.get_variable`` (TF 1.x ``variable_scope.py``).

Variable names depend only on the variable scope; ops follow the name scope that every
variable scope also opens. So inside ``tf.name_scope("dnn")``, ``variable_scope("hidden1")``
gives variables ``hidden1/kernel`` and ops ``dnn/hidden1/MatMul``.
"""
import contextlib
import enum
import inspect

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import array_ops, init_ops
from tfcompat.ops.variables import PartitionedVariable, Variable


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
        if partitioner is None:
            partitioner = self._partitioner
        # Variable names depend only on the variable scope, not on the name scope.
        with ops.name_scope(None):
            getter_args = dict(name=full_name, shape=shape, dtype=dtype, initializer=initializer,
                               regularizer=regularizer, reuse=reuse, trainable=trainable,
                               collections=collections, validate_shape=validate_shape,
                               constraint=constraint)
            if partitioner is not None:
                getter_args["partitioner"] = partitioner
            if custom_getter is not None:
                return custom_getter(var_store.get_variable, **getter_args, **kwargs)
            return var_store.get_variable(**getter_args)


class _VariableStore:
    """The variables created by ``get_variable`` in one graph, by full name."""

    def __init__(self):
        self.vars = {}
        self.partitioned_vars = {}
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
                     validate_shape=True, constraint=None, partitioner=None, **kwargs):
        """The variable ``name``, made or reused; with a ``partitioner`` (ignored for a
        scalar shape) a PartitionedVariable, which ``reuse=True`` also finds without one."""
        args = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                    reuse=reuse, trainable=trainable, collections=collections,
                    validate_shape=validate_shape, constraint=constraint)
        is_scalar = isinstance(shape, (list, tuple)) and not shape
        if partitioner is not None and not is_scalar:
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            with ops.name_scope(None):
                return self.get_partitioned_variable(name, partitioner, **args)
        if reuse is True and partitioner is None and name in self.partitioned_vars:
            return self.get_partitioned_variable(name, None, **args)
        if f"{name}/part_0" in self.vars:
            raise ValueError(f"No partitioner was provided, but a partitioned version of the "
                             f"variable was found: {name}/part_0. Perhaps a variable of the "
                             "same name was already created with partitioning?")
        return self._get_single_variable(name, **args)

    def get_partitioned_variable(self, name, partitioner, shape=None, dtype=dtypes.float32,
                                 initializer=None, regularizer=None, reuse=None,
                                 trainable=None, collections=None, validate_shape=True,
                                 constraint=None):
        """The PartitionedVariable ``name`` (TF's ``_get_partitioned_variable``): parts
        ``<name>/part_<i>`` split along the partitioner's axis, the first ``dim % n`` parts
        one row longer. A callable initializer is called per part with its ``partition_info``;
        a value is sliced per part (ops under ``<name>/part_<i>/PartitionedInitializer``)."""
        dtype = dtypes.as_dtype(dtype).base_dtype
        from_tensor = isinstance(initializer, ops.Tensor)
        if name in self.vars:
            raise ValueError(f"A partitioner was provided, but an unpartitioned version of the "
                             f"variable was found: {name}.  Perhaps a variable of the same name "
                             "was already created without partitioning?")
        shape = tensor_shape.as_shape(shape)
        if from_tensor:
            shape = shape.merge_with(initializer.get_shape())
        partitions = None
        if not reuse or partitioner:
            partitions = _call_partitioner(partitioner, shape, dtype)
        if name in self.partitioned_vars:
            return self._reuse_partitioned(name, shape, dtype, partitions, reuse)
        if reuse is True:
            raise ValueError(f"PartitionedVariable {name} does not exist, or was not created "
                             "with tf.get_variable(). Did you mean to set reuse=False or "
                             "reuse=tf.AUTO_REUSE in VarScope?")
        slice_dim, num_slices = _slice_dim_and_count(partitions)
        self._check_existing_parts(name, num_slices)
        parts = []
        for index, (offset, part_shape) in enumerate(
                _iter_slices(shape.as_list(), num_slices, slice_dim)):
            part_name = f"{name}/part_{index}"
            with ops.name_scope(part_name + "/PartitionedInitializer"):
                part_init, init_shape, part_dtype = _part_initializer(
                    name, initializer, offset, part_shape, dtype)
            with ops.name_scope(None):
                part = self._get_single_variable(
                    part_name, shape=init_shape, dtype=part_dtype, initializer=part_init,
                    regularizer=regularizer, reuse=reuse, trainable=trainable,
                    collections=collections, validate_shape=validate_shape,
                    constraint=constraint,
                    partition_info=_PartitionInfo(shape.as_list(), offset))
            part._set_save_slice_info(
                Variable.SaveSliceInfo(name, shape.as_list(), offset, part_shape))
            parts.append(part)
        # A tensor initializer's dtype is the parts' (and so the whole's) dtype, as in TF.
        variable = PartitionedVariable(name=name, shape=shape, dtype=parts[0].dtype.base_dtype,
                                       variable_list=parts, partitions=partitions)
        self.partitioned_vars[name] = variable
        return variable

    def _reuse_partitioned(self, name, shape, dtype, partitions, reuse):
        if reuse is False or reuse is None:
            raise ValueError(f"Partitioned variable with name {name} already exists. Did you "
                             "mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        existing = self.partitioned_vars[name]
        if not shape.is_compatible_with(existing.get_shape()):
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified shape "
                             f"{shape} and found shape {existing.get_shape()}.")
        if not dtype.is_compatible_with(existing.dtype):
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified dtype "
                             f"{dtype.name} and found dtype {existing.dtype.name}.")
        if partitions is not None and existing._get_partitions() != list(partitions):
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified "
                             f"partitions {list(partitions)} and found partitions "
                             f"{existing._get_partitions()}.")
        return existing

    def _check_existing_parts(self, name, num_slices):
        """TF's errors when parts made by an earlier, different partitioning exist."""
        if f"{name}/part_0" not in self.vars:
            return
        if f"{name}/part_{num_slices - 1}" not in self.vars:
            raise ValueError(f"Partitioner returned a different partitioning than what was "
                             f"already found.  Partitioner returned {num_slices} shards, and "
                             f"shard {name}/part_0 was found, but {name}/part_{num_slices - 1} "
                             "was not.")
        if f"{name}/part_{num_slices}" in self.vars:
            raise ValueError(f"Partitioner returned a different partitioning than what was "
                             f"already found.  Partitioner returned {num_slices} shards, and "
                             f"shard {name}/part_0 was found, but so was the extra shard "
                             f"{name}/part_{num_slices}.")

    def _get_single_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                             regularizer=None, reuse=None, trainable=None, collections=None,
                             validate_shape=True, constraint=None, partition_info=None):
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
                    if _takes_partition_info(initializer):
                        return initializer(shape_list, dtype=dtype, partition_info=partition_info)
                    return initializer(shape_list, dtype=dtype)
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


class _PartitionInfo:
    """What an initializer learns of the part it initialises (TF's ``_PartitionInfo``): the
    whole variable's ``full_shape`` and the part's ``var_offset`` in it."""

    def __init__(self, full_shape, var_offset):
        if not isinstance(full_shape, (list, tuple)):
            raise TypeError("`full_shape` must be a sequence (like tuple or list) instead of "
                            + type(full_shape).__name__)
        if not isinstance(var_offset, (list, tuple)):
            raise TypeError("`var_offset` must be a sequence (like tuple or list) instead of "
                            + type(var_offset).__name__)
        if len(var_offset) != len(full_shape):
            raise ValueError(f"Expected equal length, but `var_offset` is of length "
                             f"{len(var_offset)} while full_shape is of length "
                             f"{len(full_shape)}.")
        for offset, size in zip(var_offset, full_shape, strict=True):
            if offset < 0 or offset >= size:
                raise ValueError(f"Expected 0 <= offset < shape but found offset={offset}, "
                                 f"shape={size} for var_offset={var_offset}, "
                                 f"full_shape={full_shape}")
        self.full_shape = full_shape
        self.var_offset = var_offset

    def single_offset(self, shape):
        """The part's offset along its one partitioned axis (0 when not partitioned)."""
        dim = self.single_slice_dim(shape)
        return 0 if dim is None else self.var_offset[dim]

    def single_slice_dim(self, shape):
        """The one axis along which a part of ``shape`` differs from the whole, or None."""
        if not isinstance(shape, (tuple, list)):
            raise TypeError("`shape` must be a sequence (like tuple or list) instead of "
                            + type(shape).__name__)
        if len(shape) != len(self.full_shape):
            raise ValueError(f"Expected equal length, but received shape={shape} of length "
                             f"{len(shape)} while self.full_shape={self.full_shape} is of "
                             f"length {len(self.full_shape)}.")
        for i, size in enumerate(shape):
            if self.var_offset[i] + size > self.full_shape[i]:
                raise ValueError(f"With self.var_offset={self.var_offset}, a partition of "
                                 f"shape={shape} would exceed self.full_shape="
                                 f"{self.full_shape} in dimension {i}.")
        slice_dim = None
        for i, size in enumerate(shape):
            if size == self.full_shape[i]:
                continue
            if slice_dim is not None:
                raise ValueError(f"Cannot use single_slice_dim() with shape={shape} and "
                                 f"self.full_shape={self.full_shape} since slice dim could be "
                                 f"either dimension {i} or {slice_dim}.")
            slice_dim = i
        return slice_dim


def _call_partitioner(partitioner, shape, dtype):
    """The partitioner's list of parts per axis, checked as TF does (at most one axis > 1)."""
    if not shape.is_fully_defined():
        raise ValueError("Shape of a new partitioned variable must be fully defined, but "
                         f"instead was {shape}.")
    if shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, (list, tuple)):
        raise ValueError(f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError("Partitioner returned a partition list that does not match the "
                         f"Variable's rank: {slicing} vs. {shape}")
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError("Can only slice a variable along one dimension: "
                         f"shape: {shape}, partitioning: {slicing}")
    return list(slicing)


def _slice_dim_and_count(partitions):
    """(axis, number of parts): the axis with more than one part, else (0, 1)."""
    for axis, count in enumerate(partitions):
        if count > 1:
            return axis, count
    return 0, 1


def _iter_slices(full_shape, num_slices, slice_dim):
    """(offset, shape) of each part: the first ``size % num_slices`` parts one row longer."""
    longer = full_shape[slice_dim] % num_slices
    base = full_shape[slice_dim] // num_slices
    offset = [0] * len(full_shape)
    for index in range(num_slices):
        shape = list(full_shape)
        shape[slice_dim] = base + (1 if index < longer else 0)
        yield list(offset), shape
        offset[slice_dim] += shape[slice_dim]


def _part_initializer(name, initializer, offset, part_shape, dtype):
    """(initializer, shape, dtype) for one part of variable ``name``: a callable (or the
    default) is kept and given the part's shape; a tensor or value is sliced to the part."""
    if initializer is None:
        initializer = _default_initializer(name, dtype)
    if callable(initializer):
        return initializer, part_shape, dtype
    if isinstance(initializer, ops.Tensor):
        value = initializer
    else:
        value = ops.convert_to_tensor(initializer, dtype=dtype)
    value = array_ops.slice(value, offset, part_shape)
    return value, None, value.dtype.base_dtype


def _takes_partition_info(initializer):
    """Whether TF passes ``partition_info`` to ``initializer`` (a parameter of that name)."""
    try:
        return "partition_info" in inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        return False


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
        partitioner=partitioner, custom_getter=custom_getter, constraint=constraint, **kwargs)


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
