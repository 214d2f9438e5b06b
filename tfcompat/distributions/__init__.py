"""``tf.distributions``: TF 1.x's probability distributions (deprecated there in favour of
TensorFlow Probability, but used by TF1-era VAE and policy-gradient code)."""
from tfcompat.distributions.continuous import (Beta, Dirichlet, Exponential,  # noqa: F401
                                               Gamma, Laplace, Normal, StudentT, Uniform)
from tfcompat.distributions.discrete import Bernoulli, Categorical, Multinomial  # noqa: F401
from tfcompat.distributions.distribution import (FULLY_REPARAMETERIZED,  # noqa: F401
                                                 NOT_REPARAMETERIZED, Distribution, RegisterKL,
                                                 ReparameterizationType, kl_divergence)

__all__ = ["Bernoulli", "Beta", "Categorical", "Dirichlet", "Distribution", "Exponential",
           "FULLY_REPARAMETERIZED", "Gamma", "Laplace", "Multinomial", "NOT_REPARAMETERIZED",
           "Normal", "RegisterKL", "ReparameterizationType", "StudentT", "Uniform",
           "kl_divergence"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.distributions' has no attribute '{name}': "
                         f"tfcompat does not implement tf.distributions.{name} yet")
