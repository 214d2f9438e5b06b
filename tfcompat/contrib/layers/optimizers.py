"""``tf.contrib.layers.optimize_loss`` (TF 1.15 ``contrib/layers/python/layers/
optimizers.py``): a training tensor (the loss after the update) from a loss, a learning rate
(a float becomes the non-trainable variable ``OptimizeLoss/learning_rate``) and an optimizer
given by name ("SGD", "Adam", "Adagrad", "Ftrl", "Momentum" (0.9), "RMSProp"), class,
instance or factory; with optional gradient noise, per-variable gradient multipliers,
clipping (a float: by global norm; or a function of the (gradient, variable) list), a
learning-rate decay function and TF's summaries (``OPTIMIZER_SUMMARIES``).
"""
from tfcompat import summary
from tfcompat.framework import dtypes, ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, check_ops, clip_ops, control_flow_ops, init_ops
from tfcompat.ops import random_ops
from tfcompat.ops import variables as variables_lib
from tfcompat.ops.indexed_slices import IndexedSlices
from tfcompat.train import training_util
from tfcompat.train.adagrad import AdagradOptimizer
from tfcompat.train.adam import AdamOptimizer
from tfcompat.train.ftrl import FtrlOptimizer
from tfcompat.train.gradient_descent import GradientDescentOptimizer
from tfcompat.train.momentum import MomentumOptimizer
from tfcompat.train.optimizer import Optimizer
from tfcompat.train.rmsprop import RMSPropOptimizer

OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": lambda learning_rate: MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm",
                       "global_gradient_norm"]


def _learning_rate(learning_rate):
    """The learning-rate tensor: a scalar tensor as given, a float as a variable."""
    if learning_rate is None:
        return None
    if isinstance(learning_rate, ops.Tensor) and learning_rate.shape.ndims == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError(f"Invalid learning_rate {learning_rate}.")
        return vs.get_variable("learning_rate", [], trainable=False,
                               initializer=init_ops.constant_initializer(learning_rate))
    raise ValueError(f"Learning rate should be 0d Tensor or float. Got {learning_rate} of "
                     f"type {type(learning_rate)}")


def _make_optimizer(optimizer, learning_rate, lr):
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError(f"Learning rate is None, but should be specified if optimizer is "
                             f"string ({optimizer}).")
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(f"Optimizer name should be one of "
                             f"[{', '.join(OPTIMIZER_CLS_NAMES)}], you provided {optimizer}.")
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError(f"Learning rate is None, but should be specified if optimizer is "
                             f"class ({optimizer}).")
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError(f"Unrecognized optimizer: function should return subclass of "
                             f"Optimizer. Got {opt}.")
        return opt
    raise ValueError(f"Unrecognized optimizer: should be string, subclass of Optimizer, "
                     f"instance of subclass of Optimizer or function with one argument. Got "
                     f"{optimizer}.")


def _check_summaries(summaries):
    if summaries is None:
        return ["loss", "learning_rate", "global_gradient_norm"]
    for name in summaries:
        if name not in OPTIMIZER_SUMMARIES:
            raise ValueError(f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}], "
                             f"you provided {name}.")
    return summaries


def _global_norm_of(gradients):
    return clip_ops.global_norm([grad for grad, _ in gradients])


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """The loss (after ``update_ops``, default UPDATE_OPS) with a control dependency on the
    update ``<name or OptimizeLoss>/train``, which also increments ``global_step`` (default:
    the graph's) unless ``increment_global_step`` is False."""
    loss = ops.convert_to_tensor(loss)
    check_ops.assert_scalar(loss)
    if global_step is None:
        global_step = training_util.get_global_step()
    else:
        training_util.assert_global_step(global_step)
    with vs.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(ops.get_collection(ops.GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = control_flow_ops._with_dependencies(list(update_ops), loss)
        lr = _learning_rate(learning_rate)
        summaries = _check_summaries(summaries)
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                summary.scalar("learning_rate", lr)
        opt = _make_optimizer(optimizer, learning_rate, lr)
        if variables is None:
            variables = variables_lib.trainable_variables()
        gradients = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most "
                                 "likely to be caused by an improper value of "
                                 "gradient_multipliers.")
        norm_summaries = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norm_summaries:
            summary.scalar("global_norm/gradient_norm", _global_norm_of(gradients))
        if isinstance(clip_gradients, float):
            gradients = _clip_gradients_by_norm(gradients, clip_gradients)
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
        if "loss" in summaries:
            summary.scalar("loss", loss)
        _gradient_summaries(gradients, summaries)
        if clip_gradients is not None and norm_summaries:
            summary.scalar("global_norm/clipped_gradient_norm", _global_norm_of(gradients))
        grad_updates = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None,
            name="train")
        return control_flow_ops._with_dependencies([grad_updates], loss)


def _gradient_summaries(gradients, summaries):
    for gradient, variable in gradients:
        values = gradient.values if isinstance(gradient, IndexedSlices) else gradient
        if values is None:
            continue
        var_name = variable.name.replace(":", "_")
        if "gradients" in summaries:
            summary.histogram(f"gradients/{var_name}", values)
        if "gradient_norm" in summaries:
            summary.scalar(f"gradient_norm/{var_name}", clip_ops.global_norm([values]))


def _clip_gradients_by_norm(grads_and_vars, clip_gradients):
    gradients, variables = zip(*grads_and_vars, strict=True)
    clipped, _ = clip_ops.clip_by_global_norm(gradients, clip_gradients)
    return list(zip(clipped, variables, strict=True))


def _add_scaled_noise_to_gradients(grads_and_vars, gradient_noise_scale):
    """Each gradient plus truncated-normal noise times ``gradient_noise_scale``."""
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is not None:
            shape = (gradient.dense_shape if isinstance(gradient, IndexedSlices)
                     else gradient.shape)
            gradient = gradient + random_ops.truncated_normal(shape) * gradient_noise_scale
        noisy.append((gradient, variable))
    return noisy


def _multiply_gradients(grads_and_vars, gradient_multipliers):
    """Gradients of the variables (or variable names) in ``gradient_multipliers`` times
    their float32 multiplier."""
    multiplied = []
    for grad, var in grads_and_vars:
        key = var if var in gradient_multipliers else var.name
        if grad is not None and key in gradient_multipliers:
            multiplier = array_ops.constant(gradient_multipliers[key], dtype=dtypes.float32)
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad = grad * multiplier
        multiplied.append((grad, var))
    return multiplied
