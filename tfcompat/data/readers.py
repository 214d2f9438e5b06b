"""``tf.data.TFRecordDataset``, ``TextLineDataset``, ``FixedLengthRecordDataset`` and
``Dataset.list_files`` (TF 1.15 ``data/ops/readers.py``): scalar string elements read from
files, one file after the other."""
from tfcompat.data.dataset_ops import DatasetV1Adapter, _int64, _Spec
from tfcompat.framework import dtypes, ops
from tfcompat.ops import data_flow_ops
from tfcompat.ops import dataset_ops as gen


def _filenames(filenames):
    tensor = ops.convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
    if tensor.shape.ndims not in (None, 0, 1):
        raise TypeError("`filenames` must be a `tf.Tensor` of dtype `tf.string` and rank 0 "
                        "or 1.")
    return tensor


def _compression(compression_type):
    return ops.convert_to_tensor(compression_type or "", dtype=dtypes.string,
                                 name="compression_type")


class _FileDataset(DatasetV1Adapter):
    op_type = None

    def __init__(self, inputs):
        variant = gen.dataset_op(self.op_type, inputs, [dtypes.string], [[]])
        super().__init__(variant, _Spec(dtypes.string, []))


class TFRecordDataset(_FileDataset):
    """The records of TFRecord files (``compression_type``: "", "ZLIB" or "GZIP")."""

    op_type = "TFRecordDataset"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None):
        super().__init__([_filenames(filenames), _compression(compression_type),
                          _int64(buffer_size or 262144, "buffer_size")])


class TextLineDataset(_FileDataset):
    """The lines of text files, without their line endings."""

    op_type = "TextLineDataset"

    def __init__(self, filenames, compression_type=None, buffer_size=None):
        super().__init__([_filenames(filenames), _compression(compression_type),
                          _int64(buffer_size or 262144, "buffer_size")])


class FixedLengthRecordDataset(_FileDataset):
    """``record_bytes``-long records of files, after ``header_bytes`` and before
    ``footer_bytes``."""

    op_type = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None,
                 buffer_size=None, compression_type=None):
        super().__init__([_filenames(filenames), _int64(header_bytes or 0, "header_bytes"),
                          _int64(record_bytes, "record_bytes"),
                          _int64(footer_bytes or 0, "footer_bytes"),
                          _int64(buffer_size or 262144, "buffer_size"),
                          _compression(compression_type)])


def list_files(file_pattern, shuffle=None, seed=None):
    """The files matching ``file_pattern`` (sorted, then shuffled unless ``shuffle`` is
    False); no match fails the first get_next with TF's InvalidArgumentError ("assertion
    failed: [No files matched pattern: ...]", an Assert op as TF 1.15 builds it)."""
    from tfcompat.ops import array_ops, check_ops, math_ops, string_ops
    with ops.name_scope("list_files"):
        file_pattern = ops.convert_to_tensor(file_pattern, dtype=dtypes.string,
                                             name="file_pattern")
        matching = data_flow_ops.matching_files(file_pattern)
        condition = math_ops.greater(array_ops.shape(matching)[0], 0, name="match_not_empty")
        message = math_ops.add("No files matched pattern: ", string_ops.reduce_join(
            file_pattern, separator=", "), name="message")
        assert_not_empty = check_ops.Assert(condition, [message], summarize=1,
                                            name="assert_not_empty")
        with ops.control_dependencies([assert_not_empty]):
            matching = array_ops.identity(matching)
        dataset = DatasetV1Adapter.from_tensor_slices(matching)
        if shuffle is not False:
            dataset = dataset.shuffle(math_ops.maximum(array_ops.shape(
                matching, out_type=dtypes.int64)[0], 1), seed=seed)
        return dataset
