"""``tf.io``: file contents and tensor serialization ops, and ``tf.io.gfile``."""
from tfcompat.io import gfile  # noqa: F401
from tfcompat.ops.file_ops import (matching_files, parse_tensor,  # noqa: F401
                                   serialize_tensor, write_file)
from tfcompat.ops.image_ops import read_file  # noqa: F401
from tfcompat.ops.string_ops import decode_base64, encode_base64  # noqa: F401
from tfcompat.ops.sparse_ops import (deserialize_many_sparse, serialize_many_sparse,  # noqa
                                     serialize_sparse)
from tfcompat.framework.graph_io import write_graph  # noqa: F401
from tfcompat.ops.file_ops import match_filenames_once  # noqa: F401
