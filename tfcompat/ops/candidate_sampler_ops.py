"""Candidate samplers (TF's candidate_sampler_ops): ``num_sampled`` class ids from a fixed
distribution over [0, range_max), with the expected number of times each true and each
sampled class would be drawn (what sampled_softmax_loss / nce_loss subtract)."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, random_seed, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op


def _expected_counts(probabilities, num_sampled, num_tries, unique):
    """TF's ExpectedCountHelper: p·num_sampled for sampling with replacement, else the
    probability that a class shows up in ``num_tries`` draws."""
    if not unique or num_tries == num_sampled:
        return probabilities * num_sampled
    return -np.expm1(num_tries * np.log1p(-probabilities))


class _CandidateSampler(OpDef):
    """Input true_classes [batch, num_true] int64; outputs sampled_candidates
    [num_sampled] int64, true_expected_count [batch, num_true] and sampled_expected_count
    [num_sampled] (float32)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        true_classes = op.inputs[0]
        if true_classes.dtype.base_dtype != dtypes.int64:
            raise TypeError(f"Value passed to parameter 'true_classes' has DataType "
                            f"{true_classes.dtype.base_dtype.name} not in list of allowed "
                            "values: int64")
        num_true, num_sampled = op.attrs["num_true"], op.attrs["num_sampled"]
        shape = true_classes.shape
        if shape.ndims not in (None, 2) or shape.ndims == 2 and shape[1].value not in (
                None, num_true):
            raise ValueError(f"true_classes must be a matrix [batch_size, {num_true}] in "
                             f"'{op.name}' (op: '{op.type}'), got {shape}")
        batch = shape[0].value if shape.ndims == 2 else None
        sampled = tensor_shape.TensorShape([num_sampled])
        return [(sampled, dtypes.int64),
                (tensor_shape.TensorShape([batch, num_true]), dtypes.float32),
                (sampled, dtypes.float32)]

    def probabilities(self, op):
        """The distribution over [0, range_max) as an array."""
        raise NotImplementedError

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        probabilities = self.probabilities(op)
        if op.attrs["unique"] and op.attrs["num_sampled"] > np.count_nonzero(probabilities):
            raise errors.InvalidArgumentError(None, op, "Sampler's range is too small.")
        return lambda true_classes: _sample(op, rng, probabilities, true_classes)


def _sample(op, rng, probabilities, true_classes):
    """(sampled, true expected counts, sampled expected counts) of one batch drawn from
    ``probabilities`` (unique: draws until ``num_sampled`` distinct classes came up)."""
    num_sampled, unique = op.attrs["num_sampled"], op.attrs["unique"]
    cdf = np.cumsum(probabilities)
    cdf /= cdf[-1]

    def draw(count):
        return np.minimum(np.searchsorted(cdf, rng.random(count), side="right"), len(cdf) - 1)

    if unique:
        chosen, tries = [], 0
        seen = set()
        while len(chosen) < num_sampled:
            tries += 1
            candidate = int(draw(1)[0])
            if candidate not in seen:
                seen.add(candidate)
                chosen.append(candidate)
        sampled = np.array(chosen, np.int64)
    else:
        sampled, tries = draw(num_sampled).astype(np.int64), num_sampled
    true_p = probabilities[np.clip(true_classes, 0, len(probabilities) - 1)]
    true_p = np.where((true_classes >= 0) & (true_classes < len(probabilities)), true_p, 0.0)
    return (sampled, _expected_counts(true_p, num_sampled, tries, unique).astype(np.float32),
            _expected_counts(probabilities[sampled], num_sampled, tries,
                             unique).astype(np.float32))


@register_op
class UniformCandidateSampler(_CandidateSampler):
    def probabilities(self, op):
        return np.full(op.attrs["range_max"], 1.0 / op.attrs["range_max"])


@register_op
class LogUniformCandidateSampler(_CandidateSampler):
    """P(class) = log((class + 2) / (class + 1)) / log(range_max + 1) (Zipfian)."""

    def probabilities(self, op):
        classes = np.arange(op.attrs["range_max"], dtype=np.float64)
        return np.log((classes + 2.0) / (classes + 1.0)) / np.log(op.attrs["range_max"] + 1.0)


@register_op
class FixedUnigramCandidateSampler(_CandidateSampler):
    """P(class) ∝ unigram count^distortion, from ``unigrams`` or the last comma-separated
    field of each line of ``vocab_file``, after ``num_reserved_ids`` zero-probability ids."""

    def probabilities(self, op):
        counts = list(op.attrs["unigrams"])
        if op.attrs["vocab_file"]:
            with open(op.attrs["vocab_file"]) as vocab:
                counts = [float(line.rsplit(",", 1)[-1]) for line in vocab if line.strip()]
        weights = np.concatenate([np.zeros(op.attrs["num_reserved_ids"]),
                                  np.power(np.asarray(counts, np.float64),
                                           op.attrs["distortion"])])
        if len(weights) != op.attrs["range_max"]:
            raise errors.InvalidArgumentError(
                None, op, f"range_max must equal the number of unigrams plus reserved ids: "
                f"{op.attrs['range_max']} vs {len(weights)}")
        return weights / weights.sum()


@register_op
class LearnedUnigramCandidateSampler(_CandidateSampler):
    """P(class) ∝ 1 + the number of times the op saw the class among its true classes (TF's
    UnigramSampler: weights start at 1 and each batch's true classes add 1 after the batch
    was sampled); the counts live as long as the Session."""

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        range_max = op.attrs["range_max"]
        if op.attrs["unique"] and op.attrs["num_sampled"] > range_max:
            raise errors.InvalidArgumentError(None, op, "Sampler's range is too small.")
        weights = ctx.resource(f"LearnedUnigramCandidateSampler:{op.name}",
                               lambda: np.ones(range_max, np.float64))

        def sample_learned(true_classes):
            result = _sample(op, rng, weights / weights.sum(), true_classes)
            seen = true_classes[(true_classes >= 0) & (true_classes < range_max)]
            np.add.at(weights, seen, 1.0)
            return result
        return sample_learned


@register_op
class AllCandidateSampler(_CandidateSampler):
    """All classes of [0, num_sampled) in order, expected counts 1."""

    def kernel(self, op, ctx):
        num_sampled = op.attrs["num_sampled"]

        def sample_all(true_classes):
            return (np.arange(num_sampled, dtype=np.int64),
                    np.ones(true_classes.shape, np.float32), np.ones(num_sampled, np.float32))
        return sample_all


def _sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name,
             **extra):
    seed1, seed2 = random_seed.get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled),
             "unique": bool(unique), "range_max": int(range_max), "seed": seed1 or 0,
             "seed2": seed2 or 0, **extra}
    true_classes = ops.convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    return tuple(make_op(op_type, [true_classes], attrs, name=name or op_type).outputs)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """``tf.random.uniform_candidate_sampler``: (sampled_candidates, true_expected_count,
    sampled_expected_count) with classes equally likely."""
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """``tf.random.log_uniform_candidate_sampler``: as uniform_candidate_sampler with the
    Zipfian distribution."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                    vocab_file="", distortion=1.0, num_reserved_ids=0,
                                    num_shards=1, shard=0, unigrams=(), seed=None, name=None):
    """``tf.random.fixed_unigram_candidate_sampler`` (one shard)."""
    if num_shards != 1 or shard != 0:
        raise NotImplementedError("tfcompat: fixed_unigram_candidate_sampler with num_shards "
                                  "!= 1")
    return _sampler("FixedUnigramCandidateSampler", true_classes, num_true, num_sampled,
                    unique, range_max, seed, name, vocab_file=vocab_file,
                    distortion=float(distortion), num_reserved_ids=int(num_reserved_ids),
                    unigrams=[float(u) for u in unigrams])


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):
    """``tf.random.learned_unigram_candidate_sampler`` (also ``tf.nn.``): as
    uniform_candidate_sampler with the distribution learned from the true classes seen."""
    return _sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled,
                    unique, range_max, seed, name)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """``tf.random.all_candidate_sampler``: every class of [0, num_sampled) once, each with
    expected count 1."""
    return _sampler("AllCandidateSampler", true_classes, num_true, num_sampled, unique,
                    num_sampled, seed, name)


@register_op
class ComputeAccidentalHits(OpDef):
    """The (row, sampled position) pairs where a sampled candidate is one of the row's true
    classes, with weight -FLT_MAX each (``tf.nn.compute_accidental_hits``)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        vector = tensor_shape.TensorShape([None])
        return [(vector, dtypes.int32), (vector, dtypes.int64), (vector, dtypes.float32)]

    def kernel(self, op, ctx):
        def accidental_hits(true_classes, sampled):
            rows, positions = np.nonzero(
                (true_classes[:, :, None] == sampled[None, None, :]).any(axis=1))
            weights = np.full(rows.shape, -np.finfo(np.float32).max, np.float32)
            return rows.astype(np.int32), positions.astype(np.int64), weights
        return accidental_hits


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``tf.nn.compute_accidental_hits``: (indices, ids, weights) of the sampled
    candidates that are true classes of a row."""
    seed1, seed2 = random_seed.get_seed(seed)
    true_classes = ops.convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    sampled = ops.convert_to_tensor(sampled_candidates, dtype=dtypes.int64,
                                    name="sampled_candidates")
    return tuple(make_op("ComputeAccidentalHits", [true_classes, sampled], {
        "num_true": int(num_true), "seed": seed1 or 0, "seed2": seed2 or 0},
        name=name or "ComputeAccidentalHits").outputs)


# Reached through tf.random and tf.nn only.
__all__ = []
