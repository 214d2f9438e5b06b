"""``tf.data.experimental``: transformations for ``Dataset.apply`` and the helpers TF 1.15
code uses (scan, group_by_window, bucket_by_sequence_length, sample_from_datasets, ...)."""
import numpy as np

from tfcompat.data import nest
from tfcompat.data.dataset_ops import (Dataset, DatasetV1Adapter, _batched, _dataset_structure,
                                       _int64, _Spec, _trace, trace_with_state)
from tfcompat.framework import dtypes, ops, random_seed, tensor_shape
from tfcompat.ops import dataset_ops as gen
from tfcompat.ops import experimental_dataset_ops


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """shuffle then repeat ``count`` times (None: forever), a new order every pass."""
    def apply(dataset):
        seeds = random_seed.get_seed(seed)
        inputs = [dataset._variant_tensor, _int64(buffer_size, "buffer_size"),
                  _int64(seeds[0] or 0, "seed"), _int64(seeds[1] or 0, "seed2"),
                  _int64(-1 if count is None else count, "count")]
        return dataset._new("ShuffleAndRepeatDataset", inputs, dataset._structure)
    return apply


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """map then batch, fused (``MapAndBatchDataset``)."""
    def apply(dataset):
        function = _trace(map_func, dataset._structure, "Dataset_map")
        inputs = [dataset._variant_tensor, *function.captured,
                  _int64(batch_size, "batch_size"),
                  _int64(num_parallel_calls or num_parallel_batches or 1,
                         "num_parallel_calls"),
                  ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool,
                                        name="drop_remainder")]
        return dataset._new("MapAndBatchDataset", inputs,
                            _batched(function.output_structure, batch_size, drop_remainder),
                            f=function)
    return apply


def unbatch():
    """Splits each element's components along their first dimension."""
    return lambda dataset: dataset.unbatch()


def scan(initial_state, scan_func):
    """``scan_func(state, element) -> (new_state, output)``: the outputs (ScanDataset)."""
    def apply(dataset):
        function, flat_state, state_specs = trace_with_state(
            scan_func, initial_state, dataset._structure, "scan_fn", lambda out: out[0])
        inputs = [dataset._variant_tensor, *flat_state, *function.captured]
        return dataset._new("ScanDataset", inputs, function.output_structure[1], f=function,
                            Tstate=[s.dtype for s in state_specs],
                            Targuments=[t.dtype.base_dtype for t in function.captured],
                            preserve_cardinality=False, use_default_device=True)
    return apply


def take_while(predicate):
    """The elements before the first one ``predicate`` rejects (TakeWhileDataset)."""
    def apply(dataset):
        function = _trace(predicate, dataset._structure, "take_while_fn")
        _check_scalar_bool(function, "`predicate`")
        return dataset._new("TakeWhileDataset", [dataset._variant_tensor, *function.captured],
                            dataset._structure, predicate=function)
    return apply


def _check_scalar_bool(function, what):
    spec = function.output_structure
    if not isinstance(spec, _Spec) or spec.dtype != dtypes.bool or \
            not spec.shape.is_compatible_with([]):
        raise ValueError(f"{what} return type must be convertible to a scalar boolean tensor.")


def unique():
    """Each distinct element once (scalar int32 / int64 / string elements)."""
    def apply(dataset):
        spec = dataset._structure
        if not isinstance(spec, _Spec) or spec.dtype not in (dtypes.int32, dtypes.int64,
                                                              dtypes.string):
            raise TypeError("`tf.data.experimental.unique()` only supports datasets with a "
                            "single `tf.int32`, `tf.int64`, or `tf.string` component.")
        return dataset._new("UniqueDataset", [dataset._variant_tensor], spec)
    return apply


def _common_structure(datasets):
    first = datasets[0]
    for dataset in datasets[1:]:
        if dataset.output_types != first.output_types or \
                not nest.same_structure(dataset._structure, first._structure):
            raise TypeError(f"Datasets must have the same type, but got "
                            f"{first.output_types} and {dataset.output_types}.")
    return first._structure


def _directed_interleave(selector, datasets):
    return datasets[0]._new("DirectedInterleaveDataset", [
        selector._variant_tensor, *[d._variant_tensor for d in datasets]],
        _common_structure(datasets))


def choose_from_datasets(datasets, choice_dataset):
    """The element of ``datasets[choice]`` for each int64 ``choice`` of ``choice_dataset``."""
    if not datasets:
        raise ValueError("`datasets` must be a non-empty list of datasets.")
    spec = choice_dataset._structure
    if not isinstance(spec, _Spec) or spec.dtype != dtypes.int64 or \
            not spec.shape.is_compatible_with([]):
        raise TypeError(f"`choice_dataset` must be a dataset of scalar `tf.int64` tensors, "
                        f"but had type {choice_dataset.output_types} and shape "
                        f"{choice_dataset.output_shapes}.")
    return _directed_interleave(choice_dataset, list(datasets))


class RandomDataset(DatasetV1Adapter):
    """``tf.data.experimental.RandomDataset(seed=None)``: int64 pseudo-random numbers."""

    def __init__(self, seed=None):
        seed, seed2 = random_seed.get_seed(seed)
        variant = gen.dataset_op("RandomDataset", [_int64(seed or 0, "seed"),
                                                   _int64(seed2 or 0, "seed2")],
                                 [dtypes.int64], [[]])
        super().__init__(variant, _Spec(dtypes.int64, []))


def sample_from_datasets(datasets, weights=None, seed=None):
    """Elements drawn from ``datasets`` at random with probabilities ``weights`` (default:
    uniform); an exhausted dataset is skipped. The draws are tfcompat's, not TF's."""
    from tfcompat.ops import array_ops, math_ops
    datasets = list(datasets)
    if not datasets:
        raise ValueError("`datasets` must be a non-empty list of datasets.")
    weights = np.full(len(datasets), 1.0 / len(datasets)) if weights is None else \
        np.asarray(weights, np.float64)
    if weights.shape != (len(datasets),):
        raise ValueError(f"`weights` must have one value per dataset, got {weights.shape}.")
    thresholds = np.cumsum(weights / weights.sum())[:-1]

    def select(number):
        fraction = math_ops.cast(number, dtypes.float64) / 2.0 ** 64 + 0.5
        below = math_ops.cast(math_ops.greater_equal(fraction, thresholds), dtypes.int64)
        return math_ops.reduce_sum(array_ops.reshape(below, [-1]))

    return _directed_interleave(RandomDataset(seed).map(select), datasets)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """Groups elements by the int64 ``key_func(element)``; each group of ``window_size``
    (or ``window_size_func(key)``) elements, and each group left at the end, becomes
    ``reduce_func(key, window_dataset)``'s elements."""
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Must pass either window_size or window_size_func.")
    if window_size_func is None:
        def window_size_func(_):
            return ops.convert_to_tensor(window_size, dtype=dtypes.int64)

    def apply(dataset):
        from tfcompat.data.dataset_ops import _DatasetSpec
        key = _trace(key_func, dataset._structure, "key_func")
        _check_int64_scalar(key, "`key_func`")
        size = _trace(window_size_func, _Spec(dtypes.int64, []), "window_size_func")
        _check_int64_scalar(size, "`window_size_func`")
        reduce = _trace(reduce_func, (_Spec(dtypes.int64, []),
                                      _DatasetSpec(dataset._structure)), "reduce_func")
        inputs = [dataset._variant_tensor, *key.captured, *reduce.captured, *size.captured]
        return dataset._new(
            "GroupByWindowDataset", inputs, _dataset_structure(reduce), key_func=key,
            reduce_func=reduce, window_size_func=size,
            Tkey_func_other_arguments=[t.dtype.base_dtype for t in key.captured],
            Treduce_func_other_arguments=[t.dtype.base_dtype for t in reduce.captured],
            Twindow_size_func_other_arguments=[t.dtype.base_dtype for t in size.captured])
    return apply


def _check_int64_scalar(function, what):
    spec = function.output_structure
    if not isinstance(spec, _Spec) or spec.dtype != dtypes.int64 or \
            not spec.shape.is_compatible_with([]):
        raise ValueError(f"{what} must return a single tf.int64 scalar tensor.")


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                              padded_shapes=None, padding_values=None,
                              pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    """Batches elements of similar length together: bucket i holds lengths in
    [boundaries[i-1], boundaries[i]) and batches ``bucket_batch_sizes[i]`` of them, padded
    (to the longest, or with ``pad_to_bucket_boundary`` to boundary - 1)."""
    if len(bucket_batch_sizes) != len(bucket_boundaries) + 1:
        raise ValueError("len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1")
    from tfcompat.ops import array_ops, math_ops
    boundaries = list(bucket_boundaries)
    buckets_min = [np.iinfo(np.int32).min] + boundaries
    buckets_max = boundaries + [np.iinfo(np.int32).max]

    def element_to_bucket_id(*args):
        length = math_ops.cast(element_length_func(*args), dtypes.int64)
        inside = math_ops.logical_and(
            math_ops.less_equal(np.asarray(buckets_min, np.int64), length),
            math_ops.less(length, np.asarray(buckets_max, np.int64)))
        return math_ops.reduce_min(array_ops.reshape(math_ops.where(inside), [-1]))

    def window_size_fn(bucket_id):
        return array_ops.gather(np.asarray(bucket_batch_sizes, np.int64), bucket_id)

    def batching_fn(bucket_id, grouped):
        batch_size = window_size_fn(bucket_id)
        if no_padding:
            return grouped.batch(batch_size, drop_remainder=drop_remainder)
        boundary = None
        if pad_to_bucket_boundary:
            boundary = array_ops.gather(np.asarray(boundaries + [1], np.int64), bucket_id) - 1
        shapes = nest.map_structure(
            lambda shape: _padded_shape(shape, boundary),
            padded_shapes if padded_shapes is not None else grouped.output_shapes)
        return grouped.padded_batch(batch_size, shapes, padding_values, drop_remainder)

    def apply(dataset):
        if pad_to_bucket_boundary and not all(b > 1 for b in boundaries):
            raise ValueError("When pad_to_bucket_boundary=True, elements must have length < "
                             "max(bucket_boundaries).")
        return dataset.apply(group_by_window(element_to_bucket_id, batching_fn,
                                             window_size_func=window_size_fn))
    return apply


def _padded_shape(shape, boundary):
    """A padded shape: unknown dims padded to the longest, or to ``boundary`` (a tensor)."""
    from tfcompat.ops import array_ops
    dims = tensor_shape.as_shape(shape).as_list()
    if boundary is None:
        return [-1 if d is None else d for d in dims]
    return array_ops.stack([boundary if d is None else np.int64(d) for d in dims])


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False,
                        buffer_output_elements=None, prefetch_input_elements=None):
    """interleave's elements (ParallelInterleaveDataset); with ``sloppy`` TF may reorder
    them, tfcompat keeps interleave's deterministic order."""
    def apply(dataset):
        function = _trace(map_func, dataset._structure, "parallel_interleave_fn")
        inputs = [dataset._variant_tensor, *function.captured,
                  _int64(cycle_length, "cycle_length"), _int64(block_length, "block_length"),
                  ops.convert_to_tensor(bool(sloppy), dtype=dtypes.bool, name="sloppy"),
                  _int64(buffer_output_elements or 2 * block_length,
                         "buffer_output_elements"),
                  _int64(prefetch_input_elements or 2 * cycle_length,
                         "prefetch_input_elements")]
        return dataset._new("ParallelInterleaveDataset", inputs, _dataset_structure(function),
                            f=function)
    return apply


def get_single_element(dataset):
    """The tensors of the only element of ``dataset`` (InvalidArgumentError "Dataset was
    empty." / "Dataset had more than one element." when it runs)."""
    if not isinstance(dataset, Dataset):
        raise TypeError("`dataset` must be a `tf.data.Dataset` object.")
    specs = dataset._specs()
    outputs = experimental_dataset_ops.dataset_to_single_element(
        dataset._variant_tensor, [s.dtype for s in specs], [s.shape for s in specs])
    return nest.pack_sequence_as(dataset._structure, list(outputs))


def enumerate_dataset(start=0):
    """(index, element) pairs, the index an int64 counting from ``start``."""
    def apply(dataset):
        return Dataset.zip((Dataset.range(start, np.iinfo(np.int64).max), dataset))
    return apply


def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802 (TF's name)
    """start, start + step, ... forever, as ``dtype`` scalars."""
    from tfcompat.ops import math_ops
    with ops.name_scope("counter"):
        counter = Dataset.range(start, np.iinfo(np.int64).max, step)
        dtype = dtypes.as_dtype(dtype)
        return counter if dtype == dtypes.int64 else counter.map(
            lambda x: math_ops.cast(x, dtype))


AUTOTUNE = -1


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.data.experimental' has no attribute "
                         f"'{name}': tfcompat does not implement tf.data.experimental.{name} yet")
