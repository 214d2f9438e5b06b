"""``tf.data.experimental``: transformations for ``Dataset.apply`` and the helpers TF 1.15
code uses (scan, group_by_window, bucket_by_sequence_length, sample_from_datasets, ...)."""
import numpy as np

from tfcompat.data import nest
from tfcompat.data.dataset_ops import (Dataset, DatasetV1Adapter, _batched, _dataset_structure,
                                       _int64, _Spec, _trace, sparse_components,
                                       trace_state_function, trace_with_state)
from tfcompat.framework import dtypes, ops, random_seed, tensor_shape
from tfcompat.ops import dataset_ops as gen
from tfcompat.ops import experimental_dataset_ops
from tfcompat.data.options import (DistributeOptions, MapVectorizationOptions,  # noqa: F401
                                   OptimizationOptions, StatsOptions, ThreadingOptions)

AUTOTUNE = -1


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
                            f=function,
                            sparse_components=sparse_components(function.output_structure))
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
        _check_scalar_output(function, dtypes.bool, "`predicate`")
        return dataset._new("TakeWhileDataset", [dataset._variant_tensor, *function.captured],
                            dataset._structure, predicate=function)
    return apply


#: TF's messages when a predicate or a key function does not return one scalar.
_SCALAR_OUTPUT_ERRORS = {
    dtypes.bool: "{} return type must be convertible to a scalar boolean tensor.",
    dtypes.int64: "{} must return a single tf.int64 scalar tensor."}


def _check_scalar_output(function, dtype, what):
    """Raises TF's ValueError unless ``function`` (called ``what``) returns one scalar of
    ``dtype``."""
    spec = function.output_structure
    if not isinstance(spec, _Spec) or spec.dtype != dtype or \
            not spec.shape.is_compatible_with([]):
        raise ValueError(_SCALAR_OUTPUT_ERRORS[dtype].format(what))


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
    uniform; a Dataset of weight vectors gives one vector per draw); an exhausted dataset is
    skipped. The draws are tfcompat's, not TF's."""
    datasets = list(datasets)
    if not datasets:
        raise ValueError("`datasets` must be a non-empty list of datasets.")
    if isinstance(weights, Dataset):
        draws = Dataset.zip((RandomDataset(seed), weights))
        return _directed_interleave(draws.map(_weighted_choice), datasets)
    weights = np.full(len(datasets), 1.0 / len(datasets)) if weights is None else \
        np.asarray(weights, np.float64)
    if weights.shape != (len(datasets),):
        raise ValueError(f"`weights` must have one value per dataset, got {weights.shape}.")
    return _directed_interleave(
        RandomDataset(seed).map(lambda number: _weighted_choice(number, weights)), datasets)


def _weighted_choice(number, weights):
    """The index a uniform int64 ``number`` picks with probabilities ``weights``."""
    from tfcompat.ops import array_ops, math_ops
    weights = math_ops.cast(array_ops.reshape(weights, [-1]), dtypes.float64)
    bounds = math_ops.cumsum(weights / math_ops.reduce_sum(weights))[:-1]
    fraction = math_ops.cast(number, dtypes.float64) / 2.0 ** 64 + 0.5
    return math_ops.reduce_sum(math_ops.cast(math_ops.greater_equal(fraction, bounds),
                                             dtypes.int64))


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """(class, element) pairs whose classes follow ``target_dist``: TF's mix of the original
    data (probability m = min_i t_i / p_i) and a per-class rejection sampler accepting
    class i with probability (t_i / p_i - m) / (max_i t_i / p_i - m). Without
    ``initial_dist`` the class distribution p is estimated as the data streams (counts from
    10 per class, updated every 32 elements, as TF does)."""
    from tfcompat.ops import array_ops, math_ops, random_ops

    def apply(dataset):
        target = math_ops.cast(ops.convert_to_tensor(target_dist, name="target_dist"),
                               dtypes.float32)
        classes = dataset.map(class_func)
        if initial_dist is not None:
            initial = math_ops.cast(ops.convert_to_tensor(initial_dist, name="initial_dist"),
                                    dtypes.float32)
            initial_ds = Dataset.from_tensors(initial).repeat()
        else:
            initial_ds = _estimated_class_distribution(classes, target)
        mixing = initial_ds.map(lambda initial: _acceptance_and_mixing(initial, target))

        def with_acceptance(class_value, acceptance_and_mix, element):
            return class_value, array_ops.gather(acceptance_and_mix[0], class_value), element

        def accepted(class_value, probability, element):
            return random_ops.random_uniform([], seed=seed) < probability

        filtered = Dataset.zip((classes, mixing, dataset)).map(with_acceptance) \
            .filter(accepted).map(lambda class_value, _, element: (class_value, element))
        original = Dataset.zip((classes, dataset))
        weights = mixing.map(lambda acceptance, mix: array_ops.stack([mix, 1.0 - mix]))
        return sample_from_datasets([original, filtered], weights, seed)
    return apply


def _acceptance_and_mixing(initial, target):
    """(acceptance probability per class, probability of taking the original data)."""
    from tfcompat.ops import array_ops, math_ops, special_math_ops
    ratio = target / initial
    ratio = math_ops.where(special_math_ops.is_nan(ratio), array_ops.zeros_like(ratio), ratio)
    largest, smallest = math_ops.reduce_max(ratio), math_ops.reduce_min(ratio)
    # All ratios equal (target == initial): NaN acceptances, but the mix takes only the
    # original data then.
    return (ratio - smallest) / (largest - smallest), smallest


def _estimated_class_distribution(classes, target, batch=32, smoothing=10):
    """A dataset of class distributions estimated from the classes seen so far (one per
    element): counts start at ``smoothing`` and are updated every ``batch`` elements."""
    from tfcompat.ops import array_ops, math_ops
    count = int(target.shape[0].value)
    start = np.full(count, smoothing, np.int64)

    def update(seen, batch_classes):
        seen = seen + math_ops.reduce_sum(array_ops.one_hot(
            math_ops.cast(batch_classes, dtypes.int64), count, dtype=dtypes.int64), 0)
        distribution = math_ops.cast(seen, dtypes.float32) / math_ops.cast(
            math_ops.reduce_sum(seen), dtypes.float32)
        return seen, array_ops.tile(array_ops.expand_dims(distribution, 0),
                                    array_ops.stack([array_ops.shape(batch_classes)[0], 1]))

    return classes.batch(batch).apply(scan(start, update)).unbatch()


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
        _check_scalar_output(key, dtypes.int64, "`key_func`")
        size = _trace(window_size_func, _Spec(dtypes.int64, []), "window_size_func")
        _check_scalar_output(size, dtypes.int64, "`window_size_func`")
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


class Reducer:
    """``tf.data.experimental.Reducer(init_func, reduce_func, finalize_func)``: a group's
    state starts as ``init_func(key)``, folds elements with ``reduce_func(state, element)``
    and becomes ``finalize_func(state)``."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func, self.reduce_func = init_func, reduce_func
        self.finalize_func = finalize_func


def group_by_reducer(key_func, reducer):
    """One element per distinct int64 ``key_func(element)``, in first-seen key order: the
    finalized fold of the key's elements with ``reducer`` (GroupByReducerDataset)."""
    def apply(dataset):
        key = _trace(key_func, dataset._structure, "key_func")
        _check_scalar_output(key, dtypes.int64, "`key_func`")
        init = _trace(reducer.init_func, _Spec(dtypes.int64, []), "init_func")
        reduce, state = trace_state_function(reducer.reduce_func, init.output_structure,
                                             dataset._structure, "reduce_func",
                                             lambda out: out)
        finalize = _trace(reducer.finalize_func, state, "finalize_func")
        functions = {"key_func": key, "init_func": init, "reduce_func": reduce,
                     "finalize_func": finalize}
        inputs = [dataset._variant_tensor] + [t for f in functions.values()
                                              for t in f.captured]
        counts = {f"T{name}_other_arguments": [t.dtype.base_dtype for t in f.captured]
                  for name, f in functions.items()}
        return dataset._new("GroupByReducerDataset", inputs, finalize.output_structure,
                            **functions, **counts)
    return apply


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


def dense_to_sparse_batch(batch_size, row_shape):
    """Batches of ``batch_size`` elements of varying shape as SparseTensors of dense shape
    [batch_size] + ``row_shape`` (DenseToSparseBatchDataset)."""
    def apply(dataset):
        spec = dataset._structure
        if not isinstance(spec, _Spec):
            raise TypeError("dense_to_sparse_batch needs a dataset of single tensors.")
        shape = tensor_shape.as_shape(row_shape)
        structure = nest.SparseStructure((
            _Spec(dtypes.int64, [None, shape.ndims + 1]), _Spec(spec.dtype, [None]),
            _Spec(dtypes.int64, [shape.ndims + 1])))
        dims = [-1 if d is None else d for d in shape.as_list()]
        return dataset._new("DenseToSparseBatchDataset", [
            dataset._variant_tensor, _int64(batch_size, "batch_size"),
            _int64(np.asarray(dims, np.int64), "row_shape")], structure)
    return apply


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


def ignore_errors():
    """The input's elements without those whose computation failed (IgnoreErrorsDataset):
    a failing map element is dropped; another input's failure ends the pass."""
    return _without_errors


def _without_errors(dataset):
    return dataset._new("IgnoreErrorsDataset", [dataset._variant_tensor], dataset._structure)


class TFRecordWriter:
    """``tf.data.experimental.TFRecordWriter(filename, compression_type=None)``: ``write``
    gives an op writing a dataset of scalar strings as a TFRecord file."""

    def __init__(self, filename, compression_type=None):
        self._filename = ops.convert_to_tensor(filename, dtype=dtypes.string, name="filename")
        self._compression = ops.convert_to_tensor(compression_type or "", dtype=dtypes.string,
                                                  name="compression_type")

    def write(self, dataset):
        spec = dataset._structure
        if not isinstance(spec, _Spec) or spec.dtype != dtypes.string or \
                not spec.shape.is_compatible_with([]):
            raise TypeError(f"`dataset` must produce scalar `DT_STRING` tensors whereas it "
                            f"produces shape {dataset.output_shapes} and types "
                            f"{dataset.output_types}")
        from tfcompat.framework.op_def import make_op
        return make_op("DatasetToTFRecord", [dataset._variant_tensor, self._filename,
                                             self._compression], {}, name="DatasetToTFRecord")


class CsvDataset(DatasetV1Adapter):
    """``tf.data.experimental.CsvDataset``: the rows of CSV files as tuples, one scalar per
    column typed like ``record_defaults`` (a type: a required column); quoted fields may
    span lines; ``header`` skips each file's first record."""

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None,
                 header=False, field_delim=",", use_quote_delim=True, na_value="",
                 select_cols=None):
        from tfcompat.data.readers import _compression, _filenames
        defaults = []
        for index, default in enumerate(record_defaults):
            if isinstance(default, dtypes.DType):  # a required column of this type
                dtype = default
                default = np.zeros([0], dtype=object if dtype == dtypes.string else
                                   dtype.as_numpy_dtype)
            defaults.append(ops.convert_to_tensor(default, name=f"record_default_{index}"))
        select = [] if select_cols is None else list(select_cols)
        inputs = [_filenames(filenames), _compression(compression_type),
                  _int64(buffer_size or 4 * 1024 * 1024, "buffer_size"),
                  ops.convert_to_tensor(bool(header), dtype=dtypes.bool, name="header"),
                  ops.convert_to_tensor(field_delim, dtype=dtypes.string, name="field_delim"),
                  ops.convert_to_tensor(bool(use_quote_delim), dtype=dtypes.bool,
                                        name="use_quote_delim"),
                  ops.convert_to_tensor(na_value, dtype=dtypes.string, name="na_value"),
                  _int64(np.asarray(select, np.int64).reshape(-1), "select_cols"), *defaults]
        structure = tuple(_Spec(d.dtype.base_dtype, []) for d in defaults)
        variant = gen.dataset_op("CSVDataset", inputs, [s.dtype for s in structure],
                                 [s.shape for s in structure])
        super().__init__(variant, structure)


class SqlDataset(DatasetV1Adapter):
    """``tf.data.experimental.SqlDataset(driver_name, data_source_name, query,
    output_types)``: the rows of a SQLite query as tuples of scalars."""

    def __init__(self, driver_name, data_source_name, query, output_types):
        inputs = [ops.convert_to_tensor(value, dtype=dtypes.string, name=name) for value, name
                  in ((driver_name, "driver_name"), (data_source_name, "data_source_name"),
                      (query, "query"))]
        types = nest.map_structure(dtypes.as_dtype, output_types)
        structure = nest.map_structure(lambda dtype: _Spec(dtype, []), types)
        specs = nest.flatten(structure)
        variant = gen.dataset_op("SqlDataset", inputs, [s.dtype for s in specs],
                                 [s.shape for s in specs])
        super().__init__(variant, structure)


def _infer_column_type(values, na_value):
    """TF's make_csv_dataset inference: the first of int32, int64, float32, float64 that
    every value (but empty and ``na_value`` ones) parses as, else string."""
    kinds = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
    for value in values:
        if value in ("", na_value):
            continue
        while kinds and not _parses_as(value, kinds[0]):
            kinds.pop(0)
    return kinds[0] if kinds else dtypes.string


def _parses_as(value, dtype):
    try:
        number = float(value) if dtype.is_floating else int(value)
    except ValueError:
        return False
    if dtype == dtypes.int32:
        return -2 ** 31 <= number < 2 ** 31
    if dtype == dtypes.int64:
        return -2 ** 63 <= number < 2 ** 63
    return dtype == dtypes.float64 or abs(number) <= np.finfo(np.float32).max \
        or np.isinf(number)


def _zero_default(dtype):
    """An inferred column's default: 0 or "" (TF's make_csv_dataset)."""
    return np.array([b"" if dtype == dtypes.string else 0],
                    dtype=object if dtype == dtypes.string else dtype.as_numpy_dtype)


def _csv_header_and_rows(path, delim, count):
    import csv
    with open(path, newline="") as handle:
        reader = csv.reader(handle, delimiter=delim)
        rows = [row for _, row in zip(range(count + 1), reader)]
    return rows[0] if rows else [], rows[1:]


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",",
                     use_quote_delim=True, na_value="", header=True, num_epochs=None,
                     shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=AUTOTUNE, num_parallel_reads=1, sloppy=False,
                     num_rows_for_inference=100, compression_type=None, ignore_errors=False):
    """Batches of CSV rows as (dict of feature columns, label) or a dict, as TF's
    make_csv_dataset: column names from the header, types inferred from the first rows
    unless ``column_defaults`` are given, files shuffled and interleaved, rows shuffled and
    repeated ``num_epochs`` times (None: forever, batches of exactly ``batch_size``)."""
    import glob
    patterns = [file_pattern] if isinstance(file_pattern, str) else list(file_pattern)
    filenames = sorted(name for pattern in patterns for name in glob.glob(pattern))
    if not filenames:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    first_header, first_rows = _csv_header_and_rows(filenames[0], field_delim,
                                                    num_rows_for_inference)
    if column_names is None:
        if not header:
            raise ValueError("Cannot infer column names without a header line.")
        column_names = first_header
    column_names = list(column_names)
    if label_name is not None and label_name not in column_names:
        raise ValueError("`label_name` provided must be one of the columns.")
    selected = list(range(len(column_names)))
    if select_columns is not None:
        selected = sorted(column_names.index(c) if isinstance(c, str) else int(c)
                          for c in select_columns)
    names = [column_names[i] for i in selected]
    if column_defaults is None:
        column_defaults = [_zero_default(_infer_column_type(
            [row[i] for row in first_rows if i < len(row)], na_value)) for i in selected]
    dataset = Dataset.from_tensor_slices(np.asarray(filenames, dtype=object))
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)

    def file_rows(filename):
        return CsvDataset(filename, column_defaults, compression_type=compression_type,
                          header=header, field_delim=field_delim,
                          use_quote_delim=use_quote_delim, na_value=na_value,
                          select_cols=selected if select_columns is not None else None)

    dataset = dataset.interleave(file_rows, cycle_length=num_parallel_reads)
    if ignore_errors:
        dataset = _without_errors(dataset)
    if num_epochs != 1 and shuffle:
        dataset = dataset.apply(shuffle_and_repeat(shuffle_buffer_size, num_epochs,
                                                   shuffle_seed))
    elif shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    elif num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_features(*columns):
        features = dict(zip(names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label

    return dataset.map(to_features).prefetch(prefetch_buffer_size)


def parse_example_dataset(features, num_parallel_calls=1):
    """Batches of serialized Examples parsed into dicts of features (parse_example)."""
    from tfcompat.ops import parsing_ops
    return lambda dataset: dataset.map(
        lambda serialized: parsing_ops.parse_example(serialized, features))


def make_batched_features_dataset(file_pattern, batch_size, features, reader=None,
                                  label_key=None, reader_args=None, num_epochs=None,
                                  shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                                  prefetch_buffer_size=AUTOTUNE, reader_num_threads=1,
                                  parser_num_threads=1, sloppy_ordering=False,
                                  drop_final_batch=False):
    """Batches of Examples from TFRecord files (or ``reader``'s records) parsed with
    ``features``: a dict, or (dict, label) with ``label_key``, as TF's function."""
    from tfcompat.data.readers import TFRecordDataset
    reader = reader or TFRecordDataset
    dataset = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = dataset.interleave(lambda name: reader(name, *(reader_args or [])),
                                 cycle_length=reader_num_threads)
    if num_epochs != 1 and shuffle:
        dataset = dataset.apply(shuffle_and_repeat(shuffle_buffer_size, num_epochs,
                                                   shuffle_seed))
    elif shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    elif num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch)
    dataset = dataset.apply(parse_example_dataset(features))
    if label_key is not None:
        if label_key not in features:
            raise ValueError(f"The `label_key` provided ({label_key}) must be one of the "
                             f"`features` keys.")
        dataset = dataset.map(lambda parsed: (parsed, parsed.pop(label_key)))
    return dataset.prefetch(prefetch_buffer_size)




class Optional:
    """``tf.data.experimental.Optional``: a value that may be missing (an optional variant
    tensor and the structure of its value)."""

    def __init__(self, variant, structure):
        self._variant_tensor, self._structure = variant, structure

    @staticmethod
    def from_value(value):
        """An Optional holding ``value`` (a nested structure of tensors)."""
        with ops.name_scope("optional") as scope:
            with ops.name_scope("value"):
                flat = [ops.convert_to_tensor(v) for v in nest.flatten(value)]
            structure = nest.pack_sequence_as(value, [_Spec(t.dtype, t.shape) for t in flat])
            variant = experimental_dataset_ops.optional_op(
                "OptionalFromValue", flat, {"Toutput_types": [t.dtype.base_dtype
                                                              for t in flat]}, name=scope)
        return Optional(variant[0], structure)

    @staticmethod
    def none_from_structure(value_structure):
        """An empty Optional whose value would have ``value_structure`` (an Optional's
        ``value_structure``)."""
        return Optional(experimental_dataset_ops.optional_op("OptionalNone", [])[0],
                        value_structure)

    @property
    def value_structure(self):
        """The structure of the value (tfcompat's element specs)."""
        return self._structure

    def has_value(self, name=None):
        """bool scalar: whether there is a value."""
        return experimental_dataset_ops.optional_op("OptionalHasValue", [self._variant_tensor],
                                                    name=name)[0]

    def get_value(self, name=None):
        """The value's tensors (InvalidArgumentError "The given optional does not have a
        value." when run on an empty Optional)."""
        specs = nest.flatten(self._structure)
        outputs = experimental_dataset_ops.optional_op(
            "OptionalGetValue", [self._variant_tensor],
            {"output_types": [s.dtype for s in specs], "output_shapes": [s.shape for s in specs]},
            name=name)
        return nest.pack_sequence_as(self._structure, list(outputs))


def get_next_as_optional(iterator):
    """The iterator's next element as an Optional, empty at the end of the data (no
    OutOfRangeError)."""
    specs = nest.flatten(iterator._structure)
    variant = experimental_dataset_ops.optional_op(
        "IteratorGetNextAsOptional", [iterator._iterator_resource],
        {"output_types": [s.dtype for s in specs], "output_shapes": [s.shape for s in specs]})
    return Optional(variant[0], iterator._structure)


INFINITE_CARDINALITY = experimental_dataset_ops.INFINITE
UNKNOWN_CARDINALITY = experimental_dataset_ops.UNKNOWN


def cardinality(dataset):
    """int64 scalar tensor: the number of elements of ``dataset``; INFINITE_CARDINALITY
    (-1) or UNKNOWN_CARDINALITY (-2) where it is infinite or not known without running it
    (after a filter, for files or generators)."""
    return experimental_dataset_ops.dataset_cardinality(dataset._variant_tensor)


def map_and_batch_with_legacy_function(map_func, batch_size, num_parallel_batches=None,
                                       drop_remainder=False, num_parallel_calls=None):
    """map_and_batch (the legacy-function variant traces the same way in tfcompat)."""
    return map_and_batch(map_func, batch_size, num_parallel_batches, drop_remainder,
                         num_parallel_calls)


def prefetch_to_device(device, buffer_size=None):
    """prefetch(buffer_size or 1): tfcompat's only device is the CPU the pipeline runs on."""
    return lambda dataset: dataset.prefetch(1 if buffer_size is None else buffer_size)


def copy_to_device(target_device, source_device="/cpu:0"):
    """The dataset itself: tfcompat's devices share the host's memory."""
    return lambda dataset: dataset


class AutoShardPolicy:
    """``tf.data.experimental.AutoShardPolicy`` values (accepted by DistributeOptions)."""

    OFF, AUTO, FILE, DATA = -1, 0, 1, 2


class ExternalStatePolicy:
    """``tf.data.experimental.ExternalStatePolicy`` values (accepted by Options)."""

    WARN, IGNORE, FAIL = 0, 1, 2


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.data.experimental' has no attribute "
                         f"'{name}': tfcompat does not implement tf.data.experimental.{name} yet")
