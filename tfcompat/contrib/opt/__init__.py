"""``tf.contrib.opt`` (TF 1.15): AdaMax, LazyAdam, AdamW/MomentumW (decoupled weight
decay), Nadam, AddSign/PowerSign, MovingAverageOptimizer, MultitaskOptimizerWrapper,
VariableClippingOptimizer and the SciPy optimizer interface."""
from tfcompat.contrib.opt.adamax import AdaMaxOptimizer  # noqa: F401
from tfcompat.contrib.opt.external_optimizer import (ExternalOptimizerInterface,  # noqa: F401
                                                     ScipyOptimizerInterface)
from tfcompat.contrib.opt.lazy_adam_optimizer import LazyAdamOptimizer  # noqa: F401
from tfcompat.contrib.opt.moving_average_optimizer import MovingAverageOptimizer  # noqa: F401
from tfcompat.contrib.opt.multitask_optimizer_wrapper import (  # noqa: F401
    MultitaskOptimizerWrapper, clip_gradients_by_global_norm)
from tfcompat.contrib.opt.nadam_optimizer import NadamOptimizer  # noqa: F401
from tfcompat.contrib.opt.sign_optimizers import (AddSignOptimizer,  # noqa: F401
                                                  PowerSignOptimizer)
from tfcompat.contrib.opt.variable_clipping_optimizer import (  # noqa: F401
    VariableClippingOptimizer)
from tfcompat.contrib.opt.weight_decay_optimizers import (  # noqa: F401
    AdamWOptimizer, DecoupledWeightDecayExtension, MomentumWOptimizer,
    extend_with_decoupled_weight_decay)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.opt' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.opt.{name} yet")
