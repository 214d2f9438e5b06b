"""``tf.initializers`` (TF 1.15's v1 namespace): the init_ops initializers under their short
names, plus the variable-initializer ops (``global_variables``, ``local_variables``,
``variables``)."""
from tfcompat.ops.init_ops import (Constant as constant,  # noqa: F401
                                         GlorotNormal as glorot_normal,
                                         GlorotUniform as glorot_uniform,
                                         Identity as identity, Ones as ones,
                                         Orthogonal as orthogonal,
                                         RandomNormal as random_normal,
                                         RandomUniform as random_uniform,
                                         TruncatedNormal as truncated_normal,
                                         UniformUnitScaling as uniform_unit_scaling,
                                         VarianceScaling as variance_scaling, Zeros as zeros,
                                         he_normal, he_uniform, lecun_normal, lecun_uniform)
from tfcompat.ops.lookup_ops import tables_initializer  # noqa: F401
from tfcompat.ops.variables import (global_variables_initializer,  # noqa: F401
                                          local_variables_initializer, variables_initializer)


def global_variables():
    """``tf.initializers.global_variables()`` = ``tf.global_variables_initializer()``."""
    return global_variables_initializer()


def local_variables():
    """``tf.initializers.local_variables()`` = ``tf.local_variables_initializer()``."""
    return local_variables_initializer()


def variables(var_list, name="init"):
    """``tf.initializers.variables(var_list, name='init')``."""
    return variables_initializer(var_list, name=name)


__all__ = ["constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
           "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal",
           "random_uniform", "truncated_normal", "uniform_unit_scaling", "variance_scaling",
           "zeros", "global_variables", "local_variables", "variables", "tables_initializer"]
