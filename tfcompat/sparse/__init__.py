"""``tf.sparse``: the TF 1.x sparse namespace (aliases of the ``tf.sparse_*`` ops)."""
from tfcompat.framework.sparse_tensor import SparseTensor  # noqa: F401
from tfcompat.framework.sparse_tensor import sparse_placeholder as placeholder  # noqa: F401
from tfcompat.ops.sparse_ops import from_dense  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_add as add  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_concat as concat  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_reduce_sum as reduce_sum  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_reorder as reorder  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_reshape as reshape  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_retain as retain  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_softmax as softmax  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_tensor_dense_matmul as matmul  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_tensor_dense_matmul as sparse_dense_matmul  # noqa
from tfcompat.ops.sparse_ops import sparse_tensor_to_dense as to_dense  # noqa: F401
from tfcompat.ops.sparse_ops import sparse_to_indicator as to_indicator  # noqa: F401
