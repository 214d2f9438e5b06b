"""TF 1.x feature columns (``tf.feature_column``) and the layers that read them.

Dense columns (numeric, bucketized, indicator, embedding) give a ``[batch, n]`` float tensor;
categorical columns (identity, vocabulary list, hash bucket, crossed, bucketized) give their
ids. tfcompat has no SparseTensor: categorical ids are a dense ``[batch, k]`` int64 tensor
with -1 for "no id" (out-of-vocabulary without a default, a dropped value), which indicator
and embedding columns and ``linear_model`` skip exactly as TF skips absent sparse entries.
``input_layer`` and ``linear_model`` create TF's variables under TF's scopes
(``input_layer/<column>_embedding/embedding_weights``, ``linear_model/<column>/weights``,
``linear_model/bias_weights``), columns sorted by name, so checkpoints line up with TF's.
"""
import collections
import math

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, math_ops, nn_ops
from tfcompat.ops import sparse_cross_ops, sparse_ops, string_hash_ops
from tfcompat.ops.parsing_ops import FixedLenFeature, VarLenFeature
from tfcompat.ops.sparse_tensor import SparseTensor
from tfcompat.ops.variables import PartitionedVariable


class _FeatureColumn:
    """A column: a name and how to turn the features dict into tensors."""

    _is_dense = False
    _is_categorical = False

    @property
    def _var_scope_name(self):
        return self.name

    def _get_id_weights(self, cache):
        """A categorical column's per-id weights aligned with its ids (None: all 1)."""
        return None

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class _Cache:
    """Each column's transformed tensor, built once per features dict (TF's
    _LazyBuilder)."""

    def __init__(self, features):
        self._features = features
        self._cache = {}

    def raw(self, key):
        if key not in self._features:
            raise ValueError(f"Feature {key} is not in features dictionary.")
        return ops.convert_to_tensor(self._features[key])

    def get(self, column, build):
        if column not in self._cache:
            self._cache[column] = build(self)
        return self._cache[column]


def _as_2d(tensor):
    """[batch] -> [batch, 1]; [batch, d1, d2 ...] -> [batch, d1*d2*...]."""
    if tensor.shape.ndims == 1:
        return array_ops.expand_dims(tensor, -1)
    if tensor.shape.ndims is not None and tensor.shape.ndims > 2:
        return array_ops.reshape(tensor, [-1, int(np.prod(tensor.shape.as_list()[1:]))])
    return tensor


# ---- dense columns ---------------------------------------------------------------------------
class _NumericColumn(_FeatureColumn, collections.namedtuple(
        "_NumericColumn", ["key", "shape", "default_value", "dtype", "normalizer_fn"])):
    _is_dense = True

    @property
    def name(self):
        return self.key

    @property
    def _variable_shape(self):
        return list(self.shape)

    @property
    def _num_elements(self):
        return int(np.prod(self.shape))

    @property
    def _parse_example_spec(self):
        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    def _transform(self, cache):
        values = cache.raw(self.key)
        if self.normalizer_fn is not None:
            values = self.normalizer_fn(values)
        return math_ops.cast(values, dtypes.float32)

    def _get_dense_tensor(self, cache, weight_collections=None, trainable=None):
        return cache.get(self, self._transform)


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32,
                   normalizer_fn=None):
    """``tf.feature_column.numeric_column``: the feature as float32 values of ``shape``."""
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Given: {key}")
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    if any(d < 1 for d in shape):
        raise ValueError(f"shape dimensions must be greater than 0. Given: {shape}, "
                         f"key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return _NumericColumn(key, shape, _default_as_tuple(shape, default_value, dtype, key),
                          dtype, normalizer_fn)


def _as_nested_tuple(values):
    return tuple(_as_nested_tuple(v) for v in values) if isinstance(values, list) else values


def _default_as_tuple(shape, default_value, dtype, key):
    """TF's check_default_value: a number fills ``shape``; a nested list must have
    ``shape``; either way the default becomes nested tuples of Python numbers."""
    if default_value is None:
        return None
    if isinstance(default_value, (list, tuple, np.ndarray)):
        values = np.asarray(default_value)
        if values.shape != shape:
            raise ValueError(f"The shape of default_value must be equal to given shape. "
                             f"default_value: {default_value}, shape: {shape}, key: {key}")
    elif isinstance(default_value, (int, float, np.number)) and not isinstance(
            default_value, bool):
        values = np.full(shape, default_value)
    else:
        raise TypeError(f"default_value must be compatible with dtype. default_value: "
                        f"{default_value}, dtype: {dtype}, key: {key}")
    return _as_nested_tuple(values.astype(dtype.as_numpy_dtype).tolist())


class _BucketizedColumn(_FeatureColumn, collections.namedtuple(
        "_BucketizedColumn", ["source_column", "boundaries"])):
    _is_dense = True
    _is_categorical = True

    @property
    def name(self):
        return f"{self.source_column.name}_bucketized"

    @property
    def _num_buckets(self):
        return (len(self.boundaries) + 1) * self.source_column._num_elements

    @property
    def _parse_example_spec(self):
        return self.source_column._parse_example_spec

    @property
    def _variable_shape(self):
        return list(self.source_column.shape) + [len(self.boundaries) + 1]

    @property
    def _num_elements(self):
        return self._num_buckets

    def _buckets(self, cache):
        """[batch, elements] bucket index of every element (TF's Bucketize)."""
        values = _as_2d(self.source_column._get_dense_tensor(cache))
        above = math_ops.greater_equal(array_ops.expand_dims(values, -1),
                                       ops.convert_to_tensor(self.boundaries, dtypes.float32))
        return math_ops.reduce_sum(math_ops.cast(above, dtypes.int64), -1)

    def _get_dense_tensor(self, cache, weight_collections=None, trainable=None):
        buckets = cache.get(self, self._buckets)
        one_hot = array_ops.one_hot(buckets, len(self.boundaries) + 1, dtype=dtypes.float32)
        return array_ops.reshape(one_hot, [-1, self._num_buckets])

    def _get_ids(self, cache):
        buckets = cache.get(self, self._buckets)
        offsets = np.arange(self.source_column._num_elements, dtype=np.int64) * (
            len(self.boundaries) + 1)
        return math_ops.add(buckets, offsets)


def bucketized_column(source_column, boundaries):
    """``tf.feature_column.bucketized_column``: which of the ``len(boundaries) + 1`` ranges
    each value falls in (a value equal to a boundary goes to the range above it)."""
    if not isinstance(source_column, _NumericColumn):
        raise ValueError(f"source_column must be a column generated with numeric_column(). "
                         f"Given: {source_column}")
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: "
                         f"{source_column}")
    if not boundaries or not isinstance(boundaries, (list, tuple)) or list(boundaries) != sorted(
            boundaries):
        raise ValueError("boundaries must be a sorted list.")
    return _BucketizedColumn(source_column, tuple(float(b) for b in boundaries))


# ---- categorical columns --------------------------------------------------------------------
class _IdentityColumn(_FeatureColumn, collections.namedtuple(
        "_IdentityColumn", ["key", "num_buckets", "default_value"])):
    _is_categorical = True

    name = property(lambda self: self.key)
    _num_buckets = property(lambda self: self.num_buckets)
    _parse_example_spec = property(lambda self: {self.key: VarLenFeature(dtypes.int64)})

    def _get_ids(self, cache):
        def build(cache):
            ids = math_ops.cast(_as_2d(cache.raw(self.key)), dtypes.int64)
            valid = math_ops.logical_and(math_ops.greater_equal(ids, 0),
                                         math_ops.less(ids, self.num_buckets))
            fallback = -1 if self.default_value is None else self.default_value
            return math_ops.where(valid, ids, array_ops.ones_like(ids) * fallback)
        return cache.get(self, build)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """``tf.feature_column.categorical_column_with_identity``: integer ids in
    [0, num_buckets); ids outside it become ``default_value`` (dropped when it is None,
    where TF fails the run)."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), "
                         f"column_name {key}")
    return _IdentityColumn(key, int(num_buckets), default_value)


class _VocabularyListColumn(_FeatureColumn, collections.namedtuple(
        "_VocabularyListColumn", ["key", "vocabulary_list", "dtype", "default_value",
                                  "num_oov_buckets"])):
    _is_categorical = True

    name = property(lambda self: self.key)
    _num_buckets = property(lambda self: len(self.vocabulary_list) + self.num_oov_buckets)
    _parse_example_spec = property(lambda self: {self.key: VarLenFeature(self.dtype)})

    def _get_ids(self, cache):
        def build(cache):
            values = _as_2d(cache.raw(self.key))
            vocabulary = ops.convert_to_tensor(list(self.vocabulary_list), values.dtype)
            matches = math_ops.equal(array_ops.expand_dims(values, -1), vocabulary)
            positions = ops.convert_to_tensor(np.arange(len(self.vocabulary_list)),
                                              dtypes.int64)
            found = math_ops.reduce_any(matches, -1)
            index = math_ops.reduce_sum(math_ops.cast(matches, dtypes.int64) * positions, -1)
            if self.num_oov_buckets:
                missing = math_ops.add(string_hash_ops.string_to_hash_bucket_fast(
                    _as_string(values), self.num_oov_buckets), len(self.vocabulary_list))
            else:
                missing = array_ops.ones_like(index) * self.default_value
            return math_ops.where(found, index, missing)
        return cache.get(self, build)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None,
                                            default_value=-1, num_oov_buckets=0):
    """``tf.feature_column.categorical_column_with_vocabulary_list``: the position of each
    value in ``vocabulary_list``; others get ``default_value`` (-1: no id) or one of
    ``num_oov_buckets`` extra ids by hash."""
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: "
                         f"{key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: "
                         f"{key}")
    if num_oov_buckets < 0:
        raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    if num_oov_buckets and default_value != -1:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
    vocabulary_dtype = dtypes.string if isinstance(vocabulary_list[0], (str, bytes)) else (
        dtypes.int64)
    dtype = vocabulary_dtype if dtype is None else dtypes.as_dtype(dtype)
    if dtype.is_integer != vocabulary_dtype.is_integer:
        raise ValueError(f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not "
                         f"match, column_name: {key}")
    return _VocabularyListColumn(key, tuple(vocabulary_list), dtype, default_value,
                                 int(num_oov_buckets))


def categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None,
                                            num_oov_buckets=0, default_value=None,
                                            dtype=dtypes.string):
    """``tf.feature_column.categorical_column_with_vocabulary_file``: ids are line numbers in
    ``vocabulary_file`` (the first ``vocabulary_size`` lines, one key per line); other values
    get ``default_value`` (None: no id) or one of ``num_oov_buckets`` hashed ids. The file is
    read when the column is made (TF reads it when its lookup table is initialized)."""
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if vocabulary_size is not None and vocabulary_size <= 0:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    dtype = dtypes.as_dtype(dtype)
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(f"dtype must be string or integer. dtype: {dtype}, column_name: "
                         f"{key}")
    with open(vocabulary_file, encoding="utf-8") as lines:
        vocabulary = [line.rstrip("\n") for line in lines]
    if vocabulary_size is not None:
        if vocabulary_size > len(vocabulary):
            raise ValueError(f"Invalid vocab_size in {key}: {vocabulary_size} is larger than "
                             f"the {len(vocabulary)} lines of {vocabulary_file}.")
        vocabulary = vocabulary[:vocabulary_size]
    if dtype.is_integer:
        vocabulary = [int(word) for word in vocabulary]
    if num_oov_buckets and default_value is not None:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
    return categorical_column_with_vocabulary_list(
        key, vocabulary, dtype=dtype, num_oov_buckets=num_oov_buckets,
        default_value=-1 if default_value is None else default_value)


def _as_string(values):
    if values.dtype == dtypes.string:
        return values
    return string_hash_ops.as_string(values)


class _HashedColumn(_FeatureColumn, collections.namedtuple(
        "_HashedColumn", ["key", "hash_bucket_size", "dtype"])):
    _is_categorical = True

    name = property(lambda self: self.key)
    _num_buckets = property(lambda self: self.hash_bucket_size)
    _parse_example_spec = property(lambda self: {self.key: VarLenFeature(self.dtype)})

    def _get_ids(self, cache):
        def build(cache):
            values = _as_2d(cache.raw(self.key))
            return string_hash_ops.string_to_hash_bucket_fast(_as_string(values),
                                                              self.hash_bucket_size)
        return cache.get(self, build)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """``tf.feature_column.categorical_column_with_hash_bucket``: Fingerprint64(value) mod
    ``hash_bucket_size`` (TF's StringToHashBucketFast; integers hashed as their decimal
    strings)."""
    if hash_bucket_size is None or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be at least 1. hash_bucket_size: "
                         f"{hash_bucket_size}, key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(f"dtype must be string or integer. dtype: {dtype}, column_name: "
                         f"{key}")
    return _HashedColumn(key, int(hash_bucket_size), dtype)


class _CrossedColumn(_FeatureColumn, collections.namedtuple(
        "_CrossedColumn", ["keys", "hash_bucket_size", "hash_key"])):
    _is_categorical = True
    _num_buckets = property(lambda self: self.hash_bucket_size)

    @property
    def name(self):
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self.keys))

    @property
    def _parse_example_spec(self):
        """String keys are string features; column keys bring their own specs."""
        spec = {}
        for key in self.keys:
            spec.update({key: VarLenFeature(dtypes.string)} if isinstance(key, str) else
                        key._parse_example_spec)
        return spec

    def _leaf_keys(self):
        """The keys with nested crossed columns flattened (TF's _collect_leaf_level_keys)."""
        leaves = []
        for key in self.keys:
            leaves += key._leaf_keys() if isinstance(key, _CrossedColumn) else [key]
        return leaves

    def _get_ids(self, cache):
        def build(cache):
            parts = []
            for key in self._leaf_keys():
                if isinstance(key, str):
                    raw = _as_2d(cache.raw(key))
                    parts.append(raw if raw.dtype == dtypes.string
                                 else math_ops.cast(raw, dtypes.int64))
                else:
                    parts.append(_ids_as_sparse(key._get_ids(cache)))
            crossed = sparse_cross_ops.sparse_cross_hashed(
                parts, num_buckets=self.hash_bucket_size, hash_key=self.hash_key)
            return sparse_ops.sparse_tensor_to_dense(crossed, default_value=-1)
        return cache.get(self, build)


def _ids_as_sparse(ids):
    """A categorical column's [batch, k] ids as the SparseTensor TF's id tensor is, every
    entry (-1 for out of vocabulary) included: SparseCross crosses sparse inputs before dense
    ones, so the kind of input decides the order of the hash chain."""
    ids = math_ops.cast(ids, dtypes.int64)
    every = math_ops.where(array_ops.ones_like(ids, dtype=dtypes.bool))
    return SparseTensor(every, array_ops.reshape(ids, [-1]),
                        math_ops.cast(array_ops.shape(ids), dtypes.int64))


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """``tf.feature_column.crossed_column``: every combination of the keys' values (string
    features, integer features, categorical columns' ids; nested crosses flattened), hashed
    into ``hash_bucket_size`` ids by TF's SparseCross (FingerprintCat64), so the ids are
    TensorFlow's."""
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, _BucketizedColumn, _HashedColumn, _CrossedColumn,
                                _IdentityColumn, _VocabularyListColumn)):
            raise ValueError(f"Unsupported key type. All keys must be either string, or "
                             f"categorical column except _HashedCategoricalColumn. Given: "
                             f"{key}")
        if isinstance(key, _HashedColumn):
            raise ValueError(f"categorical_column_with_hash_bucket is not supported for "
                             f"crossing. Hashing before crossing will increase probability "
                             f"of collision. Instead, use the feature name as a string. "
                             f"Given: {key}")
    return _CrossedColumn(tuple(keys), int(hash_bucket_size), hash_key)


class _WeightedCategoricalColumn(_FeatureColumn, collections.namedtuple(
        "_WeightedCategoricalColumn", ["categorical_column", "weight_feature_key", "dtype"])):
    _is_categorical = True

    name = property(lambda self: f"{self.categorical_column.name}_weighted_by_"
                                 f"{self.weight_feature_key}")
    _num_buckets = property(lambda self: self.categorical_column._num_buckets)

    @property
    def _parse_example_spec(self):
        spec = dict(self.categorical_column._parse_example_spec)
        if self.weight_feature_key in spec:
            raise ValueError(f"Parse config {spec[self.weight_feature_key]} already exists "
                             f"for {self.weight_feature_key}.")
        spec[self.weight_feature_key] = VarLenFeature(self.dtype)
        return spec

    def _get_ids(self, cache):
        return self.categorical_column._get_ids(cache)

    def _get_id_weights(self, cache):
        def build(cache):
            weights = cache.raw(self.weight_feature_key)
            if weights.dtype.base_dtype != self.dtype:
                raise ValueError(f"Bad dtype, expected {self.dtype}, but got "
                                 f"{weights.dtype.base_dtype} for weight feature "
                                 f"{self.weight_feature_key}.")
            weights = math_ops.cast(_as_2d(weights), dtypes.float32)
            ids = self._get_ids(cache)
            if not weights.shape.is_compatible_with(ids.shape):
                raise ValueError(f"Weight feature {self.weight_feature_key} of shape "
                                 f"{weights.shape} does not match the ids of "
                                 f"{self.categorical_column.name}, shape {ids.shape}.")
            return weights
        return cache.get((self, "weights"), build)


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=dtypes.float32):
    """``tf.feature_column.weighted_categorical_column``: the ids of ``categorical_column``
    with the weight of each id in the feature ``weight_feature_key`` (same shape as the ids'
    feature); linear_model and embedding columns scale each id's row by its weight (with
    the "mean"/"sqrtn" combiners ids of weight <= 0 are skipped), indicator columns sum
    each id's weights."""
    if weight_feature_key is None or not isinstance(weight_feature_key, str):
        raise ValueError(f"weight_feature_key must be a string. Given: {weight_feature_key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    if not getattr(categorical_column, "_is_categorical", False):
        raise ValueError(f"categorical_column must be a categorical column. Given: "
                         f"{categorical_column}")
    return _WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)


# ---- dense views of categorical columns -----------------------------------------------------
class _IndicatorColumn(_FeatureColumn, collections.namedtuple("_IndicatorColumn",
                                                              ["categorical_column"])):
    _is_dense = True

    name = property(lambda self: f"{self.categorical_column.name}_indicator")
    _parse_example_spec = property(lambda self: self.categorical_column._parse_example_spec)
    _variable_shape = property(lambda self: [self.categorical_column._num_buckets])
    _num_elements = property(lambda self: self.categorical_column._num_buckets)

    def _get_dense_tensor(self, cache, weight_collections=None, trainable=None):
        """How often each id occurs in the example (one-hot for one id per example), or the
        sum of its weights for a weighted_categorical_column."""
        ids = self.categorical_column._get_ids(cache)
        one_hot = array_ops.one_hot(ids, self.categorical_column._num_buckets,
                                    dtype=dtypes.float32)   # id -1 gives a zero row
        id_weights = self.categorical_column._get_id_weights(cache)
        if id_weights is not None:
            one_hot = math_ops.multiply(one_hot, array_ops.expand_dims(id_weights, -1))
        return math_ops.reduce_sum(one_hot, 1)


def indicator_column(categorical_column):
    """``tf.feature_column.indicator_column``: a multi-hot [batch, num_buckets] view."""
    if not getattr(categorical_column, "_is_categorical", False):
        raise ValueError(f"categorical_column must be a categorical column. Given: "
                         f"{categorical_column}")
    return _IndicatorColumn(categorical_column)


def _combine(rows, id_weights, combiner):
    """rows: [batch, k, d] already scaled by id_weights [batch, k] (absent ids weigh 0):
    the sum, the sum over the weights' sum ("mean") or over their 2-norm ("sqrtn")."""
    total = math_ops.reduce_sum(rows, 1)
    if combiner == "sum":
        return total
    if combiner == "sqrtn":
        norm = math_ops.sqrt(math_ops.reduce_sum(math_ops.square(id_weights), 1,
                                                 keep_dims=True))
    else:
        norm = math_ops.reduce_sum(id_weights, 1, keep_dims=True)
    safe = math_ops.where(math_ops.greater(norm, 0.0), norm, array_ops.ones_like(norm))
    return math_ops.truediv(total, safe)


def _lookup(weights, ids, combiner, id_weights=None):
    """Combined rows of ``weights`` for ids [batch, k], skipping -1 and, when ``id_weights``
    are given and the combiner is not "sum", ids of weight <= 0 (TF's
    safe_embedding_lookup_sparse on the dense id form)."""
    valid = math_ops.greater_equal(ids, 0)
    if id_weights is None:
        present = math_ops.cast(valid, dtypes.float32)
    else:
        if combiner != "sum":
            valid = math_ops.logical_and(valid, math_ops.greater(id_weights, 0.0))
        present = math_ops.where(valid, id_weights, array_ops.zeros_like(id_weights))
    rows = array_ops.gather(weights, math_ops.maximum(ids, 0))
    rows = math_ops.multiply(rows, array_ops.expand_dims(present, -1))
    return _combine(rows, present, combiner)


class _EmbeddingColumn(_FeatureColumn, collections.namedtuple(
        "_EmbeddingColumn", ["categorical_column", "dimension", "combiner", "initializer",
                             "ckpt_to_load_from", "tensor_name_in_ckpt", "max_norm",
                             "trainable"])):
    _is_dense = True

    name = property(lambda self: f"{self.categorical_column.name}_embedding")
    _parse_example_spec = property(lambda self: self.categorical_column._parse_example_spec)
    _variable_shape = property(lambda self: [self.dimension])
    _num_elements = property(lambda self: self.dimension)

    def _get_dense_tensor(self, cache, weight_collections=None, trainable=None):
        weights = vs.get_variable(
            "embedding_weights", shape=[self.categorical_column._num_buckets, self.dimension],
            dtype=dtypes.float32, initializer=self.initializer,
            trainable=self.trainable and trainable is not False,
            collections=_collections(weight_collections))
        column = self.categorical_column
        return _lookup(weights, column._get_ids(cache), self.combiner,
                       column._get_id_weights(cache))


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True):
    """``tf.feature_column.embedding_column``: a learned ``dimension``-vector per id,
    combined over an example's ids ("mean", "sum" or "sqrtn"); the variable
    ``embedding_weights`` starts truncated-normal with stddev 1/sqrt(dimension)."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or "
                         "none of them.")
    if ckpt_to_load_from is not None or max_norm is not None:
        raise ValueError("tfcompat's embedding_column does not implement ckpt_to_load_from "
                         "or max_norm")
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified. Embedding of column_name: "
                         f"{categorical_column.name}")
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if not getattr(categorical_column, "_is_categorical", False):
        raise ValueError(f"categorical_column must be a categorical column. Given: "
                         f"{categorical_column}")
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(mean=0.0,
                                                            stddev=1 / math.sqrt(dimension))
    return _EmbeddingColumn(categorical_column, int(dimension), combiner, initializer,
                            None, None, None, trainable)


class _SharedEmbeddingColumn(_FeatureColumn, collections.namedtuple(
        "_SharedEmbeddingColumn", ["categorical_column", "dimension", "combiner",
                                   "initializer", "shared_embedding_collection_name",
                                   "trainable"])):
    _is_dense = True

    name = property(lambda self: f"{self.categorical_column.name}_shared_embedding")
    _var_scope_name = property(lambda self: self.shared_embedding_collection_name)
    _variable_shape = property(lambda self: [self.dimension])
    _num_elements = property(lambda self: self.dimension)
    _parse_example_spec = property(lambda self: self.categorical_column._parse_example_spec)

    def _embedding_weights(self, weight_collections, trainable):
        """The first column to build makes ``embedding_weights`` in its scope and puts it in
        the graph collection named ``shared_embedding_collection_name``; the others reuse
        it from there (TF's _SharedEmbeddingColumn)."""
        shape = [self.categorical_column._num_buckets, self.dimension]
        shared = ops.get_collection(self.shared_embedding_collection_name)
        if len(shared) > 1:
            raise ValueError(f"Collection {self.shared_embedding_collection_name} can only "
                             f"contain one variable. Suggested fix A: Choose a unique name "
                             f"for this collection. Suggested fix B: Do not add any "
                             f"variables to this collection. The feature_column library "
                             f"already adds a variable under the hood.")
        if shared:
            if shared[0].shape.as_list() != shape:
                raise ValueError(f"Shared embedding collection "
                                 f"{self.shared_embedding_collection_name} contains variable "
                                 f"{shared[0].name} of unexpected shape {shared[0].shape}. "
                                 f"Expected shape is {shape}.")
            return shared[0]
        weights = vs.get_variable(
            "embedding_weights", shape=shape, dtype=dtypes.float32,
            initializer=self.initializer, trainable=self.trainable and trainable is not False,
            collections=_collections(weight_collections))
        ops.add_to_collection(self.shared_embedding_collection_name, weights)
        return weights

    def _get_dense_tensor(self, cache, weight_collections=None, trainable=None):
        weights = self._embedding_weights(weight_collections, trainable)
        column = self.categorical_column
        return _lookup(weights, column._get_ids(cache), self.combiner,
                       column._get_id_weights(cache))


def _unweighted(column):
    if isinstance(column, _WeightedCategoricalColumn):
        return column.categorical_column
    return column


def _check_shareable(columns):
    first = columns[0]
    base = _unweighted(first)
    for column in columns[1:]:
        other = _unweighted(column)
        if type(other) is not type(base):
            raise ValueError(f"To use shared_embedding_column, all categorical_columns must "
                             f"have the same type, or be weighted_categorical_column of the "
                             f"same type. Given column: {base} of type: {type(base)} does "
                             f"not match given column: {other} of type: {type(other)}")
        if first._num_buckets != other._num_buckets:
            raise ValueError(f"To use shared_embedding_column, all categorical_columns must "
                             f"have the same number of buckets. Given column: {base} with "
                             f"buckets: {first._num_buckets} does  not match column: "
                             f"{other} with buckets: {other._num_buckets}")


def shared_embedding_columns(categorical_columns, dimension, combiner="mean",
                             initializer=None, shared_embedding_collection_name=None,
                             ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                             trainable=True):
    """``tf.feature_column.shared_embedding_columns``: one embedding column per categorical
    column, all reading one ``embedding_weights`` variable (created in the scope named by
    ``shared_embedding_collection_name``, by default the sorted column names joined by "_"
    + "_shared_embedding"); the columns must have the same number of buckets."""
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or "
                         "none of them.")
    if ckpt_to_load_from is not None or max_norm is not None:
        raise ValueError("tfcompat's shared_embedding_columns do not implement "
                         "ckpt_to_load_from or max_norm")
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified.")
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    categorical_columns = list(categorical_columns)
    sorted_columns = sorted(categorical_columns, key=lambda c: c.name)
    for column in sorted_columns:
        if not getattr(column, "_is_categorical", False):
            raise ValueError(f"All categorical_columns must be subclasses of "
                             f"_CategoricalColumn. Given: {column}, of type: {type(column)}")
    _check_shareable(sorted_columns)
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(
            c.name for c in sorted_columns) + "_shared_embedding"
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(mean=0.0,
                                                            stddev=1 / math.sqrt(dimension))
    return [_SharedEmbeddingColumn(column, int(dimension), combiner, initializer,
                                   shared_embedding_collection_name, trainable)
            for column in categorical_columns]


# ---- layers ---------------------------------------------------------------------------------
def _collections(weight_collections):
    names = [ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.MODEL_VARIABLES]
    return names + [c for c in (weight_collections or []) if c not in names]


def _check_columns(feature_columns):
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    feature_columns = list(feature_columns)
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    names = [c.name for c in feature_columns]
    if len(set(names)) != len(names):
        duplicate = sorted({n for n in names if names.count(n) > 1})[0]
        raise ValueError(f"Duplicate feature column name found for columns: {duplicate}.")
    return sorted(feature_columns, key=lambda c: c.name)


def input_layer(features, feature_columns, weight_collections=None, trainable=True,
                cols_to_vars=None, cols_to_output_tensors=None):
    """``tf.feature_column.input_layer``: the dense columns' tensors, each reshaped to
    [batch, n] and concatenated in column-name order, under the variable scope
    ``input_layer``."""
    columns = _check_columns(feature_columns)
    for column in columns:
        if not column._is_dense:
            raise ValueError(f"Items of feature_columns must be a _DenseColumn. You can wrap a "
                             f"categorical column with an embedding_column or "
                             f"indicator_column. Given: {column}")
    cache = _Cache(features)
    outputs = []
    with vs.variable_scope(None, default_name="input_layer", values=list(features.values())):
        for column in columns:
            with vs.variable_scope(None, default_name=column._var_scope_name) as scope:
                tensor = column._get_dense_tensor(cache, weight_collections, trainable)
                tensor = array_ops.reshape(tensor, [-1, column._num_elements])
                outputs.append(tensor)
                if cols_to_vars is not None:
                    cols_to_vars[column] = [v for v in ops.get_collection(
                        ops.GraphKeys.GLOBAL_VARIABLES) if v.name.startswith(scope.name + "/")]
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = tensor
        return array_ops.concat(outputs, 1)


def _weighted_sum(column, cache, units, sparse_combiner, weight_collections, trainable):
    categorical = column._is_categorical
    rows = column._num_buckets if categorical else column._num_elements
    weights = vs.get_variable("weights", shape=[rows, units], dtype=dtypes.float32,
                              initializer=init_ops.zeros_initializer(), trainable=trainable,
                              collections=_collections(weight_collections))
    if categorical:
        return _lookup(weights, column._get_ids(cache), sparse_combiner,
                       column._get_id_weights(cache)), weights
    tensor = array_ops.reshape(column._get_dense_tensor(cache, weight_collections, trainable),
                               [-1, rows])
    return math_ops.matmul(tensor, weights, name="weighted_sum"), weights


def linear_model(features, feature_columns, units=1, sparse_combiner="sum",
                 weight_collections=None, trainable=True, cols_to_vars=None):
    """``tf.feature_column.linear_model``: bias + the sum over columns of each column's
    values times its weights (categorical columns: the sum of their ids' weight rows), with
    zero-initialised ``linear_model/<column>/weights`` and ``linear_model/bias_weights``."""
    columns = _check_columns(feature_columns)
    for column in columns:
        if not (column._is_dense or column._is_categorical):
            raise ValueError(f"Items of feature_columns must be either a _DenseColumn or "
                             f"_CategoricalColumn. Given: {column}")
    cache = _Cache(features)
    sums = []
    with vs.variable_scope(None, default_name="linear_model", values=list(features.values())):
        for column in columns:
            with vs.variable_scope(None, default_name=column._var_scope_name):
                weighted, weights = _weighted_sum(column, cache, units, sparse_combiner,
                                                  weight_collections, trainable)
                sums.append(weighted)
                if cols_to_vars is not None:  # a partitioned variable's parts
                    cols_to_vars[column] = list(weights) if isinstance(
                        weights, PartitionedVariable) else [weights]
        bias = vs.get_variable("bias_weights", shape=[units], dtype=dtypes.float32,
                               initializer=init_ops.zeros_initializer(), trainable=trainable,
                               collections=_collections(weight_collections))
        if cols_to_vars is not None:
            cols_to_vars["bias"] = list(bias) if isinstance(bias, PartitionedVariable) else [
                bias]
        total = sums[0] if len(sums) == 1 else math_ops.add_n(sums)
        return nn_ops.bias_add(total, bias, name="weighted_sum")


def make_parse_example_spec(feature_columns):
    """``tf.feature_column.make_parse_example_spec``: the ``{feature key: FixedLenFeature |
    VarLenFeature}`` dict that parses the features the columns read (numeric columns:
    FixedLenFeature(shape, dtype, default_value); categorical ones: VarLenFeature(dtype))."""
    result = {}
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(f"All feature_columns must be _FeatureColumn instances. Given: "
                             f"{column}")
        for key, value in column._parse_example_spec.items():
            if key in result and value != result[key]:
                raise ValueError(f"feature_columns contain different parse_spec for key "
                                 f"{key}. Given {value} and {result[key]}")
        result.update(column._parse_example_spec)
    return result
