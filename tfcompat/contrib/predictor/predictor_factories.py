"""``from_saved_model`` and ``from_estimator``: TF 1.15 contrib's Predictor factories."""
import logging

from tfcompat.client import session as session_lib
from tfcompat.contrib.predictor.predictor import Predictor, tensors_by_name
from tfcompat.estimator import export as export_lib
from tfcompat.estimator.model_fn import ModeKeys
from tfcompat.framework import ops
from tfcompat.saved_model import loader, signature_constants
from tfcompat.train import monitored_session

_logger = logging.getLogger("tensorflow")

DEFAULT_TAGS = "serve"
_DEFAULT_INPUT_ALTERNATIVE_FORMAT = "default_input_alternative:{}"


def _tag_list(tags):
    """TF takes a comma-separated string; a list of tags is accepted too."""
    if isinstance(tags, str):
        tags = tags.split(",")
    return [tag.strip() for tag in tags]


def _meta_graph_signature(export_dir, tags, signature_def_key):
    """The SignatureDef ``signature_def_key`` (default "serving_default", falling back to
    "default_input_alternative:<key>" as TF does) of the meta graph tagged ``tags``."""
    key = signature_def_key or signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    saved_model = loader.parse_saved_model(export_dir)
    wanted = set(_tag_list(tags))
    meta_graph_def = next((meta for meta in saved_model.meta_graphs
                           if set(meta.meta_info_def.tags) == wanted), None)
    if meta_graph_def is None:
        raise ValueError(f"Could not find MetaGraphDef with tags {tags}")
    signatures = meta_graph_def.signature_def
    if key in signatures:
        return signatures[key]
    alternative = _DEFAULT_INPUT_ALTERNATIVE_FORMAT.format(key)
    if alternative not in signatures:
        raise ValueError(f'Got signature_def_key "{key}". Available signatures are '
                         f"{list(signatures)}. Original error:\n{key!r}")
    _logger.warning('Could not find signature def "%s". Using "%s" instead', key, alternative)
    return signatures[alternative]


def _check_signature_arguments(signature_def_key, signature_def, input_names, output_names):
    if (input_names is None) != (output_names is None):
        raise ValueError("input_names and output_names must both be specified or both be "
                         "unspecified.")
    specified = [signature_def_key is not None, signature_def is not None,
                 input_names is not None]
    if sum(specified) > 1:
        raise ValueError("You must specify at most one of signature_def_key OR signature_def "
                         "OR(input_names AND output_names).")


class SavedModelPredictor(Predictor):
    """A Predictor over the SavedModel in ``export_dir`` loaded into its own graph/session;
    feeds and fetches come from a SignatureDef or from explicit {key: tensor name} maps."""

    def __init__(self, export_dir, signature_def_key=None, signature_def=None,
                 input_names=None, output_names=None, tags=None, graph=None, config=None):
        _check_signature_arguments(signature_def_key, signature_def, input_names,
                                   output_names)
        tags = tags or DEFAULT_TAGS
        self._graph = graph or ops.Graph()
        with self._graph.as_default():
            self._session = session_lib.Session(config=config)
            loader.load(self._session, _tag_list(tags), export_dir)
        if input_names is None:
            if signature_def is None:
                signature_def = _meta_graph_signature(export_dir, tags, signature_def_key)
            input_names = {key: info.name for key, info in signature_def.inputs.items()}
            output_names = {key: info.name for key, info in signature_def.outputs.items()}
        self._feed_tensors = tensors_by_name(self._graph, input_names)
        self._fetch_tensors = tensors_by_name(self._graph, output_names)


class CoreEstimatorPredictor(Predictor):
    """A Predictor over a core Estimator's PREDICT graph on ``serving_input_receiver_fn()``'s
    tensors, restored from the latest checkpoint of its model_dir."""

    def __init__(self, estimator, serving_input_receiver_fn, output_key=None, graph=None,
                 config=None):
        output_key = output_key or signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
        self._graph = graph or ops.Graph()
        with self._graph.as_default():
            receiver = serving_input_receiver_fn()
            spec = estimator._call_model_fn(receiver.features, None, ModeKeys.PREDICT)
            export_outputs = export_lib.get_export_outputs(spec.export_outputs,
                                                           spec.predictions)
            if output_key not in export_outputs:
                raise KeyError(f"output_key must be one of {export_outputs.keys()}; got "
                               f"{output_key}")
            signature_def = export_outputs[output_key].as_signature_def(
                receiver.receiver_tensors)
            self._session = monitored_session.MonitoredSession(
                session_creator=monitored_session.ChiefSessionCreator(
                    checkpoint_dir=estimator.model_dir, config=config))
        self._feed_tensors = tensors_by_name(
            self._graph, {key: info.name for key, info in signature_def.inputs.items()})
        self._fetch_tensors = tensors_by_name(
            self._graph, {key: info.name for key, info in signature_def.outputs.items()})


def from_saved_model(export_dir, signature_def_key=None, signature_def=None, input_names=None,
                     output_names=None, tags=None, graph=None, config=None):
    """A Predictor over the SavedModel in ``export_dir`` (``tf.contrib.predictor.
    from_saved_model``): at most one of ``signature_def_key``, ``signature_def`` or
    ``input_names`` + ``output_names``; ``tags`` is a comma-separated string (default
    "serve")."""
    return SavedModelPredictor(export_dir, signature_def_key=signature_def_key,
                               signature_def=signature_def, input_names=input_names,
                               output_names=output_names, tags=tags, graph=graph,
                               config=config)


def from_estimator(estimator, serving_input_receiver_fn, output_key=None, graph=None,
                   config=None):
    """A Predictor over a trained ``tf.estimator.Estimator`` (``tf.contrib.predictor.
    from_estimator``); contrib.learn estimators raise TypeError as in TF."""
    from tfcompat.contrib.learn.estimators import _ContribEstimator
    if isinstance(estimator, _ContribEstimator):
        raise TypeError("Expected estimator to be of type tf.python.estimator.Estimator, but "
                        "got type tf.contrib.learn.Estimator. You likely want to call "
                        "from_contrib_estimator.")
    return CoreEstimatorPredictor(estimator, serving_input_receiver_fn, output_key=output_key,
                                  graph=graph, config=config)
