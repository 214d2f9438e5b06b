"""Control flow: ``tf.no_op``, ``tf.group``, ``tf.tuple`` (TF's control_flow_ops)."""
from tfcompat.framework import ops
from tfcompat.framework.op_def import OpDef, make_op, register_op


@register_op
class NoOp(OpDef):
    """Does nothing; used to group control dependencies (``tf.no_op``, ``tf.group``)."""

    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        return lambda: None


def no_op(name=None):
    return make_op("NoOp", name=name or "NoOp")


def group(*inputs, name=None):
    """An op that runs all ``inputs`` (``tf.group``)."""
    controls = []
    for item in inputs:
        if hasattr(item, "_as_graph_element"):
            item = item._as_graph_element()
        if isinstance(item, ops.Tensor):
            item = item.op
        if not isinstance(item, ops.Operation):
            raise TypeError(f"Expected an Operation or Tensor in tf.group, got {item!r}")
        controls.append(item)
    with ops.name_scope(name, "group_deps", controls) as scope:
        with ops.control_dependencies(controls):
            return no_op(name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 (tf.tuple)
    """Returns identities of ``tensors`` that are available only after all of them are."""
    from tfcompat.ops.array_ops import identity
    tensors = [ops.convert_to_tensor(t) if t is not None else None for t in tensors]
    with ops.name_scope(name, "tuple", [t for t in tensors if t is not None]) as scope:
        gate = group(*[t for t in tensors if t is not None], *(control_inputs or ()))
        with ops.control_dependencies([gate]):
            return [identity(t) if t is not None else None for t in tensors]


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "no_op",
    "group",
    "tuple",
]
