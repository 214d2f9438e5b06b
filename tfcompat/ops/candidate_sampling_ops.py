"""Candidate samplers (TF's candidate_sampling_ops): UniformCandidateSampler,
LogUniformCandidateSampler and ComputeAccidentalHits, for sampled losses (nce_loss,
sampled_softmax_loss).

A sampler returns ``num_sampled`` classes in [0, range_max) and the expected number of times
each true and each sampled class would appear among the samples: ``p * num_sampled``, or with
``unique`` (classes drawn until ``num_sampled`` distinct ones came up, after ``n`` draws)
``1 - (1 - p) ** n``. Log-uniform is TF's Zipfian: p(k) = log((k + 2) / (k + 1)) /
log(range_max + 1).
"""
import numpy as np

from tfcompat.framework import dtypes, ops, random_seed, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op


class _CandidateSampler(OpDef):
    stateful = True
    differentiable = False

    def infer(self, op):
        true_classes = op.inputs[0]
        num_true, num_sampled = op.attrs["num_true"], op.attrs["num_sampled"]
        if true_classes.dtype.base_dtype != dtypes.int64:
            raise TypeError(f"'{op.name}': true_classes must be int64, got "
                            f"{true_classes.dtype.base_dtype.name}")
        if true_classes.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank {true_classes.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}')")
        batch = true_classes.shape[0].value if true_classes.shape.ndims else None
        return [(tensor_shape.TensorShape([num_sampled]), dtypes.int64),
                (tensor_shape.TensorShape([batch, num_true]), dtypes.float32),
                (tensor_shape.TensorShape([num_sampled]), dtypes.float32)]

    def probability(self, classes, range_max):
        raise NotImplementedError

    def draw(self, generator, count, range_max):
        raise NotImplementedError

    def kernel(self, op, ctx):
        num_sampled, unique = op.attrs["num_sampled"], op.attrs["unique"]
        range_max = op.attrs["range_max"]

        def sample(true_classes):
            if unique and num_sampled > range_max:
                raise ValueError(f"Sampler's range is too small: range_max {range_max} < "
                                 f"num_sampled {num_sampled}")
            generator = ctx.random_generator(op)
            if unique:
                chosen, tries = [], 0
                seen = set()
                while len(chosen) < num_sampled:
                    value = int(self.draw(generator, 1, range_max)[0])
                    tries += 1
                    if value not in seen:
                        seen.add(value)
                        chosen.append(value)
                sampled = np.array(chosen, np.int64)
            else:
                sampled = self.draw(generator, num_sampled, range_max).astype(np.int64)
                tries = num_sampled

            def expected(classes):
                p = self.probability(np.asarray(classes, np.float64), range_max)
                if unique:
                    return (-np.expm1(tries * np.log1p(-p))).astype(np.float32)
                return (p * num_sampled).astype(np.float32)
            return sampled, expected(true_classes), expected(sampled)
        return sample


@register_op
class UniformCandidateSampler(_CandidateSampler):
    """Classes drawn uniformly from [0, range_max)."""

    def probability(self, classes, range_max):
        return np.full(np.shape(classes), 1.0 / range_max)

    def draw(self, generator, count, range_max):
        return generator.integers(0, range_max, count)


@register_op
class LogUniformCandidateSampler(_CandidateSampler):
    """Classes drawn from the log-uniform (Zipfian) distribution over [0, range_max)."""

    def probability(self, classes, range_max):
        return np.log((classes + 2.0) / (classes + 1.0)) / np.log(range_max + 1.0)

    def draw(self, generator, count, range_max):
        log_range = np.log(range_max + 1.0)
        values = np.floor(np.exp(generator.random(count) * log_range)).astype(np.int64) - 1
        return np.clip(values, 0, range_max - 1)


@register_op
class ComputeAccidentalHits(OpDef):
    """Where a sampled class equals one of a row's true classes: (row indices, positions
    among the samples, weights of -FLT_MAX to add to those logits)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([None]), dtypes.int32),
                (tensor_shape.TensorShape([None]), dtypes.int64),
                (tensor_shape.TensorShape([None]), dtypes.float32)]

    def kernel(self, op, ctx):
        def hits(true_classes, sampled):
            rows, positions = [], []
            for row, classes in enumerate(np.asarray(true_classes)):
                for position, candidate in enumerate(np.asarray(sampled)):
                    if candidate in classes:
                        rows.append(row)
                        positions.append(position)
            weights = np.full(len(rows), -np.finfo(np.float32).max, np.float32)
            return np.array(rows, np.int32), np.array(positions, np.int64), weights
        return hits


def _sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name):
    true_classes = ops.convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    seed1, seed2 = random_seed.get_seed(seed)
    return tuple(make_op(op_type, [true_classes],
                         {"num_true": int(num_true), "num_sampled": int(num_sampled),
                          "unique": bool(unique), "range_max": int(range_max),
                          "seed": seed1 or 0, "seed2": seed2 or 0},
                         name=name or op_type).outputs)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                              name=None):
    """``(sampled_candidates, true_expected_count, sampled_expected_count)`` of classes drawn
    uniformly (``tf.nn.uniform_candidate_sampler``)."""
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Like ``uniform_candidate_sampler`` with TF's log-uniform (Zipfian) distribution
    (``tf.nn.log_uniform_candidate_sampler``)."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``(indices, ids, weights)`` of sampled candidates that are true classes
    (``tf.nn.compute_accidental_hits``)."""
    true_classes = ops.convert_to_tensor(true_classes, dtype=dtypes.int64)
    sampled = ops.convert_to_tensor(sampled_candidates, dtype=dtypes.int64)
    return tuple(make_op("ComputeAccidentalHits", [true_classes, sampled],
                         {"num_true": int(num_true)},
                         name=name or "ComputeAccidentalHits").outputs)


__all__ = []
