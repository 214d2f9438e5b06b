"""Reading checkpoints without a graph: ``tf.train.load_checkpoint``, ``load_variable``,
``list_variables`` and ``NewCheckpointReader`` (TF 1.x ``training/checkpoint_utils.py`` and
``pywrap_tensorflow.CheckpointReader``).

Readers parse and verify the whole ``.index`` on construction (block CRCs, entries) and read
a tensor's bytes only when asked, checking its CRC32C; corruption raises DataLossError and a
missing file or key NotFoundError, as in TF. Only V2 checkpoints are read.
"""
import os

from tfcompat.framework import dtypes
from tfcompat.ops.io_ops import open_checkpoint


def _as_str(value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    return os.fspath(value)


class CheckpointReader:
    """What ``tf.train.NewCheckpointReader(prefix)`` returns."""

    def __init__(self, filepattern):
        self._prefix = _as_str(filepattern)
        self._reader = open_checkpoint(self._prefix)

    def has_tensor(self, tensor_str):
        return self._reader.has_tensor(_as_str(tensor_str))

    def get_tensor(self, tensor_str):
        """The tensor as a new NumPy array (strings as an object array of bytes)."""
        return self._reader.get_tensor(_as_str(tensor_str))

    def get_variable_to_shape_map(self):
        """{name: shape as a list of ints} of every tensor in the checkpoint."""
        return {name: list(self._reader.shape(name)) for name in self._reader.keys()}

    def get_variable_to_dtype_map(self):
        """{name: tf.DType} of every tensor in the checkpoint."""
        return {name: self._reader.dtype(name) for name in self._reader.keys()}

    def debug_string(self):
        """One line per tensor, ``name (DT_FLOAT) [3,4]``, as bytes (TF's DebugString)."""
        lines = []
        for name in self._reader.keys():
            dtype = self._reader.dtype(name)
            shape = ",".join(str(d) for d in self._reader.shape(name))
            lines.append(f"{name} (DT_{_enum_name(dtype)}) [{shape}]\n")
        return "".join(lines).encode("utf-8")


def _enum_name(dtype):
    name = dtypes.as_dtype(dtype).name
    return {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(name, name.upper())


def NewCheckpointReader(filepattern):  # noqa: N802 (TF's name)
    """A CheckpointReader on the checkpoint prefix ``filepattern``."""
    return CheckpointReader(filepattern)


def _checkpoint_filename(ckpt_dir_or_file):
    ckpt_dir_or_file = _as_str(ckpt_dir_or_file)
    if os.path.isdir(ckpt_dir_or_file):
        from tfcompat.train.saver import latest_checkpoint
        return latest_checkpoint(ckpt_dir_or_file)
    return ckpt_dir_or_file


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix, or for the latest checkpoint of a
    directory (``tf.train.load_checkpoint``)."""
    filename = _checkpoint_filename(ckpt_dir_or_file)
    if filename is None:
        raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory "
                         f"{_as_str(ckpt_dir_or_file)}")
    return NewCheckpointReader(filename)


def load_variable(ckpt_dir_or_file, name):
    """The value of tensor ``name`` (a trailing ":0" is ignored) in the checkpoint."""
    name = _as_str(name)
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every tensor in the checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


__all__ = ["CheckpointReader", "NewCheckpointReader", "load_checkpoint", "load_variable",
           "list_variables"]

