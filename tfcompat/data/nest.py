"""tf.data's ``nest``: element structures of tuples, namedtuples and dicts (sorted keys).

Lists are leaves, as in ``tf.data`` (``from_tensor_slices([1, 2])`` is one tensor).
"""


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
