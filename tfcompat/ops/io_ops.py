"""Checkpoint I/O ops: ``SaveV2`` and ``RestoreV2`` (TF's ``io_ops`` / ``gen_io_ops``).

These are the ops a ``tf.train.Saver`` adds to the graph (``save/SaveV2``,
``save/RestoreV2``; TF's sharded Savers also ``ShardedFilename`` and
``MergeV2Checkpoints``), with TF's op types, inputs and attributes, so a graph holding a
Saver exports to (and imports from) a ``.meta`` file the way TF's does. The kernels read and
write TensorFlow's V2 tensor bundles through ``lib.io.tensor_bundle``.

- ``SaveV2(prefix, tensor_names, shape_and_slices, tensors...)``, attr ``dtypes``: writes the
  bundle ``prefix`` (``prefix.index`` + ``prefix.data-00000-of-00001``), atomically.
- ``RestoreV2(prefix, tensor_names, shape_and_slices)``, attr ``dtypes``: one output per name.
  The kernel checks that every key exists and has the expected dtype before it reads (and
  CRC-checks) any tensor data, so a failing restore reports the first problem and returns
  nothing.

A non-empty ``shape_and_slices`` entry (``"10 4 4,3:0,4"``: the full shape, then
``start,length`` or ``-`` per dimension) saves or restores one slice of a partitioned
variable: SaveV2 stores all slices given for a name as one sliced tensor, RestoreV2 reads the
slice out of whatever the checkpoint holds (slices of any partitioning, or the whole tensor).

Differences from TF1: V1 checkpoints are not supported (DataLossError naming the file).
"""
import os

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.lib.io import tensor_bundle


def _text(value):
    """A Python str from a string-tensor element (bytes or str)."""
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size == 1 else value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    return str(value)


def _texts(array):
    return [_text(v) for v in np.asarray(array, dtype=object).reshape(-1)]


def open_checkpoint(prefix):
    """A ``BundleReader`` on the V2 checkpoint ``prefix``, with TF's errors when there is none.

    No ``prefix.index``: NotFoundError "Unsuccessful TensorSliceReader constructor: Failed to
    find any matching files for <prefix>" (TF falls back to its V1 reader, which says that);
    a file or directory named ``prefix`` that is not a V2 checkpoint: DataLossError.
    """
    prefix = os.fspath(prefix)
    if not os.path.exists(tensor_bundle.index_filename(prefix)):
        if os.path.isdir(prefix):
            raise errors.DataLossError(
                None, None, f"Unable to open table file {prefix}: Failed precondition: {prefix}; "
                "Is a directory: perhaps your file is in a different file format and you need "
                "to use a different restore operator?")
        if os.path.exists(prefix):
            raise errors.DataLossError(
                None, None, f"Unable to open table file {prefix}: Data loss: not an sstable "
                "(bad magic number): perhaps your file is in a different file format and you "
                "need to use a different restore operator? (tfcompat reads V2 checkpoints only: "
                f"{prefix}.index was not found)")
        raise errors.NotFoundError(
            None, None, "Unsuccessful TensorSliceReader constructor: Failed to find any "
            f"matching files for {prefix}")
    return tensor_bundle.BundleReader(prefix)


def parse_shape_and_slice(op, spec):
    """(full shape, extents) of a shape-and-slice string (TF's ``ParseShapeAndSlice``)."""
    splits = spec.split(" ")
    if len(splits) < 2:
        raise errors.InvalidArgumentError(
            None, op, f"Need least two elements in shape_and_slice specification: {spec}")
    try:
        shape = [int(dim) for dim in splits[:-1]]
    except ValueError:
        raise errors.InvalidArgumentError(
            None, op, f"Non numerical dimension in shape_and_slice: {spec}") from None
    extents = []
    for text in splits[-1].split(":"):
        try:
            start, length = (0, -1) if text == "-" else (int(v) for v in text.split(","))
        except ValueError:
            raise errors.InvalidArgumentError(
                None, op, f"Expected a pair of numbers or '-' but got '{text}': string = "
                f"{splits[-1]}") from None
        extents.append((start, length))
    if len(extents) != len(shape):
        raise errors.InvalidArgumentError(
            None, op, f"Mismatching ranks: shape = [{','.join(map(str, shape))}], slice = "
            f"{splits[-1]}")
    for dim, ((start, length), size) in enumerate(zip(extents, shape, strict=True)):
        if start < 0 or length < -1 or (length >= 0 and start + length > size):
            raise errors.InvalidArgumentError(
                None, op, f"Extent in dimension {dim} out of bounds: shape = "
                f"[{','.join(map(str, shape))}], slice = {splits[-1]}")
    return tuple(shape), tuple(extents)


def _sliced_values(op, names, slices, tensors):
    """{name: array or SlicedTensor}: the tensors of one SaveV2, slices grouped by name."""
    values = {}
    for name, spec, tensor in zip(names, slices, tensors, strict=True):
        if not spec:
            if name in values:
                raise errors.InvalidArgumentError(
                    None, op, f"Duplicate tensor names in SaveV2: {name}")
            values[name] = tensor
            continue
        full_shape, extents = parse_shape_and_slice(op, spec)
        slice_shape = tuple(size if length < 0 else length
                            for (_, length), size in zip(extents, full_shape, strict=True))
        if np.shape(tensor) != slice_shape:
            raise errors.InvalidArgumentError(
                None, op, "Slice in shape_and_slice specification does not match the shape of "
                f"the tensor to  save: {spec}, tensor: {list(np.shape(tensor))}")
        sliced = values.setdefault(name, tensor_bundle.SlicedTensor(full_shape, []))
        if not isinstance(sliced, tensor_bundle.SlicedTensor) or (
                sliced.full_shape != full_shape):
            raise errors.InvalidArgumentError(
                None, op, f"Conflicting shapes or slices saved under the name {name}: {spec}")
        sliced.slices.append((extents, tensor))
    return values


@register_op
class SaveV2(OpDef):
    """Writes ``tensors`` under ``tensor_names`` to the V2 checkpoint ``prefix``."""

    stateful = True
    mutates_state = True  # a side effect the planner must keep (and run after all reads)
    differentiable = False

    def infer(self, op):
        count = len(op.inputs) - 3
        if count < 0:
            raise ValueError(f"SaveV2 '{op.name}' needs prefix, tensor_names and "
                             "shape_and_slices inputs")
        names = op.inputs[1]
        if names.shape.ndims is not None and names.shape.ndims != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {names.shape.ndims} for "
                             f"'{op.name}' (op: 'SaveV2'): tensor_names")
        if names.shape.ndims == 1 and names.shape[0].value not in (None, count):
            raise ValueError(f"SaveV2 '{op.name}': {names.shape[0].value} tensor names for "
                             f"{count} tensors")
        return []

    def kernel(self, op, ctx):
        def save(prefix, tensor_names, shape_and_slices, *tensors):
            names = _texts(tensor_names)
            slices = _texts(shape_and_slices)
            if len(names) != len(tensors) or len(slices) != len(tensors):
                raise errors.InvalidArgumentError(
                    None, op, f"Got {len(names)} tensor names and {len(slices)} shape_and_slices "
                    f"for {len(tensors)} tensors")
            values = _sliced_values(op, names, slices, tensors)
            _make_prefix_directory(_text(prefix))
            # Looked up at call time so tests can make the write fail midway.
            tensor_bundle.write_bundle(_text(prefix), values)
        return save


def _make_prefix_directory(prefix):
    """Creates the directory of ``prefix`` when its parent exists, as TF's BundleWriter does
    (one level: a sharded Saver's ``<prefix>_temp/`` shard directory)."""
    directory = os.path.dirname(prefix)
    if directory and not os.path.isdir(directory):
        try:
            os.mkdir(directory)
        except OSError:
            pass  # the write then fails and says why


@register_op
class RestoreV2(OpDef):
    """Reads ``tensor_names`` from the V2 checkpoint ``prefix``: one output per name."""

    stateful = True  # reads files: never folded or cached
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), dtypes.as_dtype(dt).base_dtype)
                for dt in op.attrs["dtypes"]]

    def kernel(self, op, ctx):
        wanted = [dtypes.as_dtype(dt).base_dtype for dt in op.attrs["dtypes"]]

        def restore(prefix, tensor_names, shape_and_slices):
            names = _texts(tensor_names)
            slices = _texts(shape_and_slices)
            if len(names) != len(wanted) or len(slices) != len(wanted):
                raise errors.InvalidArgumentError(
                    None, op, f"Got {len(names)} tensor names and {len(slices)} shape_and_slices "
                    f"for {len(wanted)} dtypes")
            prefix = _text(prefix)
            reader = open_checkpoint(prefix)
            # Validate everything from the index before reading any tensor data.
            missing = [name for name in names if not reader.has_tensor(name)]
            if missing:
                try:
                    reader.shape(missing[0])  # raises NotFoundError with close matches
                except errors.NotFoundError as exc:
                    message = exc.message
                    if len(missing) > 1:
                        message += (f" ({len(missing) - 1} more key(s) of this restore are "
                                    f"missing too: {', '.join(missing[1:6])}"
                                    + (", ..." if len(missing) > 6 else "") + ")")
                    raise errors.NotFoundError(None, op, message) from None
            for name, dtype in zip(names, wanted):
                stored = reader.dtype_enum(name)
                if stored != dtype.as_datatype_enum:
                    raise errors.InvalidArgumentError(
                        None, op, f"tensor_name = {name}; expected dtype "
                        f"{dtypes.kernel_type_name(dtype)} does not equal restored dtype "
                        f"{dtypes.kernel_type_name(stored)}")
            values = tuple(_restored(op, reader, name, spec)
                           for name, spec in zip(names, slices, strict=True))
            return values[0] if len(values) == 1 else values
        return restore


def _restored(op, reader, name, spec):
    """The tensor ``name``, or the slice ``spec`` of it once its full shape is checked."""
    if not spec:
        return reader.get_tensor(name)
    full_shape, extents = parse_shape_and_slice(op, spec)
    stored = tuple(reader.shape(name))
    if stored != full_shape:
        raise errors.InvalidArgumentError(
            None, op, f"tensor_name = {name}; shape in shape_and_slice spec "
            f"[{','.join(map(str, full_shape))}] does not match the shape stored in checkpoint: "
            f"[{','.join(map(str, stored))}]")
    return reader.get_slice(name, extents)


@register_op
class ShardedFilename(OpDef):
    """The file name of shard ``shard`` of ``num_shards``: ``<basename>-00000-of-00001``
    (a sharded Saver's save graph, as TF's builds it)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.string)]

    def kernel(self, op, ctx):
        def sharded_filename(basename, shard, num_shards):
            name = f"{_text(basename)}-{int(shard):05d}-of-{int(num_shards):05d}"
            return np.array(name.encode("utf-8"), dtype=object)
        return sharded_filename


@register_op
class MergeV2Checkpoints(OpDef):
    """Merges the V2 checkpoints ``checkpoint_prefixes`` (a sharded Saver's temporary shards)
    into the one checkpoint ``destination_prefix`` and deletes them (and, with
    ``delete_old_dirs``, their directories once empty)."""

    stateful = True
    mutates_state = True  # writes files: the planner keeps it and runs it after all reads
    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        delete_old_dirs = op.attrs.get("delete_old_dirs", True)

        def merge(checkpoint_prefixes, destination_prefix):
            sources = _texts(checkpoint_prefixes)
            tensors = {}
            for source in sources:
                reader = open_checkpoint(source)
                tensors.update((name, reader.get_stored(name)) for name in reader.keys())
            tensor_bundle.write_bundle(_text(destination_prefix), tensors)
            for source in sources:
                for path in (tensor_bundle.index_filename(source),
                             tensor_bundle.data_filename(source)):
                    if os.path.exists(path):
                        os.remove(path)
                directory = os.path.dirname(source)
                if delete_old_dirs and directory and not os.listdir(directory):
                    os.rmdir(directory)
        return merge


def _string_constant(values, name):
    from tfcompat.ops.array_ops import constant
    return constant(np.array(list(values), dtype=object).reshape(-1), dtype=dtypes.string,
                    name=name)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """``io_ops.save_v2``: the SaveV2 op (``<name>/tensor_names`` and
    ``<name>/shape_and_slices`` are its constant inputs, as TF's op wrapper names them)."""
    tensors = [ops.convert_to_tensor(t) for t in tensors]
    with ops.name_scope(name, "SaveV2") as scope:
        names = _string_constant(tensor_names, "tensor_names")
        slices = _string_constant(shape_and_slices, "shape_and_slices")
        prefix = ops.convert_to_tensor(prefix, dtype=dtypes.string)
        return make_op("SaveV2", [prefix, names, slices] + tensors,
                       {"dtypes": [t.dtype.base_dtype for t in tensors]}, name=scope)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes_, name=None):
    """``io_ops.restore_v2``: the RestoreV2 op's outputs, one per name."""
    with ops.name_scope(name, "RestoreV2") as scope:
        names = _string_constant(tensor_names, "tensor_names")
        slices = _string_constant(shape_and_slices, "shape_and_slices")
        prefix = ops.convert_to_tensor(prefix, dtype=dtypes.string)
        op = make_op("RestoreV2", [prefix, names, slices],
                     {"dtypes": [dtypes.as_dtype(dt).base_dtype for dt in dtypes_]}, name=scope)
        return op.outputs


__all__ = []
