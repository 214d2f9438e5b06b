"""``tf.data.Iterator`` (TF 1.15): one-shot, initializable, reinitializable (from a
structure) and feedable (from a string handle) iterators.

The iterator itself lives in the session (a resource named by its op), so two sessions on
one graph iterate independently. ``get_next()`` returns the element structure; at the end
of the data it raises ``tf.errors.OutOfRangeError`` ("End of sequence").
"""
from tfcompat.data import nest
from tfcompat.data.dataset_ops import Dataset, _Spec
from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import dataset_ops as gen


#: Op types TF counts as stateful objects a one-shot iterator cannot capture (variables,
#: tables, random ops, queues), by the words in their names.
_STATEFUL_OBJECTS = ("Variable", "VarHandle", "HashTable", "Random", "TruncatedNormal",
                     "Multinomial", "Queue")


class Iterator:
    """``tf.data.Iterator``: a resource handle and the structure of its elements."""

    def __init__(self, iterator_resource, initializer, structure):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._structure = structure

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None,
                       output_classes=None):
        """An iterator not bound to a dataset: ``make_initializer(dataset)`` binds it."""
        return Iterator._for_structure(_structure(output_types, output_shapes, output_classes),
                                       shared_name)

    @staticmethod
    def _for_structure(structure, shared_name=None):
        specs = nest.flatten(structure)
        handle = gen.iterator_op("IteratorV2", [], [s.dtype for s in specs],
                                 [s.shape for s in specs], "IteratorV2",
                                 shared_name=shared_name or "")
        return Iterator(handle, None, structure)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None,
                           output_classes=None):
        """The iterator named by the fed ``string_handle`` (``Iterator.string_handle()``)."""
        structure = _structure(output_types, output_shapes, output_classes)
        specs = nest.flatten(structure)
        handle_tensor = ops.convert_to_tensor(string_handle, dtype=dtypes.string)
        handle = gen.iterator_op("IteratorFromStringHandleV2", [handle_tensor],
                                 [s.dtype for s in specs], [s.shape for s in specs],
                                 "IteratorFromStringHandleV2")
        return Iterator(handle, None, structure)

    @staticmethod
    def _one_shot(dataset):
        """TF 1.x's one-shot iterator: its dataset is rebuilt from the graph by value, so a
        pipeline reading a stateful op (a variable, a random op) outside its functions is
        refused with TF's ValueError."""
        for op in gen.body_ops([], [dataset._variant_tensor], []):
            if any(word in op.type for word in _STATEFUL_OBJECTS) \
                    and op.outputs[0].dtype != dtypes.variant:  # (not RandomDataset)
                raise ValueError(
                    "Failed to create a one-shot iterator for a dataset. "
                    "`Dataset.make_one_shot_iterator()` does not support datasets that capture "
                    "stateful objects, such as a `Variable` or `LookupTable`. In these cases, "
                    "use `Dataset.make_initializable_iterator()`. (Original error: Cannot "
                    f"capture a stateful node (name:{op.name}, type:{op.type}) by value.)")
        specs = dataset._specs()
        factory = gen.trace_function(lambda args: ([dataset._variant_tensor], None), [],
                                     "make_dataset")
        handle = gen.iterator_op("OneShotIterator", [], [s.dtype for s in specs],
                                 [s.shape for s in specs], "OneShotIterator",
                                 dataset_factory=factory)
        return Iterator(handle, None, dataset._structure)

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    output_types = Dataset.output_types
    output_shapes = Dataset.output_shapes
    output_classes = Dataset.output_classes

    def make_initializer(self, dataset, name=None):
        """The op starting a pass of ``dataset`` (same types, compatible shapes)."""
        self._check_compatible(dataset)
        with ops.name_scope(name, "make_initializer") as scope:
            return gen.make_iterator(dataset._variant_tensor, self._iterator_resource,
                                     [s.dtype for s in dataset._specs()], name=scope)

    def _check_compatible(self, dataset):
        if not isinstance(dataset, Dataset):
            raise TypeError(f"`dataset` must be a Dataset, got {type(dataset).__name__}")
        if not nest.same_structure(self._structure, dataset._structure) or \
                self.output_types != dataset.output_types:
            raise TypeError(f"Expected output types {self.output_types!r} but got dataset "
                            f"with output types {dataset.output_types!r}.")
        for mine, theirs in zip(nest.flatten(self._structure), dataset._specs()):
            if not mine.shape.is_compatible_with(theirs.shape):
                raise TypeError(f"Expected output shapes compatible with "
                                f"{self.output_shapes!r} but got dataset with output shapes "
                                f"{dataset.output_shapes!r}.")

    def get_next(self, name=None):
        """The next element's tensors, in the element structure."""
        specs = nest.flatten(self._structure)
        outputs = gen.iterator_get_next(self._iterator_resource, [s.dtype for s in specs],
                                        [s.shape for s in specs], name=name)
        return nest.pack_sequence_as(self._structure, outputs)

    def string_handle(self, name=None):
        """A string tensor naming this iterator in the session that evaluates it."""
        return ops.get_default_graph().create_op(
            "IteratorToStringHandle", [self._iterator_resource], {},
            name or "IteratorToStringHandle").outputs[0]


def _structure(output_types, output_shapes, output_classes=None):
    """Element specs from TF 1.x's types, shapes and classes (a SparseTensor class: the
    three components of a SparseTensor of that dtype and dense rank)."""
    from tfcompat.ops.sparse_tensor import SparseTensor
    types = nest.map_structure(dtypes.as_dtype, output_types)
    if output_shapes is None:
        output_shapes = nest.map_structure(lambda _: tensor_shape.unknown_shape(), types)
    flat_types = nest.flatten(types)
    shapes = nest.flatten(nest.map_structure(tensor_shape.as_shape, output_shapes))
    classes = [None] * len(flat_types) if output_classes is None else \
        nest.flatten(output_classes)
    specs = []
    for dtype, shape, cls in zip(flat_types, shapes, classes):
        if cls is SparseTensor:
            rank = shape.ndims
            specs.append(nest.SparseStructure((
                _Spec(dtypes.int64, [None, rank]), _Spec(dtype, [None]),
                _Spec(dtypes.int64, [rank]))))
        else:
            specs.append(_Spec(dtype, shape))
    return nest.pack_sequence_as(types, specs)


def make_one_shot_iterator(dataset):
    """``tf.data.make_one_shot_iterator(dataset)`` / ``tf.compat.v1.data``'s."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset, shared_name=None):
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
