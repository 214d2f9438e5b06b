"""``tf.contrib.tpu.TPUConfig``, ``InputPipelineConfig`` and ``RunConfig`` (TF 1.15): the
TPU settings a TPUEstimator carries. tfcompat has no TPU, so they are checked as TF checks them
and kept for the code that reads them; with ``use_tpu=False`` none of them changes how the
model runs."""
import collections

from tfcompat.estimator import run_config as _run_config


def _check_positive_integer(value, name):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be positive integer, got {value}")


class InputPipelineConfig:
    """How a TPU host feeds its cores (the values of ``per_host_input_for_training``)."""

    PER_SHARD_V1 = 1
    PER_HOST_V1 = 2
    PER_HOST_V2 = 3
    BROADCAST = 4
    SLICED = 5


_TPU_CONFIG_FIELDS = [
    "iterations_per_loop", "num_shards", "num_cores_per_replica", "per_host_input_for_training",
    "tpu_job_name", "initial_infeed_sleep_secs", "input_partition_dims",
    "eval_training_input_configuration", "experimental_host_call_every_n_steps"]


class TPUConfig(collections.namedtuple("TPUConfig", _TPU_CONFIG_FIELDS)):
    """``TPUConfig(iterations_per_loop=2, num_shards=None, num_cores_per_replica=None,
    per_host_input_for_training=True, tpu_job_name=None, initial_infeed_sleep_secs=None,
    input_partition_dims=None, eval_training_input_configuration=PER_HOST_V1,
    experimental_host_call_every_n_steps=1)`` with TF's argument checks."""

    def __new__(cls, iterations_per_loop=2, num_shards=None, num_cores_per_replica=None,
                per_host_input_for_training=True, tpu_job_name=None,
                initial_infeed_sleep_secs=None, input_partition_dims=None,
                eval_training_input_configuration=InputPipelineConfig.PER_HOST_V1,
                experimental_host_call_every_n_steps=1):
        _check_positive_integer(iterations_per_loop, "TPUConfig iterations_per_loop")
        if num_shards is not None:
            _check_positive_integer(num_shards, "TPUConfig num_shards")
        if num_cores_per_replica is not None and num_cores_per_replica not in (1, 2, 4, 8):
            raise ValueError(f"num_cores_per_replica must be 1, 2, 4, 8; got "
                             f"{num_cores_per_replica}")
        if initial_infeed_sleep_secs is not None:
            _check_positive_integer(initial_infeed_sleep_secs,
                                    "TPUConfig initial_infeed_sleep_secs")
        if eval_training_input_configuration not in (InputPipelineConfig.PER_HOST_V1,
                                                     InputPipelineConfig.SLICED):
            raise ValueError("eval_training_input_configuration must be PER_HOST_V1 or "
                             "SLICED")
        _check_positive_integer(experimental_host_call_every_n_steps,
                                "TPUConfig experimental_host_call_every_n_steps")
        return super().__new__(
            cls, iterations_per_loop, num_shards, num_cores_per_replica,
            per_host_input_for_training, tpu_job_name, initial_infeed_sleep_secs,
            input_partition_dims, eval_training_input_configuration,
            experimental_host_call_every_n_steps)


class RunConfig(_run_config.RunConfig):
    """``tf.contrib.tpu.RunConfig(tpu_config=None, evaluation_master=None, master=None,
    cluster=None, **kwargs)``: a tf.estimator.RunConfig with a TPUConfig and the TPU master
    addresses (``master`` and ``evaluation_master`` default to "" on this single process).
    A ``cluster`` resolver supplies the master when ``master`` is not given, as in TF."""

    def __init__(self, tpu_config=None, evaluation_master=None, master=None, cluster=None,
                 **kwargs):
        super().__init__(**kwargs)
        tpu_config = tpu_config or TPUConfig()
        if not isinstance(tpu_config, TPUConfig):
            raise ValueError(f"tpu_config must be a TPUConfig, given: {tpu_config}")
        if cluster is not None and master is not None:
            raise ValueError("Both master and cluster are set.")
        if cluster is not None:
            master = cluster.master()
        master = master or ""
        if evaluation_master is None:
            evaluation_master = master
        self._tpu = dict(tpu_config=tpu_config, master=master,
                         evaluation_master=evaluation_master, cluster=cluster)

    tpu_config = property(lambda self: self._tpu["tpu_config"])
    master = property(lambda self: self._tpu["master"])
    evaluation_master = property(lambda self: self._tpu["evaluation_master"])
    cluster = property(lambda self: self._tpu["cluster"])

    def replace(self, **kwargs):
        """A copy with the given fields changed; ``tpu_config`` may be replaced too."""
        tpu_config = kwargs.pop("tpu_config", self.tpu_config)
        base = super().replace(**kwargs)
        return RunConfig(tpu_config=tpu_config, evaluation_master=self.evaluation_master,
                         master=None if self.cluster else self.master, cluster=self.cluster,
                         **base._values)
