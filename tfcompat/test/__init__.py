"""``tf.test``: gradient checking helpers (TF 1.x ``gradient_checker``)."""
from tfcompat.test.gradient_checker import (check_gradients, compute_gradient,  # noqa: F401
                                            compute_gradient_error)
