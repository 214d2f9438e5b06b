"""Nested structures (TF's ``nest``, also ``tf.nest``): lists, tuples, namedtuples, dicts
and other mappings (by sorted key) and mapping views (``d.values()``: a list of its items, in
their order, as TF 1.15's nest takes them); anything else is a leaf."""
import collections.abc


def is_nested(structure):
    """``tf.nest.is_nested``: a list, tuple (namedtuple), mapping or mapping view."""
    return isinstance(structure, (list, tuple, collections.abc.Mapping,
                                  collections.abc.MappingView))


is_sequence = is_nested  # TF's older name, used throughout its own code


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[key] for key in sorted(structure)]
    return list(structure)


def flatten(structure, expand_composites=False):
    """``tf.nest.flatten``: the leaves in order (dict values by sorted key); a leaf gives
    [leaf]."""
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        leaves.extend(flatten(child))
    return leaves


def _rebuild(structure, values):
    if isinstance(structure, collections.abc.Mapping):
        rebuilt = dict(zip(sorted(structure), values, strict=True))
        return type(structure)((key, rebuilt[key]) for key in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*values)
    if isinstance(structure, collections.abc.MappingView):
        return list(values)  # a view cannot be made from values: TF gives a list
    return type(structure)(values)


def _pack(structure, leaves, start):
    if not is_nested(structure):
        return leaves[start], start + 1
    values = []
    for child in _children(structure):
        value, start = _pack(child, leaves, start)
        values.append(value)
    return _rebuild(structure, values), start


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """``tf.nest.pack_sequence_as``: ``flat_sequence`` arranged like ``structure``."""
    flat_sequence = list(flat_sequence)
    count = len(flatten(structure))
    if count != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {count} elements, but "
                         f"flat_sequence had {len(flat_sequence)} elements.  Structure: "
                         f"{structure}, flat_sequence: {flat_sequence}.")
    return _pack(structure, flat_sequence, 0)[0]


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """``tf.nest.assert_same_structure``: ValueError (TypeError for differing types with
    ``check_types``) unless both have the same nesting."""
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1}\n\nSecond structure: {nest2}")
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError(f"The two structures don't have the same sequence type. Input "
                        f"structure has type {type(nest1)}, while shallow structure has type "
                        f"{type(nest2)}.")
    if isinstance(nest1, collections.abc.Mapping) and sorted(nest1) != sorted(nest2):
        raise ValueError(f"The two dictionaries don't have the same set of keys. First "
                         f"structure has keys {sorted(nest1)}, while second structure has "
                         f"keys {sorted(nest2)}.")
    first, second = _children(nest1), _children(nest2)
    if len(first) != len(second):
        raise ValueError(f"The two structures don't have the same number of elements.\n\n"
                         f"First structure: {nest1}\n\nSecond structure: {nest2}")
    for a, b in zip(first, second, strict=True):
        assert_same_structure(a, b, check_types)


def map_structure(func, *structure, **kwargs):
    """``tf.nest.map_structure(func, *structures, check_types=True)``: func applied to the
    matching leaves, in the first structure's shape."""
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: `{', '.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats,
                                                                           strict=True)])
