"""``tf.data.Dataset`` (TF 1.15's ``DatasetV1``): sources, transformations and iterators.

A Dataset is a graph object: building one adds its dataset op (``TensorSliceDataset``,
``MapDataset`` ...) to the default graph under the current name scope, and its element
structure (nested tuples / dicts / namedtuples of dtypes and static shapes) is known at
graph-construction time. Functions passed to ``map``/``filter``/``flat_map``/``interleave``
are traced once into graph ops; their arguments are placeholder-like tensors of the element
structure (a tuple element is passed as separate arguments).
"""
import numpy as np

from tfcompat.data import nest
from tfcompat.framework import dtypes, ops, random_seed, tensor_shape
from tfcompat.ops import dataset_ops as gen

_INT64_MAX = np.iinfo(np.int64).max


class _Spec:
    """The dtype and static shape of one flat component."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype = dtypes.as_dtype(dtype).base_dtype
        self.shape = tensor_shape.as_shape(shape)


class _DatasetSpec(_Spec):
    """A component that is itself a dataset (a window): a scalar variant with the
    element structure of the datasets it holds."""

    __slots__ = ("structure",)

    def __init__(self, structure):
        super().__init__(dtypes.variant, [])
        self.structure = structure


def _int64(value, name):
    return ops.convert_to_tensor(value, dtype=dtypes.int64, name=name)


class _DatasetMarker:
    """The output structure of a function that returns a Dataset (flat_map)."""

    def __init__(self, dataset):
        self.dataset = dataset


class Dataset:
    """``tf.data.Dataset``: a graph value (``_variant_tensor``) and its element structure."""

    def __init__(self, variant_tensor, structure):
        self._variant_tensor = variant_tensor
        self._structure = structure  # nested _Spec

    # ---- structure ---------------------------------------------------------------------------
    @property
    def output_types(self):
        return _legacy(self._structure, lambda spec: spec.dtype, lambda sparse: sparse[1].dtype)

    @property
    def output_shapes(self):
        return _legacy(self._structure, lambda spec: spec.shape, _sparse_dense_shape)

    @property
    def output_classes(self):
        from tfcompat.ops.sparse_tensor import SparseTensor
        return _legacy(self._structure, lambda spec: ops.Tensor, lambda sparse: SparseTensor)

    def _specs(self):
        return nest.flatten(self._structure)

    def _new(self, op_type, inputs, structure, **attrs):
        specs = nest.flatten(structure)
        variant = gen.dataset_op(op_type, inputs, [s.dtype for s in specs],
                                 [s.shape for s in specs], **attrs)
        return DatasetV1Adapter(variant, structure)

    # ---- sources ---------------------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors):
        """One element: ``tensors``."""
        with ops.name_scope("normalize_element"):
            flat = _to_tensors(tensors)
        structure = nest.pack_sequence_as(tensors, [_Spec(t.dtype, t.shape) for t in flat])
        return _source("TensorDataset", flat, structure)

    @staticmethod
    def from_tensor_slices(tensors):
        """Elements are the slices of ``tensors`` along their first dimension."""
        with ops.name_scope("normalize_element"):
            flat = _to_tensors(tensors)
        first = tensor_shape.Dimension(None)
        for tensor in flat:
            if tensor.shape.ndims == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1, "
                                 f"but {tensor.name} has shape ().")
            if tensor.shape.ndims is not None:
                dim = tensor.shape[0]
                if not first.is_compatible_with(dim):
                    raise ValueError(f"Dimensions {first.value} and {dim.value} are not "
                                     "compatible")
                first = first.merge_with(dim)
        structure = nest.pack_sequence_as(
            tensors, [_Spec(t.dtype, t.shape[1:] if t.shape.ndims is not None else None)
                      for t in flat])
        return _source("TensorSliceDataset", flat, structure)

    @staticmethod
    def from_sparse_tensor_slices(sparse_tensor):
        """One element per row of ``sparse_tensor``: the (indices without the row column,
        values, dense shape without its first dimension) tensors of the row (TF 1.x)."""
        from tfcompat.ops.sparse_tensor import SparseTensor
        if not isinstance(sparse_tensor, SparseTensor):
            raise TypeError("`sparse_tensor` must be a `tf.SparseTensor` object. Was "
                            f"{sparse_tensor}.")
        rank = sparse_tensor.dense_shape.shape[0].value
        rank = None if rank is None else rank - 1
        structure = (_Spec(dtypes.int64, [None, rank]), _Spec(sparse_tensor.dtype, [None]),
                     _Spec(dtypes.int64, [rank]))
        return _source("SparseTensorSliceDataset", [
            sparse_tensor.indices, sparse_tensor.values, sparse_tensor.dense_shape], structure)

    @staticmethod
    def range(*args):
        """int64 scalars like Python's ``range(start, stop, step)``."""
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to range: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else 1)
        inputs = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        return _source("RangeDataset", inputs, _Spec(dtypes.int64, []))

    @staticmethod
    def zip(datasets):
        """Elements are the nested structure ``datasets`` of their elements."""
        flat = nest.flatten(datasets)
        for dataset in flat:
            if not isinstance(dataset, Dataset):
                raise TypeError(f"The argument to `Dataset.zip()` must be a nested structure "
                                f"of `Dataset` objects, got {type(dataset).__name__}.")
        structure = nest.pack_sequence_as(datasets, [d._structure for d in flat])
        return flat[0]._new("ZipDataset", [d._variant_tensor for d in flat], structure)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """Elements of ``generator(*args)`` (a callable returning an iterable), converted to
        ``output_types`` and checked against ``output_shapes``."""
        if not callable(generator):
            raise TypeError("`generator` must be callable.")
        types = nest.map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            output_shapes = nest.map_structure(lambda _: tensor_shape.unknown_shape(), types)
        shapes = nest.map_structure(tensor_shape.as_shape, output_shapes)
        structure = nest.pack_sequence_as(
            types, [_Spec(t, s) for t, s in zip(nest.flatten(types), nest.flatten(shapes))])
        inputs = [ops.convert_to_tensor(a, name=f"arg{i}") for i, a in enumerate(args or ())]
        specs = nest.flatten(structure)
        variant = gen.dataset_op("GeneratorDataset", inputs, [s.dtype for s in specs],
                                 [s.shape for s in specs], generator=_PythonCallable(generator))
        return DatasetV1Adapter(variant, structure)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None):
        """The file names matching ``file_pattern`` (shuffled unless ``shuffle=False``)."""
        from tfcompat.data import readers
        return readers.list_files(file_pattern, shuffle, seed)

    # ---- transformations --------------------------------------------------------------------
    def concatenate(self, dataset):
        if [s.dtype for s in self._specs()] != [s.dtype for s in dataset._specs()] or \
                not nest.same_structure(self._structure, dataset._structure):
            raise TypeError(f"Two datasets to concatenate have different types "
                            f"{self.output_types} and {dataset.output_types}")
        structure = nest.pack_sequence_as(self._structure, [
            _Spec(a.dtype, _most_specific(a.shape, b.shape))
            for a, b in zip(self._specs(), dataset._specs())])
        return self._new("ConcatenateDataset", [self._variant_tensor, dataset._variant_tensor],
                         structure)

    def repeat(self, count=None):
        count = -1 if count is None else count
        return self._new("RepeatDataset", [self._variant_tensor, _int64(count, "count")],
                         self._structure)

    def take(self, count):
        return self._new("TakeDataset", [self._variant_tensor, _int64(count, "count")],
                         self._structure)

    def skip(self, count):
        return self._new("SkipDataset", [self._variant_tensor, _int64(count, "count")],
                         self._structure)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """TF's shuffle buffer; one ``seed`` (or graph seed) gives the same orders."""
        seed, seed2 = random_seed.get_seed(seed)
        inputs = [self._variant_tensor, _int64(buffer_size, "buffer_size"),
                  _int64(seed or 0, "seed"), _int64(seed2 or 0, "seed2")]
        return self._new("ShuffleDataset", inputs, self._structure,
                         reshuffle_each_iteration=reshuffle_each_iteration is not False)

    def batch(self, batch_size, drop_remainder=False):
        structure = _batched(self._structure, batch_size, drop_remainder)
        inputs = [self._variant_tensor, _int64(batch_size, "batch_size"),
                  ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool,
                                        name="drop_remainder")]
        return self._new("BatchDatasetV2", inputs, structure,
                         sparse_components=sparse_components(self._structure))

    def padded_batch(self, batch_size, padded_shapes, padding_values=None,
                     drop_remainder=False):
        """Batches whose components are padded to ``padded_shapes`` (None / -1: the
        longest in the batch) with ``padding_values`` (default 0 or b"")."""
        _check_dense(self._structure)
        specs = self._specs()
        given = _flatten_up_to(self._structure, padded_shapes)
        shapes = [_static_padded_shape(s) for s in given]
        if padding_values is None:
            values = [np.array(b"" if s.dtype == dtypes.string else 0,
                               dtype=s.dtype.as_numpy_dtype) for s in specs]
        else:
            values = _flatten_up_to(self._structure, padding_values)
        shape_tensors, value_tensors = [], []
        for spec, shape, shape_given, value in zip(specs, shapes, given, values):
            if not _pads(shape, spec.shape):
                raise ValueError(f"The padded shape {shape} is not compatible with the "
                                 f"corresponding input component shape {spec.shape}.")
            shape_tensors.append(shape_given if isinstance(shape_given, ops.Tensor) else _int64(
                [-1 if d is None else d for d in shape.as_list()], "padded_shapes"))
            value_tensors.append(ops.convert_to_tensor(value, dtype=spec.dtype,
                                                       name="padding_value"))
        structure = nest.pack_sequence_as(self._structure, [
            _Spec(spec.dtype, [_static_batch(batch_size, drop_remainder)] + shape.as_list())
            for spec, shape in zip(specs, shapes)])
        inputs = [self._variant_tensor, _int64(batch_size, "batch_size"), *shape_tensors,
                  *value_tensors, ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool,
                                                        name="drop_remainder")]
        return self._new("PaddedBatchDatasetV2", inputs, structure)

    def unbatch(self):
        _check_dense(self._structure)
        structure = nest.map_structure(
            lambda s: _Spec(s.dtype, s.shape[1:] if s.shape.ndims is not None else None),
            self._structure)
        return self._new("UnbatchDataset", [self._variant_tensor], structure)

    def prefetch(self, buffer_size):
        return self._new("PrefetchDataset", [self._variant_tensor,
                                             _int64(buffer_size, "buffer_size")],
                         self._structure)

    def cache(self, filename=""):
        """Keeps the first pass's elements in memory (a ``filename`` is not written)."""
        return self._new("CacheDataset", [self._variant_tensor, ops.convert_to_tensor(
            filename, dtype=dtypes.string, name="filename")], self._structure)

    def map(self, map_func, num_parallel_calls=None):
        function = _trace(map_func, self._structure, "Dataset_map")
        return self._new("MapDataset", [self._variant_tensor, *function.captured],
                         function.output_structure, f=function)

    def map_with_legacy_function(self, map_func, num_parallel_calls=None):
        """``map`` (TF 1.x's legacy-function variant traces the same way in tfcompat)."""
        return self.map(map_func, num_parallel_calls)

    def filter_with_legacy_function(self, predicate):
        """``filter`` (TF 1.x's legacy-function variant)."""
        return self.filter(predicate)

    def filter(self, predicate):
        function = _trace(predicate, self._structure, "Dataset_filter")
        spec = function.output_structure
        if not isinstance(spec, _Spec) or spec.dtype != dtypes.bool or \
                not spec.shape.is_compatible_with([]):
            raise ValueError("`predicate` return type must be convertible to a scalar boolean "
                             "tensor.")
        return self._new("FilterDataset", [self._variant_tensor, *function.captured],
                         self._structure, predicate=function)

    def flat_map(self, map_func):
        function = _trace(map_func, self._structure, "Dataset_flat_map")
        return self._new("FlatMapDataset", [self._variant_tensor, *function.captured],
                         _dataset_structure(function), f=function)

    def interleave(self, map_func, cycle_length=None, block_length=1,
                   num_parallel_calls=None):
        function = _trace(map_func, self._structure, "Dataset_interleave")
        inputs = [self._variant_tensor, *function.captured,
                  _int64(cycle_length or 1, "cycle_length"), _int64(block_length,
                                                                     "block_length")]
        return self._new("InterleaveDataset", inputs, _dataset_structure(function),
                         f=function)

    def shard(self, num_shards, index):
        """Every ``num_shards``-th element starting at ``index`` (ShardDataset)."""
        return self._new("ShardDataset", [self._variant_tensor, _int64(num_shards, "num_shards"),
                                          _int64(index, "index")],
                         self._structure, require_non_empty=False)

    def window(self, size, shift=None, stride=1, drop_remainder=False):
        """Elements are datasets of ``size`` consecutive input elements (``stride`` apart),
        a new window every ``shift`` (default ``size``) elements; a tuple element gives a
        tuple of datasets."""
        structure = nest.map_structure(lambda spec: _DatasetSpec(spec), self._structure)
        inputs = [self._variant_tensor, _int64(size, "size"),
                  _int64(size if shift is None else shift, "shift"), _int64(stride, "stride"),
                  ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool,
                                        name="drop_remainder")]
        return self._new("WindowDataset", inputs, structure)

    def reduce(self, initial_state, reduce_func):
        """``reduce_func(state, element) -> state`` over all elements: the final state's
        tensors (ReduceDataset). State shapes that change get the shapes they share."""
        function, flat_state, state_specs = trace_with_state(
            reduce_func, initial_state, self._structure, "reduce_fn", lambda out: out)
        return nest.pack_sequence_as(initial_state, list(gen.reduce_dataset(
            self._variant_tensor, flat_state, function, state_specs)))

    def with_options(self, options):
        """This dataset with ``options`` merged into its options (accepted; tfcompat runs
        pipelines the same way whatever they say)."""
        from tfcompat.data.options import Options
        dataset = DatasetV1Adapter(self._variant_tensor, self._structure)
        dataset._options = self.options().merge(options) if isinstance(options, Options) \
            else _raise_not_options(options)
        return dataset

    def options(self):
        """The ``tf.data.Options`` of this dataset (defaults unless ``with_options``)."""
        from tfcompat.data.options import Options
        return getattr(self, "_options", None) or Options()

    def apply(self, transformation_func):
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError("`transformation_func` must return a Dataset.")
        return dataset

    # ---- iterators ---------------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator initialised on first use (no initializer to run)."""
        from tfcompat.data.iterator_ops import Iterator
        return Iterator._one_shot(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator whose ``initializer`` (re)starts a pass over this dataset."""
        from tfcompat.data.iterator_ops import Iterator
        iterator = Iterator._for_structure(self._structure, shared_name)
        iterator._check_compatible(self)
        iterator._initializer = gen.make_iterator(
            self._variant_tensor, iterator._iterator_resource, [s.dtype for s in self._specs()])
        return iterator

    def __iter__(self):
        raise RuntimeError("dataset.__iter__() is only supported when eager execution is "
                           "enabled.")


class DatasetV1Adapter(Dataset):
    """The class of the datasets transformations return (TF 1.15's name)."""


def _source(op_type, inputs, structure):
    specs = nest.flatten(structure)
    variant = gen.dataset_op(op_type, inputs, [s.dtype for s in specs],
                             [s.shape for s in specs])
    return DatasetV1Adapter(variant, structure)


def _to_tensors(structure):
    leaves = nest.flatten(structure)
    return [ops.convert_to_tensor(leaf, name=f"component_{i}") for i, leaf in enumerate(leaves)]


def _most_specific(a, b):
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return tensor_shape.unknown_shape()
    return tensor_shape.TensorShape([x if x == y else None
                                     for x, y in zip(a.as_list(), b.as_list())])


def _static_batch(batch_size, drop_remainder):
    """The static batch dimension: known only for a Python int size and drop_remainder."""
    static = isinstance(drop_remainder, (bool, np.bool_)) and bool(drop_remainder) and \
        isinstance(batch_size, (int, np.integer))
    return int(batch_size) if static else None


def _legacy(structure, of_spec, of_sparse):
    """TF 1.x's output_types/shapes/classes: one value per component (a SparseTensor's from
    ``of_sparse``)."""
    if isinstance(structure, nest.SparseStructure):
        return of_sparse(structure)
    if isinstance(structure, dict):
        return type(structure)((key, _legacy(value, of_spec, of_sparse))
                               for key, value in structure.items())
    if isinstance(structure, tuple):
        items = [_legacy(item, of_spec, of_sparse) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return of_spec(structure)


def _sparse_dense_shape(sparse):
    rank = sparse[2].shape[0].value
    return tensor_shape.unknown_shape() if rank is None else tensor_shape.TensorShape(
        [None] * rank)


def _check_dense(structure):
    if sparse_components(structure):
        raise NotImplementedError("tfcompat does not pad or unbatch datasets of SparseTensor "
                                  "elements yet")


def _batched(structure, batch_size, drop_remainder):
    """The structure of batches: a leading batch dimension; a SparseTensor component gains
    a leading dense dimension (indices [N, rank + 1], dense_shape [rank + 1])."""
    size = _static_batch(batch_size, drop_remainder)
    if isinstance(structure, nest.SparseStructure):
        indices, values, dense_shape = structure
        rank = dense_shape.shape[0].value
        rank = None if rank is None else rank + 1
        return nest.SparseStructure((_Spec(dtypes.int64, [None, rank]),
                                     _Spec(values.dtype, [None]),
                                     _Spec(dtypes.int64, [rank])))
    if isinstance(structure, dict):
        return type(structure)((key, _batched(value, batch_size, drop_remainder))
                               for key, value in structure.items())
    if isinstance(structure, tuple):
        items = [_batched(item, batch_size, drop_remainder) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return _Spec(structure.dtype, tensor_shape.TensorShape([size]).concatenate(structure.shape))


def sparse_components(structure):
    """The flat positions where SparseTensor components (index, values, shape) start."""
    positions, start = [], 0
    for leaf in _leaves_and_sparse(structure):
        if isinstance(leaf, nest.SparseStructure):
            positions.append(start)
            start += 3
        else:
            start += 1
    return positions


def _leaves_and_sparse(structure):
    if isinstance(structure, nest.SparseStructure):
        return [structure]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in
                _leaves_and_sparse(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in _leaves_and_sparse(item)]
    return [structure]


def _static_padded_shape(shape):
    """A padded shape (a TensorShape, a list with None / -1 for "the longest", or an int64
    tensor) as a static TensorShape."""
    if isinstance(shape, ops.Tensor):
        from tfcompat.framework.op_def import constant_shape_value
        shape = ops.convert_to_tensor(shape, dtype=dtypes.int64)
        return constant_shape_value(shape)
    if isinstance(shape, tensor_shape.TensorShape):
        return shape
    return tensor_shape.TensorShape([None if d is None or int(d) == -1 else int(d)
                                     for d in shape])


def _pads(padded, shape):
    """Whether ``padded`` (None dims: the longest) can hold elements of ``shape``."""
    if padded.ndims is None:
        return False
    if shape.ndims is None:
        return True
    return padded.ndims == shape.ndims and all(
        p is None or s is None or p >= s for p, s in zip(padded.as_list(), shape.as_list()))


def _flatten_up_to(structure, values):
    """``values`` (shapes or paddings) laid out like ``structure``; one value for a single
    component may be a list (a shape)."""
    if isinstance(structure, _Spec):
        return [values]
    if isinstance(structure, dict):
        return [v for key in sorted(structure) for v in _flatten_up_to(structure[key],
                                                                       values[key])]
    return [v for sub, value in zip(structure, values) for v in _flatten_up_to(sub, value)]


class _PythonCallable(str):
    """A Python callable held in a NodeDef attr (exports as its name)."""

    def __new__(cls, fn):
        callable_name = getattr(fn, "__name__", type(fn).__name__)
        obj = super().__new__(cls, callable_name)
        obj.fn = fn
        return obj

    def __call__(self, *args):
        return self.fn(*args)


def _trace(fn, structure, name):
    """``fn`` traced on placeholders of ``structure``'s components."""
    specs = nest.flatten(structure)

    def body(args):
        packed = nest.pack_sequence_as(structure, [
            DatasetV1Adapter(arg, spec.structure) if isinstance(spec, _DatasetSpec) else arg
            for arg, spec in zip(args, specs)])
        result = fn(*packed) if type(packed) is tuple else fn(packed)
        if isinstance(result, Dataset):
            return [result._variant_tensor], _DatasetMarker(result)
        if isinstance(result, list):
            result = tuple(result)
        result = nest.expand_sparse(result)
        leaves = [ops.convert_to_tensor(leaf) for leaf in nest.flatten(result)]
        return leaves, nest.pack_sequence_as(result, [_Spec(t.dtype, t.shape)
                                                      for t in leaves])
    return gen.trace_function(body, [(s.dtype, s.shape) for s in specs], name)


def _dataset_structure(function):
    marker = function.output_structure
    if not isinstance(marker, _DatasetMarker):
        raise TypeError("`map_func` must return a `Dataset` object.")
    return marker.dataset._structure


def _raise_not_options(options):
    raise TypeError(f"options must be a tf.data.Options, got {type(options).__name__}")



def trace_with_state(fn, initial_state, element_structure, name, state_of):
    """``fn(state, element)`` traced with the state's specs: (function, flat initial state
    tensors, state specs); see ``trace_state_function``."""
    with ops.name_scope("initial_state"):
        flat_state = _to_tensors(initial_state)
    state = nest.pack_sequence_as(initial_state, [_Spec(t.dtype, t.shape) for t in flat_state])
    function, state = trace_state_function(fn, state, element_structure, name, state_of)
    return function, flat_state, nest.flatten(state)


def trace_state_function(fn, state, element_structure, name, state_of):
    """``fn(state, element)`` traced on the state structure ``state`` (specs): (function,
    final state specs). ``state_of(output structure)`` is the new state; when its shapes
    differ from the state's, fn is traced again with the shapes both share (TF's shape
    relaxation); a dtype change is TF's TypeError."""
    state_specs = nest.flatten(state)
    while True:
        function = _trace(fn, (state, element_structure), name)
        out_specs = nest.flatten(state_of(function.output_structure))
        if [o.dtype for o in out_specs] != [s.dtype for s in state_specs]:
            raise TypeError(f"The element types for the new state must match the initial "
                            f"state. Expected {[s.dtype.name for s in state_specs]}; got "
                            f"{[o.dtype.name for o in out_specs]}.")
        relaxed = [_most_specific(s.shape, o.shape) for s, o in zip(state_specs, out_specs)]
        if all(r == s.shape or (r.ndims is None and s.shape.ndims is None)
               for r, s in zip(relaxed, state_specs)):
            return function, state
        state_specs = [_Spec(s.dtype, r) for s, r in zip(state_specs, relaxed)]
        state = nest.pack_sequence_as(state, state_specs)
