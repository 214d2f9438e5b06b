"""``tf.saved_model.builder``: ``SavedModelBuilder`` writes a SavedModel in TF's layout::

    export_dir/saved_model.pb        SavedModel {saved_model_schema_version: 1,
                                                 meta_graphs: MetaGraphDef per tag set}
    export_dir/variables/variables.{index,data-00000-of-00001}   one V2 checkpoint
    export_dir/assets/               copies of the asset files

The first meta graph comes with the variables (``add_meta_graph_and_variables``), later ones
share them (``add_meta_graph``); each carries its tags, SignatureDefs, the Saver's SaverDef
and the collections, among them the main op and the assets (``saved_model_assets``:
AssetFileDefs packed as ``Any``, as TF 1.x writes them).
"""
import filecmp
import logging
import os
import shutil

from tfcompat.framework import dtypes, ops
from tfcompat.framework.meta_graph import SavedModel
from tfcompat.framework.signature_def import AnyProto, AssetFileDef, TensorInfo
from tfcompat.lib import proto_text
from tfcompat.lib.io.tensor_bundle import atomic_replace
from tfcompat.saved_model import constants

_logger = logging.getLogger("tensorflow")


class SavedModelBuilder:
    """Builds a SavedModel in ``export_dir``, which must not exist or be empty."""

    def __init__(self, export_dir):
        self._saved_model = SavedModel(constants.SAVED_MODEL_SCHEMA_VERSION)
        self._export_dir = os.fspath(export_dir)
        if isinstance(self._export_dir, bytes):
            self._export_dir = self._export_dir.decode()
        if os.path.exists(self._export_dir):
            if os.listdir(self._export_dir):
                raise AssertionError(
                    "Export directory already exists, and isn't empty. Please choose a "
                    "different export directory, or delete all the contents of the specified "
                    f"directory: {self._export_dir}")
        else:
            os.makedirs(self._export_dir)
        self._has_saved_variables = False

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None):
        """Saves the session's variables and adds the default graph as the first meta graph,
        tagged ``tags``, with ``signature_def_map`` ({key: SignatureDef}); ``main_op`` (or
        ``legacy_init_op``) runs after the variables are restored at load time."""
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already been "
                                 "saved. Please invoke `add_meta_graph()` instead.")
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        self._add_collections(assets_collection,
                              main_op if main_op is not None else legacy_init_op)
        variables_dir = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY)
        os.makedirs(variables_dir, exist_ok=True)
        saver = saver or self._default_saver()
        saver.save(sess, os.path.join(variables_dir, constants.VARIABLES_FILENAME),
                   write_meta_graph=False, write_state=False)
        meta_graph_def = saver.export_meta_graph(clear_devices=clear_devices,
                                                 strip_default_attrs=strip_default_attrs)
        self._tag_and_add_meta_graph(meta_graph_def, tags, signature_def_map)
        self._has_saved_variables = True

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None,
                       legacy_init_op=None, clear_devices=False, main_op=None,
                       strip_default_attrs=False, saver=None):
        """Adds the default graph as another meta graph sharing the saved variables."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        self._add_collections(assets_collection,
                              main_op if main_op is not None else legacy_init_op)
        saver = saver or self._default_saver()
        meta_graph_def = saver.export_meta_graph(clear_devices=clear_devices,
                                                 strip_default_attrs=strip_default_attrs)
        self._tag_and_add_meta_graph(meta_graph_def, tags, signature_def_map)

    def save(self, as_text=False):
        """Writes ``saved_model.pb`` (or ``saved_model.pbtxt`` when ``as_text``) and returns
        its path as bytes, as TF does."""
        data = self._saved_model.SerializeToString()
        if as_text:
            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
            data = proto_text.message_to_text(data, "SavedModel").encode() + b"\n"
        else:
            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PB)
        with atomic_replace(path) as (f,):
            f.write(data)
        _logger.info("SavedModel written to: %s", path)
        return path.encode()

    # ---- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _default_saver():
        from tfcompat.train.saver import Saver, _all_saveable_objects
        return Saver(_all_saveable_objects(), sharded=True, allow_empty=True)

    def _tag_and_add_meta_graph(self, meta_graph_def, tags, signature_def_map):
        meta_graph_def.meta_info_def.tags.extend(tags or [])
        for key in signature_def_map:
            meta_graph_def.signature_def[key].CopyFrom(signature_def_map[key])
        self._saved_model.meta_graphs.append(meta_graph_def)

    @staticmethod
    def _validate_tensor_info(tensor_info):
        if tensor_info is None:
            raise AssertionError("All TensorInfo protos used in the SignatureDefs must have "
                                 "the name and dtype fields set.")
        if tensor_info.WhichOneof("encoding") is None:
            raise AssertionError(f"All TensorInfo protos used in the SignatureDefs must have "
                                 f"one of the 'encoding' fields (e.g., name or coo_sparse) "
                                 f"set: {tensor_info}")
        if tensor_info.dtype == 0:
            raise AssertionError(f"All TensorInfo protos used in the SignatureDefs must have "
                                 f"the dtype field set: {tensor_info}")

    def _validate_signature_def_map(self, signature_def_map):
        for signature_def in signature_def_map.values():
            for info in list(signature_def.inputs.values()) + list(
                    signature_def.outputs.values()):
                self._validate_tensor_info(info)
        for reserved, what in ((constants.INIT_OP_SIGNATURE_KEY, "initialization"),
                               (constants.TRAIN_OP_SIGNATURE_KEY, "the train op")):
            if reserved in signature_def_map:
                raise KeyError(f"SignatureDef map key \"{reserved}\" is reserved for {what}. "
                               "Please use a different key.")

    def _add_collections(self, assets_collection, main_op):
        self._save_and_write_assets(assets_collection)
        if main_op is None:
            return
        if not isinstance(main_op, ops.Operation):
            raise TypeError(f"main_op needs to be an Operation: {main_op!r}")
        for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
            if ops.get_collection(key):
                raise ValueError(f"Graph already contains one or more main ops under the "
                                 f"collection {key}.")
        ops.add_to_collection(constants.MAIN_OP_KEY, main_op)

    def _save_and_write_assets(self, assets_collection):
        """Records each asset tensor as an AssetFileDef (``saved_model_assets``) and copies
        its file into ``assets/`` (basenames made unique when different files share one)."""
        if not assets_collection:
            _logger.info("No assets to save.")
            return
        sources = {}  # asset filename in the SavedModel -> source path
        for tensor in assets_collection:
            source = _asset_path(tensor)
            filename = _unique_asset_filename(source, sources)
            sources[filename] = source
            asset = AnyProto()
            asset.Pack(AssetFileDef(TensorInfo(name=tensor.name), filename))
            ops.add_to_collection(constants.ASSETS_KEY, asset)
        assets_dir = os.path.join(self._export_dir, constants.ASSETS_DIRECTORY)
        os.makedirs(assets_dir, exist_ok=True)
        for filename, source in sources.items():
            destination = os.path.join(assets_dir, filename)
            if os.path.exists(source) and not os.path.exists(destination):
                shutil.copyfile(source, destination)
        _logger.info("Assets written to: %s", assets_dir)


def _asset_path(tensor):
    """The file path an asset tensor holds: it must be a scalar string constant."""
    if not isinstance(tensor, ops.Tensor):
        raise TypeError(f"Asset path tensor must be a Tensor: {tensor!r}")
    if tensor.op.type != "Const":
        raise TypeError(f"Asset path tensor must be of type constant: {tensor.name}")
    if tensor.dtype.base_dtype != dtypes.string:
        raise TypeError(f"Asset path tensor must be of dtype string: {tensor.name}")
    value = tensor.op.attrs["value"]
    if value.size != 1:
        raise TypeError(f"Asset path tensor must be a scalar: {tensor.name}")
    path = value.reshape(-1)[0]
    path = path.decode() if isinstance(path, bytes) else str(path)
    if not path:
        raise ValueError(f"Invalid asset filepath tensor {tensor.name}")
    return path


def _unique_asset_filename(source, sources):
    """The basename of ``source``, suffixed ``_1``, ``_2`` ... when another file already took
    it (the same file keeps the same name)."""
    filename = os.path.basename(source)
    candidate, index = filename, 1
    while candidate in sources:
        other = sources[candidate]
        if other == source or filecmp.cmp(other, source, shallow=False):
            return candidate
        candidate = f"{filename}_{index}"
        index += 1
    return candidate
