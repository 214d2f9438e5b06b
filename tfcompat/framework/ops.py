"""The graph model of TF 1.x: ``Graph``, ``Operation``, ``Tensor``, name scopes, control
dependencies, collections and the default-graph stack (``tensorflow/python/framework/ops.py``).

Nothing here executes anything: an Operation records its type, inputs, attributes and the
statically inferred shapes/dtypes of its outputs; op semantics live in ``tfcompat.ops``
(registered by op type in ``op_def``) and execution in ``tfcompat.runtime``.
"""
import contextlib
import re
import threading

import numpy as np

from tfcompat.framework import device as pydev
from tfcompat.framework import debug_flags, dtypes, node_attrs, tensor_shape, tensor_util
from tfcompat.framework.op_def import get_op_def


class GraphKeys:
    """Standard collection names (``tf.GraphKeys``)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class Tensor:
    """A symbolic handle to one output of an Operation (``tf.Tensor``).

    Tensors hash by identity and ``==`` compares identity (TF 1.x), so they work as dict keys.
    """

    __array_priority__ = 100  # make ``np_array * tensor`` defer to Tensor.__rmul__

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtypes.as_dtype(dtype)
        self._shape = tensor_shape.as_shape(shape)
        self._consumers = []

    @property
    def op(self):
        return self._op

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self):
        return f"{self._op.name}:{self._value_index}"

    @property
    def value_index(self):
        return self._value_index

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._op.device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape (``Tensor.set_shape``); incompatible shapes raise ValueError."""
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Runs the default (or given) session to compute this tensor (``Tensor.eval``)."""
        return _session_for_eval(session, self.graph, "Tensor.eval").run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        # TF 1.x: the shape is left out when its rank is unknown; ref dtypes print as such.
        shape = f", shape={self._shape}" if self._shape.ndims is not None else ""
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
                        "None:` instead of `if t:` to test if a tensor is defined, and use "
                        "TensorFlow ops such as tf.cond to execute subgraphs conditioned on the "
                        "value of a tensor.")

    def __iter__(self):
        shape = self._shape
        if shape.ndims is None or shape[0].value is None:
            raise TypeError("Tensor objects are only iterable when the first dimension is known.")
        return iter(_OVERLOADS["unstack"](self, num=shape[0].value))

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) Please call "
                        "`x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array.")


# Operator overloads are filled in by tfcompat.ops.math_ops / array_ops (they own the ops).
_OVERLOADS = {}


def _install_overloads(cls):
    def binary(name, reverse=False):
        if reverse:
            return lambda self, other: _OVERLOADS[name](other, self)
        return lambda self, other: _OVERLOADS[name](self, other)

    for op_name, method in [("add", "add"), ("subtract", "sub"), ("multiply", "mul"),
                            ("truediv", "truediv"), ("floordiv", "floordiv"), ("mod", "mod"),
                            ("pow", "pow"), ("matmul", "matmul"), ("logical_and", "and"),
                            ("logical_or", "or"), ("logical_xor", "xor")]:
        setattr(cls, f"__{method}__", binary(op_name))
        setattr(cls, f"__r{method}__", binary(op_name, reverse=True))
    for op_name, method in [("less", "lt"), ("less_equal", "le"), ("greater", "gt"),
                            ("greater_equal", "ge")]:
        setattr(cls, f"__{method}__", binary(op_name))
    cls.__div__ = cls.__truediv__
    cls.__neg__ = lambda self: _OVERLOADS["negative"](self)
    cls.__abs__ = lambda self: _OVERLOADS["abs"](self)
    cls.__invert__ = lambda self: _OVERLOADS["logical_not"](self)
    cls.__getitem__ = lambda self, key: _OVERLOADS["getitem"](self, key)


_install_overloads(Tensor)


class Operation:
    """A node of the graph (``tf.Operation``): type, inputs, attributes and outputs."""

    def __init__(self, graph, op_type, name, inputs, attrs, control_inputs):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = tuple(inputs)
        self._attrs = dict(attrs)
        self._control_inputs = list(control_inputs)
        self._device = ""
        self._id = graph._next_id()
        self._op_def = get_op_def(op_type)
        self._outputs = []
        for index, (shape, dtype) in enumerate(self._op_def.infer(self)):
            self._outputs.append(Tensor(self, index, dtype, shape))
        if graph._device_stack or graph._colocation_stack:
            graph._apply_device_functions(self)
        for tensor in self._inputs:
            tensor._consumers.append(self)

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        return self._device

    @property
    def attrs(self):
        return self._attrs

    @property
    def op_def(self):
        return self._op_def

    @property
    def node_def(self):
        """The op as ``tf.NodeDef``: ``name``, ``op``, ``input`` (``^name`` for control
        inputs), ``device`` and ``attr`` (the attrs TF's NodeDef of it carries)."""
        from tfcompat.framework import graph_def
        return graph_def.parse_node_def(graph_def.node_def(self))

    def get_attr(self, name):
        """The op's attr ``name``, also one TF's NodeDef of it carries that tfcompat derives
        (``T`` of an Add, defaults of its signature), as TF's ``get_attr`` sees them."""
        try:
            return node_attrs.attr_or_derived(self, name)
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def values(self):
        return tuple(self._outputs)

    def _update_input(self, index, tensor):
        """Replaces input ``index`` by ``tensor`` (the back edge of a while loop's Merge)."""
        old = self._inputs[index]
        old._consumers.remove(self)
        self._inputs = self._inputs[:index] + (tensor,) + self._inputs[index + 1:]
        tensor._consumers.append(self)
        self._graph._version += 1

    def _add_control_input(self, op):
        if op not in self._control_inputs:
            self._control_inputs.append(op)
            self._graph._version += 1

    def run(self, feed_dict=None, session=None):
        """Runs this op in the default (or given) session (``Operation.run``)."""
        _session_for_eval(session, self._graph, "Operation.run").run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


class Graph:
    """A TF 1.x dataflow graph (``tf.Graph``)."""

    def __init__(self):
        self._lock = threading.RLock()
        self._ops_by_name = {}
        self._ops = []
        self._names_in_use = {}
        self._name_stack = ""
        self._collections = {}
        self._control_dependencies_stack = []
        self._device_stack = []  # DeviceSpec mergers, device functions, None (cleared)
        self._colocation_stack = []
        self._container = ""  # tf.container: the resource container of new stateful ops
        self._finalized = False
        self._last_id = 0
        self._version = 0
        self.seed = None
        self._attr_scope = {}
        self._gradient_override_map = {}
        self._variable_objects = {}  # VariableV2 op -> the tf.Variable built around it
        self._control_flow_context = None  # the tf.cond branch being built, if any
        self._variable_store = None  # tf.get_variable's store, created by variable_scope
        self._unfeedable_tensors = set()
        self._unfetchable_ops = set()

    # ---- identity, versions -------------------------------------------------------------
    def _next_id(self):
        self._last_id += 1
        return self._last_id

    @property
    def version(self):
        return self._version

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Makes the graph read-only (``Graph.finalize``)."""
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @contextlib.contextmanager
    def as_default(self):
        """Makes this graph the default graph in the ``with`` block (``Graph.as_default``)."""
        _default_graph_stack.append(self)
        try:
            yield self
        finally:
            # Remove this entry even when contexts were exited out of order
            # (InteractiveSession keeps its graph entered until it is closed).
            for index in range(len(_default_graph_stack) - 1, -1, -1):
                if _default_graph_stack[index] is self:
                    del _default_graph_stack[index]
                    break

    # ---- op creation ----------------------------------------------------------------------
    def create_op(self, op_type, inputs, attrs=None, name=None, control_inputs=()):
        """Adds an op; ``name`` is uniquified in the current name scope (a trailing '/' means
        "use exactly this name", as TF's name_from_scope_name)."""
        self._check_not_finalized()
        with self._lock:
            if name and name.endswith("/"):
                name = name[:-1]
                key = name.lower()
                self._names_in_use[key] = max(self._names_in_use.get(key, 0), 1)
            else:
                name = self.unique_name(name or op_type)
            if name in self._ops_by_name:
                name = self.unique_name(name)
            if not _VALID_OP_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid node name")
            context = self._control_flow_context
            if context is not None:  # outside tensors enter a tf.cond branch via (Ref)Switch
                inputs = [context.capture(t) for t in inputs]
            controls = self._current_control_dependencies(inputs)
            for op in control_inputs:
                if op not in controls:
                    controls.append(op)
            if context is not None and not inputs and not any(
                    context.contains(c) or c is context.pivot.op for c in controls):
                controls.append(context.pivot.op)  # makes the op dead with its branch
            if self._container and (attrs or {}).get("container") == "":
                attrs = dict(attrs, container=self._container)
            op = Operation(self, op_type, name, inputs, attrs or {}, controls)
            op._control_flow_context = context
            # TF's "_gradient_op_type": the gradient_override_map in force at creation.
            op._gradient_override = self._gradient_override_map.get(op_type)
            # tf.debugging.enable_check_numerics: the runtime checks this op's float outputs.
            op._check_numerics = debug_flags.check_numerics_enabled()
            self._ops_by_name[name] = op
            self._ops.append(op)
            self._version += 1
            return op

    def _current_control_dependencies(self, inputs):
        controls = []
        input_ops = {t.op for t in inputs}
        for controller in self._control_dependencies_stack:
            if controller is None:
                continue
            for op in controller:
                if op not in controls and op not in input_ops:
                    controls.append(op)
        return controls

    # ---- lookup ---------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolves a Tensor, Operation, Variable or name to an element of this graph."""
        if type(obj) is Tensor and allow_tensor or type(obj) is Operation and allow_operation:
            if obj.graph is not self:  # the common case first: Session.run's fetches, feeds
                raise ValueError(f"{type(obj).__name__} {obj} is not an element of this graph.")
            return obj
        types_str = " or ".join(s for s, ok in (("Tensor", allow_tensor),
                                                 ("Operation", allow_operation)) if ok)
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, _, index = obj.rpartition(":")
                try:
                    index = int(index)
                except ValueError:
                    raise ValueError(f"The name '{obj}' looks a like a Tensor name, but is not a "
                                     "valid one. Tensor names must be of the form "
                                     "\"<op_name>:<output_index>\".") from None
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. "
                                   f"The operation, '{op_name}', does not exist in the graph.")
                if index >= len(op._outputs):
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. "
                                   f"The operation, '{op_name}', exists but only has "
                                   f"{len(op._outputs)} outputs.")
                return op._outputs[index]
            if ":" in obj:
                raise ValueError(f"Name '{obj}' appears to refer to a Tensor, not a {types_str}.")
            op = self._ops_by_name.get(obj)
            if op is None:
                raise KeyError(f"The name '{obj}' refers to an Operation not in the graph.")
            if not allow_operation:
                raise ValueError(f"The name '{obj}' refers to an Operation, not a {types_str}. "
                                 "Tensor names must be of the form \"<op_name>:<output_index>\".")
            return op
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types_str}.")

    # ---- feeding and fetching restrictions ---------------------------------------------------
    def prevent_feeding(self, tensor):
        """Marks ``tensor`` as not feedable (``Graph.prevent_feeding``)."""
        self._unfeedable_tensors.add(tensor)

    def is_feedable(self, tensor):
        return tensor not in self._unfeedable_tensors

    def prevent_fetching(self, op):
        """Marks ``op`` (and its outputs) as not fetchable (``Graph.prevent_fetching``)."""
        self._unfetchable_ops.add(op)

    def is_fetchable(self, tensor_or_op):
        if isinstance(tensor_or_op, Tensor):
            return tensor_or_op.op not in self._unfetchable_ops
        return tensor_or_op not in self._unfetchable_ops

    # ---- names ----------------------------------------------------------------------------
    def get_name_scope(self):
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """Returns ``name`` under the current scope, suffixed ``_N`` if taken (TF 1.x rules:
        case-insensitive, and names of ops and scopes share one namespace)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base_key = key
            while key in self._names_in_use:
                key = f"{base_key}_{count}"
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{count - 1}"
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a name scope; ``None``/"" resets to the top, a trailing '/' re-enters a scope."""
        if name:
            if isinstance(name, _NameScopeString):
                name = str(name)
            if self._name_stack:
                if not _VALID_SCOPE_NAME.match(name):
                    raise ValueError(f"'{name}' is not a valid scope name")
            elif not _VALID_OP_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
        old_stack = self._name_stack
        if not name:
            new_stack = ""
        elif name.endswith("/"):
            new_stack = name[:-1]
        else:
            new_stack = self.unique_name(name)
        self._name_stack = new_stack
        try:
            yield "" if not new_stack else new_stack + "/"
        finally:
            self._name_stack = old_stack

    # ---- control dependencies, devices ----------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created in the block run only after ``control_inputs`` (``None`` clears)."""
        if control_inputs is None:
            # Like TF 1.x, this also leaves any control-flow (tf.cond) context.
            saved = self._control_dependencies_stack, self._control_flow_context
            self._control_dependencies_stack = []
            self._control_flow_context = None
            try:
                yield
            finally:
                self._control_dependencies_stack, self._control_flow_context = saved
            return
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element"):
                c = c._as_graph_element()
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError(f"Control input must be Operation or Tensor: {c}")
            if c.graph is not self:
                raise ValueError(f"Control input {c.name} is from a different graph.")
            ops.append(c)
        self._control_dependencies_stack.append(ops)
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Places new ops on a device (``Graph.device``): a device string or DeviceSpec is
        merged under the names inner scopes give, a function ``op -> device`` chooses one,
        ``None`` ignores every enclosing scope. Innermost scopes apply first, like TF."""
        entry = device_name_or_function
        if isinstance(entry, str):
            entry = pydev.DeviceSpec.from_string(entry)
        elif isinstance(entry, pydev.DeviceSpec):
            entry = entry.replace()
        elif entry is not None and not callable(entry):
            raise TypeError(f"device_name_or_function must be a string, a DeviceSpec, a "
                            f"function or None, got {type(entry)}")
        self._device_stack.append(entry)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _apply_device_functions(self, op):
        """Sets ``op``'s device from the colocation and device scopes (TF's
        ``_apply_device_functions``; a colocated op takes its partner's device)."""
        for entry in reversed(self._device_stack):
            if entry is None:
                break
            if isinstance(entry, pydev.DeviceSpec):
                if not entry.is_empty:
                    op._device = pydev.merge_onto(entry, op._device)
            else:
                chosen = entry(op)
                op._device = chosen.to_string() if isinstance(
                    chosen, pydev.DeviceSpec) else (chosen or "")
        if self._colocation_stack and self._colocation_stack[-1].device:
            op._device = self._colocation_stack[-1].device

    @contextlib.contextmanager
    def container(self, container_name):
        """Variables created in the block live in the resource container ``container_name``
        of the server they are placed on (``Graph.container``; ``Session.reset`` can empty
        one container)."""
        original = self._container
        self._container = container_name
        try:
            yield container_name
        finally:
            self._container = original

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        """New ops take ``op``'s device (``Graph.colocate_with``); the device scopes are
        set aside inside the block, as TF does. ``op=None`` with ``ignore_existing`` clears."""
        if op is None and not ignore_existing:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is "
                             "not True")
        if op is not None:
            if hasattr(op, "_as_graph_element"):
                op = op._as_graph_element()
            op = op.op if isinstance(op, Tensor) else op
        saved = self._device_stack, self._colocation_stack
        self._device_stack = []
        self._colocation_stack = ([] if ignore_existing else list(self._colocation_stack)) \
            + ([op] if op is not None else [])
        try:
            yield
        finally:
            self._device_stack, self._colocation_stack = saved

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # ---- collections ----------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """A copy of the collection; ``scope`` is a regex matched at the start of each item's
        ``name`` (items without a name are dropped when a scope is given), as in TF 1.x."""
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [item for item in items
                if getattr(item, "name", None) is not None and pattern.match(item.name)]

    def get_all_collection_keys(self):
        return [key for key, items in self._collections.items() if items]

    def clear_collection(self, name):
        self._check_not_finalized()
        self._collections.pop(name, None)

    @property
    def collections(self):
        return list(self._collections)

    def as_graph_def(self, from_version=None, add_shapes=False):
        """The graph as a GraphDef protobuf (``framework.graph_def.GraphDef``)."""
        from tfcompat.framework.graph_def import as_graph_def
        return as_graph_def(self, add_shapes)

    @property
    def graph_def_versions(self):
        return {"producer": 134, "min_consumer": 0}


class _NameScopeString(str):
    pass


# ---- the default graph -------------------------------------------------------------------
_default_graph_stack = []
_global_default_graph = [Graph()]


def get_default_graph():
    """The innermost graph made default with ``as_default`` (``tf.get_default_graph``)."""
    if _default_graph_stack:
        return _default_graph_stack[-1]
    return _global_default_graph[0]


def reset_default_graph():
    """Replaces the global default graph with a new one (``tf.reset_default_graph``)."""
    if _default_graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _global_default_graph[0] = Graph()


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """``tf.name_scope(name, default_name=None, values=None)``: the graph is taken from
    ``values`` when they hold graph elements, else the default graph."""
    graph = _graph_from_values(values)
    if name is None and default_name is None and values is not None:
        raise ValueError("At least one of name (None) and default_name (None) must be provided.")
    scope_name = name if name is not None else default_name
    if hasattr(scope_name, "name") and not isinstance(scope_name, str):
        scope_name = scope_name.name
    with graph.as_default(), graph.name_scope(scope_name) as scope:
        yield scope


def op_scope(values, name, default_name=None):
    """``tf.op_scope(values, name, default_name=None)``: TF 1.x's deprecated spelling of
    ``tf.name_scope(name, default_name, values)``."""
    return name_scope(name, default_name, values)


def _graph_from_values(values):
    for value in values or ():
        element = value
        if hasattr(element, "_as_graph_element"):
            element = element._as_graph_element()
        if isinstance(element, (Tensor, Operation)):
            return element.graph
    return get_default_graph()


def control_dependencies(control_inputs):
    """``tf.control_dependencies`` on the default graph."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def container(container_name):
    """``tf.container`` on the default graph."""
    return get_default_graph().container(container_name)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def get_name_scope():
    return get_default_graph().get_name_scope()


# ---- conversion to tensors ----------------------------------------------------------------
_conversion_functions = []  # (type, fn(value, dtype, name, as_ref) -> Tensor), by priority
_conversion_priorities = []
_NOT_CONVERTIBLE_BY_USERS = (str, int, float, bool, complex, np.generic, np.ndarray)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """``tf.register_tensor_conversion_function``: ``conversion_func(value, dtype=None,
    name=None, as_ref=False)`` converts instances of ``base_type`` (a type or tuple of types)
    in ``convert_to_tensor``; lower priorities are tried first, and a function may return
    NotImplemented to let the next one try."""
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError("base_type must be a type or a tuple of types.")
    if any(issubclass(t, _NOT_CONVERTIBLE_BY_USERS) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy "
                        "scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError("conversion_func must be callable.")
    position = sum(1 for p in _conversion_priorities if p <= priority)
    _conversion_priorities.insert(position, priority)
    _conversion_functions.insert(position, (base_type, conversion_func))


#: How Python and NumPy values become tensors: (constant, pack) registered by array_ops, the
#: way TF's constant_op registers its conversion functions (the graph model knows no ops).
_value_conversions = []


def register_value_conversion(constant, pack):
    """``constant(value, dtype=, name=)`` makes a Const; ``pack(tensors, name=)`` stacks a
    list that holds tensors (TF's auto-packing)."""
    _value_conversions[:] = [(constant, pack)]


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False):
    """Converts Tensors, Variables, NumPy values and Python scalars/lists to a Tensor
    (``tf.convert_to_tensor``); a dtype mismatch raises ValueError as in TF."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.base_dtype.name}: {value!r}")
        if not as_ref and value.dtype.is_ref_dtype:
            return value  # a ref tensor is readable as a value; kernels see the array
        return value
    for base_type, fn in _conversion_functions:
        if isinstance(value, base_type):
            tensor = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if tensor is NotImplemented:
                continue
            if not isinstance(tensor, Tensor):
                raise RuntimeError(f"{fn!r} returned non-Tensor: {tensor!r}")
            if dtype is not None and not dtype.is_compatible_with(tensor.dtype):
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor "
                                 f"with dtype {tensor.dtype.base_dtype.name}: {tensor!r}")
            return tensor
    if isinstance(value, Operation):
        raise TypeError(f"Can't convert Operation '{value.name}' to Tensor (target dtype="
                        f"{dtype}, name={name!r}, as_ref={as_ref})")
    constant, pack = _value_conversions[0]
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    if isinstance(value, (list, tuple)) and any(_contains_tensor(v) for v in value):
        return pack([convert_to_tensor(v, dtype=dtype) for v in value], name=name or "packed")
    return constant(value, dtype=dtype, name=name or "Const")


def _contains_tensor(value):
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return isinstance(value, Tensor) or any(isinstance(value, t) for t, _ in _conversion_functions)


convert_to_tensor_or_indexed_slices = convert_to_tensor


def convert_n_to_tensor(values, dtype=None, name=None):
    return [convert_to_tensor(v, dtype=dtype) for v in values]


def is_graph_element(value):
    return isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_graph_element")


def _dimensions_as_values(value):
    """TF 1.x converts the Dimension objects of ``shape[i]`` inside Python lists (as in
    ``tf.reshape(x, [-1, x.shape[-1]])``) to their values."""
    if isinstance(value, tensor_shape.Dimension):
        return value.value
    if isinstance(value, (list, tuple)) and any(
            isinstance(item, (tensor_shape.Dimension, list, tuple)) for item in value):
        return [_dimensions_as_values(item) for item in value]
    return value


def numpy_value_of(value, dtype=None):
    """NumPy array of a Python/NumPy constant, converted as TF's make_tensor_proto does:
    Python floats become float32, Python ints int32 (int64 when out of range); a TensorProto
    gives the array it holds."""
    if isinstance(value, tensor_util.TensorProto):
        return tensor_util.make_ndarray(value)
    value = _dimensions_as_values(value)
    if dtype is not None:
        np_dtype = dtypes.as_dtype(dtype).as_numpy_dtype
        try:
            array = np.asarray(value)
            if array.dtype.kind in "SUO" and np_dtype is not np.object_:
                raise TypeError
            if dtypes.as_dtype(dtype).is_integer and array.dtype.kind == "f":
                if not np.all(np.equal(np.mod(array, 1), 0)):
                    raise TypeError
            if dtypes.as_dtype(dtype).is_bool and array.dtype.kind != "b":
                raise TypeError
            if np_dtype is np.object_:
                return _utf8_bytes(np.asarray(value, dtype=object))
            return np.asarray(value, dtype=np_dtype)
        except (TypeError, ValueError):
            raise TypeError(f"Expected {dtypes.as_dtype(dtype).name}, got {value!r} of type "
                            f"'{type(value).__name__}' instead.") from None
    array = np.asarray(value)
    if array.dtype == np.float64 and not isinstance(value, (np.ndarray, np.generic)):
        array = array.astype(np.float32)
    elif array.dtype == np.int64 and not isinstance(value, (np.ndarray, np.generic)):
        if array.size == 0 or (array.min() >= -2**31 and array.max() < 2**31):
            array = array.astype(np.int32)
    elif array.dtype.kind in "SU":
        # Python bytes keep trailing NULs that a fixed-width "S" array drops; str values are
        # held as their UTF-8 bytes, as TF's string tensors are.
        array = np.array(value, dtype=object) if not isinstance(value, np.ndarray) \
            else array.astype(object)
        array = _utf8_bytes(array)
    if array.dtype.kind == "O" and array.size and not isinstance(array.flat[0], (bytes, str)):
        raise TypeError(f"Failed to convert object of type {type(value).__name__} to Tensor. "
                        f"Contents: {value!r}. Consider casting elements to a supported type.")
    try:
        dtypes.as_dtype(array.dtype)
    except TypeError:
        raise TypeError(f"Failed to convert object of type {type(value).__name__} to Tensor. "
                        f"Contents: {value!r}.") from None
    return array


def _utf8_bytes(array):
    """An object array of strings with each str replaced by its UTF-8 bytes."""
    if array.dtype == object and any(isinstance(item, str) for item in array.flat):
        encoded = np.empty(array.shape, dtype=object)
        encoded.flat[:] = [item.encode() if isinstance(item, str) else item
                           for item in array.flat]
        return encoded
    return array


# ---- the default session (TF keeps its stack here too, beside the default graph's) ---------
_default_session_stack = threading.local()


def _session_stack():
    if not hasattr(_default_session_stack, "stack"):
        _default_session_stack.stack = []
    return _default_session_stack.stack


def get_default_session():
    """The innermost session made default (``tf.get_default_session``), or None."""
    stack = _session_stack()
    return stack[-1] if stack else None


def _session_for_eval(session, graph, what):
    """The session ``Tensor.eval`` / ``Operation.run`` / ``Variable.load`` use, with TF 1.x's
    errors when there is none or it runs another graph."""
    if what == "Variable.load":
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session "
                             "should be established")
        return session
    is_op = what == "Operation.run"
    if session is None:
        session = get_default_session()
        if session is None:
            if is_op:
                raise ValueError("Cannot execute operation using `run()`: No default session is "
                                 "registered. Use `with sess.as_default():` or pass an explicit "
                                 "session to `run(session=sess)`")
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
        if session.graph is not graph:
            if is_op:
                raise ValueError("Cannot use the default session to execute operation: the "
                                 "operation's graph is different from the session's graph. Pass "
                                 "an explicit session to run(session=sess).")
            raise ValueError("Cannot use the default session to evaluate tensor: the tensor's "
                             "graph is different from the session's graph. Pass an explicit "
                             "session to `eval(session=sess)`.")
    elif session.graph is not graph:
        if is_op:
            raise ValueError("Cannot use the given session to execute operation: the operation's "
                             "graph is different from the session's graph.")
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph.")
    return session
