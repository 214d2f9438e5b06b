"""Nested structures of tensors (TF's ``nest``): lists, tuples, namedtuples and dicts."""


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(value, "_fields")


def is_sequence(value):
    """Whether ``value`` is a structure (list, tuple, namedtuple, dict) rather than a leaf."""
    return isinstance(value, (list, tuple, dict))


def _children(value):
    if isinstance(value, dict):
        return [value[key] for key in sorted(value)]
    return list(value)


def flatten(structure):
    """The leaves of ``structure`` in order (dicts by sorted key)."""
    if not is_sequence(structure):
        return [structure]
    out = []
    for item in _children(structure):
        out.extend(flatten(item))
    return out


def _rebuild(template, items):
    if isinstance(template, dict):
        return type(template)(zip(sorted(template), items))
    if _is_namedtuple(template):
        return type(template)(*items)
    return type(template)(items)


def pack_sequence_as(structure, flat_sequence):
    """``flat_sequence`` arranged as ``structure`` (the inverse of ``flatten``)."""
    flat_sequence = list(flat_sequence)
    leaves = len(flatten(structure))
    if leaves != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {leaves} elements, but "
                         f"flat_sequence had {len(flat_sequence)} elements.")

    def pack(template, position):
        if not is_sequence(template):
            return flat_sequence[position], position + 1
        items = []
        for child in _children(template):
            item, position = pack(child, position)
            items.append(item)
        return _rebuild(template, items), position
    return pack(structure, 0)[0]


def map_structure(func, *structures):
    """``func`` applied leaf-wise to structures of the same layout."""
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])


def assert_same_structure(first, second):
    """Raises ValueError when ``first`` and ``second`` are not nested the same way."""
    def shape_of(value):
        if not is_sequence(value):
            return None
        kind = "dict" if isinstance(value, dict) else ("list-or-tuple")
        return kind, len(_children(value)), [shape_of(c) for c in _children(value)]
    if shape_of(first) != shape_of(second):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {first}\n\nSecond structure: {second}")
