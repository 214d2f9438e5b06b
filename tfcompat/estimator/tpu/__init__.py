"""``tf.estimator.tpu`` (TF 1.15; also ``tf.contrib.tpu``): TPUEstimator with
``use_tpu=False``, TPUEstimatorSpec, RunConfig, TPUConfig and InputPipelineConfig, running on
the CPU as tf.estimator.Estimator. Any other name raises the "not implemented yet"
AttributeError."""
from tfcompat.estimator.tpu.tpu_config import InputPipelineConfig, RunConfig, TPUConfig  # noqa
from tfcompat.estimator.tpu.tpu_estimator import TPUEstimator, TPUEstimatorSpec  # noqa: F401


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.estimator.tpu' has no attribute "
                         f"'{name}': tfcompat does not implement tf.estimator.tpu.{name} yet")
