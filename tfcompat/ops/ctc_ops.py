"""Connectionist temporal classification (TF's ctc_ops.py and ctc_*_op.cc): the CTCLoss op
with its gradient, CTCGreedyDecoder and CTCBeamSearchDecoder, and the ``tf.nn`` builders
ctc_loss, ctc_loss_v2, ctc_greedy_decoder, ctc_beam_search_decoder(_v2), collapse_repeated
and ctc_unique_labels.

CTCLoss runs TF's forward-backward recursion in log space over the label sequence with
blanks interleaved (l' = blank, l1, blank, l2, ..., blank), the blank being the last class:
alpha(t, u) sums the paths ending in state u at time t, beta(t, u) those continuing from it.
The loss is -log p(labels | inputs) and the op's second output is TF's gradient with respect
to the (unnormalised) inputs: softmax(inputs) - posterior occupancy of each class.
``ctc_merge_repeated=False`` forbids staying in a non-blank state (every emitted frame is a
separate label) and lets a label follow an equal one without a blank between them. The beam
search is TF's prefix search over log-softmax probabilities (its pruning included), with TF's
output convention: ``merge_repeated`` merges equal neighbours of a decoded path.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.ops import array_ops, array_ops_extra, math_ops
from tfcompat.ops.functional_ops import map_fn
from tfcompat.ops.nn_ops import _check_dtype, _merge_dims, _with_rank
from tfcompat.ops.sparse_tensor import SparseTensor

__all__ = []  # reached through tf.nn only

_CTC_FLOATS = (dtypes.float32, dtypes.float64)


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _shift(values, count):
    """``values`` moved ``count`` places towards higher indices along the last axis, -inf
    filling in."""
    out = np.full_like(values, -np.inf)
    if count > 0:
        out[..., count:] = values[..., :-count]
    else:
        out[..., :count] = values[..., -count:]
    return out


def _lattice(labels, classes, merge_repeated):
    """The blank-interleaved states [B, U] of each label sequence (blank padded), which of
    them exist, and the allowed stay and skip transitions into each state."""
    width = 2 * max(len(label) for label in labels) + 1
    states = np.full((len(labels), width), classes - 1, np.int64)
    exists = np.zeros(states.shape, bool)
    for b, label in enumerate(labels):
        states[b, 1:2 * len(label):2] = label
        exists[b, :2 * len(label) + 1] = True
    blank = states == classes - 1
    skip = np.zeros(states.shape, bool)  # from u - 2 over a blank: to a different label, or
    skip[:, 2:] = ~blank[:, 2:] & ((states[:, 2:] != states[:, :-2]) | (not merge_repeated))
    stay = np.ones(states.shape, bool) if merge_repeated else blank
    return states, exists, stay, skip


def ctc_batch(log_probs, labels, lengths, merge_repeated):
    """(-log p(labels | inputs) [B], d loss / d inputs [T, B, C]) of a batch: ``log_probs``
    [T, B, C] log-softmax, ``labels`` B non-empty id sequences (blank = C - 1), ``lengths``
    the sequences' frame counts (>= 1). Alpha and beta run for the whole batch at once."""
    steps, batch, classes = log_probs.shape
    states, exists, stay, skip = _lattice(labels, classes, merge_repeated)
    emit = np.where(exists, log_probs[:, np.arange(batch)[:, None], states], -np.inf)
    alpha = np.full(emit.shape, -np.inf)
    alpha[0, :, :2] = emit[0, :, :2]
    for t in range(1, steps):
        before = alpha[t - 1]
        alpha[t] = np.logaddexp(np.logaddexp(np.where(stay, before, -np.inf), _shift(before, 1)),
                                np.where(skip, _shift(before, 2), -np.inf)) + emit[t]
    ends = exists.sum(axis=1)
    final = np.full(states.shape, -np.inf)
    final[np.arange(batch), ends - 1] = final[np.arange(batch), ends - 2] = 0.0
    skip_ahead = _shift(skip, -2) == 1
    beta = np.full(emit.shape, -np.inf)
    last = (lengths - 1)[:, None]
    for t in range(steps - 1, -1, -1):
        if t + 1 < steps:
            after = beta[t + 1] + emit[t + 1]
            inner = np.logaddexp(np.logaddexp(np.where(stay, after, -np.inf),
                                              _shift(after, -1)),
                                 np.where(skip_ahead, _shift(after, -2), -np.inf))
        else:
            inner = np.full(states.shape, -np.inf)
        beta[t] = np.where(t == last, final, np.where(t < last, inner, -np.inf))
    joint = alpha + beta
    log_likelihood = np.logaddexp.reduce(joint[0], axis=-1)
    found = log_likelihood > -np.inf
    posterior = np.exp(joint - np.where(found, log_likelihood, 0.0)[:, None])
    occupancy = np.einsum("tbu,buc->tbc", posterior, np.eye(classes)[states])
    softmax = np.exp(log_probs)
    # no valid path: TF's loss is inf and its gradient the softmax itself
    grad = softmax - np.where(found[:, None], occupancy, 0.0)
    grad[np.arange(steps)[:, None] >= lengths[None, :]] = 0.0
    return np.where(found, -log_likelihood, np.inf), grad


def _collapse(labels):
    keep = np.ones(len(labels), bool)
    keep[1:] = labels[1:] != labels[:-1]
    return labels[keep]


def _batch_labels(op, indices, values, batch):
    """Each batch entry's label sequence from the sparse (indices, values) pair."""
    if len(indices) and (indices[:, 0].min() < 0 or indices[:, 0].max() >= batch):
        raise errors.InvalidArgumentError(
            None, op, f"labels batch index must be in [0, {batch})\n\t [[node {op.name}]]")
    order = np.lexsort((indices[:, 1], indices[:, 0])) if len(indices) else []
    rows, values = indices[order, 0], values[order]
    return [values[rows == b].astype(np.int64) for b in range(batch)]


@register_op
class CTCLoss(OpDef):
    """CTC loss (``tf.nn.ctc_loss``): inputs [T, B, C] logits, labels_indices [N, 2] int64,
    labels_values [N] int32, sequence_length [B] int32; outputs loss [B] and gradient
    [T, B, C] (zero past each sequence's length). Its gradient is the second output scaled by
    the loss gradient; the gradient output itself has none (TF's PreventGradient)."""

    def infer(self, op):
        logits, indices, values, lengths = op.inputs
        dtype = _check_dtype(op, logits, "T", _CTC_FLOATS)
        _with_rank(op, logits.shape, 3)
        _with_rank(op, indices.shape, 2)
        _with_rank(op, values.shape, 1)
        _with_rank(op, lengths.shape, 1)
        if indices.shape.ndims is not None:
            _merge_dims(op, indices.shape[0], values.shape[0] if values.shape.ndims else
                        tensor_shape.Dimension(None))
        batch = tensor_shape.Dimension(None)
        if logits.shape.ndims is not None:
            batch = logits.shape[1]
        if lengths.shape.ndims is not None:
            batch = _merge_dims(op, batch, lengths.shape[0])
        return [(tensor_shape.TensorShape([batch]), dtype),
                (tensor_shape.TensorShape(logits.shape.as_list()[:1] + [batch.value]
                                          + logits.shape.as_list()[2:])
                 if logits.shape.ndims is not None else tensor_shape.unknown_shape(3), dtype)]

    def kernel(self, op, ctx):
        collapse = op.attrs["preprocess_collapse_repeated"]
        merge = op.attrs["ctc_merge_repeated"]
        ignore_longer = op.attrs["ignore_longer_outputs_than_inputs"]

        def check(b, labels, length, steps, classes):
            if length > steps or length < 0:
                raise errors.InvalidArgumentError(
                    None, op, f"sequence_length({b}) <= {steps}\n\t [[node {op.name}]]")
            if len(labels) == 0:
                raise errors.InvalidArgumentError(
                    None, op, f"Labels length is zero in batch {b}\n\t [[node {op.name}]]")
            if labels.min() < 0 or labels.max() >= classes:
                raise errors.InvalidArgumentError(
                    None, op, f"labels in batch {b} must be in [0, {classes}) (num_classes), "
                    f"got {labels.tolist()}\n\t [[node {op.name}]]")
            if len(labels) > length and not ignore_longer:
                raise errors.InvalidArgumentError(
                    None, op, f"Not enough time for target transition sequence (required: "
                    f"{len(labels)}, available: {length}){b}You can turn this error into a "
                    f"warning by using the flag ignore_longer_outputs_than_inputs"
                    f"\n\t [[node {op.name}]]")
            return len(labels) <= length

        def ctc_loss(logits, indices, values, lengths):
            steps, batch, classes = logits.shape
            if len(lengths) != batch:
                raise errors.InvalidArgumentError(
                    None, op, f"len(sequence_length) != batch_size.  len(sequence_length):  "
                    f"{len(lengths)} batch_size: {batch}\n\t [[node {op.name}]]")
            loss = np.zeros(batch, logits.dtype)
            grad = np.zeros(logits.shape, logits.dtype)
            kept, kept_labels = [], []
            for b, labels in enumerate(_batch_labels(op, indices, values, batch)):
                labels = _collapse(labels) if collapse else labels
                if check(b, labels, int(lengths[b]), steps, classes):
                    kept.append(b)
                    kept_labels.append(labels)
            if kept:
                kept_lengths = lengths[kept].astype(np.int64)
                horizon = int(kept_lengths.max())
                log_probs = _log_softmax(logits[:horizon, kept].astype(np.float64))
                loss[kept], grad[:horizon, kept] = ctc_batch(log_probs, kept_labels,
                                                             kept_lengths, merge)
            return loss, grad
        return ctc_loss

    def grad(self, op, dloss, dgrad):
        reached = dgrad is not None and not (dgrad.op.type == "ZerosLike"
                                             and dgrad.op.inputs[0] is op.outputs[1])
        if reached:
            raise LookupError("Gradient explicitly disabled. Reason: Currently there is no way "
                              "to take the second derivative of ctc_loss due to the fused "
                              "implementation's interaction with tf.gradients()")
        return [array_ops.expand_dims(dloss, -1) * op.outputs[1], None, None, None]


# ---- decoders ---------------------------------------------------------------------------------
def _decoder_infer(op, top_paths):
    logits, lengths = op.inputs
    dtype = _check_dtype(op, logits, "T", _CTC_FLOATS)
    _with_rank(op, logits.shape, 3)
    _with_rank(op, lengths.shape, 1)
    batch = logits.shape[1] if logits.shape.ndims is not None else tensor_shape.Dimension(None)
    if lengths.shape.ndims is not None:
        batch = _merge_dims(op, batch, lengths.shape[0])
    index = [(tensor_shape.TensorShape([None, 2]), dtypes.int64)] * top_paths
    value = [(tensor_shape.TensorShape([None]), dtypes.int64)] * top_paths
    shape = [(tensor_shape.TensorShape([2]), dtypes.int64)] * top_paths
    return index + value + shape + [(tensor_shape.TensorShape([batch.value, top_paths]), dtype)]


def _check_lengths(op, logits, lengths):
    steps, batch = logits.shape[:2]
    if len(lengths) != batch:
        raise errors.InvalidArgumentError(
            None, op, f"len(sequence_length) != batch_size.  len(sequence_length):  "
            f"{len(lengths)} batch_size: {batch}\n\t [[node {op.name}]]")
    for b, length in enumerate(lengths):
        if length > steps:
            raise errors.InvalidArgumentError(
                None, op, f"sequence_length({b}) <= {steps}\n\t [[node {op.name}]]")


def _sparse_paths(paths):
    """(indices, values, dense_shape) of a batch of decoded label lists."""
    indices = [(b, t) for b, path in enumerate(paths) for t in range(len(path))]
    values = [label for path in paths for label in path]
    return (np.array(indices, np.int64).reshape(-1, 2), np.array(values, np.int64),
            np.array([len(paths), max((len(p) for p in paths), default=0)], np.int64))


@register_op
class CTCGreedyDecoder(OpDef):
    """Best-path decoding (``tf.nn.ctc_greedy_decoder``): the most likely class per frame,
    blanks dropped and, with merge_repeated, runs of one class merged; log_probability is
    -sum over frames of the largest logit, as TF reports it."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return _decoder_infer(op, 1)

    def kernel(self, op, ctx):
        merge = op.attrs["merge_repeated"]

        def greedy_decode(logits, lengths):
            _check_lengths(op, logits, lengths)
            blank = op.attrs["blank_index"] % logits.shape[2]
            best = np.argmax(logits, axis=2)
            paths, scores = [], np.zeros((logits.shape[1], 1), logits.dtype)
            for b, length in enumerate(lengths):
                frames = best[:length, b]
                scores[b, 0] = -logits[np.arange(length), b, frames].sum()
                keep = frames != blank
                if merge:
                    keep[1:] &= frames[1:] != frames[:-1]
                paths.append(frames[keep].tolist())
            return _sparse_paths(paths) + (scores,)
        return greedy_decode


class _Beam:
    """A prefix of TF's beam search trie with its log probabilities at the previous and at
    the current frame: [ending in blank, ending in its last label, total]."""

    __slots__ = ("prefix", "old", "new", "children")

    def __init__(self, prefix):
        self.prefix = prefix
        self.old = [-np.inf] * 3
        self.new = [-np.inf] * 3
        self.children = {}

    def child(self, label):
        found = self.children.get(label)
        if found is None:
            found = self.children[label] = _Beam(self.prefix + (label,))
        return found

    @property
    def active(self):
        return self.new[2] != -np.inf


def _beam_search(log_probs, width):
    """TF's CTCBeamSearchDecoder over the [T, C] log probabilities of one sequence (blank
    last): the surviving beams, best first. Prefixes keep their probability of continuing
    their last label; a new prefix enters only when it beats the worst of ``width`` beams."""
    root = _Beam(())
    root.new = [0.0, -np.inf, 0.0]
    parents = {(): None}
    leaves = [root]
    blank = log_probs.shape[1] - 1

    def candidate(total):
        return total > -np.inf and (len(leaves) < width
                                    or total > min(b.new[2] for b in leaves))

    for frame in log_probs:
        branches = sorted(leaves, key=lambda b: -b.new[2])
        leaves = []
        for beam in branches:
            beam.old = list(beam.new)
        for beam in branches:
            if beam.prefix:
                parent = parents[beam.prefix]
                if parent.active:
                    same = len(parent.prefix) and parent.prefix[-1] == beam.prefix[-1]
                    beam.new[1] = np.logaddexp(beam.new[1],
                                               parent.old[0] if same else parent.old[2])
                beam.new[1] += frame[beam.prefix[-1]]
            beam.new[0] = beam.old[2] + frame[blank]
            beam.new[2] = np.logaddexp(beam.new[0], beam.new[1])
            leaves.append(beam)
        for beam in branches:
            if not candidate(beam.old[2]):
                continue
            for label in range(blank):
                child = beam.child(label)
                parents[child.prefix] = beam
                if child.active:
                    continue
                same = beam.prefix and beam.prefix[-1] == label
                child.new = [-np.inf, frame[label] + (beam.old[0] if same else beam.old[2]),
                             -np.inf]
                child.new[2] = child.new[1]
                if candidate(child.new[2]):
                    if len(leaves) == width:
                        bottom = min(leaves, key=lambda b: b.new[2])
                        bottom.new = [-np.inf] * 3
                        leaves.remove(bottom)
                    leaves.append(child)
                else:
                    child.old = [-np.inf] * 3
                    child.new = [-np.inf] * 3
    return sorted(leaves, key=lambda b: -b.new[2])


def _merge_path(path, merge):
    """A decoded path, with equal neighbours merged when ``merge`` (TF's LabelSeq)."""
    if not merge:
        return list(path)
    return [label for i, label in enumerate(path) if i == 0 or path[i - 1] != label]


@register_op
class CTCBeamSearchDecoder(OpDef):
    """Prefix beam search (``tf.nn.ctc_beam_search_decoder``): the ``top_paths`` most likely
    label sequences of each batch entry within ``beam_width`` beams, as top_paths sparse
    triples and their log probabilities [B, top_paths]."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        if op.attrs["top_paths"] < 1:
            raise ValueError(f"Attr top_paths must be >= 1, got {op.attrs['top_paths']}")
        return _decoder_infer(op, op.attrs["top_paths"])

    def kernel(self, op, ctx):
        width, top_paths = op.attrs["beam_width"], op.attrs["top_paths"]
        merge = op.attrs["merge_repeated"]
        if top_paths > width:
            raise errors.InvalidArgumentError(
                None, op, f"top_paths must be <= beam_width\n\t [[node {op.name}]]")

        def beam_search_decode(logits, lengths):
            _check_lengths(op, logits, lengths)
            results = [[] for _ in range(top_paths)]
            scores = np.full((logits.shape[1], top_paths), -np.inf, logits.dtype)
            for b, length in enumerate(lengths):
                ranked = _beam_search(_log_softmax(logits[:length, b].astype(np.float64)),
                                      width)
                if len(ranked) < top_paths:
                    raise errors.InvalidArgumentError(
                        None, op, f"Less leaves in the beam search than requested.\n\t "
                        f"[[node {op.name}]]")
                for k in range(top_paths):
                    results[k].append(_merge_path(ranked[k].prefix, merge))
                    scores[b, k] = ranked[k].new[2]
            triples = [_sparse_paths(paths) for paths in results]
            return tuple(part for group in zip(*triples, strict=True) for part in group) + (
                scores,)
        return beam_search_decode


# ---- builders ---------------------------------------------------------------------------------
def ctc_loss(labels, inputs=None, sequence_length=None, preprocess_collapse_repeated=False,
             ctc_merge_repeated=True, ignore_longer_outputs_than_inputs=False, time_major=True,
             logits=None):
    """``tf.nn.ctc_loss(labels, inputs, sequence_length, preprocess_collapse_repeated=False,
    ctc_merge_repeated=True, ignore_longer_outputs_than_inputs=False, time_major=True)``:
    the CTCLoss op's loss [B] for int32 SparseTensor ``labels`` (blank = num_classes - 1)."""
    inputs = logits if inputs is None else inputs
    if not isinstance(labels, SparseTensor):
        raise TypeError("Expected labels (first argument) to be a SparseTensor")
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    if not time_major:
        inputs = array_ops.transpose(inputs, [1, 0, 2])
    values = labels.values
    if values.dtype.base_dtype != dtypes.int32:
        values = math_ops.cast(values, dtypes.int32)
    lengths = ops.convert_to_tensor(sequence_length, dtype=dtypes.int32,
                                    name="sequence_length")
    op = make_op("CTCLoss", [inputs, ops.convert_to_tensor(labels.indices), values, lengths], {
        "preprocess_collapse_repeated": bool(preprocess_collapse_repeated),
        "ctc_merge_repeated": bool(ctc_merge_repeated),
        "ignore_longer_outputs_than_inputs": bool(ignore_longer_outputs_than_inputs)},
        name="CTCLoss")
    return op.outputs[0]


def _dense_to_sparse(labels, label_length):
    """The SparseTensor of the first label_length[b] entries of each row of ``labels``."""
    labels = ops.convert_to_tensor(labels, name="labels")
    lengths = ops.convert_to_tensor(label_length, name="label_length")
    mask = array_ops.sequence_mask(lengths, maxlen=array_ops.shape(labels)[1])
    indices = math_ops.cast(math_ops.where(mask), dtypes.int64)
    values = math_ops.cast(array_ops.gather_nd(labels, indices), dtypes.int32)
    return SparseTensor(indices, values, math_ops.cast(array_ops.shape(labels), dtypes.int64))


def _blank_last(labels, logits, blank_index):
    """Moves class ``blank_index`` of ``logits`` last (TF's ctc_loss_v2), relabelling."""
    classes = logits.shape[2].value
    if classes is None:
        raise ValueError("tfcompat: ctc_loss_v2 needs a static number of classes")
    blank_index = blank_index + classes if blank_index < 0 else blank_index
    if blank_index == classes - 1:
        return labels, logits
    logits = array_ops.concat([logits[:, :, :blank_index], logits[:, :, blank_index + 1:],
                               logits[:, :, blank_index:blank_index + 1]], axis=2)
    values = labels.values
    shifted = math_ops.where(values < blank_index, values, values - 1)
    return SparseTensor(labels.indices, shifted, labels.dense_shape), logits


def ctc_loss_v2(labels, logits, label_length, logit_length, logits_time_major=True,
                unique=None, blank_index=None, name=None):
    """``tf.nn.ctc_loss_v2``: CTC loss for dense labels [B, L] with ``label_length`` (blank
    0 by default) or a SparseTensor (``blank_index`` required); the blank class is moved
    last and the CTCLoss op computes the loss. ``unique`` only speeds TF up and is unused."""
    del unique
    with ops.name_scope(name, "ctc_loss_dense", [logits, labels, label_length,
                                                  logit_length]):
        logits = ops.convert_to_tensor(logits, name="logits")
        if isinstance(labels, SparseTensor):
            if blank_index is None:
                raise ValueError("blank_index must be given when using SparseTensor labels.")
        else:
            if label_length is None:
                raise ValueError("label_length must be given for dense labels")
            labels = _dense_to_sparse(labels, label_length)
            blank_index = 0 if blank_index is None else blank_index
        time_major_logits = logits if logits_time_major else array_ops.transpose(
            logits, [1, 0, 2])
        labels, time_major_logits = _blank_last(labels, time_major_logits, blank_index)
        return ctc_loss(labels, time_major_logits, logit_length, time_major=True)


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """``tf.nn.ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True)``:
    ([SparseTensor of int64 labels], log_probability [B, 1])."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    lengths = ops.convert_to_tensor(sequence_length, dtype=dtypes.int32,
                                    name="sequence_length")
    op = make_op("CTCGreedyDecoder", [inputs, lengths], {
        "merge_repeated": bool(merge_repeated),
        "blank_index": -1 if blank_index is None else int(blank_index)},
        name="CTCGreedyDecoder")
    indices, values, shape, log_probability = op.outputs
    return [SparseTensor(indices, values, shape)], log_probability


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1,
                            merge_repeated=True):
    """``tf.nn.ctc_beam_search_decoder``: ([top_paths SparseTensors], log_probability
    [B, top_paths])."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    lengths = ops.convert_to_tensor(sequence_length, dtype=dtypes.int32,
                                    name="sequence_length")
    op = make_op("CTCBeamSearchDecoder", [inputs, lengths], {
        "beam_width": int(beam_width), "top_paths": int(top_paths),
        "merge_repeated": bool(merge_repeated)}, name="CTCBeamSearchDecoder")
    outputs = op.outputs
    decoded = [SparseTensor(outputs[k], outputs[top_paths + k], outputs[2 * top_paths + k])
               for k in range(top_paths)]
    return decoded, outputs[-1]


def ctc_beam_search_decoder_v2(inputs, sequence_length, beam_width=100, top_paths=1):
    """``tf.nn.ctc_beam_search_decoder_v2``: the beam search without merging repeated
    labels of a decoded path."""
    return ctc_beam_search_decoder(inputs, sequence_length, beam_width, top_paths,
                                   merge_repeated=False)


def collapse_repeated(labels, seq_length, name=None):
    """``tf.nn.collapse_repeated(labels, seq_length)``: each row of ``labels`` [B, L] with
    runs of equal labels (within its length) merged, left-aligned and zero padded to the new
    longest row, and the new lengths (TF's composition of masks and a scatter)."""
    with ops.name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = ops.convert_to_tensor(labels, name="labels")
        seq_length = ops.convert_to_tensor(seq_length, name="seq_length")
        label_mask = array_ops.concat([array_ops.ones_like(labels[:, :1], dtypes.bool),
                                       math_ops.not_equal(labels[:, 1:], labels[:, :-1])],
                                      axis=1)
        maxlen = array_ops.shape(labels)[1]
        label_mask = math_ops.logical_and(label_mask,
                                          array_ops.sequence_mask(seq_length, maxlen=maxlen))
        new_seq_len = math_ops.reduce_sum(math_ops.cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = math_ops.reduce_max(new_seq_len)
        idx_mask = array_ops.sequence_mask(new_seq_len, maxlen=new_maxlen)
        flat_labels = array_ops.reshape(labels, [-1])
        flat_label_mask = array_ops.reshape(label_mask, [-1])
        flat_idx_mask = array_ops.reshape(idx_mask, [-1])
        idx = math_ops._range(array_ops.shape(flat_idx_mask)[0])
        flat = array_ops.scatter_nd(
            array_ops.expand_dims(array_ops.boolean_mask(idx, flat_idx_mask), axis=1),
            array_ops.boolean_mask(flat_labels, flat_label_mask),
            array_ops.shape(flat_idx_mask))
        batch_size = array_ops.shape(labels)[0]
        return (array_ops.reshape(flat, array_ops.stack([batch_size, new_maxlen])),
                math_ops.cast(new_seq_len, seq_length.dtype))


def ctc_unique_labels(labels, name=None):
    """``tf.nn.ctc_unique_labels(labels)``: per row of ``labels`` [B, L], its unique labels in
    order of appearance zero padded to L (int64) and each label's index among them (int32),
    computed row by row with Unique as TF's map_fn does."""
    with ops.name_scope(name, "ctc_unique_labels", [labels]):
        labels = ops.convert_to_tensor(labels, name="labels")

        def unique_row(row):
            unique, index = array_ops_extra.unique(row)
            padded = array_ops.pad(unique, [[0, array_ops.shape(index)[0]
                                             - array_ops.shape(unique)[0]]])
            return [math_ops.cast(padded, dtypes.int64), index]
        return map_fn(unique_row, labels, dtype=[dtypes.int64, dtypes.int32])


