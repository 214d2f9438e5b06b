"""Op definitions and their registry, keyed by TF's op-type string ("MatMul", "Relu").

An op type is one ``OpDef`` subclass that holds everything about it:

- ``infer(op)``: static shape/dtype inference -> ``[(TensorShape, DType), ...]`` per output;
- ``kernel(op, ctx)``: returns the NumPy reference kernel, a callable taking the input arrays
  and returning the output array (or a tuple when the op has several outputs). It is built
  once per execution plan, so attribute decoding happens outside the hot loop; ``ctx`` is the
  runtime context (variable storage, random generators) for stateful ops;
- ``grad(op, *output_grads)``: builds the gradient as graph ops, one entry per input
  (None where no gradient flows). ``differentiable = False`` marks TF's NotDifferentiable ops;
  a differentiable op without ``grad`` makes ``tf.gradients`` raise LookupError naming it;
How the runtime makes an op fast (Numba kernels, storage it writes into, fusion formulas,
batched optimizer updates) is not part of its definition: those are lowering rules, kept by
op type under ``runtime/rules/`` (``runtime/lowering.py``).
"""
import numpy as np

from tfcompat.framework import tensor_shape

_REGISTRY = {}


class OpDef:
    """Base class of one op type (see the module docstring)."""

    op_type = None
    #: The op changes session state (variables); the planner runs such ops after all
    #: read-only work of a step, so a failing step leaves variables untouched.
    mutates_state = False
    #: Stateful ops (random, variables) are never deduplicated or constant-folded.
    stateful = False
    #: Running the kernel is the point even when no value of the op is read (Assert,
    #: CheckNumerics, Print): specialised plans keep it wherever the reference run has it.
    side_effects = False
    #: The kernel may return (a view of) an input, e.g. Identity, Reshape, Split; fetching the
    #: output then needs a copy so later in-place variable updates cannot change it.
    may_alias_input = False
    #: Indices of inputs that are variable refs the kernel writes: the runtime does not
    #: evaluate them (the kernel finds the variable when the plan is built).
    ref_inputs = ()
    #: The output's shape depends on input *values* beyond integer/bool inputs (Unique,
    #: Where): shape-specialised plans must not fold anything downstream of it.
    dynamic_output_shape = False
    #: Indices of the inputs whose *values* can change the output shape (a target shape, an
    #: axis, a depth). None: assume any integer/bool input can (safe default for plan
    #: specialisation); () for ops such as cross-entropy whose int inputs are plain data.
    shape_determining_inputs = None
    #: The kernel waits for a value another task sends (a _Recv): the planner runs it only
    #: when nothing else of the step can run, so a task sends what it can before it waits
    #: (with the sends and receives of a step's partitions written in one global order,
    #: no two tasks then wait for each other: ``distributed/partition.py``).
    waits_for_peer = False
    #: The kernel receives DEAD inputs instead of being skipped (Merge).
    accepts_dead_inputs = False
    #: One of the outputs is DEAD depending on a predicate (Switch, RefSwitch).
    switches = False
    #: The kernel returns its only input unchanged (Identity, StopGradient): specialised plans
    #: pass the input's value on instead of calling it.
    forwards_input = False
    differentiable = True
    grad = None
    def infer(self, op):
        raise NotImplementedError(f"{type(self).__name__}.infer")

    def kernel(self, op, ctx):
        """The NumPy kernel: a function of the op's (non-ref) input values returning its
        output (a tuple for several). The executor calls kernels under
        ``np.errstate(all="ignore")``: inf and nan come out as TF's do, without warnings."""
        raise NotImplementedError(f"{type(self).__name__}.kernel")

    def run_key(self, op, ctx, feeds):
        """For ops whose output shapes only a run can tell but which can tell them before
        the run (the next element of a tf.data iterator): ``key(feed_values)`` giving a
        hashable part of the plan's specialisation key (``feeds``: the plan's fed tensors),
        so shape-specialised plans may treat those outputs as fixed. None: no key part."""
        return None

    def variables_changed_in_place(self, op):
        """The VariableV2 ops whose arrays the kernel writes in place (the Apply* ops); the
        reference interpreter keeps copies of them so a failing run can be undone."""
        return ()

    def split_kernel(self, op, ctx):
        """Optional (check, commit) halves of a state-changing kernel: ``check(*inputs)``
        validates and changes nothing, ``commit(checked)`` writes and returns the outputs.
        The runtime checks all such updates of a run before committing any (the Apply* ops
        of a training step), so a step that fails changes nothing."""
        return None

    def __repr__(self):
        return f"<OpDef {self.op_type}>"


class _Dead:
    """The value of a tensor on a tf.cond branch that was not taken (TF's "dead" tensors):
    any op with a DEAD input is skipped and its outputs are DEAD, except Merge."""

    __slots__ = ()

    def __repr__(self):
        return "DEAD"


DEAD = _Dead()


def register_op(cls):
    """Class decorator: registers ``cls`` under ``cls.op_type`` (default: the class name)."""
    if cls.op_type is None:
        cls.op_type = cls.__name__
    if cls.op_type in _REGISTRY:
        raise KeyError(f"Op type {cls.op_type!r} is registered twice")
    _REGISTRY[cls.op_type] = cls()
    return cls


def get_op_def(op_type):
    try:
        return _REGISTRY[op_type]
    except KeyError:
        pass
    for load in _LOADERS:  # e.g. an imported graph holding ops of a family not loaded yet
        load()
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"Op type not registered '{op_type}' in tfcompat") from None


#: Functions that import every op family (``tfcompat.ops`` registers one).
_LOADERS = []


def register_loader(load):
    """``load()`` imports op families that register their types when first imported."""
    _LOADERS.append(load)


def registered_op_types():
    return sorted(_REGISTRY)


def make_op(op_type, inputs=(), attrs=None, name=None, control_inputs=(), graph=None):
    """Creates an op of ``op_type`` in the graph of its inputs (or the default graph)."""
    from tfcompat.framework import ops
    if graph is None:
        graph = inputs[0].graph if inputs else ops.get_default_graph()
    for tensor in inputs:
        if tensor.graph is not graph:
            raise ValueError(f"Tensor {tensor.name} must be from the same graph as the other "
                             f"inputs of {op_type}.")
    return graph.create_op(op_type, inputs, attrs, name, control_inputs)


def make_tensor(op_type, inputs=(), attrs=None, name=None, **kwargs):
    """Like ``make_op`` for a single-output op, returning its output tensor."""
    return make_op(op_type, inputs, attrs, name, **kwargs).outputs[0]


# ---- helpers for shape inference -----------------------------------------------------------
def constant_value(tensor):
    """The value of ``tensor`` when it is known at graph-construction time, else None
    (``tf.contrib.util.constant_value``): constants, shapes of fully known tensors, and
    stacks/casts/identities of those."""
    op = tensor.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape":
        shape = op.inputs[0].shape
        if shape.is_fully_defined():
            return np.array(shape.as_list(), dtype=tensor.dtype.as_numpy_dtype)
    elif op.type == "Size":
        shape = op.inputs[0].shape
        if shape.is_fully_defined():
            return np.array(shape.num_elements(), dtype=tensor.dtype.as_numpy_dtype)
    elif op.type == "Rank":
        if op.inputs[0].shape.ndims is not None:
            return np.array(op.inputs[0].shape.ndims, dtype=np.int32)
    elif op.type == "Pack":
        parts = [constant_value(t) for t in op.inputs]
        if all(p is not None for p in parts):
            return np.stack(parts, axis=op.attrs.get("axis", 0))
    elif op.type in ("Identity", "StopGradient"):
        return constant_value(op.inputs[0])
    elif op.type == "Cast":
        value = constant_value(op.inputs[0])
        if value is not None:
            return value.astype(tensor.dtype.as_numpy_dtype)
    return None


def constant_shape_value(tensor):
    """A partial shape from a shape-valued tensor (TF's ``constant_value_as_shape``)."""
    value = constant_value(tensor)
    if value is not None:
        return tensor_shape.TensorShape([None if d < 0 else int(d) for d in value.ravel()])
    if tensor.op.type == "Shape":
        return tensor.op.inputs[0].shape
    if tensor.op.type == "Pack":
        dims = []
        for part in tensor.op.inputs:
            v = constant_value(part)
            dims.append(None if v is None or int(v) < 0 else int(v))
        return tensor_shape.TensorShape(dims)
    if tensor.shape.ndims == 1 and tensor.shape[0].value is not None:
        return tensor_shape.unknown_shape(tensor.shape[0].value)
    return tensor_shape.unknown_shape()


def broadcast_shapes(op, shape_a, shape_b):
    """Static NumPy broadcasting of two shapes; incompatible ones raise TF's ValueError."""
    if shape_a.ndims is None or shape_b.ndims is None:
        return tensor_shape.unknown_shape()
    a, b = shape_a.as_list(), shape_b.as_list()
    rank = max(len(a), len(b))
    a = [1] * (rank - len(a)) + a
    b = [1] * (rank - len(b)) + b
    out = []
    for da, db in zip(a, b):
        if da == 1:
            out.append(db)
        elif db == 1 or db == da:
            out.append(da)
        elif da is None:
            out.append(db)
        elif db is None:
            out.append(da)
        else:
            raise ValueError(
                f"Dimensions must be equal, but are {da} and {db} for '{op.name}' (op: "
                f"'{op.type}') with input shapes: {_fmt(shape_a)}, {_fmt(shape_b)}.")
    return tensor_shape.TensorShape(out)


def _fmt(shape):
    """A shape the way TF's C++ shape functions print it: [?,784]."""
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


format_shape = _fmt


def normalize_axis(op, axis, rank):
    """Turns a possibly negative axis into a non-negative one, checking its range."""
    if rank is None:
        return axis
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank} in "
                         f"'{op.name}' (op: '{op.type}'); expected a value in [{-rank}, {rank})")
    return axis % rank
