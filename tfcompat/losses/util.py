"""Loss collections (TF 1.x ``losses/util.py``): ``add_loss``, ``get_losses``,
``get_regularization_losses``, ``get_regularization_loss``, ``get_total_loss``."""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops


def add_loss(loss, loss_collection=ops.GraphKeys.LOSSES):
    """Adds ``loss`` to ``loss_collection`` (nothing when the collection is None/empty)."""
    if loss_collection:
        ops.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=ops.GraphKeys.LOSSES):
    """The losses in ``loss_collection`` whose names match the ``scope`` regex."""
    return ops.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The tensors of ``GraphKeys.REGULARIZATION_LOSSES`` (optionally filtered by scope)."""
    return ops.get_collection(ops.GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """add_n of the regularization losses (named "total_regularization_loss"), or a
    constant 0.0 when there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return array_ops.constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """add_n of ``get_losses()`` (plus the regularization losses by default)."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError("No losses found: the LOSSES and REGULARIZATION_LOSSES collections "
                         "are empty.")
    return math_ops.add_n(losses, name=name)
