"""``tf.nn``: the neural-network ops of ``tfcompat/ops/nn_ops.py`` plus TF's composite
functions (nn_impl.py / embedding_ops.py), which only compose registered ops, so their graphs,
op names and gradients follow TF 1.15's.
"""
import numbers

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import array_ops, math_ops, random_ops
from tfcompat.ops.nn_ops import (_ensure_xent_args, bias_add, elu, l2_loss,  # noqa: F401
                                 leaky_relu, log_softmax, relu, relu6, selu, sigmoid, softmax,
                                 softmax_cross_entropy_with_logits,
                                 softmax_cross_entropy_with_logits_v2, softplus, softsign,
                                 sparse_softmax_cross_entropy_with_logits, tanh)


# ---- cross-entropies built from elementwise ops -----------------------------------------------
def _same_shape(labels, logits):
    try:
        labels.shape.merge_with(logits.shape)
    except ValueError:
        raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs "
                         f"{labels.shape})") from None


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """``tf.nn.sigmoid_cross_entropy_with_logits(labels=..., logits=..., name=None)``:
    elementwise max(x, 0) - x * z + log(1 + exp(-|x|)), TF's overflow-free form."""
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with ops.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels")
        _same_shape(labels, logits)
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = math_ops.where(cond, logits, zeros)
        neg_abs_logits = math_ops.where(cond, -logits, logits)
        return math_ops.add(relu_logits - logits * labels,
                            math_ops.log1p(math_ops.exp(neg_abs_logits)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    """``tf.nn.weighted_cross_entropy_with_logits``: sigmoid cross-entropy with the positive
    term weighted by ``pos_weight`` ((1 - z) x + (1 + (q - 1) z) (log1p(exp(-|x|)) +
    max(-x, 0)))."""
    if targets is not None:
        if labels is not None:
            raise ValueError("Cannot specify both 'labels' and 'targets'")
        labels = targets
    with ops.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels")
        _same_shape(labels, logits)
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add(
            (1 - labels) * logits,
            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) + relu(-logits)),
            name=scope)


# ---- normalisation ------------------------------------------------------------------------------
def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``tf.nn.l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None)``:
    x / sqrt(max(sum(x², axis), epsilon))."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    with ops.name_scope(name, "l2_normalize", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """``tf.nn.moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None)``:
    (mean, biased variance) over ``axes``; ``shift`` is unused, as in TF 1.15."""
    if keepdims is None:
        keepdims = keep_dims
    elif keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'")
    keepdims = bool(keepdims)
    with ops.name_scope(name, "moments", [x, axes]):
        x = ops.convert_to_tensor(x)
        y = math_ops.cast(x, dtypes.float32) if x.dtype.base_dtype == dtypes.float16 else x
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = math_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True,
            name="variance")
        if not keepdims:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        if x.dtype.base_dtype == dtypes.float16:
            return (math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16))
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``tf.nn.batch_normalization``: (x - mean) * scale / sqrt(variance + epsilon) + offset,
    composed as TF does: x * inv + (offset - mean * inv) with inv = rsqrt(var + eps) * scale."""
    with ops.name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = ops.convert_to_tensor(x)
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


# ---- dropout ----------------------------------------------------------------------------------
def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return array_ops.shape(x)
    if isinstance(noise_shape, ops.Tensor):
        return noise_shape
    try:
        requested = tensor_shape.as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    if x.shape.ndims is not None and requested.ndims == x.shape.ndims:
        dims = [n.value if n.value is not None else d.value
                for n, d in zip(requested.dims, x.shape.dims)]
        requested = tensor_shape.TensorShape(dims)
    if requested.is_fully_defined():
        return requested.as_list()
    return noise_shape


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """``tf.nn.dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None)``
    (TF 1.15: give ``rate`` or the deprecated ``keep_prob`` = 1 - rate). Kept values are
    scaled by 1 / keep_prob; the mask is floor(keep_prob + uniform[0, 1)), as TF builds it."""
    try:
        keep_rate = 1. - keep_prob if keep_prob is not None else None
    except TypeError:
        raise ValueError(f"keep_prob must be a floating point number or Tensor (got "
                         f"{keep_prob!r})") from None
    if keep_rate is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
        rate = keep_rate
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with ops.name_scope(name, "dropout", [x]):
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be "
                             f"scaled. Got a {x.dtype!r} tensor instead.")
        if isinstance(rate, numbers.Real):
            if not (rate >= 0 and rate < 1):
                raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), "
                                 f"got {rate:g}")
            if rate == 0:
                return x
        rate = ops.convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        rate.shape.assert_is_compatible_with(tensor_shape.scalar())
        known = constant_value(rate)
        if known is not None and known == 0:
            return x
        shape = _noise_shape(x, noise_shape)
        keep = 1 - rate
        # uniform in [keep_prob, 1 + keep_prob): floor is 1 with probability keep_prob.
        random_tensor = keep + random_ops.random_uniform(shape, seed=seed,
                                                         dtype=x.dtype.base_dtype)
        binary_tensor = math_ops.floor(random_tensor)
        ret = math_ops.divide(x, keep) * binary_tensor
        ret.set_shape(x.shape)
        return ret


# ---- embeddings -------------------------------------------------------------------------------
def _clip_by_norm(t, clip_norm, axes):
    """t * clip_norm / max(||t||₂ over axes, clip_norm) (TF's clip_by_norm)."""
    with ops.name_scope(None, "clip_by_norm", [t, clip_norm]) as scope:
        l2sum = math_ops.reduce_sum(t * t, axes, keepdims=True)
        positive = l2sum > 0
        l2sum_safe = math_ops.where(positive, l2sum, array_ops.ones_like(l2sum))
        l2norm = math_ops.where(positive, math_ops.sqrt(l2sum_safe), l2sum)
        clip = ops.convert_to_tensor(clip_norm, dtype=t.dtype.base_dtype)
        return array_ops.identity(t * clip / math_ops.maximum(l2norm, clip), name=scope)


def _clip(embeddings, ids, max_norm):
    if max_norm is None:
        return embeddings
    ids_rank, rank = ids.shape.ndims, embeddings.shape.ndims
    if ids_rank is None or rank is None:
        raise ValueError("tfcompat: embedding_lookup with max_norm needs ids and params of "
                         "known rank")
    return _clip_by_norm(embeddings, max_norm, list(range(ids_rank, rank)))


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """``tf.nn.embedding_lookup``: rows of ``params`` at ``ids`` (a gather). A list of
    several params is TF's partitioned table: ids map to partitions by ``partition_strategy``
    ("mod": id % n holds row id // n; "div": contiguous blocks), computed here as one gather
    from the concatenated partitions (whose first dimensions must be static for "mod").
    ``max_norm`` clips each looked-up embedding to that L2 norm."""
    if isinstance(params, (list, tuple)):
        params = list(params)
    else:
        params = [params]
    if not params:
        raise ValueError("Need at least one param")
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
    with ops.name_scope(name, "embedding_lookup", params + [ids]) as scope:
        params = [ops.convert_to_tensor(p, name="params") for p in params]
        ids = ops.convert_to_tensor(ids, name="ids")
        if len(params) == 1:
            result = _clip(array_ops.gather(params[0], ids, name=scope), ids, max_norm)
            return array_ops.identity(result)
        table = array_ops.concat(params, 0)
        if partition_strategy == "mod":
            sizes = [p.shape[0].value if p.shape.ndims else None for p in params]
            if None in sizes:
                raise ValueError("tfcompat: embedding_lookup with partition_strategy='mod' "
                                 "needs partitions whose first dimension is static")
            count = len(params)
            starts = [sum(sizes[:i]) for i in range(count)]
            index_dtype = ids.dtype.base_dtype
            offsets = array_ops.constant(starts, dtype=index_dtype)
            ids = math_ops.add(array_ops.gather(offsets, math_ops.floormod(ids, count)),
                               math_ops.floor_div(ids, count))
        result = _clip(array_ops.gather(table, ids, name=scope), ids, max_norm)
        return array_ops.identity(result)


# ---- small composites ---------------------------------------------------------------------------
def zero_fraction(value, name=None):
    """``tf.nn.zero_fraction(value, name=None)``: the fraction of zeros in ``value`` (float32)."""
    with ops.name_scope(name, "zero_fraction", [value]):
        value = ops.convert_to_tensor(value, name="value")
        zero = array_ops.constant(0, dtype=value.dtype.base_dtype)
        is_zero = math_ops.cast(math_ops.equal(value, zero), dtypes.float32)
        return array_ops.identity(math_ops.reduce_mean(is_zero), name="fraction")


def xw_plus_b(x, weights, biases, name=None):
    """``tf.nn.xw_plus_b(x, weights, biases, name=None)``: matmul(x, weights) + biases."""
    with ops.name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        weights = ops.convert_to_tensor(weights, name="weights")
        biases = ops.convert_to_tensor(biases, name="biases")
        return bias_add(math_ops.matmul(x, weights), biases, name=scope)


def relu_layer(x, weights, biases, name=None):
    """``tf.nn.relu_layer(x, weights, biases, name=None)``: relu(matmul(x, weights) + biases)."""
    with ops.name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        weights = ops.convert_to_tensor(weights, name="weights")
        biases = ops.convert_to_tensor(biases, name="biases")
        return relu(bias_add(math_ops.matmul(x, weights), biases), name=scope)


def swish(features):
    """``tf.nn.swish(features)``: features * sigmoid(features)."""
    features = ops.convert_to_tensor(features, name="features")
    return features * sigmoid(features)


def crelu(features, name=None, axis=-1):
    """``tf.nn.crelu(features, name=None, axis=-1)``: relu of [features, -features]
    concatenated along ``axis``."""
    with ops.name_scope(name, "CRelu", [features]) as scope:
        features = ops.convert_to_tensor(features, name="features")
        concatenated = array_ops.concat([features, -features], axis, name=scope)
        return relu(concatenated)


_FROM_MATH_OPS = ("in_top_k", "top_k")
_RNN_NAMES = ("dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn",
              "static_bidirectional_rnn")
_SAMPLED_NAMES = ("nce_loss", "sampled_softmax_loss")
_SAMPLER_NAMES = ("uniform_candidate_sampler", "log_uniform_candidate_sampler",
                  "compute_accidental_hits")


def __getattr__(name):
    # in_top_k / top_k live in math_ops (another module's work); re-exported when present.
    if name == "rnn_cell":  # imported on first use (the cells are layers)
        from tfcompat.rnn import rnn_cell
        return rnn_cell
    if name in _RNN_NAMES:
        from tfcompat.rnn import rnn
        return getattr(rnn, name)
    if name in _SAMPLED_NAMES:
        from tfcompat import nn_sampled
        return getattr(nn_sampled, name)
    if name in _SAMPLER_NAMES:
        from tfcompat.ops import candidate_sampling_ops
        return getattr(candidate_sampling_ops, name)
    if name in _FROM_MATH_OPS:
        function = getattr(math_ops, name, None)
        if function is not None:
            return function
    raise AttributeError(f"module 'tensorflow.nn' has no attribute '{name}': tfcompat does not "
                         f"implement tf.nn.{name} yet")


# The public tf.nn names (in_top_k / top_k come through __getattr__ above).
__all__ = [
    "relu", "relu6", "elu", "selu", "leaky_relu", "sigmoid", "tanh", "softplus", "softsign",
    "swish", "crelu", "softmax", "log_softmax", "bias_add", "xw_plus_b", "relu_layer",
    "l2_loss", "l2_normalize", "moments", "batch_normalization", "dropout",
    "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sigmoid_cross_entropy_with_logits",
    "weighted_cross_entropy_with_logits", "embedding_lookup", "zero_fraction",
]
