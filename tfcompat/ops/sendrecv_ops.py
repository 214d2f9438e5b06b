"""``_Send`` and ``_Recv``: the pairs a distributed step's partitions exchange tensors through
(TF 1.x ``core/ops/sendrecv_ops.cc``).

The master splits a graph whose ops sit on several tasks into one partition per task; every
edge between two tasks becomes a ``_Send`` on the producer's task and a ``_Recv`` on the
consumer's, both naming the same ``tensor_name`` and devices (``distributed/partition.py``).
Their kernels hand the value to the runtime state of a partition run
(``distributed/worker.py``), which keys it by the step: a ``_Send`` never waits, a ``_Recv``
waits until its value has arrived. A value on a tf.cond branch not taken travels as dead
(TF's ``is_dead``): the ``_Recv`` gives DEAD and the receiving task skips what depends on
it. Outside a partition of a distributed step both fail with InvalidArgumentError.
"""
from tfcompat.framework import dtypes, errors, tensor_shape
from tfcompat.framework.op_def import OpDef, register_op


def rendezvous_key(op):
    """``send_device;recv_device;tensor_name`` (TF's key without incarnation and frame)."""
    attrs = op.attrs
    return f"{attrs['send_device']};{attrs['recv_device']};{attrs['tensor_name']}"


def _endpoint(op, ctx, method):
    found = getattr(ctx, method, None)
    if found is None:
        raise errors.InvalidArgumentError(
            None, op, f"{op.type} op {op.name} can only run in a partition of a distributed "
                      f"step (it exchanges {op.attrs['tensor_name']} with another task)")
    return found


@register_op
class _Send(OpDef):
    """Sends its input to the ``_Recv`` of the same key on ``recv_device``'s task."""

    op_type = "_Send"
    stateful = True
    side_effects = True
    accepts_dead_inputs = True  # a dead value is sent as dead
    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        send = _endpoint(op, ctx, "rendezvous_send")
        key = rendezvous_key(op)

        def run(value):
            send(key, value)
        return run


@register_op
class _Recv(OpDef):
    """The tensor the ``_Send`` of the same key sent; waits for it. Its static shape is the
    producer's (a ``shape`` attr the partitioner adds; TF's op has none)."""

    op_type = "_Recv"
    stateful = True
    side_effects = True  # it takes its value out of the rendezvous even when none reads it
    waits_for_peer = True
    switches = True  # its value is DEAD when the sender's was
    dynamic_output_shape = True  # a step's value may differ in shape from the last one's
    differentiable = False

    def infer(self, op):
        shape = op.attrs.get("shape")
        shape = tensor_shape.unknown_shape() if shape is None else tensor_shape.as_shape(shape)
        return [(shape, dtypes.as_dtype(op.attrs["tensor_type"]))]

    def kernel(self, op, ctx):
        recv = _endpoint(op, ctx, "rendezvous_recv")
        key = rendezvous_key(op)
        return lambda: recv(key, op)
