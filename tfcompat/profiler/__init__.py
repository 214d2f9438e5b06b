"""tf.profiler (TF 1.15): ProfileOptionBuilder and profile (parameter and FLOP counts of a
graph's "scope", "graph" and "op" views)."""
from tfcompat.profiler.model_analyzer import profile
from tfcompat.profiler.option_builder import ProfileOptionBuilder
from tfcompat.profiler.tfprof_output import GraphNodeProto, MultiGraphNodeProto

__all__ = ["GraphNodeProto", "MultiGraphNodeProto", "ProfileOptionBuilder", "profile"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.profiler' has no attribute '{name}': tfcompat "
                         f"does not implement tf.profiler.{name} yet")
