"""``tf.estimator.export``: what ``Estimator.export_saved_model`` serves. A
``serving_input_receiver_fn`` returns a ``ServingInputReceiver`` (the features the model_fn
gets and the tensors a request feeds); ``ExportOutput``s (``PredictOutput``,
``ClassificationOutput``, ``RegressionOutput``) become the SavedModel's SignatureDefs
(TF 1.x's checks and messages).
"""
import collections
import logging

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import array_ops, parsing_ops
from tfcompat.ops.sparse_tensor import SparseTensor
from tfcompat.saved_model import signature_constants, signature_def_utils

_logger = logging.getLogger("tensorflow")

_SINGLE_FEATURE_DEFAULT_NAME = "feature"
_SINGLE_RECEIVER_DEFAULT_NAME = "input"


def _wrap_and_check_tensors(tensors, field_name, single_name):
    """``tensors`` as a dict of name -> Tensor/SparseTensor (a lone tensor under
    ``single_name``), each key a string."""
    if not isinstance(tensors, dict):
        tensors = {single_name: tensors}
    if not tensors:
        raise ValueError(f"{field_name} cannot be empty")
    for name, tensor in tensors.items():
        if not isinstance(name, str):
            raise ValueError(f"{field_name} keys must be strings: {name}")
        if not isinstance(tensor, (ops.Tensor, SparseTensor)):
            raise ValueError(f"{field_name} must be a Tensor or SparseTensor.")
    return tensors


class ServingInputReceiver(collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors",
                                 "receiver_tensors_alternatives"])):
    """The features a served model_fn gets and the tensors a request feeds
    (``receiver_tensors``: a tensor or dict; a lone one is named "input")."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        features = _wrap_and_check_tensors(features, "features",
                                           _SINGLE_FEATURE_DEFAULT_NAME)
        receiver_tensors = _wrap_and_check_tensors(receiver_tensors, "receiver_tensors",
                                                   _SINGLE_RECEIVER_DEFAULT_NAME)
        alternatives = {}
        for name, tensors in (receiver_tensors_alternatives or {}).items():
            alternatives[name] = _wrap_and_check_tensors(
                tensors, "receiver_tensors_alternative", _SINGLE_RECEIVER_DEFAULT_NAME)
        return super().__new__(cls, features, receiver_tensors, alternatives or None)


class TensorServingInputReceiver(collections.namedtuple(
        "TensorServingInputReceiver", ["features", "receiver_tensors",
                                       "receiver_tensors_alternatives"])):
    """A ServingInputReceiver whose features are one Tensor, passed to the model_fn as is."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError("features must be defined.")
        if not isinstance(features, (ops.Tensor, SparseTensor)):
            raise ValueError("feature must be a Tensor or SparseTensor.")
        receiver = ServingInputReceiver({_SINGLE_FEATURE_DEFAULT_NAME: features},
                                        receiver_tensors, receiver_tensors_alternatives)
        return super().__new__(cls, features, receiver.receiver_tensors,
                               receiver.receiver_tensors_alternatives)


def _placeholder_like(tensor, default_batch_size):
    """A placeholder of ``tensor``'s dtype and shape (first dimension ``default_batch_size``)
    and name."""
    shape = tensor.get_shape()
    if shape.ndims is not None and shape.ndims > 0:
        shape = tensor_shape.TensorShape([default_batch_size] + shape.as_list()[1:])
    return array_ops.placeholder(dtype=tensor.dtype, shape=shape, name=tensor.op.name)


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A serving_input_receiver_fn feeding placeholders shaped like ``features`` (a dict of
    tensors or one tensor) straight to the model."""
    def serving_input_receiver_fn():
        if isinstance(features, dict):
            receiver_tensors = {name: _placeholder_like(t, default_batch_size)
                                for name, t in features.items()}
        else:
            receiver_tensors = _placeholder_like(features, default_batch_size)
        return ServingInputReceiver(receiver_tensors, receiver_tensors)
    return serving_input_receiver_fn


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A serving_input_receiver_fn taking serialized tf.Examples ("examples", a string
    placeholder named "input_example_tensor") parsed with ``feature_spec``."""
    def serving_input_receiver_fn():
        serialized = array_ops.placeholder(dtype=dtypes.string, shape=[default_batch_size],
                                           name="input_example_tensor")
        features = parsing_ops.parse_example(serialized, feature_spec)
        return ServingInputReceiver(features, {"examples": serialized})
    return serving_input_receiver_fn


# ---- export outputs -----------------------------------------------------------------------
class ExportOutput:
    """One output a SavedModel serves: ``as_signature_def(receiver_tensors)``."""

    _SEPARATOR_CHAR = "/"

    def as_signature_def(self, receiver_tensors):
        raise NotImplementedError

    def _check_output_key(self, key, error_label):
        if isinstance(key, tuple):
            key = self._SEPARATOR_CHAR.join(key)
        if not isinstance(key, str):
            raise ValueError(f"{error_label} output key must be a string; got {key}.")
        return key

    def _wrap_and_check_outputs(self, outputs, single_output_default_name, error_label):
        if not isinstance(outputs, dict):
            outputs = {single_output_default_name: outputs}
        checked = {}
        for key, value in outputs.items():
            key = self._check_output_key(key, error_label)
            if not isinstance(value, ops.Tensor):
                raise ValueError(f"{error_label} output value must be a Tensor; got {value}.")
            checked[key] = value
        return checked


def _single_string_input(receiver_tensors, what):
    if len(receiver_tensors) != 1:
        raise ValueError(f"{what} input must be a single string Tensor; got "
                         f"{receiver_tensors}")
    (_, examples), = receiver_tensors.items()
    if examples.dtype.base_dtype != dtypes.string:
        raise ValueError(f"{what} input must be a single string Tensor; got "
                         f"{receiver_tensors}")
    return examples


class ClassificationOutput(ExportOutput):
    """Scores (float32) and/or classes (string) for TF Serving's Classify API."""

    def __init__(self, scores=None, classes=None):
        if scores is not None and not (isinstance(scores, ops.Tensor)
                                       and scores.dtype.base_dtype == dtypes.float32):
            raise ValueError(f"Classification scores must be a float32 Tensor; got {scores}")
        if classes is not None and not (isinstance(classes, ops.Tensor)
                                        and classes.dtype.base_dtype == dtypes.string):
            raise ValueError(f"Classification classes must be a string Tensor; got {classes}")
        if scores is None and classes is None:
            raise ValueError("At least one of scores and classes must be set.")
        self._scores, self._classes = scores, classes

    scores = property(lambda self: self._scores)
    classes = property(lambda self: self._classes)

    def as_signature_def(self, receiver_tensors):
        examples = _single_string_input(receiver_tensors, "Classification")
        return signature_def_utils.classification_signature_def(
            examples, self._classes, self._scores)


class RegressionOutput(ExportOutput):
    """One float32 value per example for TF Serving's Regress API."""

    def __init__(self, value):
        if not (isinstance(value, ops.Tensor) and value.dtype.base_dtype == dtypes.float32):
            raise ValueError(f"Regression output value must be a float32 Tensor; got {value}")
        self._value = value

    value = property(lambda self: self._value)

    def as_signature_def(self, receiver_tensors):
        examples = _single_string_input(receiver_tensors, "Regression")
        return signature_def_utils.regression_signature_def(examples, self._value)


class PredictOutput(ExportOutput):
    """Any tensors (a dict, or one tensor named "output") for TF Serving's Predict API."""

    def __init__(self, outputs):
        self._outputs = self._wrap_and_check_outputs(outputs, "output", "Prediction")

    outputs = property(lambda self: self._outputs)

    def as_signature_def(self, receiver_tensors):
        return signature_def_utils.predict_signature_def(receiver_tensors, self._outputs)


# ---- what Estimator.export_saved_model uses ---------------------------------------------------
def get_export_outputs(export_outputs, predictions):
    """The model_fn's export_outputs (default: a PredictOutput of its predictions under
    "serving_default"), checked; a single output is also served as "serving_default"."""
    if export_outputs is None:
        export_outputs = {signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                          PredictOutput(predictions)}
    if not isinstance(export_outputs, dict):
        raise TypeError(f"export_outputs must be dict, given: {export_outputs}")
    if not all(isinstance(v, ExportOutput) for v in export_outputs.values()):
        raise TypeError(f"Values in export_outputs must be ExportOutput objects. Given: "
                        f"{export_outputs}")
    export_outputs = dict(export_outputs)
    default = signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    if len(export_outputs) == 1:
        export_outputs.setdefault(default, next(iter(export_outputs.values())))
    elif default not in export_outputs:
        raise ValueError("Multiple export_outputs were provided, but none of them is specified "
                         "as the default.  Do this by naming one of them with "
                         "signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY.")
    return export_outputs


def build_all_signature_defs(receiver_tensors, export_outputs,
                             receiver_tensors_alternatives=None):
    """{signature key: SignatureDef} of every export output for the receiver tensors (and
    "<receiver>:<output>" for alternative receivers) that TF Serving can serve; the others
    are left out and logged, as TF does."""
    candidates = [(key, output, receiver_tensors) for key, output in export_outputs.items()]
    for receiver_name, tensors in (receiver_tensors_alternatives or {}).items():
        candidates.extend((f"{receiver_name}:{key}", output, tensors)
                          for key, output in export_outputs.items())
    signatures, excluded = {}, {}
    for key, output, tensors in candidates:
        try:
            signature = output.as_signature_def(tensors)
        except ValueError as exc:
            excluded[key] = str(exc)
            continue
        if signature_def_utils.is_valid_signature(signature):
            signatures[key] = signature
        else:
            excluded[key] = "not a valid TF Serving signature"
    for key, reason in sorted(excluded.items()):
        _logger.warning("Export includes no signature %r: %s", key, reason)
    _logger.info("Signatures INCLUDED in export: %s", sorted(signatures) or None)
    return signatures


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.estimator.export' has no attribute "
                         f"'{name}': tfcompat does not implement tf.estimator.export.{name} yet")
