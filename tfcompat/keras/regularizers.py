"""``tf.keras.regularizers``: L1L2, l1, l2, l1_l2 and ``get`` (loss = l1 * sum|w| + l2 *
sum(w^2), Keras' formula)."""
from tfcompat.ops import math_ops


class Regularizer:
    """Base: a callable from a weight tensor to a scalar loss."""

    def __call__(self, x):
        return 0.0


class L1L2(Regularizer):
    """``L1L2(l1=0.0, l2=0.0)``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        regularization = 0.0
        if self.l1:
            regularization += self.l1 * math_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            regularization += self.l2 * math_ops.reduce_sum(math_ops.square(x))
        return regularization

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def l1(l=0.01):  # noqa: E741 (Keras' argument name)
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741
    return L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811
    return L1L2(l1=l1, l2=l2)


def get(identifier):
    """None, a callable, or "l1" / "l2" / "l1_l2" with Keras' default factor 0.01."""
    if identifier is None or callable(identifier):
        return identifier
    by_name = {"l1": l1, "l2": l2, "l1_l2": l1_l2}
    if isinstance(identifier, str) and identifier in by_name:
        return by_name[identifier]()
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.regularizers' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.regularizers.{name} yet")
