"""``tf.Variable`` with TF 1.x ref-variable semantics (``RefVariable``).

A Variable is three ops: ``<name>`` (VariableV2, the ref), ``<name>/Assign`` (its
initializer) and ``<name>/read`` (the snapshot Identity that ops consume). Its value lives in
the Session, never in the graph.
"""
from tfcompat.framework import dtypes, meta_graph, ops, tensor_shape
from tfcompat.framework.op_def import make_tensor
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
    return meta_graph.VariableDef(
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
    if variable_def.save_slice_info_def:
        raise ValueError(f"Variable {variable_def.variable_name} is a slice of a partitioned "
                         "variable; partitioned variables are not supported by tfcompat")
    def scoped(name):
        return meta_graph.prepend_name_scope(name, import_scope)
    initial_value = variable_def.initial_value_name
    return Variable(variable_def={
        "variable_name": scoped(variable_def.variable_name),
        "initializer_name": scoped(variable_def.initializer_name),
        "snapshot_name": scoped(variable_def.snapshot_name),
        "initial_value_name": scoped(initial_value) if initial_value else "",
        "trainable": variable_def.trainable})


# How the variable collections go into a MetaGraphDef and come back (TF's variables.py
# registers the same functions with ops.register_proto_function).
for _key in meta_graph.VARIABLE_COLLECTIONS:
    meta_graph.register_proto_function(_key, meta_graph.VariableDef, variable_to_proto,
                                       variable_from_proto)
