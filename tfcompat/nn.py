"""``tf.nn``: the neural-network ops of ``tfcompat/ops/nn_ops.py`` plus TF's composite
functions (nn_impl.py / embedding_ops.py), which only compose registered ops, so their graphs,
op names and gradients follow TF 1.15's.
"""
import numbers

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import array_ops, math_ops, random_ops
from tfcompat.ops.nn_conv_ops import (atrous_conv2d, avg_pool, conv1d, conv2d,  # noqa: F401
                                      conv2d_backprop_filter, conv2d_backprop_input,
                                      conv2d_transpose, convolution, depthwise_conv2d,
                                      depthwise_conv2d_native, local_response_normalization,
                                      lrn, max_pool, max_pool_with_argmax, separable_conv2d)
from tfcompat.ops.nn_conv_ops import (  # noqa: F401
    depthwise_conv2d_native_backprop_filter, depthwise_conv2d_native_backprop_input)
from tfcompat.ops.nn_dilation_ops import dilation2d, erosion2d  # noqa: F401
from tfcompat.ops.nn_fractional_pool_ops import (fractional_avg_pool,  # noqa: F401
                                                 fractional_max_pool)
from tfcompat.ops.ctc_ops import (collapse_repeated, ctc_beam_search_decoder,  # noqa: F401
                                  ctc_beam_search_decoder_v2, ctc_greedy_decoder, ctc_loss,
                                  ctc_loss_v2, ctc_unique_labels)
from tfcompat.ops.nn_conv3d_ops import (avg_pool3d, conv3d, conv3d_backprop_filter,  # noqa: F401
                                        conv3d_backprop_filter_v2, conv3d_transpose, max_pool3d)
from tfcompat.ops.array_ops_extra import (batch_to_space_nd, depth_to_space,  # noqa: F401
                                          space_to_batch, space_to_batch_nd, space_to_depth,
                                          unique)
from tfcompat.ops.sparse_ops import (sparse_fill_empty_rows, sparse_reshape,
                                     sparse_retain, sparse_segment_mean, sparse_segment_sqrt_n,
                                     sparse_segment_sum)
from tfcompat.ops.sparse_tensor import SparseTensor
from tfcompat.ops.variables import PartitionedVariable
from tfcompat.ops.special_math_ops import segment_sum
from tfcompat.ops.batch_norm_ops import fused_batch_norm  # noqa: F401
from tfcompat.ops.candidate_sampler_ops import (all_candidate_sampler,  # noqa: F401
                                                 compute_accidental_hits,
                                                 fixed_unigram_candidate_sampler,
                                                 learned_unigram_candidate_sampler,
                                                 log_uniform_candidate_sampler,
                                                 uniform_candidate_sampler)
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
    if isinstance(params, (list, tuple, PartitionedVariable)):
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


# ---- moments from sufficient statistics, Poisson loss, fused batch norm (issue 21) -----------
def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """``tf.nn.sufficient_statistics``: (count, Σ(x - shift), Σ(x - shift)², shift) over
    ``axes``; the count is a constant of x's dtype when the reduced dims are known."""
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    axes = list(axes)
    with ops.name_scope(name, "sufficient_statistics", [x, shift]):
        x = ops.convert_to_tensor(x, name="x")
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        if dims is not None and all(dims[a] is not None for a in axes):
            size = 1
            for a in axes:
                size *= dims[a]
            counts = array_ops.constant(size, dtype=x.dtype.base_dtype, name="count")
        else:
            sizes = array_ops.gather(array_ops.shape(x), axes)
            counts = math_ops.cast(math_ops.reduce_prod(sizes), x.dtype.base_dtype,
                                   name="count")
        if shift is not None:
            shift = ops.convert_to_tensor(shift, name="shift", dtype=None if isinstance(
                shift, ops.Tensor) else x.dtype.base_dtype)
            centred = math_ops.subtract(x, shift)
        else:
            centred = x
        mean_ss = math_ops.reduce_sum(centred, axes, keepdims=keepdims, name="mean_ss")
        variance_ss = math_ops.reduce_sum(math_ops.square(centred), axes, keepdims=keepdims,
                                          name="var_ss")
        return counts, mean_ss, variance_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """``tf.nn.normalize_moments``: (mean, variance) from sufficient statistics."""
    with ops.name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = math_ops.reciprocal(counts, name="divisor")
        shifted_mean = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
        if shift is not None:
            mean = math_ops.add(shifted_mean, shift, name="mean")
        else:
            mean = array_ops.identity(shifted_mean, name="mean")
        variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor),
                                     math_ops.square(shifted_mean), name="variance")
        return mean, variance


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """``tf.nn.weighted_moments``: the mean and variance over ``axes`` with each entry
    counted ``frequency_weights`` times (weights broadcast against x)."""
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    with ops.name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = ops.convert_to_tensor(x, name="x")
        weights = ops.convert_to_tensor(frequency_weights, name="frequency_weights",
                                        dtype=x.dtype.base_dtype)
        weighted_sum = math_ops.reduce_sum(weights * x, axes, keepdims=True)
        broadcast_weights = weights + array_ops.zeros_like(x)
        divisor = math_ops.reciprocal(math_ops.reduce_sum(broadcast_weights, axes,
                                                          keepdims=True))
        mean = weighted_sum * divisor
        variance = math_ops.reduce_sum(
            weights * math_ops.squared_difference(x, mean), axes, keepdims=True) * divisor
        if not keepdims:
            mean = array_ops.squeeze(mean, axis=list(axes))
            variance = array_ops.squeeze(variance, axis=list(axes))
        return mean, variance


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """``tf.nn.log_poisson_loss``: exp(log_input) - log_input·targets, plus Stirling's
    approximation of log(targets!) for targets > 1 with ``compute_full_loss``."""
    with ops.name_scope(name, "log_poisson_loss", [log_input, targets]) as scope:
        log_input = ops.convert_to_tensor(log_input, name="log_input")
        targets = ops.convert_to_tensor(targets, name="targets")
        if not log_input.shape.is_compatible_with(targets.shape):
            raise ValueError(f"log_input and targets must have the same shape "
                             f"({log_input.shape} vs {targets.shape})")
        result = math_ops.exp(log_input) - log_input * targets
        if compute_full_loss:
            dtype = targets.dtype.base_dtype
            half = array_ops.constant(0.5, dtype=dtype)
            two_pi = array_ops.constant(2 * 3.141592653589793, dtype=dtype)
            stirling = (targets * math_ops.log(targets) - targets
                        + half * math_ops.log(two_pi * targets))
            small = math_ops.logical_and(
                math_ops.greater_equal(targets, array_ops.zeros_like(targets)),
                math_ops.less_equal(targets, array_ops.ones_like(targets)))
            result += math_ops.where(small, array_ops.zeros_like(targets), stirling)
        return array_ops.identity(result, name=scope)


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None,
                                         variance_epsilon=None,
                                         scale_after_normalization=None, name=None,
                                         input=None, mean=None, variance=None):  # noqa: A002
    """``tf.nn.batch_norm_with_global_normalization``: batch_normalization with the given
    statistics; gamma is used only with ``scale_after_normalization``."""
    t = input if t is None else t
    m = mean if m is None else m
    v = variance if v is None else v
    with ops.name_scope(name, "batchnorm", [t, m, v, beta, gamma]):
        return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                                   variance_epsilon)


# ---- sampled losses (TF's nn_impl._compute_sampled_logits) ------------------------------------
def _sum_rows(x):
    """Row sums as TF computes them: x · ones, reshaped to a vector."""
    columns = array_ops.shape(x)[1]
    ones = array_ops.ones(array_ops.stack([columns, 1]), dtype=x.dtype.base_dtype)
    return array_ops.reshape(math_ops.matmul(x, ones), [-1])


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                            num_true, sampled_values, subtract_log_q, remove_accidental_hits,
                            partition_strategy, name, seed=None):
    """(logits, labels) of the true classes and the sampled candidates of each example."""
    weights = list(weights) if isinstance(weights, (list, tuple, PartitionedVariable)) else [
        weights]
    with ops.name_scope(name, "compute_sampled_logits",
                        weights + [biases, inputs, labels]):
        labels = math_ops.cast(ops.convert_to_tensor(labels), dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                labels, num_true, num_sampled, True, num_classes, seed=seed)
        sampled, true_expected, sampled_expected = (array_ops.stop_gradient(v)
                                                    for v in sampled_values)
        sampled = math_ops.cast(sampled, dtypes.int64)
        all_ids = array_ops.concat([labels_flat, sampled], 0)
        all_w = embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        count = array_ops.shape(labels_flat)[0]
        true_w = array_ops.slice(all_w, [0, 0], array_ops.stack([count, -1]))
        sampled_w = array_ops.slice(all_w, array_ops.stack([count, 0]), [-1, -1])
        sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids, partition_strategy=partition_strategy)
        true_b = array_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = array_ops.slice(all_b, array_ops.shape(labels_flat), [-1])
        dim = array_ops.shape(true_w)[1:2]
        rows = math_ops.multiply(array_ops.expand_dims(inputs, 1), array_ops.reshape(
            true_w, array_ops.concat([[-1, num_true], dim], 0)))
        true_logits = array_ops.reshape(
            _sum_rows(array_ops.reshape(rows, array_ops.concat([[-1], dim], 0))),
            [-1, num_true])
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits += sampled_b
        if remove_accidental_hits:
            indices, ids, hit_weights = compute_accidental_hits(labels, sampled, num_true)
            positions = array_ops.stack([indices, math_ops.cast(ids, dtypes.int32)], axis=1)
            shape = array_ops.stack([array_ops.shape(labels)[0], num_sampled])
            sampled_logits += array_ops.scatter_nd(
                positions, math_ops.cast(hit_weights, sampled_logits.dtype.base_dtype), shape)
        if subtract_log_q:
            true_logits -= math_ops.log(true_expected)
            sampled_logits -= math_ops.log(sampled_expected)
        logits = array_ops.concat([true_logits, sampled_logits], 1)
        targets = array_ops.concat([array_ops.ones_like(true_logits) / num_true,
                                    array_ops.zeros_like(sampled_logits)], 1)
        return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """``tf.nn.nce_loss``: per example, the sigmoid cross-entropies of its true classes and
    ``num_sampled`` log-uniform negatives, logits corrected by log Q."""
    logits, targets = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name)
    losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits,
                                               name="sampled_losses")
    return _sum_rows(losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                         num_true=1, sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """``tf.nn.sampled_softmax_loss``: the softmax cross-entropy over the true classes and
    ``num_sampled`` sampled ones (accidental hits removed by default)."""
    logits, targets = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name, seed=seed)
    targets = array_ops.stop_gradient(targets, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits)


_FROM_MATH_OPS = ("in_top_k", "top_k")
_RNN_NAMES = ("dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn",
              "static_bidirectional_rnn")


def __getattr__(name):
    # in_top_k / top_k live in math_ops (another module's work); re-exported when present.
    if name == "rnn_cell":  # imported on first use (the cells are layers)
        from tfcompat.rnn import rnn_cell
        return rnn_cell
    if name in _RNN_NAMES:
        from tfcompat.rnn import rnn
        return getattr(rnn, name)
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
    "conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "conv1d", "conv2d_transpose",
    "depthwise_conv2d", "depthwise_conv2d_native", "separable_conv2d", "atrous_conv2d",
    "convolution", "max_pool", "avg_pool", "max_pool_with_argmax",
    "local_response_normalization", "lrn",
]
__all__ += ["sufficient_statistics", "normalize_moments", "weighted_moments",
            "log_poisson_loss", "fused_batch_norm", "uniform_candidate_sampler",
            "log_uniform_candidate_sampler", "fixed_unigram_candidate_sampler",
            "all_candidate_sampler", "compute_accidental_hits", "nce_loss",
            "sampled_softmax_loss", "batch_norm_with_global_normalization"]

# ---- issue 21 (h-nn): space/depth aliases, depthwise backprops, 3-D convolution and pooling
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
__all__ += ["depth_to_space", "space_to_depth", "space_to_batch",
            "depthwise_conv2d_native_backprop_input", "depthwise_conv2d_native_backprop_filter",
            "depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter",
            "conv3d", "conv3d_backprop_filter", "conv3d_backprop_filter_v2", "conv3d_transpose",
            "max_pool3d", "avg_pool3d"]


# ---- dilated windows through SpaceToBatchND (TF's nn_ops.with_space_to_batch / pool) --------
def _space_to_batch_paddings(spatial_shape, block_shape, base_paddings):
    """(paddings, crops) that make each padded spatial size a multiple of its block (TF's
    required_space_to_batch_paddings): NumPy values when everything is static."""
    if isinstance(spatial_shape, ops.Tensor):
        base = ops.convert_to_tensor(base_paddings, dtype=dtypes.int32)
        block = ops.convert_to_tensor(block_shape, dtype=dtypes.int32)
        start, end = base[:, 0], base[:, 1]
        extra = math_ops.floormod(block - math_ops.floormod(spatial_shape + start + end, block),
                                  block)
        return (array_ops.stack([start, end + extra], axis=1),
                array_ops.stack([array_ops.zeros_like(extra), extra], axis=1))
    base = np.asarray(base_paddings, dtype=np.int64).reshape(-1, 2)
    block = np.asarray(block_shape, dtype=np.int64)
    extra = (block - (np.asarray(spatial_shape) + base.sum(axis=1)) % block) % block
    paddings = np.stack([base[:, 0], base[:, 1] + extra], axis=1)
    return paddings.astype(np.int32), np.stack([np.zeros_like(extra), extra], 1).astype(np.int32)


def _adjust_to_dims(values, fill, spatial_dims):
    """Per-spatial-dim ``values`` spread over dims 1..max(spatial_dims), ``fill`` elsewhere."""
    values = np.asarray(values)
    out = np.full((spatial_dims[-1],) + values.shape[1:], fill, dtype=values.dtype)
    for i, dim in enumerate(spatial_dims):
        out[dim - 1] = values[i]
    return out


def _spatial_dims(num_spatial_dims, spatial_dims, data_format, input_shape):
    start = 2 if data_format is not None and data_format.startswith("NC") else 1
    if spatial_dims is None:
        spatial_dims = range(start, num_spatial_dims + start)
    original = [int(d) for d in spatial_dims]
    spatial_dims = sorted(set(original))
    if spatial_dims != original or any(d < 1 for d in spatial_dims):
        raise ValueError("spatial_dims must be a monotonically increasing sequence of "
                         "positive integers")
    rank = spatial_dims[-1] + (0 if start == 2 else 1)
    if input_shape.ndims is not None and input_shape.ndims < rank:
        raise ValueError(f"Shape {input_shape} must have rank at least {rank}")
    return spatial_dims


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None,  # noqa: A002
                        spatial_dims=None, data_format=None):
    """``tf.nn.with_space_to_batch``: runs ``op(converted_input, num_spatial_dims,
    padding)`` on SpaceToBatchND(input, dilation_rate) with VALID padding (SAME adds TF's
    base paddings from ``filter_shape``) and returns BatchToSpaceND of its result; a rate of
    all ones calls ``op`` on the input directly."""
    input = ops.convert_to_tensor(input, name="input")  # noqa: A001
    rate = constant_value(ops.convert_to_tensor(dilation_rate, dtype=dtypes.int32,
                                                name="dilation_rate"))
    if rate is None or rate.ndim != 1:
        raise ValueError("tfcompat: with_space_to_batch needs a static rank-1 dilation_rate")
    num_spatial_dims = rate.shape[0]
    spatial_dims = _spatial_dims(num_spatial_dims, spatial_dims, data_format, input.shape)
    if np.any(rate < 1):
        raise ValueError(f"dilation_rate must be positive: {rate.tolist()}")
    if np.all(rate == 1):
        return op(input, num_spatial_dims, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("filter_shape must be specified for SAME padding")
        extra = (np.asarray(filter_shape, dtype=np.int64) - 1) * rate
        base_paddings = np.stack([extra // 2, extra - extra // 2], axis=1)
    elif padding == "VALID":
        base_paddings = np.zeros((num_spatial_dims, 2), np.int64)
    else:
        raise ValueError(f"Invalid padding method {padding!r}")
    dims = input.shape.as_list() if input.shape.ndims is not None else None
    spatial = [dims[d] for d in spatial_dims] if dims is not None else [None]
    if None in spatial:
        spatial = array_ops.gather(array_ops.shape(input), spatial_dims)
    paddings, crops = _space_to_batch_paddings(spatial, rate, base_paddings)
    block = _adjust_to_dims(rate, 1, spatial_dims)
    if isinstance(paddings, ops.Tensor):
        lead = spatial_dims[0] - 1
        paddings = array_ops.pad(paddings, [[lead, 0], [0, 0]])
        crops = array_ops.pad(crops, [[lead, 0], [0, 0]])
    else:
        paddings = _adjust_to_dims(paddings, 0, spatial_dims)
        crops = _adjust_to_dims(crops, 0, spatial_dims)
    converted = space_to_batch_nd(input, block, paddings)
    result = op(converted, num_spatial_dims, "VALID")
    return batch_to_space_nd(result, block, crops)


_POOLS = {("MAX", 1): max_pool, ("MAX", 2): max_pool, ("MAX", 3): max_pool3d,
          ("AVG", 1): avg_pool, ("AVG", 2): avg_pool, ("AVG", 3): avg_pool3d}


def _strides_and_rates(num_spatial_dims, strides, dilation_rate):
    rates = np.array(dilation_rate if dilation_rate is not None else [1] * num_spatial_dims)
    strides = np.array(strides if strides is not None else [1] * num_spatial_dims)
    for label, values in (("dilation_rate", rates), ("strides", strides)):
        if len(values) != num_spatial_dims:
            raise ValueError(f"len({label})={len(values)} but should be {num_spatial_dims}")
        if np.any(values < 1):
            raise ValueError(f"all values of {label} must be positive")
    if np.any(strides > 1) and np.any(rates > 1):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    return strides, rates


def pool(input, window_shape, pooling_type, padding, dilation_rate=None,  # noqa: A002
         strides=None, name=None, data_format=None, dilations=None):
    """``tf.nn.pool``: N-D (1 to 3) max or average pooling with optional dilation (through
    with_space_to_batch) as TF composes it, under the "max_pool"/"avg_pool" scope; 1-D
    pooling runs the 2-D op on an expanded input."""
    dilation_rate = dilations if dilation_rate is None else dilation_rate
    with ops.name_scope(name, f"{pooling_type.lower()}_pool", [input]) as scope:
        input = ops.convert_to_tensor(input, name="input")  # noqa: A001
        num_spatial_dims = len(window_shape)
        if num_spatial_dims < 1 or num_spatial_dims > 3:
            raise ValueError("It is required that 1 <= num_spatial_dims <= 3.")
        input.shape.with_rank(num_spatial_dims + 2)
        strides, dilation_rate = _strides_and_rates(num_spatial_dims, strides, dilation_rate)
        if padding == "SAME" and np.any(dilation_rate > 1):
            raise ValueError("pooling with SAME padding is not implemented for "
                             "dilation_rate > 1")
        if np.any(strides > np.array(window_shape)):
            raise ValueError("strides > window_shape not supported due to inconsistency "
                             "between CPU and GPU implementations")
        key = (pooling_type, num_spatial_dims)
        if key not in _POOLS:
            raise ValueError(f"{num_spatial_dims}-D {pooling_type} pooling is not supported.")
        channels_first = data_format is not None and data_format.startswith("NC")
        if channels_first:
            window = [1, 1] + list(window_shape)
            steps = [1, 1] + [int(s) for s in strides]
            spatial_dims = list(range(2, num_spatial_dims + 2))
        else:
            window = [1] + list(window_shape) + [1]
            steps = [1] + [int(s) for s in strides] + [1]
            spatial_dims = list(range(1, num_spatial_dims + 1))
        fmt = data_format
        if num_spatial_dims == 1:
            if data_format not in (None, "NWC", "NCW"):
                raise ValueError("data_format must be either \"NWC\" or \"NCW\".")
            fmt = "NCHW" if channels_first else "NHWC"
            window, steps = [1] + window, [1] + steps
        fmt = fmt or ("NHWC" if num_spatial_dims < 3 else "NDHWC")

        def pool_op(converted, _, converted_padding):
            if num_spatial_dims == 1:
                converted = array_ops.expand_dims(converted, spatial_dims[0])
            result = _POOLS[key](converted, window, steps, converted_padding,
                                 data_format=fmt, name=scope)
            if num_spatial_dims == 1:
                result = array_ops.squeeze(result, [spatial_dims[0]])
            return result

        return with_space_to_batch(input, dilation_rate, padding, pool_op,
                                   spatial_dims=spatial_dims, filter_shape=window_shape)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """``tf.nn.atrous_conv2d_transpose(value, filters, output_shape, rate, padding)``: the
    transpose of atrous_conv2d, computed as Conv2DBackpropInput with dilations
    [1, rate, rate, 1] (TF reaches the same values through SpaceToBatchND); TF's checks."""
    with ops.name_scope(name, "atrous_conv2d_transpose", [value, filters]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        filters = ops.convert_to_tensor(filters, dtype=value.dtype.base_dtype, name="filters")
        if not value.shape[3].is_compatible_with(filters.shape[3]):
            raise ValueError(f"value's input channels does not match filters' input channels, "
                             f"{value.shape[3]} != {filters.shape[3]}")
        if rate < 1:
            raise ValueError(f"rate {rate} cannot be less than one")
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"padding must be either VALID or SAME: {padding}")
        sizes = ops.convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        if not sizes.shape.is_compatible_with(tensor_shape.TensorShape([4])):
            raise ValueError(f"output_shape must have shape (4,), got {sizes.shape}")
        if isinstance(output_shape, (list, tuple, np.ndarray)):
            if not filters.shape[2].is_compatible_with(output_shape[3]):
                raise ValueError(f"output_shape does not match filter's output channels, "
                                 f"{output_shape[3]} != {filters.shape[2]}")
        return conv2d_backprop_input(sizes, filters, value, [1, 1, 1, 1], padding,
                                     dilations=[1, rate, rate, 1], name=scope)


__all__ += ["dilation2d", "erosion2d", "with_space_to_batch", "pool", "atrous_conv2d_transpose"]
__all__ += ["ctc_loss", "ctc_loss_v2", "ctc_greedy_decoder", "ctc_beam_search_decoder",
            "ctc_beam_search_decoder_v2", "collapse_repeated", "ctc_unique_labels"]
__all__ += ["learned_unigram_candidate_sampler"]


# ---- sparse embedding lookups (TF's embedding_ops.embedding_lookup_sparse) ----------------------
def _combine_weighted(embeddings, weights, segment_ids, combiner, name):
    """Σ w·e per segment, divided by Σ w ("mean") or sqrt(Σ w²) ("sqrtn")."""
    ones = array_ops.fill(array_ops.expand_dims(array_ops.rank(embeddings) - 1, 0), 1)
    static = weights.shape
    weights = array_ops.reshape(weights, array_ops.concat([array_ops.shape(weights), ones], 0))
    if embeddings.shape.ndims is not None:
        weights.set_shape(static.concatenate([1] * (embeddings.shape.ndims - 1)))
    embeddings = embeddings * weights
    if combiner == "sum":
        return segment_sum(embeddings, segment_ids, name=name)
    summed = segment_sum(embeddings, segment_ids)
    if combiner == "mean":
        return math_ops.div(summed, segment_sum(weights, segment_ids), name=name)
    return math_ops.div(summed, math_ops.sqrt(segment_sum(math_ops.pow(weights, 2),
                                                          segment_ids)), name=name)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None,
                            combiner=None, max_norm=None):
    """``tf.nn.embedding_lookup_sparse``: per row of the SparseTensor ``sp_ids``, the
    ``combiner`` ("mean" by default, "sqrtn", "sum") of its ids' embeddings, weighted by
    ``sp_weights`` when given; rows up to the last non-empty one, as TF composes it (Unique,
    embedding_lookup, then segment sums or SparseSegment* ops)."""
    combiner = "mean" if combiner is None else combiner
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'")
    params = list(params) if isinstance(params, (list, tuple, PartitionedVariable)) else [
        params]
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError("sp_ids must be SparseTensor")
    if sp_weights is not None and not isinstance(sp_weights, SparseTensor):
        raise TypeError("sp_weights must be either None or SparseTensor")
    if sp_weights is not None:
        sp_ids.values.shape.assert_is_compatible_with(sp_weights.values.shape)
        sp_ids.indices.shape.assert_is_compatible_with(sp_weights.indices.shape)
    with ops.name_scope(name, "embedding_lookup_sparse", params + [sp_ids]) as name:
        segment_ids = math_ops.cast(sp_ids.indices[:, 0], dtypes.int32)
        ids, idx = unique(sp_ids.values)
        embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy,
                                      max_norm=max_norm)
        original_dtype = embeddings.dtype.base_dtype
        if original_dtype in (dtypes.float16, dtypes.bfloat16):
            embeddings = math_ops.cast(embeddings, dtypes.float32)
        if sp_weights is not None:
            weights = math_ops.cast(sp_weights.values, embeddings.dtype.base_dtype)
            embeddings = _combine_weighted(array_ops.gather(embeddings, idx), weights,
                                           segment_ids, combiner, name)
        else:
            reduce = {"sum": sparse_segment_sum, "mean": sparse_segment_mean,
                      "sqrtn": sparse_segment_sqrt_n}[combiner]
            embeddings = reduce(embeddings, idx, segment_ids, name=name)
        if embeddings.dtype.base_dtype != original_dtype:
            embeddings = math_ops.cast(embeddings, original_dtype)
        return embeddings


def _retain(sparse_ids, sparse_weights, keep):
    sparse_ids = sparse_retain(sparse_ids, keep)
    if sparse_weights is not None:
        sparse_weights = sparse_retain(sparse_weights, keep)
    return sparse_ids, sparse_weights


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, name=None,
                                 partition_strategy="div", max_norm=None):
    """``tf.nn.safe_embedding_lookup_sparse``: embedding_lookup_sparse over the last
    dimension of ``sparse_ids`` (any rank >= 2) after dropping negative ids (and, unless
    combining by "sum", non-positive weights); rows left empty get ``default_id``'s embedding
    or zeros. The result is shaped ``dense_shape[:-1] + [dim]``."""
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    embedding_weights = list(embedding_weights) if isinstance(embedding_weights, (
        list, tuple, PartitionedVariable)) else [embedding_weights]
    if not embedding_weights:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    embedding_weights = [ops.convert_to_tensor(w, dtype=dtype) for w in embedding_weights]
    with ops.name_scope(name, "embedding_lookup",
                        embedding_weights + [sparse_ids, sparse_weights]) as scope:
        original_shape = sparse_ids.dense_shape
        rank = original_shape.shape[0].value
        if rank is None:
            raise ValueError("tfcompat: safe_embedding_lookup_sparse needs sparse_ids of "
                             "static rank")
        sparse_ids = sparse_reshape(sparse_ids, array_ops.stack([
            math_ops.reduce_prod(original_shape[:rank - 1]), original_shape[rank - 1]]))
        if sparse_weights is not None:
            sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values,
                                          sparse_ids.dense_shape)
        sparse_ids, sparse_weights = _retain(sparse_ids, sparse_weights,
                                             math_ops.greater_equal(sparse_ids.values, 0))
        if combiner != "sum" and sparse_weights is not None:
            sparse_ids, sparse_weights = _retain(sparse_ids, sparse_weights,
                                                 math_ops.greater(sparse_weights.values, 0))
        sparse_ids, is_row_empty = sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights,
                                         combiner=combiner, partition_strategy=partition_strategy,
                                         name=None if default_id is None else scope,
                                         max_norm=max_norm)
        if default_id is None:
            is_row_empty = array_ops.tile(array_ops.reshape(is_row_empty, [-1, 1]),
                                          array_ops.stack([1, array_ops.shape(result)[1]]))
            result = math_ops.where(is_row_empty, array_ops.zeros_like(result), result,
                                    name=scope)
        final = array_ops.reshape(result, array_ops.concat([
            math_ops.cast(original_shape, dtypes.int32)[:rank - 1],
            array_ops.shape(result)[1:]], 0))
        final.set_shape(tensor_shape.unknown_shape(rank - 1).concatenate(result.shape[1:]))
        return final


__all__ += ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]
_RNN_NAMES += ("raw_rnn", "static_state_saving_rnn")
__all__ += ["fractional_max_pool", "fractional_avg_pool"]
