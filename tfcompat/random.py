"""``tf.random``: TF 1.15's random namespace: the random, stateless and candidate-sampling
ops under their ``tf.random`` names, and the seed functions."""
from tfcompat.framework.random_seed import get_seed, set_random_seed  # noqa: F401
from tfcompat.ops.candidate_sampler_ops import (all_candidate_sampler,  # noqa: F401
                                                 fixed_unigram_candidate_sampler,
                                                 learned_unigram_candidate_sampler,
                                                 log_uniform_candidate_sampler,
                                                 uniform_candidate_sampler)
from tfcompat.ops.random_ops import categorical, multinomial  # noqa: F401
from tfcompat.ops.random_ops import random_gamma as gamma  # noqa: F401
from tfcompat.ops.random_ops import random_normal as normal  # noqa: F401
from tfcompat.ops.random_ops import random_poisson as poisson  # noqa: F401
from tfcompat.ops.random_ops import random_shuffle as shuffle  # noqa: F401
from tfcompat.ops.random_ops import random_uniform as uniform  # noqa: F401
from tfcompat.ops.random_ops import truncated_normal  # noqa: F401
from tfcompat.ops.stateless_random_ops import (stateless_categorical,  # noqa: F401
                                               stateless_multinomial)
from tfcompat.ops.stateless_random_ops import \
    stateless_random_binomial as stateless_binomial  # noqa: F401
from tfcompat.ops.stateless_random_ops import \
    stateless_random_normal as stateless_normal  # noqa: F401
from tfcompat.ops.stateless_random_ops import \
    stateless_random_uniform as stateless_uniform  # noqa: F401
from tfcompat.ops.stateless_random_ops import stateless_truncated_normal  # noqa: F401

from tfcompat.ops.stateful_random_ops import (Algorithm, Generator,  # noqa: F401,E402
                                              create_rng_state, get_global_generator,
                                              set_global_generator)
