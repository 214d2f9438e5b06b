"""``tf.estimator``: Estimator, EstimatorSpec, ModeKeys, RunConfig, the numpy/pandas input
functions (``tf.estimator.inputs``), the canned DNN, linear, wide & deep and baseline
estimators (with TF's heads or a given one), warm starting, and the session run hooks TF 1.15
re-exports from ``tf.train``."""
from tfcompat.estimator import experimental, export, inputs  # noqa: F401
from tfcompat.estimator.canned.baseline import (BaselineClassifier,  # noqa: F401
                                                BaselineEstimator, BaselineRegressor)
from tfcompat.estimator.canned.dnn import DNNClassifier, DNNEstimator, DNNRegressor  # noqa
from tfcompat.estimator.canned.dnn_linear_combined import (  # noqa: F401
    DNNLinearCombinedClassifier, DNNLinearCombinedEstimator, DNNLinearCombinedRegressor)
from tfcompat.estimator.canned.linear import (LinearClassifier, LinearEstimator,  # noqa: F401
                                              LinearRegressor)
from tfcompat.estimator.estimator import Estimator  # noqa: F401
from tfcompat.estimator.exporter import (BestExporter, Exporter, FinalExporter,  # noqa: F401
                                         LatestExporter)
from tfcompat.estimator.estimator import WarmStartSettings  # noqa: F401
from tfcompat.estimator.metrics import add_metrics  # noqa: F401
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys  # noqa: F401
from tfcompat.estimator.parsing_utils import (classifier_parse_example_spec,  # noqa: F401
                                              regressor_parse_example_spec)
from tfcompat.estimator.run_config import RunConfig  # noqa: F401
from tfcompat.estimator.training import EvalSpec, TrainSpec, train_and_evaluate  # noqa: F401
from tfcompat.estimator import tpu  # noqa: F401

#: Names TF 1.15's tf.estimator re-exports from tf.train; resolved there on first use, so
#: those tf.train adds later (FeedFnHook, ProfilerHook, VocabInfo ...) appear here too.
_FROM_TRAIN = {"CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
               "GlobalStepWaiterHook", "LoggingTensorHook", "NanLossDuringTrainingError",
               "NanTensorHook", "ProfilerHook", "SecondOrStepTimer", "SessionRunArgs",
               "SessionRunContext", "SessionRunHook", "SessionRunValues", "StepCounterHook",
               "StopAtStepHook", "SummarySaverHook", "VocabInfo"}


def __getattr__(name):
    if name in _FROM_TRAIN:
        from tfcompat import train
        try:
            value = getattr(train, name)
        except AttributeError:
            pass
        else:
            globals()[name] = value
            return value
    raise AttributeError(f"module 'tensorflow._api.v1.estimator' has no attribute '{name}': "
                         f"tfcompat does not implement tf.estimator.{name} yet")
