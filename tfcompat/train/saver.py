"""``tf.train.Saver`` and the checkpoint helpers around it (TF 1.x ``training/saver.py`` and
``checkpoint_management.py``).

A Saver adds TF's save/restore ops to the graph when it is built, under the name scope
``save`` (``save_1``, ... for later Savers)::

    save/filename/input   Const "model"              save/SaveV2/tensor_names      Const [N]
    save/filename         PlaceholderWithDefault     save/SaveV2/shape_and_slices  Const [N]
    save/Const            PlaceholderWithDefault     save/SaveV2                   SaveV2
    save/control_dependency  Identity(save/Const) after save/SaveV2
    save/RestoreV2  RestoreV2 (on /device:CPU:0)   ->  save/Assign, save/Assign_1, ...
    save/restore_all  NoOp after every Assign

and ``save``/``restore`` run them, feeding the checkpoint prefix to ``save/Const:0``. The
files are TensorFlow's V2 checkpoints, byte for byte (``lib.io.tensor_bundle``), plus the
``checkpoint`` state file and a ``.meta`` MetaGraphDef (``framework.meta_graph``), so
checkpoints move freely between tfcompat and TensorFlow.

Reliability: every file is written under a temporary name and renamed into place when
complete; the state file is only rewritten after the checkpoint it names exists. A restore
reads and checks every tensor (index, dtypes, CRC32C) before it assigns any variable, and
the assignments run in one Session step that is rolled back as a whole if one fails, so a
failing restore leaves every variable as it was.

Differences from TF1: only V2 checkpoints are written (``write_version`` V1 is refused);
``sharded=True`` writes the same single-shard files (tfcompat has one device); partitioned
variables and object-based (``tf.train.Checkpoint``) checkpoints are not supported; a
restore that fails for a reason other than a missing key (e.g. a deleted data file) keeps
its own error instead of TF's "Variable name or other graph key that is missing" wrapper.
"""
import glob
import logging
import os
import re
import time

import numpy as np

from tfcompat.client.session import BaseSession
from tfcompat.framework import dtypes, errors, meta_graph, ops, tensor_shape
from tfcompat.framework.meta_graph import MetaGraphDef, SaverDef
from tfcompat.framework.op_def import constant_value, format_shape
from tfcompat.lib.io import checkpoint_state as _state_file
from tfcompat.lib.io import tensor_bundle
from tfcompat.ops import array_ops, control_flow_ops, io_ops, state_ops
from tfcompat.ops.variables import PartitionedVariable, Variable

# TF's logger; tfcompat.logging (tf.logging) configures its level and format.
_logger = logging.getLogger("tensorflow")

_VARIABLE_OPS = ("Variable", "VariableV2", "AutoReloadVariable", "VarHandleOp",
                 "ReadVariableOp")
_REF_VARIABLE_OPS = ("Variable", "VariableV2", "AutoReloadVariable")
# The key an object-based (tf.train.Checkpoint) checkpoint stores its object graph under.
_OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def _as_str(path):
    if isinstance(path, (bytes, bytearray)):
        return bytes(path).decode("utf-8")
    if isinstance(path, np.ndarray) and path.ndim == 0:
        return _as_str(path.item())
    return os.fspath(path)


# ---- saveable objects --------------------------------------------------------------------------
class SaveSpec:
    """One tensor a SaveableObject saves: ``tensor`` (or a callable making it), the checkpoint
    ``name`` and its ``slice_spec`` ("" for a whole tensor)."""

    def __init__(self, tensor, slice_spec, name, dtype=None, device=None):
        self._tensor = tensor
        self.slice_spec = slice_spec
        self.name = name
        self.dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else (
            tensor.dtype.base_dtype)
        self.device = device if device is not None else getattr(tensor, "device", "")

    @property
    def tensor(self):
        return self._tensor() if callable(self._tensor) else self._tensor


class SaveableObject:
    """Something a Saver saves as the tensors of its ``specs`` and restores by
    ``restore(restored_tensors, restored_shapes)``, which returns the restoring op."""

    def __init__(self, op, specs, name):
        self.op = op
        self.specs = specs
        self.name = name

    @property
    def device(self):
        return self.specs[0].device

    def restore(self, restored_tensors, restored_shapes):
        raise NotImplementedError(f"{type(self).__name__}.restore")


class ReferenceVariableSaveable(SaveableObject):
    """A TF 1.x ref variable: saved from its ref tensor, restored with ``Assign``."""

    def __init__(self, var, slice_spec, name):
        super().__init__(var, [SaveSpec(var, slice_spec, name, dtype=var.dtype)], name)

    def restore(self, restored_tensors, restored_shapes):
        restored = restored_tensors[0]
        if restored_shapes is not None:
            restored = array_ops.reshape(restored, restored_shapes[0])
        return state_ops.assign(
            self.op, restored,
            validate_shape=restored_shapes is None and self.op.shape.is_fully_defined())


def _tensor_comes_from_variable(value):
    return isinstance(value, ops.Tensor) and value.op.type in _VARIABLE_OPS


def op_list_to_dict(op_list):
    """{checkpoint name: variable ref tensor or SaveableObject} for a list of variables; the
    names are the variables' op names (``saveable_object_util.op_list_to_dict``)."""
    if not isinstance(op_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list: {op_list}")
    names_to_saveables = {}
    expanded = []
    for var in op_list:  # a PartitionedVariable is saved as its parts
        expanded.extend(var if isinstance(var, PartitionedVariable) else [var])
    for var in sorted(expanded, key=lambda x: x.name):
        if isinstance(var, SaveableObject):
            names_to_saveables[var.name] = var
            continue
        slice_info = getattr(var, "_save_slice_info", None)
        if slice_info:  # the parts of a partitioned variable share its full name
            slices = names_to_saveables.setdefault(slice_info.full_name, [])
            if not isinstance(slices, list):
                raise ValueError(f"Mixing slices and non-slices with the same name: "
                                 f"{slice_info.full_name}")
            slices.append(var)
            continue
        tensor = ops.convert_to_tensor(var, as_ref=True)
        if not _tensor_comes_from_variable(tensor):
            raise TypeError(f"Variable to save is not a Variable: {tensor}")
        name = tensor.op.inputs[0].op.name if tensor.op.type == "ReadVariableOp" else (
            tensor.op.name)
        if name in names_to_saveables:
            if isinstance(names_to_saveables[name], list):
                raise ValueError(f"Mixing slices and non-slices with the same name: {name}")
            raise ValueError(f"At least two variables have the same name: {name}")
        names_to_saveables[name] = tensor
    return names_to_saveables


def _slice_saveables(parts, name):
    """One saveable per part of a partitioned variable, all saved under ``name``."""
    parts = list(parts)
    full_name = None
    for part in parts:
        if not isinstance(part, Variable):
            raise ValueError(f"Slices must all be Variables: {part}")
        info = part._get_save_slice_info()
        if not info:
            raise ValueError(f"Slices must all be slices: {part}")
        if full_name is None:
            full_name = info.full_name
        elif full_name != info.full_name:
            raise ValueError(f"Slices must all be from the same tensor: {full_name} != "
                             f"{info.full_name}")
    return [ReferenceVariableSaveable(part._ref(), part._get_save_slice_info().spec, name)
            for part in parts]


def saveable_objects_for_op(op, name):
    """The SaveableObjects that save ``op`` (a variable, ref tensor or SaveableObject)."""
    if not isinstance(name, str):
        raise TypeError("names_to_saveables must be a dict mapping string names to trackable "
                        f"operations. Name is not a string: {name}")
    if isinstance(op, SaveableObject):
        return [op]
    if isinstance(op, (list, tuple, PartitionedVariable)):
        return _slice_saveables(op, name)
    tensor = ops.convert_to_tensor(op, as_ref=True)
    if not _tensor_comes_from_variable(tensor):
        raise TypeError("names_to_saveables must be a dict mapping string names to "
                        f"Tensors/Variables. Not a variable: {tensor}")
    if tensor.op.type not in _REF_VARIABLE_OPS:
        raise NotImplementedError(f"'{name}' is a resource variable; tfcompat implements "
                                  "TF 1.x ref variables only")
    return [ReferenceVariableSaveable(tensor, "", name)]


def validate_and_slice_inputs(names_to_saveables):
    """The SaveableObjects of a var_list (dict or list), sorted by checkpoint name."""
    if not isinstance(names_to_saveables, dict):
        names_to_saveables = op_list_to_dict(names_to_saveables)
    saveables, seen = [], set()
    for name, op in sorted(names_to_saveables.items(), key=lambda item: str(item[0])):
        for saveable in saveable_objects_for_op(op, name):
            key = saveable.op.op if isinstance(saveable.op, ops.Tensor) else id(saveable.op)
            if key in seen:
                raise ValueError("The same saveable will be restored with two names: "
                                 f"{saveable.name}")
            seen.add(key)
            saveables.append(saveable)
    return saveables


def _all_saveable_objects(scope=None):
    return (ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope)
            + ops.get_collection(ops.GraphKeys.SAVEABLE_OBJECTS, scope))


# ---- the graph a Saver adds --------------------------------------------------------------------
class BaseSaverBuilder:
    """Builds a Saver's ops (``BaseSaverBuilder``); ``BulkSaverBuilder`` is the default and
    restores every tensor with a single RestoreV2 op."""

    SaveSpec = SaveSpec
    SaveableObject = SaveableObject
    VariableSaveable = ReferenceVariableSaveable

    def __init__(self, write_version=SaverDef.V2):
        if write_version != SaverDef.V2:
            raise NotImplementedError("tfcompat writes V2 checkpoints only; use "
                                      "write_version=tf.train.SaverDef.V2 (the default)")
        self._write_version = write_version

    def save_op(self, filename_tensor, saveables):
        names, tensors, slices = [], [], []
        for saveable in saveables:
            for spec in saveable.specs:
                names.append(spec.name)
                tensors.append(spec.tensor)
                slices.append(spec.slice_spec)
        return io_ops.save_v2(filename_tensor, names, slices, tensors)

    def bulk_restore(self, filename_tensor, saveables, preferred_shard, restore_sequentially):
        tensors = []
        for saveable in saveables:
            for spec in saveable.specs:
                with ops.device("/device:CPU:0"):
                    tensors.extend(io_ops.restore_v2(filename_tensor, [spec.name],
                                                     [spec.slice_spec], [spec.dtype]))
        return tensors

    def _AddSaveOps(self, filename_tensor, saveables):  # noqa: N802 (TF's name)
        """The save op, and the filename tensor after it (``save/control_dependency``)."""
        save = self.save_op(filename_tensor, saveables)
        with ops.name_scope(None, "control_dependency", [save, filename_tensor]) as scope:
            with ops.control_dependencies([save]):
                return array_ops.identity(filename_tensor, name=scope)

    def _AddRestoreOps(self, filename_tensor, saveables, restore_sequentially, reshape,  # noqa
                       preferred_shard=-1, name="restore_all"):
        restored = self.bulk_restore(filename_tensor, saveables, preferred_shard,
                                     restore_sequentially)
        assign_ops, index = [], 0
        for saveable in saveables:
            shapes = None
            if reshape:
                shapes = [spec.tensor.shape.as_list() if spec.tensor.shape.is_fully_defined()
                          else array_ops.shape(spec.tensor) for spec in saveable.specs]
            count = len(saveable.specs)
            assign_ops.append(saveable.restore(restored[index:index + count], shapes))
            index += count
        return control_flow_ops.group(*assign_ops, name=name)

    def build(self, names_to_saveables, reshape=False, sharded=False, max_to_keep=5,
              keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
              filename="model"):
        return self._build_internal(names_to_saveables, reshape, sharded, max_to_keep,
                                    keep_checkpoint_every_n_hours, name, restore_sequentially,
                                    filename)

    def _build_internal(self, names_to_saveables, reshape=False, sharded=False, max_to_keep=5,
                        keep_checkpoint_every_n_hours=10000.0, name=None,
                        restore_sequentially=False, filename="model", build_save=True,
                        build_restore=True):
        if not (build_save and build_restore):
            raise ValueError("save and restore operations need to be built together  when "
                             "eager execution is not enabled.")
        saveables = validate_and_slice_inputs(names_to_saveables)
        if max_to_keep is None:
            max_to_keep = 0
        with ops.name_scope(name, "save", [s.op for s in saveables]):
            with ops.name_scope("filename") as filename_scope:
                default = array_ops.constant(filename or "model", dtype=dtypes.string,
                                             name="input")
                filename_tensor = array_ops.placeholder_with_default(default, shape=(),
                                                                     name=filename_scope)
            # TF keeps the name "Const" for backwards compatibility.
            filename_tensor = array_ops.placeholder_with_default(filename_tensor, shape=(),
                                                                 name="Const")
            # tfcompat has one device, so a sharded Saver writes the same single shard.
            save_tensor = self._AddSaveOps(filename_tensor, saveables)
            restore_op = self._AddRestoreOps(filename_tensor, saveables, restore_sequentially,
                                             reshape)
        return SaverDef(filename_tensor_name=filename_tensor.name,
                        save_tensor_name=save_tensor.name, restore_op_name=restore_op.name,
                        max_to_keep=max_to_keep, sharded=bool(sharded),
                        keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
                        version=self._write_version)


class BulkSaverBuilder(BaseSaverBuilder):
    """The default builder: one RestoreV2 op for all tensors, on the CPU."""

    def bulk_restore(self, filename_tensor, saveables, preferred_shard, restore_sequentially):
        specs = [spec for saveable in saveables for spec in saveable.specs]
        with ops.device("/device:CPU:0"):
            return io_ops.restore_v2(filename_tensor, [s.name for s in specs],
                                     [s.slice_spec for s in specs], [s.dtype for s in specs])


# ---- Saver -------------------------------------------------------------------------------------
class Saver:
    """``tf.train.Saver``: saves and restores variables as TF V2 checkpoints.

    ``var_list`` is None (every global variable plus the SAVEABLE_OBJECTS collection), a list
    of variables (checkpoint names = their op names, e.g. "hidden1/kernel") or a dict
    {checkpoint name: variable or ref tensor}. See the module docstring for the ops added.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=SaverDef.V2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either "
                             "set defer_build=False or var_list=None.")
        if saver_def is None and write_version != SaverDef.V2:
            raise NotImplementedError("tfcompat writes V2 checkpoints only; use "
                                      "write_version=tf.train.SaverDef.V2 (the default)")
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._restore_sequentially = restore_sequentially
        self.saver_def = saver_def
        self._builder = builder
        self._is_built = False
        self._allow_empty = allow_empty
        self._is_empty = None
        self._write_version = write_version
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints = []
        self._checkpoints_to_be_deleted = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if not defer_build:
            self.build()
        if self.saver_def is not None:
            self._check_saver_def()
            self._write_version = self.saver_def.version
        self._save_relative_paths = save_relative_paths

    # ---- building ------------------------------------------------------------------------------
    def build(self):
        self._build(self._filename, build_save=True, build_restore=True)

    def _build(self, checkpoint_path, build_save, build_restore):
        if self._is_built:
            return
        self._is_built = True
        if self.saver_def is None:
            if self._builder is None:
                self._builder = BulkSaverBuilder(self._write_version)
            if self._var_list is None:
                self._var_list = _all_saveable_objects()
            if not self._var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
            self._is_empty = False
            self.saver_def = self._builder._build_internal(
                self._var_list, reshape=self._reshape, sharded=self._sharded,
                max_to_keep=self._max_to_keep,
                keep_checkpoint_every_n_hours=self._keep_checkpoint_every_n_hours,
                name=self._name, restore_sequentially=self._restore_sequentially,
                filename=checkpoint_path, build_save=build_save, build_restore=build_restore)
        elif self._name:
            # With a saver_def, ``name`` is the scope the Saver's graph was imported under.
            self.saver_def = SaverDef.FromString(self.saver_def.SerializeToString())
            for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
                setattr(self.saver_def, field, meta_graph.prepend_name_scope(
                    getattr(self.saver_def, field), self._name))
        self._check_saver_def()
        self._next_checkpoint_time = (time.time()
                                      + self.saver_def.keep_checkpoint_every_n_hours * 3600)

    def _check_saver_def(self):
        if not isinstance(self.saver_def, SaverDef):
            raise ValueError(f"saver_def must be a saver_pb2.SaverDef: {self.saver_def}")
        if not self.saver_def.save_tensor_name:
            raise ValueError(f"saver_def must specify the save_tensor_name: {self.saver_def}")
        if not self.saver_def.restore_op_name:
            raise ValueError(f"saver_def must specify the restore_op_name: {self.saver_def}")

    def as_saver_def(self):
        return self.saver_def

    def to_proto(self, export_scope=None):
        """The SaverDef, with ``export_scope`` stripped from its names (None if outside it)."""
        if export_scope is None:
            return self.saver_def
        names = ("filename_tensor_name", "save_tensor_name", "restore_op_name")
        if not all(getattr(self.saver_def, n).startswith(export_scope) for n in names):
            return None
        saver_def = SaverDef.FromString(self.saver_def.SerializeToString())
        for field in names:
            setattr(saver_def, field,
                    meta_graph.strip_name_scope(getattr(saver_def, field), export_scope))
        return saver_def

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        return Saver(saver_def=saver_def, name=import_scope)

    # ---- checkpoint bookkeeping ----------------------------------------------------------------
    @property
    def last_checkpoints(self):
        """The not-yet-deleted checkpoint prefixes, oldest first."""
        return [path for path, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        assert isinstance(last_checkpoints, list)
        # An infinite timestamp: these are never kept by keep_checkpoint_every_n_hours.
        self._last_checkpoints = [(path, np.inf) for path in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        assert isinstance(last_checkpoints_with_time, list)
        self._last_checkpoints = last_checkpoints_with_time

    def recover_last_checkpoints(self, checkpoint_paths):
        """Takes over existing checkpoints (after a restart), with their files' mtimes."""
        found = []
        for path in checkpoint_paths:
            mtimes = get_checkpoint_mtimes([path])
            if mtimes:
                found.append((path, mtimes[0]))
        self.set_last_checkpoints_with_time(found)

    def _RecordLastCheckpoint(self, latest_save_path):  # noqa: N802 (TF's name)
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest_save_path]
        self._last_checkpoints.append((latest_save_path, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _MaybeDeleteOldCheckpoints(self, meta_graph_suffix="meta"):  # noqa: N802
        if not self._checkpoints_to_be_deleted:
            return
        path, stamp = self._checkpoints_to_be_deleted.pop(0)
        if stamp > self._next_checkpoint_time:  # keep one every keep_checkpoint_every_n_hours
            self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
            return
        try:
            remove_checkpoint(path, self.saver_def.version, meta_graph_suffix)
        except Exception as exc:  # noqa: BLE001 - TF logs and goes on
            _logger.warning("Ignoring: %s", exc)

    # ---- save / restore ------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Saves the variables to the checkpoint ``save_path`` (``-<global_step>`` appended when
        given); returns that prefix, or None for an empty Saver."""
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = _as_str(save_path)
        if global_step is not None:
            if isinstance(global_step, (bool, np.bool_)) or not isinstance(
                    global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            global_step = int(global_step)
            checkpoint_file = (f"{save_path}-{global_step:08d}" if self._pad_step_number
                               else f"{save_path}-{global_step}")
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(f"'latest_filename' collides with 'save_path': "
                                 f"'{latest_filename}' and '{save_path}'")
        if not isinstance(sess, BaseSession):
            raise TypeError(f"'sess' must be a Session; {sess}")
        save_path_parent = os.path.dirname(save_path)
        model_checkpoint_path = None
        if not self._is_empty:
            try:
                model_checkpoint_path = _as_str(sess.run(
                    self.saver_def.save_tensor_name,
                    {self.saver_def.filename_tensor_name: checkpoint_file}))
                if write_state:
                    self._RecordLastCheckpoint(model_checkpoint_path)
                    _state_file.write_checkpoint_state(
                        save_path_parent or os.curdir, model_checkpoint_path,
                        self.last_checkpoints, latest_filename, self._save_relative_paths)
                    self._MaybeDeleteOldCheckpoints(meta_graph_suffix=meta_graph_suffix)
            except (errors.FailedPreconditionError, errors.NotFoundError) as exc:
                if not os.path.isdir(save_path_parent or os.curdir):
                    raise ValueError(f"Parent directory of {save_path} doesn't exist, can't "
                                     "save.") from exc
                raise
        if write_meta_graph:
            with sess.graph.as_default():
                self.export_meta_graph(meta_graph_filename(checkpoint_file, meta_graph_suffix),
                                       strip_default_attrs=strip_default_attrs)
        return None if self._is_empty else model_checkpoint_path

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                          strip_default_attrs=False, save_debug_info=False):
        """Writes the default graph with this Saver's SaverDef as a MetaGraphDef file."""
        from tfcompat.framework.graph_def import graph_to_graph_def
        return export_meta_graph(
            filename=filename,
            graph_def=graph_to_graph_def(ops.get_default_graph(), add_shapes=True,
                                         strip_default_attrs=strip_default_attrs),
            saver_def=self.saver_def, collection_list=collection_list, as_text=as_text,
            export_scope=export_scope, clear_devices=clear_devices,
            clear_extraneous_savers=clear_extraneous_savers,
            strip_default_attrs=strip_default_attrs)

    def restore(self, sess, save_path):
        """Assigns the Saver's variables from checkpoint ``save_path``; the graph's other
        variables are left as they are. Nothing is assigned if any check fails."""
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        checkpoint_prefix = _as_str(save_path)
        if not checkpoint_exists(checkpoint_prefix):
            raise ValueError("The passed save_path is not a valid checkpoint: "
                             + checkpoint_prefix)
        if not isinstance(sess, BaseSession):
            raise TypeError(f"'sess' must be a Session; {sess}")
        _logger.info("Restoring parameters from %s", checkpoint_prefix)
        try:
            sess.run(self.saver_def.restore_op_name,
                     {self.saver_def.filename_tensor_name: checkpoint_prefix})
        except errors.NotFoundError as err:
            if not err.message.startswith("Key "):
                raise
            extra = ""
            if _has_object_graph(checkpoint_prefix):
                extra = ("\n\nThe checkpoint is object-based (written by tf.train.Checkpoint or "
                         "tf.keras); tfcompat's Saver restores name-based checkpoints only.")
            raise _wrap_restore_error(
                err, "a Variable name or other graph key that is missing", extra) from None
        except errors.InvalidArgumentError as err:
            extra = self._describe_mismatches(sess.graph, checkpoint_prefix)
            raise _wrap_restore_error(
                err, "a mismatch between the current graph and the graph", extra) from None

    def _describe_mismatches(self, graph, prefix):
        """Lists the variables whose shape or dtype differ from the checkpoint's."""
        try:
            pairs = _restore_pairs(graph.as_graph_element(self.saver_def.restore_op_name))
            reader = io_ops.open_checkpoint(prefix)
        except (KeyError, ValueError, TypeError, errors.OpError):
            return ""
        lines = []
        for key, var_op in pairs:
            if not reader.has_tensor(key):
                continue
            shape, dtype = reader.shape(key), reader.dtype(key)
            var_shape, var_dtype = var_op.attrs["shape"], var_op.attrs["dtype"].base_dtype
            if var_dtype != dtype or not var_shape.is_compatible_with(shape):
                lines.append(f"  {var_op.name} (checkpoint key '{key}'): {var_dtype.name} "
                             f"{format_shape(var_shape)} in the graph, {dtype.name} "
                             f"{format_shape(tensor_shape.TensorShape(shape))} in the "
                             "checkpoint")
        if not lines:
            return ""
        return (f"\n\nVariables that do not match checkpoint {prefix} (graph vs. checkpoint):\n"
                + "\n".join(lines))


def _restore_pairs(restore_op):
    """(checkpoint key, VariableV2 op) for each Assign a restore op runs."""
    pairs, stack, seen = [], [restore_op], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "NoOp":
            stack.extend(op.control_inputs)
            continue
        if op.type != "Assign":
            continue
        source = op.inputs[1]
        while source.op.type in ("Reshape", "Identity") and source.op.inputs:
            source = source.op.inputs[0]
        if source.op.type != "RestoreV2":
            continue
        names = constant_value(source.op.inputs[1])
        if names is None:
            continue
        key = names.reshape(-1)[source.value_index]
        key = key.decode("utf-8") if isinstance(key, bytes) else str(key)
        pairs.append((key, state_ops.variable_op_of(op.inputs[0])))
    return sorted(pairs, key=lambda pair: pair[0])


def _has_object_graph(prefix):
    try:
        return io_ops.open_checkpoint(prefix).has_tensor(_OBJECT_GRAPH_KEY)
    except errors.OpError:
        return False


def _wrap_restore_error(err, extra_verbiage, details=""):
    message = ("Restoring from checkpoint failed. This is most likely due to "
               f"{extra_verbiage} from the checkpoint. Please ensure that you have not altered "
               f"the graph expected based on the checkpoint. Original error:\n\n{err.message}"
               f"{details}")
    return type(err)(err.node_def, err.op, message)


# ---- checkpoint files ----------------------------------------------------------------------
def _matching_files(pattern):
    """TF's ``get_matching_files``: glob patterns are expanded, plain paths checked."""
    if re.search(r"[*?[]", pattern):
        return glob.glob(pattern)
    return [pattern] if os.path.exists(pattern) else []


def checkpoint_exists(checkpoint_prefix):
    """Whether a V2 (``<prefix>.index``) or V1 (``<prefix>``) checkpoint exists
    (``tf.train.checkpoint_exists``)."""
    prefix = _as_str(checkpoint_prefix)
    return bool(_matching_files(tensor_bundle.index_filename(prefix)) or _matching_files(prefix))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The ``CheckpointState`` of ``checkpoint_dir/checkpoint`` (relative paths joined onto
    ``checkpoint_dir``), or None if there is none or it cannot be parsed (logged, as in TF).
    A state without ``model_checkpoint_path`` raises ValueError."""
    checkpoint_dir = _as_str(checkpoint_dir)
    filename = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    try:
        return _state_file.read_checkpoint_state(checkpoint_dir, latest_filename or "checkpoint")
    except _state_file.CheckpointStateParseError as exc:
        _logger.warning("%s: %s", "ParseError", exc)
    except OSError as exc:
        _logger.warning("%s: %s", type(exc).__name__, exc)
    _logger.warning("%s: Checkpoint ignored", filename)
    return None


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The newest checkpoint prefix recorded in ``checkpoint_dir``, if its files exist
    (``tf.train.latest_checkpoint``); else None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path:
        path = state.model_checkpoint_path
        if _matching_files(tensor_bundle.index_filename(path)) or _matching_files(path):
            return path
        _logger.error("Couldn't match files for checkpoint %s", path)
    return None


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    """Rewrites ``save_dir/checkpoint`` atomically (``tf.train.update_checkpoint_state``)."""
    _state_file.write_checkpoint_state(
        _as_str(save_dir), _as_str(model_checkpoint_path), all_model_checkpoint_paths,
        latest_filename or "checkpoint", False, all_model_checkpoint_timestamps,
        last_preserved_timestamp)


def get_checkpoint_mtimes(checkpoint_prefixes):
    """Modification times (seconds) of the checkpoints that exist, V2 index first."""
    mtimes = []
    for prefix in checkpoint_prefixes:
        prefix = _as_str(prefix)
        for pattern in (tensor_bundle.index_filename(prefix), prefix):
            found = _matching_files(pattern)
            if found:
                mtimes.append(os.stat(found[0]).st_mtime_ns / 1e9)
                break
    return mtimes


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """``<prefix>.meta`` for a checkpoint prefix (a shard suffix is dropped)."""
    base = re.sub(r"-[\d?]+-of-\d+$", "", checkpoint_filename)
    return f"{base}.{meta_graph_suffix}"


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=SaverDef.V2,
                      meta_graph_suffix="meta"):
    """Deletes a checkpoint's files: ``.meta``, ``.index`` and ``.data-*`` (V2)."""
    prefix = _as_str(checkpoint_prefix)
    paths = [meta_graph_filename(prefix, meta_graph_suffix)]
    if checkpoint_format_version == SaverDef.V2:
        paths.append(tensor_bundle.index_filename(prefix))
        paths.extend(glob.glob(glob.escape(prefix) + ".data-?????-of-?????"))
    else:
        paths.append(prefix)
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


# ---- meta graphs -------------------------------------------------------------------------------
def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, save_debug_info=False, **kwargs):
    """Returns the MetaGraphDef of ``graph`` (default graph) and writes it to ``filename``
    when given (``tf.train.export_meta_graph``)."""
    meta_graph_def, _ = meta_graph.export_scoped_meta_graph(
        filename=filename, meta_info_def=meta_info_def, graph_def=graph_def,
        saver_def=saver_def, collection_list=collection_list, as_text=as_text, graph=graph,
        export_scope=export_scope, clear_devices=clear_devices,
        clear_extraneous_savers=clear_extraneous_savers,
        strip_default_attrs=strip_default_attrs)
    return meta_graph_def


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuilds a saved graph and its collections in the default graph and returns a Saver
    for its variables, or None if it has none (``tf.train.import_meta_graph``).

    Keyword arguments: ``input_map``, ``unbound_inputs_col_name``,
    ``restore_collections_predicate`` (as ``meta_graph.import_scoped_meta_graph``).
    """
    return _import_meta_graph_with_return_elements(meta_graph_or_file, clear_devices,
                                                   import_scope, **kwargs)[0]


def _import_meta_graph_with_return_elements(meta_graph_or_file, clear_devices=False,
                                            import_scope=None, return_elements=None, **kwargs):
    if isinstance(meta_graph_or_file, MetaGraphDef):
        meta_graph_def = meta_graph_or_file
    else:
        meta_graph_def = meta_graph.read_meta_graph_file(_as_str(meta_graph_or_file))
    imported_vars, elements = meta_graph.import_scoped_meta_graph_with_return_elements(
        meta_graph_def, clear_devices=clear_devices, import_scope=import_scope,
        return_elements=return_elements, **kwargs)
    saver = _create_saver_from_imported_meta_graph(meta_graph_def, import_scope, imported_vars)
    return saver, elements


def _create_saver_from_imported_meta_graph(meta_graph_def, import_scope, imported_vars):
    if meta_graph_def.HasField("saver_def"):
        # The SaverDef with the names its ops got in this graph (scope and renames applied).
        return Saver(saver_def=meta_graph_def._imported_saver_def)
    if _all_saveable_objects(scope=import_scope):
        return Saver()
    _logger.info("Saver not created because there are no variables in the graph to restore")
    return None


meta_graph.register_proto_function(
    ops.GraphKeys.SAVERS, proto_type=SaverDef,
    to_proto=lambda saver, export_scope=None: saver.to_proto(export_scope),
    from_proto=Saver.from_proto)


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                    all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None,
                                    last_preserved_timestamp=None):
    """The ``CheckpointState`` that ``update_checkpoint_state`` would write, without writing
    it (``tf.train.generate_checkpoint_state_proto``): ``model_checkpoint_path`` ends
    ``all_model_checkpoint_paths``, and when ``save_dir`` is relative, relative paths become
    relative to it."""
    all_paths = list(all_model_checkpoint_paths or [])
    if not all_paths or all_paths[-1] != model_checkpoint_path:
        _logger.info("%s is not in all_model_checkpoint_paths. Manually adding it.",
                     model_checkpoint_path)
        all_paths.append(model_checkpoint_path)
    timestamps = list(all_model_checkpoint_timestamps or [])
    if timestamps and len(timestamps) != len(all_paths):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths (got "
                         "paths %s and timestamps %s)" % (all_paths, timestamps))
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        all_paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir)
                     for p in all_paths]
    return _state_file.CheckpointState(model_checkpoint_path, all_paths, timestamps,
                                       last_preserved_timestamp or 0.0)
