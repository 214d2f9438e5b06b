"""``tf.estimator.ModeKeys`` and ``tf.estimator.EstimatorSpec`` (TF 1.x model_fn)."""
import collections

from tfcompat.framework import ops


class ModeKeys:
    """The three modes a model_fn is called in."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


#: The key Estimator.evaluate adds for the mean of the model's loss.
LOSS_METRIC_KEY = "loss"

_FIELDS = ["mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
           "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks",
           "prediction_hooks"]


def _check_scalar_loss(loss):
    loss = ops.convert_to_tensor(loss)
    if loss.shape.ndims not in (None, 0) and loss.shape.num_elements() != 1:
        raise ValueError(f"Loss must be scalar, given: {loss}")
    return loss


def _check_metric_ops(eval_metric_ops):
    for key, metric in (eval_metric_ops or {}).items():
        if not (isinstance(metric, tuple) and len(metric) == 2):
            raise TypeError(f"Values of eval_metric_ops must be (metric_value, update_op) "
                            f"tuples, given: {metric} for key: {key}")


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """What a model_fn returns: TRAIN needs ``loss`` and ``train_op``, EVAL ``loss``, PREDICT
    ``predictions``; checked with TF's messages."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError(f"mode={mode} unrecognized.")
        if train_op is None and mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        if loss is None and mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        if loss is not None:
            loss = _check_scalar_loss(loss)
        if predictions is None:
            if mode == ModeKeys.PREDICT:
                raise ValueError("Missing predictions.")
            predictions = {}
        _check_metric_ops(eval_metric_ops)
        return super().__new__(
            cls, mode, predictions, loss, train_op, dict(eval_metric_ops or {}),
            export_outputs, tuple(training_chief_hooks or ()), tuple(training_hooks or ()),
            scaffold, tuple(evaluation_hooks or ()), tuple(prediction_hooks or ()))
