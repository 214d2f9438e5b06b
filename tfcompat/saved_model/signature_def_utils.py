"""``tf.saved_model.signature_def_utils``: SignatureDefs for TF Serving's Predict, Classify
and Regress APIs (TF 1.x checks and messages) and the check that one can be served."""
from tfcompat.framework import dtypes, ops
from tfcompat.framework.signature_def import SignatureDef
from tfcompat.saved_model import signature_constants as keys
from tfcompat.saved_model.utils import build_tensor_info

_STRING = dtypes.string.as_datatype_enum
_FLOAT = dtypes.float32.as_datatype_enum


def build_signature_def(inputs=None, outputs=None, method_name=None):
    """A SignatureDef of ``inputs`` and ``outputs`` ({key: TensorInfo}) and ``method_name``."""
    signature_def = SignatureDef()
    for key, info in (inputs or {}).items():
        signature_def.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature_def.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature_def.method_name = method_name
    return signature_def


def regression_signature_def(examples, predictions):
    """The Regress signature: serialized tf.Examples (a string Tensor) in, a float Tensor
    out."""
    if examples is None:
        raise ValueError("Regression examples cannot be None.")
    if not isinstance(examples, ops.Tensor):
        raise ValueError("Regression examples must be a string Tensor.")
    if predictions is None:
        raise ValueError("Regression predictions cannot be None.")
    input_info = build_tensor_info(examples)
    if input_info.dtype != _STRING:
        raise ValueError("Regression examples must be a string Tensor.")
    output_info = build_tensor_info(predictions)
    if output_info.dtype != _FLOAT:
        raise ValueError("Regression output must be a float Tensor.")
    return build_signature_def({keys.REGRESS_INPUTS: input_info},
                               {keys.REGRESS_OUTPUTS: output_info}, keys.REGRESS_METHOD_NAME)


def classification_signature_def(examples, classes, scores):
    """The Classify signature: serialized tf.Examples in, string ``classes`` and/or float
    ``scores`` out."""
    if examples is None:
        raise ValueError("Classification examples cannot be None.")
    if not isinstance(examples, ops.Tensor):
        raise ValueError("Classification examples must be a string Tensor.")
    if classes is None and scores is None:
        raise ValueError("Classification classes and scores cannot both be None.")
    input_info = build_tensor_info(examples)
    if input_info.dtype != _STRING:
        raise ValueError("Classification examples must be a string Tensor.")
    outputs = {}
    if classes is not None:
        outputs[keys.CLASSIFY_OUTPUT_CLASSES] = build_tensor_info(classes)
        if outputs[keys.CLASSIFY_OUTPUT_CLASSES].dtype != _STRING:
            raise ValueError("Classification classes must be a string Tensor.")
    if scores is not None:
        outputs[keys.CLASSIFY_OUTPUT_SCORES] = build_tensor_info(scores)
        if outputs[keys.CLASSIFY_OUTPUT_SCORES].dtype != _FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
    return build_signature_def({keys.CLASSIFY_INPUTS: input_info}, outputs,
                               keys.CLASSIFY_METHOD_NAME)


def predict_signature_def(inputs, outputs):
    """The Predict signature: any tensors in and out ({key: Tensor}, neither empty)."""
    if not inputs:
        raise ValueError("Prediction inputs cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction outputs cannot be None or empty.")
    return build_signature_def({k: build_tensor_info(t) for k, t in inputs.items()},
                               {k: build_tensor_info(t) for k, t in outputs.items()},
                               keys.PREDICT_METHOD_NAME)


def is_valid_signature(signature_def):
    """Whether TF Serving can serve ``signature_def``: a Classify, Regress or Predict
    signature with the keys and dtypes that API requires."""
    if signature_def is None:
        return False
    method = signature_def.method_name
    if method == keys.CLASSIFY_METHOD_NAME:
        return _is_valid_classification(signature_def)
    if method == keys.REGRESS_METHOD_NAME:
        return _has_only(signature_def.inputs, {keys.REGRESS_INPUTS: _STRING}) and _has_only(
            signature_def.outputs, {keys.REGRESS_OUTPUTS: _FLOAT})
    if method == keys.PREDICT_METHOD_NAME:
        return bool(signature_def.inputs) and bool(signature_def.outputs)
    return False


def _has_only(infos, expected):
    """``infos`` has exactly the keys of ``expected``, each of the expected dtype."""
    return set(infos) == set(expected) and all(
        infos[key].dtype == dtype for key, dtype in expected.items())


def _is_valid_classification(signature_def):
    allowed = {keys.CLASSIFY_OUTPUT_CLASSES: _STRING, keys.CLASSIFY_OUTPUT_SCORES: _FLOAT}
    outputs = signature_def.outputs
    return (_has_only(signature_def.inputs, {keys.CLASSIFY_INPUTS: _STRING})
            and bool(outputs) and set(outputs) <= set(allowed)
            and all(outputs[key].dtype == allowed[key] for key in outputs))
