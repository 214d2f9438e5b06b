"""``tf.saved_model.loader``: loads a SavedModel (TF 1.x's loader): imports the meta graph of
the given tags into the session's graph, restores the variables from ``variables/variables``
and runs the main op (or legacy init op) with the asset tensors fed their files' paths.
Reads SavedModels written by TensorFlow as well as by tfcompat (binary ``saved_model.pb``).
"""
import logging
import os

from tfcompat.framework import ops
from tfcompat.framework.meta_graph import MetaGraphParseError, SavedModel, prepend_name_scope
from tfcompat.framework.signature_def import AnyProto, AssetFileDef
from tfcompat.saved_model import constants

_logger = logging.getLogger("tensorflow")


def _as_path(path):
    path = os.fspath(path)
    return path.decode() if isinstance(path, bytes) else path


def parse_saved_model(export_dir):
    """The SavedModel message of ``export_dir/saved_model.pb``; IOError when it is missing or
    does not parse (tfcompat does not read the text form ``saved_model.pbtxt``)."""
    export_dir = _as_path(export_dir)
    path_pb = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    path_pbtxt = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
    if os.path.isfile(path_pb):
        with open(path_pb, "rb") as f:
            data = f.read()
        try:
            return SavedModel.FromString(data)
        except (MetaGraphParseError, ValueError) as exc:
            raise OSError(f"Cannot parse file {path_pb}: {exc}.") from None
    if os.path.isfile(path_pbtxt):
        raise OSError(f"Cannot parse file {path_pbtxt}: tfcompat reads SavedModels in binary "
                      f"form only ({constants.SAVED_MODEL_FILENAME_PB}).")
    raise OSError(f"SavedModel file does not exist at: {export_dir}/"
                  f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|"
                  f"{constants.SAVED_MODEL_FILENAME_PB}}}")


def maybe_saved_model_directory(export_dir):
    """Whether ``export_dir`` holds a saved_model.pb or saved_model.pbtxt (which does not
    promise that it loads)."""
    export_dir = _as_path(export_dir)
    return any(os.path.exists(os.path.join(export_dir, name)) for name in (
        constants.SAVED_MODEL_FILENAME_PBTXT, constants.SAVED_MODEL_FILENAME_PB))


def get_asset_tensors(export_dir, meta_graph_def, import_scope=None):
    """{asset tensor name: path of its file in export_dir/assets} of a meta graph (its
    ``asset_file_def`` field, else the ``saved_model_assets`` collection)."""
    assets = list(meta_graph_def.asset_file_def)
    collection = meta_graph_def.collection_def.get(constants.ASSETS_KEY)
    if not assets and collection is not None and collection.kind == "any_list":
        for packed in collection.value:
            asset = AssetFileDef()
            if AnyProto.FromString(packed).Unpack(asset):
                assets.append(asset)
    assets_dir = os.path.join(_as_path(export_dir), constants.ASSETS_DIRECTORY)
    return {prepend_name_scope(asset.tensor_info.name, import_scope):
            os.path.join(assets_dir, asset.filename) for asset in assets}


def get_init_op(meta_graph_def, import_scope=None):
    """The op to run after restoring: the ``__saved_model_init_op`` signature's, else the main
    op collection's, else the legacy init op collection's (None when there is none)."""
    signature = meta_graph_def.signature_def.get(constants.INIT_OP_SIGNATURE_KEY)
    if signature is not None:
        info = signature.outputs[constants.INIT_OP_SIGNATURE_KEY]
        return ops.get_default_graph().as_graph_element(
            prepend_name_scope(info.name, import_scope))
    for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
        collection = meta_graph_def.collection_def.get(key)
        if collection is None:
            continue
        if len(collection.value) != 1:
            raise RuntimeError(f"Expected exactly one SavedModel init op. Found: "
                               f"{collection.value}")
        return ops.get_collection(key)[0]
    return None


class SavedModelLoader:
    """Loads the meta graphs of the SavedModel in ``export_dir``."""

    def __init__(self, export_dir):
        self._export_dir = _as_path(export_dir)
        self._variables_path = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY,
                                            constants.VARIABLES_FILENAME)
        self._saved_model = parse_saved_model(self._export_dir)

    @property
    def export_dir(self):
        return self._export_dir

    @property
    def variables_path(self):
        return self._variables_path

    @property
    def saved_model(self):
        return self._saved_model

    def get_meta_graph_def_from_tags(self, tags):
        """The meta graph whose tag set equals ``tags``; RuntimeError when none has them."""
        for meta_graph_def in self._saved_model.meta_graphs:
            if set(meta_graph_def.meta_info_def.tags) == set(tags):
                return meta_graph_def
        raise RuntimeError(
            f"MetaGraphDef associated with tags {str(tags).strip('[]')} could not be found in "
            "SavedModel. To inspect available tag-sets in the SavedModel, please use the "
            "SavedModel CLI: `saved_model_cli`")

    def load_graph(self, graph, tags, import_scope=None, **saver_kwargs):
        """Imports the meta graph of ``tags`` into ``graph``: (Saver or None, elements)."""
        from tfcompat.train.saver import _import_meta_graph_with_return_elements
        meta_graph_def = self.get_meta_graph_def_from_tags(tags)
        with graph.as_default():
            return _import_meta_graph_with_return_elements(
                meta_graph_def, import_scope=import_scope, **saver_kwargs)

    def restore_variables(self, sess, saver, import_scope=None):
        """Restores the variables with ``saver``; with no Saver the graph must have none."""
        from tfcompat.train.saver import Saver, _all_saveable_objects
        with sess.graph.as_default():
            if saver is None and not _all_saveable_objects(scope=import_scope):
                _logger.info("The specified SavedModel has no variables; no checkpoints were "
                             "restored.")
            elif isinstance(saver, Saver):
                saver.restore(sess, self._variables_path)
            else:
                raise ValueError("No tf.train.Saver object was passed to the function "
                                 "SavedModelLoader.restore_variables. Since there are "
                                 "variables in the graph, a saver is required.")

    def run_init_ops(self, sess, tags, import_scope=None):
        """Runs the meta graph's init op with the asset tensors fed their paths."""
        meta_graph_def = self.get_meta_graph_def_from_tags(tags)
        with sess.graph.as_default():
            assets = get_asset_tensors(self._export_dir, meta_graph_def, import_scope)
            init_op = get_init_op(meta_graph_def, import_scope)
            if init_op is not None:
                sess.run(fetches=[init_op], feed_dict=assets)

    def load(self, sess, tags, import_scope=None, **saver_kwargs):
        """Imports, restores and initialises; returns the MetaGraphDef loaded."""
        with sess.graph.as_default():
            saver, _ = self.load_graph(sess.graph, tags, import_scope, **saver_kwargs)
            self.restore_variables(sess, saver, import_scope)
            self.run_init_ops(sess, tags, import_scope)
        return self.get_meta_graph_def_from_tags(tags)


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Loads the meta graph tagged ``tags`` of the SavedModel in ``export_dir`` into
    ``sess`` (graph, variables, init op) and returns its MetaGraphDef
    (``tf.saved_model.loader.load``)."""
    return SavedModelLoader(export_dir).load(sess, tags, import_scope, **saver_kwargs)
