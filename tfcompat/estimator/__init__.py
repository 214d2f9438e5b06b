"""``tf.estimator``: Estimator, EstimatorSpec, ModeKeys, RunConfig, the numpy/pandas input
functions (``tf.estimator.inputs``) and the canned DNN and linear estimators (TF 1.x)."""
from tfcompat.estimator import inputs  # noqa: F401
from tfcompat.estimator import export  # noqa: F401
from tfcompat.estimator.canned.baseline import BaselineClassifier, BaselineRegressor  # noqa
from tfcompat.estimator.canned.dnn import DNNClassifier, DNNRegressor  # noqa: F401
from tfcompat.estimator.canned.dnn_linear_combined import (  # noqa: F401
    DNNLinearCombinedClassifier, DNNLinearCombinedRegressor)
from tfcompat.estimator.canned.linear import LinearClassifier, LinearRegressor  # noqa: F401
from tfcompat.estimator.estimator import Estimator  # noqa: F401
from tfcompat.estimator.estimator import WarmStartSettings  # noqa: F401
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys  # noqa: F401
from tfcompat.estimator.run_config import RunConfig  # noqa: F401
from tfcompat.estimator.training import EvalSpec, TrainSpec, train_and_evaluate  # noqa: F401


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.estimator' has no attribute '{name}': "
                         f"tfcompat does not implement tf.estimator.{name} yet")
