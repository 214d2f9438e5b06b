"""Optimizer arguments of canned estimators: a name, an Optimizer, or a callable making one
(TF's ``canned/optimizers.get_optimizer_instance``)."""
from tfcompat.train.adagrad import AdagradOptimizer
from tfcompat.train.adam import AdamOptimizer
from tfcompat.train.ftrl import FtrlOptimizer
from tfcompat.train.gradient_descent import GradientDescentOptimizer
from tfcompat.train.optimizer import Optimizer
from tfcompat.train.rmsprop import RMSPropOptimizer

_OPTIMIZER_CLS_NAMES = {"Adagrad": AdagradOptimizer, "Adam": AdamOptimizer,
                        "Ftrl": FtrlOptimizer, "RMSProp": RMSPropOptimizer,
                        "SGD": GradientDescentOptimizer}


def get_optimizer_instance(opt, learning_rate=None):
    """An Optimizer from ``opt``: a name in _OPTIMIZER_CLS_NAMES (built with
    ``learning_rate``), an Optimizer, or a function of no arguments returning one."""
    if isinstance(opt, str):
        if opt in _OPTIMIZER_CLS_NAMES:
            if not learning_rate:
                raise ValueError("learning_rate must be specified when opt is string.")
            return _OPTIMIZER_CLS_NAMES[opt](learning_rate=learning_rate)
        raise ValueError(f"Unsupported optimizer name: {opt}. Supported names are: "
                         f"{tuple(sorted(_OPTIMIZER_CLS_NAMES))}")
    if callable(opt) and not isinstance(opt, Optimizer):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {opt}")
    return opt
