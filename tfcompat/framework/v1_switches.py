"""TF 1.x's behaviour switches, gradient enums and small framework helpers as tfcompat
answers them: it always builds graphs with TF1 semantics (no eager execution, reference
variables, TF1 TensorShapes), so the ``disable_*`` switches have nothing to change and the
queries report that mode."""
import contextlib
import enum
import logging

from tfcompat.framework import ops


def disable_eager_execution():
    """``tf.disable_eager_execution()``: tfcompat never executes eagerly."""


def disable_v2_behavior():
    """``tf.disable_v2_behavior()``: tfcompat has TF 1.x behaviour only."""


def disable_resource_variables():
    """``tf.disable_resource_variables()``: tfcompat's variables are TF1 reference variables."""


def disable_v2_tensorshape():
    """``tf.disable_v2_tensorshape()``: tfcompat's shapes hold TF1 Dimension objects."""


def executing_eagerly():
    """``tf.executing_eagerly()``: False, always (graph mode)."""
    return False


def resource_variables_enabled():
    """``tf.resource_variables_enabled()``: False (reference variables)."""
    return False


def get_logger():
    """``tf.get_logger()``: the "tensorflow" logger (the one tf.logging writes to)."""
    return logging.getLogger("tensorflow")


@contextlib.contextmanager
def init_scope():
    """``tf.init_scope()``: ops created inside have no control dependencies and sit outside
    any tf.cond context (the name scope is kept), as TF's in graph mode."""
    with ops.get_default_graph().control_dependencies(None):
        yield


def no_regularizer(_):
    """``tf.no_regularizer``: the regularizer that adds no loss (returns None)."""
    return None


class AggregationMethod:
    """``tf.AggregationMethod``: how tf.gradients sums the gradients reaching one tensor
    (tfcompat always adds them with AddN, which all three give the same values as)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


class UnconnectedGradients(enum.Enum):
    """``tf.UnconnectedGradients``: what tf.gradients returns for an x that ys do not
    depend on."""

    NONE = "none"
    ZERO = "zero"


class VariableSynchronization(enum.Enum):
    """``tf.VariableSynchronization``: when a distributed variable's replicas agree
    (accepted by tf.Variable / tf.get_variable; tfcompat's variables have one copy)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """``tf.VariableAggregation``: how replicas' updates of a variable combine (TF 1.x's
    enum, with its deprecated ONLY_FIRST_TOWER alias)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3
