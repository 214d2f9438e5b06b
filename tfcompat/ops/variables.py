"""``tf.Variable`` with TF 1.x ref-variable semantics (``RefVariable``).

A Variable is three ops: ``<name>`` (VariableV2, the ref), ``<name>/Assign`` (its
initializer) and ``<name>/read`` (the snapshot Identity that ops consume). Its value lives in
the Session, never in the graph.
"""
from tfcompat.framework import dtypes, meta_graph, ops, tensor_shape
from tfcompat.framework.op_def import make_tensor
from tfcompat.lib import proto_wire as pw
from tfcompat.ops import array_ops, control_flow_ops, state_ops


class Variable:
    """``tf.Variable(initial_value, trainable=True, collections=None, validate_shape=True,
    caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
    import_scope=None, constraint=None)``."""

    __array_priority__ = 100  # ``np_array * variable`` defers to Variable.__rmul__

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None):
        if variable_def is not None:
            self._init_from_graph(variable_def)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if collections is None:
            collections = [ops.GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(f"collections argument to Variable constructor must be a list, "
                             f"tuple, or set. Got {collections} of type {type(collections)}")
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        collections = list(collections)
        if trainable and ops.GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(ops.GraphKeys.TRAINABLE_VARIABLES)
        self._trainable = trainable
        self._constraint = constraint
        graph = ops.get_default_graph()
        # TF's init_scope: a variable's ops never pick up the caller's control dependencies.
        with graph.control_dependencies(None):
            with ops.name_scope(name, "Variable", [] if callable(initial_value)
                                else [initial_value]) as scope:
                if callable(initial_value):
                    with ops.name_scope("Initializer"):
                        value = ops.convert_to_tensor(initial_value(), name="initial_value",
                                                      dtype=dtype)
                else:
                    value = ops.convert_to_tensor(initial_value, name="initial_value",
                                                  dtype=dtype)
                if value.dtype.is_ref_dtype:
                    value = array_ops.identity(value)
                shape = value.shape if validate_shape else tensor_shape.unknown_shape()
                if validate_shape and not shape.is_fully_defined():
                    raise ValueError(f"initial_value must have a shape specified: {value}")
                self._initial_value = value
                self._variable = state_ops.variable_op_v2(shape, value.dtype.base_dtype,
                                                          name=scope)
                self._initializer_op = state_ops.assign(self._variable, value,
                                                        validate_shape=validate_shape).op
                self._snapshot = array_ops.identity(self._variable, name="read")
        self._save_slice_info = None
        graph.add_to_collections(collections, self)
        graph._variable_objects[self._variable.op] = self

    def _init_from_graph(self, parts):
        """Rebuilds the Python object around existing ops (used by import_meta_graph)."""
        graph = ops.get_default_graph()
        self._variable = graph.as_graph_element(parts["variable_name"])
        self._initializer_op = graph.as_graph_element(parts["initializer_name"])
        self._snapshot = graph.as_graph_element(parts["snapshot_name"])
        self._initial_value = (graph.as_graph_element(parts["initial_value_name"])
                               if parts.get("initial_value_name") else None)
        self._trainable = parts.get("trainable", True)
        self._constraint = None
        self._save_slice_info = None
        graph._variable_objects[self._variable.op] = self

    # ---- properties ---------------------------------------------------------------------
    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def device(self):
        return self._variable.device

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    def value(self):
        """The snapshot tensor ``<name>/read:0``."""
        return self._snapshot

    def read_value(self):
        return array_ops.identity(self._variable, name="read")

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def initialized_value(self):
        """The variable's value once initialised, else its initial value (TF 1.x: a tf.cond
        on is_variable_initialized), so other variables can be initialised from it."""
        from tfcompat.ops import control_flow_ops
        with ops.control_dependencies(None):
            return control_flow_ops.cond(is_variable_initialized(self), self.read_value,
                                         lambda: self.initial_value)

    def _set_save_slice_info(self, save_slice_info):
        self._save_slice_info = save_slice_info

    def _get_save_slice_info(self):
        return self._save_slice_info

    # ---- state changes --------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        out = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        out = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        out = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Writes ``value`` into the variable without adding ops (``Variable.load``)."""
        ops._session_for_eval(session, self.graph, "Variable.load").run(
            self._initializer_op, {self._initializer_op.inputs[1]: value})

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}>")

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        return True

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"Cannot convert a symbolic Variable ({self.name}) to a numpy array.")


class SaveSliceInfo:
    """Where a part of a partitioned variable lies in the whole (``Variable.SaveSliceInfo``):
    the whole's checkpoint name and shape, and the part's offset and shape."""

    def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None,
                 save_slice_info_def=None, import_scope=None):
        if save_slice_info_def is not None:
            full_name, full_shape, var_offset, var_shape = _parse_slice_info_def(
                save_slice_info_def)
            full_name = meta_graph.prepend_name_scope(full_name, import_scope)
        self.full_name = full_name
        self.full_shape = list(full_shape)
        self.var_offset = list(var_offset)
        self.var_shape = list(var_shape)

    @property
    def spec(self):
        """The checkpoint's shape-and-slice string: ``"10 4 4,3:0,4"`` (full shape, then
        ``offset,length`` per dimension)."""
        full = " ".join("%d" % d for d in self.full_shape)
        extents = ":".join("%d,%d" % pair
                           for pair in zip(self.var_offset, self.var_shape, strict=True))
        return f"{full} {extents}"

    def to_proto(self, export_scope=None):
        """The serialized ``SaveSliceInfoDef`` (None outside ``export_scope``)."""
        if export_scope and not self.full_name.startswith(export_scope):
            return None
        return (pw.field_bytes(1, meta_graph.strip_name_scope(self.full_name, export_scope)
                               .encode("utf-8"))
                + pw.field_packed_varints(2, self.full_shape)
                + pw.field_packed_varints(3, self.var_offset)
                + pw.field_packed_varints(4, self.var_shape))


def _parse_slice_info_def(data):
    """(full_name, full_shape, var_offset, var_shape) from a serialized SaveSliceInfoDef."""
    name, lists = "", {2: [], 3: [], 4: []}
    for number, wire_type, value in pw.iter_fields(data):
        if number == 1:
            name = bytes(value).decode("utf-8")
        elif number in lists:
            lists[number].extend(pw.decode_packed_varints(value) if wire_type == pw.LENGTH_DELIMITED
                                 else [value])
    return name, lists[2], lists[3], lists[4]


Variable.SaveSliceInfo = SaveSliceInfo
ops._install_overloads(Variable)
Variable.__getitem__ = lambda self, key: ops._OVERLOADS["getitem"](self.value(), key)

RefVariable = Variable
VariableV1 = Variable


def _to_tensor(variable, dtype=None, name=None, as_ref=False):
    tensor = variable._ref() if as_ref else variable.value()
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(tensor.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for "
                         f"variable of type '{variable.dtype.name}'")
    return tensor


ops.register_tensor_conversion_function(Variable, _to_tensor)


class PartitionedVariable:
    """A variable stored as parts along one axis (TF 1.x ``variables.PartitionedVariable``).

    ``get_variable`` with a partitioner makes one: its parts are ordinary Variables named
    ``<name>/part_<i>``, each with a ``SaveSliceInfo``, kept in the order of their offsets.
    Used as a tensor it is the concatenation of its parts (``<name>/ConcatPartitions/concat``
    then the Identity ``<name>``), built outside any control dependencies.
    """

    def __init__(self, name, shape, dtype, variable_list, partitions):
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError(f"variable_list is not a list or tuple: {variable_list}")
        if not isinstance(partitions, (list, tuple)):
            raise TypeError(f"partitions is not a list or tuple: {partitions}")
        if not all(p >= 1 for p in partitions):
            raise ValueError(f"partition values must be positive: {partitions}")
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        shape = tensor_shape.as_shape(shape)
        if any(v._get_save_slice_info() is None for v in variable_list):
            raise ValueError("All variables must have a save_slice_info available: "
                             f"{[v.name for v in variable_list]}")
        if shape.ndims != len(partitions):
            raise ValueError(f"len(shape) != len(partitions): {shape} vs. {partitions}")
        for v in variable_list:
            if v._get_save_slice_info().full_shape != shape.as_list():
                raise ValueError(f"All variables' full shapes must match shape: {shape}; but "
                                 f"full shapes were: {[v._get_save_slice_info().full_shape]}")
        self._variable_list = sorted(variable_list,
                                     key=lambda v: v._get_save_slice_info().var_offset)
        self._name = name
        self._shape = shape
        self._dtype = dtypes.as_dtype(dtype)
        self._partitions = list(partitions)

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self):
        axes = self._partition_axes()
        if len(axes) > 1:
            raise ValueError(f"Cannot get a length for {len(axes)} > 1 partition axes")
        return len(self._variable_list)

    def _partition_axes(self):
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self):
        """The whole value: the parts concatenated along the partitioned axis."""
        if len(self._variable_list) == 1:
            with ops.name_scope(None):
                return array_ops.identity(self._variable_list[0], name=self._name)
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(f"Cannot concatenate along more than one dimension: "
                                      f"{axes}.  Multi-axis partition concat is not supported")
        with ops.name_scope(self._name + "/ConcatPartitions/"):
            concatenated = array_ops.concat(self._variable_list, axes[0])
        with ops.name_scope(None):
            return array_ops.identity(concatenated, name=self._name)

    def as_tensor(self):
        """The concatenated value, not under the caller's control dependencies."""
        with ops.control_dependencies(None):
            return self._concat()

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        return self._shape

    def _get_variable_list(self):
        return self._variable_list

    def _get_partitions(self):
        return self._partitions

    def _apply_assign_fn(self, assign_fn, value):
        """``assign_fn(part, part_value)`` per part: ``value`` is a list of per-part values,
        another PartitionedVariable, or a whole value split like the parts."""
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(f"Cannot do assign action along more than one dimension: "
                                      f"{axes}.  Multi-axis partition assign action is not "
                                      "supported ")
        if isinstance(value, list):
            if len(value) != len(self._variable_list):
                raise ValueError(f"Got {len(value)} values for {len(self._variable_list)} "
                                 "partitions")
            values = value
        elif isinstance(value, PartitionedVariable):
            values = list(value)
        else:
            sizes = [v.shape[axes[0]].value for v in self._variable_list]
            values = array_ops.split(value, sizes, axis=axes[0])
        return [assign_fn(v, part) for v, part in zip(self._variable_list, values, strict=True)]

    def _assign_parts(self, method, value, use_locking, name, read_value):
        results = self._apply_assign_fn(
            lambda v, part: getattr(v, method)(part, use_locking=use_locking, name=name),
            value)
        return results if read_value else [r.op for r in results]

    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Assigns each part its share of ``value``; returns the list of assignments."""
        return self._assign_parts("assign", value, use_locking, name, read_value)

    def assign_add(self, value, use_locking=False, name=None, read_value=True):
        return self._assign_parts("assign_add", value, use_locking, name, read_value)

    def assign_sub(self, value, use_locking=False, name=None, read_value=True):
        return self._assign_parts("assign_sub", value, use_locking, name, read_value)

    def __repr__(self):
        return (f"<tf.PartitionedVariable '{self._name}' shape={self._shape} "
                f"dtype={self._dtype.name} parts={len(self._variable_list)}>")


def _partitioned_to_tensor(variable, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(variable.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for "
                         f"variable of type '{variable.dtype.name}'")
    if as_ref:
        raise NotImplementedError(
            "PartitionedVariable doesn't support being used as a reference.")
    return variable.as_tensor()


ops.register_tensor_conversion_function(PartitionedVariable, _partitioned_to_tensor)


# ---- collections and initializers ----------------------------------------------------------
def global_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """An op running the initializers of ``var_list`` (a NoOp named ``init``)."""
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables())


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer


def is_variable_initialized(variable):
    return make_tensor("IsVariableInitialized", [variable._ref() if hasattr(variable, "_ref")
                                                  else variable])


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor with the names of the uninitialized variables."""
    from tfcompat.ops import math_ops
    if var_list is None:
        var_list = global_variables() + local_variables()
    with ops.name_scope(name) as scope:
        if not var_list:
            return array_ops.constant([], dtype=dtypes.string, name=scope)
        initialized = array_ops.stack([is_variable_initialized(v) for v in var_list])
        names = array_ops.constant([v.op.name.encode() for v in var_list])
        mask = math_ops.logical_not(initialized)
        return array_ops.boolean_mask(names, mask, name=scope)


def assert_variables_initialized(var_list=None):
    from tfcompat.ops import math_ops
    if var_list is None:
        var_list = global_variables() + local_variables()
    return math_ops.reduce_all(array_ops.stack([is_variable_initialized(v) for v in var_list]))


def variable_to_proto(variable, export_scope=None):
    """``RefVariable.to_proto``: the VariableDef of a tf.Variable."""
    if export_scope and not variable.name.startswith(export_scope):
        return None
    initial_value = variable.initial_value
    slice_info = variable._get_save_slice_info()
    return meta_graph.VariableDef(
        save_slice_info_def=(slice_info.to_proto(export_scope) or b"") if slice_info else b"",
        variable_name=meta_graph.strip_name_scope(variable.name, export_scope),
        initializer_name=meta_graph.strip_name_scope(variable.initializer.name, export_scope),
        snapshot_name=meta_graph.strip_name_scope(variable.value().name, export_scope),
        initial_value_name=(meta_graph.strip_name_scope(initial_value.name, export_scope)
                            if initial_value is not None else ""),
        trainable=bool(variable.trainable))


def variable_from_proto(variable_def, import_scope=None):
    """``Variable.from_proto``: a tf.Variable around the (imported) ops a VariableDef names."""
    if variable_def.is_resource:
        raise ValueError(f"Variable {variable_def.variable_name} is a resource variable; "
                         "tfcompat implements TF 1.x ref variables only")
    def scoped(name):
        return meta_graph.prepend_name_scope(name, import_scope)
    initial_value = variable_def.initial_value_name
    variable = Variable(variable_def={
        "variable_name": scoped(variable_def.variable_name),
        "initializer_name": scoped(variable_def.initializer_name),
        "snapshot_name": scoped(variable_def.snapshot_name),
        "initial_value_name": scoped(initial_value) if initial_value else "",
        "trainable": variable_def.trainable})
    if variable_def.save_slice_info_def:  # a part of a partitioned variable
        variable._set_save_slice_info(SaveSliceInfo(
            save_slice_info_def=variable_def.save_slice_info_def, import_scope=import_scope))
    return variable


# How the variable collections go into a MetaGraphDef and come back (TF's variables.py
# registers the same functions with ops.register_proto_function).
for _key in meta_graph.VARIABLE_COLLECTIONS:
    meta_graph.register_proto_function(_key, meta_graph.VariableDef, variable_to_proto,
                                       variable_from_proto)
