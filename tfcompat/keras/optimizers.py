"""``tf.keras.optimizers`` for graph-mode models: SGD, Adam, RMSprop, Adagrad, and ``get``.

Each one minimizes with the matching ``tf.train`` optimizer (the same Apply* update ops)
and Keras' default hyperparameters (SGD 0.01; Adam 0.001, epsilon 1e-7; RMSprop 0.001,
rho 0.9, epsilon 1e-7; Adagrad 0.001). ``lr`` is accepted for ``learning_rate``. TF 1.15's
Keras optimizers are OptimizerV2 objects whose slot variables are named differently, and
RMSprop's mean square starts at 0 there where tf.train's starts at 1: checkpoints of Keras
optimizer state do not line up with TF's.
"""
from tfcompat.train.adagrad import AdagradOptimizer
from tfcompat.train.adam import AdamOptimizer
from tfcompat.train.gradient_descent import GradientDescentOptimizer
from tfcompat.train.momentum import MomentumOptimizer
from tfcompat.train.rmsprop import RMSPropOptimizer


class Optimizer:
    """Base: a Keras optimizer that builds a tf.train optimizer. ``lr`` (also
    ``learning_rate``) is a float until ``minimize`` (``Model.compile``) makes it the
    variable "<Name>/learning_rate", which callbacks change with ``backend.set_value``."""

    def __init__(self, learning_rate, name=None, **kwargs):
        self._lr = kwargs.pop("lr", learning_rate)
        self._name = name or type(self).__name__
        if kwargs.pop("decay", 0.0):
            raise ValueError("tfcompat's keras optimizers do not implement `decay` yet")
        if kwargs:
            raise TypeError(f"Unexpected keyword argument passed to optimizer: "
                            f"{sorted(kwargs)[0]}")

    @property
    def lr(self):
        return self._lr

    learning_rate = lr

    def _train_optimizer(self):
        raise NotImplementedError

    def get_config(self):
        """The hyperparameters (the current learning rate once it is a variable)."""
        from tfcompat.keras import backend
        lr = self._lr
        if not isinstance(lr, (int, float)):
            lr = float(backend.get_value(lr))
        return dict({"learning_rate": lr}, **self._hyperparameters())

    def _hyperparameters(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def minimize(self, loss, var_list=None):
        from tfcompat.framework import ops
        from tfcompat.ops import variables
        if not isinstance(self._lr, variables.Variable):
            with ops.name_scope(self._name):
                self._lr = variables.Variable(float(self._lr), name="learning_rate",
                                              trainable=False)
        return self._train_optimizer().minimize(loss, var_list=var_list)


class SGD(Optimizer):
    """``tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.momentum = momentum
        self.nesterov = nesterov

    def _hyperparameters(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}

    def _train_optimizer(self):
        if self.momentum:
            return MomentumOptimizer(self._lr, self.momentum,
                                     use_nesterov=self.nesterov)
        return GradientDescentOptimizer(self._lr)


class Adam(Optimizer):
    """``tf.keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999,
    epsilon=1e-7)``."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="Adam", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        if amsgrad:
            raise ValueError("tfcompat's keras Adam does not implement amsgrad")
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _hyperparameters(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}

    def _train_optimizer(self):
        return AdamOptimizer(self._lr, self.beta_1, self.beta_2, self.epsilon)


class RMSprop(Optimizer):
    """``tf.keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0,
    epsilon=1e-7)``."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name="RMSprop", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _hyperparameters(self):
        return {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}

    def _train_optimizer(self):
        return RMSPropOptimizer(self._lr, decay=self.rho, momentum=self.momentum,
                                epsilon=self.epsilon, centered=self.centered)


class Adagrad(Optimizer):
    """``tf.keras.optimizers.Adagrad(learning_rate=0.001, initial_accumulator_value=0.1)``."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="Adagrad", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value

    def _hyperparameters(self):
        return {"initial_accumulator_value": self.initial_accumulator_value}

    def _train_optimizer(self):
        return AdagradOptimizer(self._lr,
                                initial_accumulator_value=self.initial_accumulator_value)


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


def get(identifier):
    """An optimizer from a name ("sgd", "adam", "rmsprop", "adagrad"), a Keras optimizer,
    or a tf.train optimizer (used as it is)."""
    from tfcompat.train.optimizer import Optimizer as TrainOptimizer
    if isinstance(identifier, (Optimizer, TrainOptimizer)):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.optimizers' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.optimizers.{name} yet")
