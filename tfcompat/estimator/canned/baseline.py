"""``tf.estimator.BaselineClassifier`` / ``BaselineRegressor`` (TF 1.x): a model that ignores
the feature values and learns one bias per logit, ``baseline/bias`` (Ftrl with learning rate
0.3 by default), predicting the class prior or the label mean."""
from tfcompat import summary
from tfcompat.estimator.canned import head as head_lib
from tfcompat.estimator.canned import optimizers
from tfcompat.estimator.canned.dnn import _check_v1_options
from tfcompat.estimator.estimator import Estimator
from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, math_ops

_LEARNING_RATE = 0.3


def _baseline_model_fn(features, labels, mode, head, optimizer):
    if not isinstance(features, dict) or not features:
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: "
                         f"{type(features)}")
    first = ops.convert_to_tensor(features[sorted(features)[0]])
    units = head.logits_dimension
    with vs.variable_scope("baseline"):
        bias = vs.get_variable("bias", shape=[units], dtype=dtypes.float32,
                               initializer=init_ops.zeros_initializer())
        batch_size = array_ops.shape(first)[0]
        logits = math_ops.multiply(bias, array_ops.ones(array_ops.stack([batch_size, units])))
    if units == 1:
        summary.scalar("bias", bias[0])
    else:
        summary.histogram("bias", bias)
    optimizer = optimizers.get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    return head.create_estimator_spec(features, mode, logits, labels=labels,
                                      optimizer=optimizer)


class BaselineEstimator(Estimator):
    """``tf.estimator.BaselineEstimator(head, model_dir=None, optimizer='Ftrl', config=None)``:
    the learned per-logit bias of BaselineClassifier with a given head."""

    def __init__(self, head, model_dir=None, optimizer="Ftrl", config=None):
        def model_fn(features, labels, mode, config):
            return _baseline_model_fn(features, labels, mode, head, optimizer)
        super().__init__(model_fn, model_dir=model_dir, config=config)


class BaselineClassifier(BaselineEstimator):
    """``tf.estimator.BaselineClassifier(model_dir=None, n_classes=2, weight_column=None,
    label_vocabulary=None, optimizer='Ftrl', config=None)``."""

    def __init__(self, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, loss_reduction="weighted_sum"):
        _check_v1_options(loss_reduction, False)
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary)
        super().__init__(head, model_dir, optimizer, config)


class BaselineRegressor(BaselineEstimator):
    """``tf.estimator.BaselineRegressor(model_dir=None, label_dimension=1, weight_column=None,
    optimizer='Ftrl', config=None)``."""

    def __init__(self, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, loss_reduction="weighted_sum"):
        _check_v1_options(loss_reduction, False)
        head = head_lib.RegressionHead(label_dimension, weight_column)
        super().__init__(head, model_dir, optimizer, config)
