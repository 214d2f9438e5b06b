"""Session configuration messages: ``tf.ConfigProto``, ``tf.GPUOptions``,
``tf.GraphOptions``, ``tf.OptimizerOptions`` and ``tf.RunOptions`` (TF 1.x
``core/protobuf/config.proto``), as plain objects with the proto's field names and defaults.

tfcompat reads ``allow_soft_placement``, ``log_device_placement`` and ``device_count``
(``{"CPU": n}`` gives the process n CPU devices; it has no GPU whatever is asked) and
``operation_timeout_in_ms`` (remote sessions); the thread-pool and GPU fields are kept so
TF 1.x code that sets them runs unchanged.
"""


#: The process's default thread-pool sizes (``tf.config.threading``; 0: the runtime picks):
#: a Session whose ConfigProto leaves ``intra_op_parallelism_threads`` at 0 takes "intra".
PROCESS_THREADS = {"intra": 0, "inter": 0}


class _Message:
    """Keyword construction with protobuf's error for an unknown field, and ``CopyFrom``."""

    _DEFAULTS = {}

    def __init__(self, **fields):
        for name, default in self._DEFAULTS.items():
            setattr(self, name, default() if callable(default) else default)
        for name, value in fields.items():
            if name not in self._DEFAULTS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            if isinstance(getattr(self, name), dict):
                getattr(self, name).update(value)
            else:
                setattr(self, name, value)

    def CopyFrom(self, other):  # noqa: N802 (protobuf API name)
        for name in self._DEFAULTS:
            value = getattr(other, name)
            setattr(self, name, dict(value) if isinstance(value, dict) else value)

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, name) == getattr(other, name) for name in self._DEFAULTS)

    def __repr__(self):
        changed = [f"{name}: {getattr(self, name)!r}" for name, default in self._DEFAULTS.items()
                   if getattr(self, name) != (default() if callable(default) else default)]
        return f"{type(self).__name__}({', '.join(changed)})"


class GPUOptions(_Message):
    """``tf.GPUOptions``: accepted and kept (tfcompat runs on the CPU)."""

    _DEFAULTS = {"per_process_gpu_memory_fraction": 0.0, "allow_growth": False,
                 "allocator_type": "", "visible_device_list": "",
                 "deferred_deletion_bytes": 0, "polling_active_delay_usecs": 0,
                 "force_gpu_compatible": False}


class OptimizerOptions(_Message):
    """``tf.OptimizerOptions``: graph-optimisation switches, accepted and kept (tfcompat's
    plans always prune, fold and fuse; XLA's JIT levels have nothing to turn on)."""

    L1, L0 = 0, -1
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    _DEFAULTS = {"do_common_subexpression_elimination": False, "do_constant_folding": False,
                 "max_folded_constant_in_bytes": 0, "do_function_inlining": False,
                 "opt_level": 0, "global_jit_level": 0, "cpu_global_jit": False}


class GraphOptions(_Message):
    """``tf.GraphOptions`` (``ConfigProto.graph_options``), accepted and kept."""

    _DEFAULTS = {"enable_recv_scheduling": False, "optimizer_options": OptimizerOptions,
                 "build_cost_model": 0, "build_cost_model_after": 0, "infer_shapes": False,
                 "place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
                 "timeline_step": 0}


class ConfigProto(_Message):
    """``tf.ConfigProto``: placement switches, device counts, thread pools, timeouts."""

    _DEFAULTS = {"device_count": dict, "intra_op_parallelism_threads": 0,
                 "inter_op_parallelism_threads": 0, "use_per_session_threads": False,
                 "allow_soft_placement": False, "log_device_placement": False,
                 "gpu_options": GPUOptions, "graph_options": GraphOptions,
                 "operation_timeout_in_ms": 0, "device_filters": list,
                 "isolate_session_state": False}

    def cpu_count(self):
        """How many CPU devices a process configured this way has (``device_count["CPU"]``,
        1 when unset)."""
        return int(self.device_count.get("CPU", 1))


class RunOptions(_Message):
    """``tf.RunOptions`` for one ``Session.run``: ``timeout_in_ms`` bounds how long a run on a
    server waits for other tasks (DeadlineExceededError); a local tfcompat run never waits on
    anything, so only remote sessions have a timeout to honour. Tracing levels are kept."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _DEFAULTS = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
                 "output_partition_graphs": False,
                 "report_tensor_allocations_upon_oom": False}


def as_config(config):
    """``config`` or a default ConfigProto (TypeError for anything else, like TF)."""
    if config is None:
        return ConfigProto()
    if not isinstance(config, ConfigProto):
        raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
    return config
