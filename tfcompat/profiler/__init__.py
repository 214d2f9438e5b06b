"""tf.profiler (TF 1.15): ProfileOptionBuilder, profile and Profiler (parameter, FLOP and
traced run-time statistics of a graph's "scope", "graph" and "op" views)."""
from tfcompat.profiler.model_analyzer import Profiler, profile
from tfcompat.profiler.option_builder import ProfileOptionBuilder
from tfcompat.profiler.tfprof_output import GraphNodeProto, MultiGraphNodeProto

__all__ = ["GraphNodeProto", "MultiGraphNodeProto", "ProfileOptionBuilder", "Profiler",
           "profile"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.profiler' has no attribute '{name}': tfcompat "
                         f"does not implement tf.profiler.{name} yet")
