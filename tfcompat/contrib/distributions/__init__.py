"""``tf.contrib.distributions``: the core distributions it shares with
``tf.distributions`` (``tfcompat/distributions/``)."""
from tfcompat.distributions import *  # noqa: F401,F403
from tfcompat.distributions import __all__  # noqa: F401


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.distributions' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.distributions.{name} yet")
