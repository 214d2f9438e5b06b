"""tf.data's ``nest``: element structures of tuples, namedtuples and dicts (sorted keys).

Lists are leaves, as in ``tf.data`` (``from_tensor_slices([1, 2])`` is one tensor). A
SparseTensor component is a ``SparseStructure``: three leaves (indices, values, dense_shape)
that pack back into a SparseTensor.
"""


class SparseStructure(tuple):
    """The (indices, values, dense_shape) of a SparseTensor component: specs in element
    structures, tensors packed into a ``tf.SparseTensor``."""

    def pack(self, items):
        from tfcompat.framework import ops
        from tfcompat.ops.sparse_tensor import SparseTensor
        if all(isinstance(item, ops.Tensor) for item in items):
            return SparseTensor(*items)
        return SparseStructure(items)


def expand_sparse(structure):
    """``structure`` with each SparseTensor as the SparseStructure of its tensors."""
    from tfcompat.ops.sparse_tensor import SparseTensor
    if isinstance(structure, SparseTensor):
        return SparseStructure((structure.indices, structure.values, structure.dense_shape))
    if isinstance(structure, dict):
        return type(structure)((key, expand_sparse(value)) for key, value in structure.items())
    if isinstance(structure, tuple) and not isinstance(structure, SparseStructure):
        items = [expand_sparse(item) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return structure


def flatten(structure):
    """The leaves of ``structure`` in order (dict values by sorted key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure, leaves):
    """``leaves`` arranged like ``structure``."""
    leaves = list(leaves)
    packed, used = _pack(structure, leaves, 0)
    if used != len(leaves):
        raise ValueError(f"Structure had {used} elements, but flat_sequence had "
                         f"{len(leaves)} elements.")
    return packed


def _pack(structure, leaves, start):
    if isinstance(structure, dict):
        out = {}
        for key in sorted(structure):
            out[key], start = _pack(structure[key], leaves, start)
        return type(structure)(out) if type(structure) is not dict else out, start
    if isinstance(structure, tuple):
        items = []
        for item in structure:
            value, start = _pack(item, leaves, start)
            items.append(value)
        if isinstance(structure, SparseStructure):
            return structure.pack(items), start
        if hasattr(structure, "_fields"):
            return type(structure)(*items), start
        return tuple(items), start
    if start >= len(leaves):
        raise ValueError("The flat sequence has too few elements for the structure.")
    return leaves[start], start + 1


def map_structure(fn, structure):
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


def same_structure(first, second):
    """Whether two structures nest alike (leaf values aside)."""
    if isinstance(first, dict) or isinstance(second, dict):
        return isinstance(first, dict) and isinstance(second, dict) and \
            sorted(first) == sorted(second) and \
            all(same_structure(first[k], second[k]) for k in first)
    if isinstance(first, tuple) or isinstance(second, tuple):
        return isinstance(first, tuple) and isinstance(second, tuple) and \
            len(first) == len(second) and all(same_structure(a, b)
                                              for a, b in zip(first, second))
    return True
