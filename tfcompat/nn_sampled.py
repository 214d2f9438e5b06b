"""Sampled losses of ``tf.nn`` (TF 1.x nn_impl): ``nce_loss`` and ``sampled_softmax_loss``,
which score the true classes and ``num_sampled`` candidates (log-uniform by default) instead
of every class, correcting each logit by the log of its expected count."""
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, candidate_sampling_ops, math_ops, nn_ops


def _sum_rows(x):
    """Row sums as TF computes them (a product with a column of ones)."""
    ones = array_ops.ones(array_ops.stack([array_ops.shape(x)[1], 1]), x.dtype)
    return array_ops.reshape(math_ops.matmul(x, ones), [-1])


def _lookup(params, ids, partition_strategy):
    from tfcompat import nn
    return nn.embedding_lookup(params, ids, partition_strategy=partition_strategy)


def _accidental_hit_mask(labels, sampled, logits):
    """-FLT_MAX where a sampled class is one of the row's true classes, else 0."""
    hits = math_ops.reduce_any(math_ops.equal(array_ops.expand_dims(labels, 2),
                                              array_ops.reshape(sampled, [1, 1, -1])), axis=1)
    lowest = array_ops.fill(array_ops.shape(logits),
                            array_ops.constant(-3.4028234663852886e38, logits.dtype))
    return math_ops.where(hits, lowest, array_ops.zeros_like(logits))


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                            num_true, sampled_values, subtract_log_q, remove_accidental_hits,
                            partition_strategy, name, seed=None):
    """(logits, labels) over [true classes, sampled classes] per row (TF's helper)."""
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    with ops.name_scope(name, "compute_sampled_logits", weights + [biases, inputs, labels]):
        labels = ops.convert_to_tensor(labels)
        if labels.dtype.base_dtype != dtypes.int64:
            labels = math_ops.cast(labels, dtypes.int64)
        inputs = ops.convert_to_tensor(inputs)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = candidate_sampling_ops.log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected, sampled_expected = (array_ops.stop_gradient(s)
                                                    for s in sampled_values)
        sampled = math_ops.cast(sampled, dtypes.int64)
        all_ids = array_ops.concat([labels_flat, sampled], 0)
        all_w = _lookup(weights, all_ids, partition_strategy)
        count = array_ops.shape(labels_flat)[0]
        true_w = array_ops.slice(all_w, [0, 0], array_ops.stack([count, -1]))
        sampled_w = array_ops.slice(all_w, array_ops.stack([count, 0]), [-1, -1])
        sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True)
        all_b = _lookup(biases, all_ids, partition_strategy)
        true_b = array_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = array_ops.slice(all_b, array_ops.shape(labels_flat), [-1])
        dim = array_ops.shape(true_w)[1:2]
        row_dots = math_ops.multiply(array_ops.expand_dims(inputs, 1), array_ops.reshape(
            true_w, array_ops.concat([[-1, num_true], dim], 0)))
        dots = array_ops.reshape(row_dots, array_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots), [-1, num_true])
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits += sampled_b
        if remove_accidental_hits:
            sampled_logits += _accidental_hit_mask(labels, sampled, sampled_logits)
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
    """Noise-contrastive estimation loss per example (``tf.nn.nce_loss``): sigmoid
    cross-entropy of the true classes (target 1/num_true) and the sampled ones (target 0)."""
    from tfcompat import nn
    logits, targets = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name)
    losses = nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits,
                                                  name="sampled_losses")
    return _sum_rows(losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """Softmax cross-entropy over the true and sampled classes per example
    (``tf.nn.sampled_softmax_loss``)."""
    logits, targets = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name, seed)
    targets = array_ops.stop_gradient(targets, name="labels_stop_gradient")
    return nn_ops.softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits)
