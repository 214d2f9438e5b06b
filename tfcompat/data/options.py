"""``tf.data.Options`` and its parts (TF 1.15 ``data/ops/dataset_ops.py`` and
``data/experimental/ops/*_options.py``): option objects whose fields may be set and read
(unset fields read None); setting an unknown field raises TF's AttributeError. tfcompat
accepts every option and runs pipelines the same way."""


class _OptionsBase:
    """Declared fields (``_fields``: name -> default factory), None until set."""

    _fields = {}

    def __init__(self):
        for name, factory in self._fields.items():
            object.__setattr__(self, name, factory() if factory else None)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def __eq__(self, other):
        return type(other) is type(self) and vars(self) == vars(other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def merge(self, other):
        """Fields set in ``other`` (or in its nested options) override this one's."""
        merged = type(self)()
        for name in self._fields:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, _OptionsBase):
                value = mine.merge(theirs)
            else:
                value = theirs if theirs is not None else mine
            object.__setattr__(merged, name, value)
        return merged


class MapVectorizationOptions(_OptionsBase):
    _fields = {"enabled": None, "use_choose_fastest": None}


class OptimizationOptions(_OptionsBase):
    _fields = {name: None for name in (
        "apply_default_optimizations", "autotune", "autotune_algorithm", "autotune_buffers",
        "autotune_cpu_budget", "filter_fusion", "filter_with_random_uniform_fusion",
        "hoist_random_uniform", "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion",
        "map_parallelization", "noop_elimination", "parallel_batch", "shuffle_and_repeat_fusion")}
    _fields["map_vectorization"] = MapVectorizationOptions


class ThreadingOptions(_OptionsBase):
    _fields = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class StatsOptions(_OptionsBase):
    _fields = {"aggregator": None, "counter_prefix": None, "latency_all_edges": None,
               "prefix": None}


class DistributeOptions(_OptionsBase):
    _fields = {"auto_shard": None, "num_devices": None, "auto_shard_policy": None}


class Options(_OptionsBase):
    """``tf.data.Options``: the options of a dataset (``Dataset.with_options``)."""

    _fields = {"experimental_deterministic": None, "experimental_slack": None,
               "experimental_external_state_policy": None,
               "experimental_distribute": DistributeOptions,
               "experimental_optimization": OptimizationOptions,
               "experimental_stats": StatsOptions,
               "experimental_threading": ThreadingOptions}
