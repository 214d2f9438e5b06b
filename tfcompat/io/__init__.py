"""``tf.io``: file contents and tensor serialization ops, and ``tf.io.gfile``."""
from tfcompat.io import gfile  # noqa: F401
from tfcompat.ops.data_flow_ops import matching_files  # noqa: F401
from tfcompat.ops.file_ops import parse_tensor, serialize_tensor, write_file  # noqa: F401
from tfcompat.ops.image_ops import read_file  # noqa: F401
from tfcompat.ops.string_ops import decode_base64, encode_base64  # noqa: F401
from tfcompat.ops.sparse_ops import (deserialize_many_sparse, serialize_many_sparse,  # noqa
                                     serialize_sparse)
from tfcompat.framework.graph_io import write_graph  # noqa: F401
from tfcompat.ops.file_ops import match_filenames_once  # noqa: F401
# The input-pipeline names other modules implement, under tf.io as TF 1.x lists them.
from tfcompat.ops.data_flow_ops import (PaddingFIFOQueue, PriorityQueue, QueueBase,  # noqa
                                        RandomShuffleQueue)
from tfcompat.ops.image_ops import decode_image, decode_jpeg, decode_png  # noqa: F401
from tfcompat.ops.parsing_ops import (FixedLenFeature, decode_csv, decode_raw,  # noqa: F401
                                      parse_example, parse_single_example)
from tfcompat.python_io import (TFRecordCompressionType, TFRecordOptions,  # noqa: F401
                                TFRecordWriter, tf_record_iterator)
from tfcompat.ops.parsing_ops import (FixedLenSequenceFeature, SparseFeature,  # noqa: F401
                                      VarLenFeature, parse_sequence_example,
                                      parse_single_sequence_example)
from tfcompat.ops.parsing_ops import decode_compressed, decode_json_example  # noqa: F401
from tfcompat.ops.image_codec_ops import (decode_and_crop_jpeg, decode_bmp,  # noqa: F401
                                          decode_gif, encode_jpeg, extract_jpeg_shape, is_jpeg)
