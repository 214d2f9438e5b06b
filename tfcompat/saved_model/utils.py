"""``tf.saved_model.utils``: TensorInfo protos of tensors and back."""
from tfcompat.framework import ops
from tfcompat.framework.meta_graph import prepend_name_scope
from tfcompat.framework.signature_def import CooSparse, TensorInfo, TensorShapeProto
from tfcompat.ops.sparse_tensor import SparseTensor


def build_tensor_info(tensor):
    """The ``TensorInfo`` of ``tensor``: its name (for a SparseTensor the names of its
    values, indices and dense_shape tensors as ``coo_sparse``), dtype and static shape."""
    if isinstance(tensor, SparseTensor):
        return TensorInfo(
            dtype=tensor.values.dtype.base_dtype.as_datatype_enum,
            tensor_shape=TensorShapeProto.from_shape(tensor.get_shape()),
            coo_sparse=CooSparse(tensor.values.name, tensor.indices.name,
                                 tensor.dense_shape.name))
    tensor = ops.convert_to_tensor(tensor)
    return TensorInfo(name=tensor.name, dtype=tensor.dtype.base_dtype.as_datatype_enum,
                      tensor_shape=TensorShapeProto.from_shape(tensor.shape))


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The Tensor (or SparseTensor) ``tensor_info`` names in ``graph`` (default: the default
    graph), its names prefixed with ``import_scope``; ValueError for an unknown encoding."""
    graph = graph or ops.get_default_graph()

    def tensor_named(name):
        return graph.get_tensor_by_name(prepend_name_scope(name, import_scope))

    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return tensor_named(tensor_info.name)
    if encoding == "coo_sparse":
        sparse = tensor_info.coo_sparse
        return SparseTensor(tensor_named(sparse.indices_tensor_name),
                            tensor_named(sparse.values_tensor_name),
                            tensor_named(sparse.dense_shape_tensor_name))
    raise ValueError(f"Invalid TensorInfo.encoding: {encoding}")
