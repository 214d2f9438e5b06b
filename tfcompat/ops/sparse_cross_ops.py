"""Feature crosses (``tf.sparse.cross``, ``tf.sparse.cross_hashed``): TF's SparseCross op.

Each input is a SparseTensor or a dense [batch, k] tensor of strings or int64; for every
batch row, every combination of one feature from each input (the first input varying
slowest) becomes one output feature: the features joined with "_X_" (strings), or TF's
hash — starting from ``hash_key``, FingerprintCat64 with each feature's Fingerprint64
(strings) or its own value (int64), then modulo ``num_buckets`` (or 2^63 - 1).
"""
import itertools

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.lib.string_hash import fingerprint64, fingerprint_cat64
from tfcompat.ops.array_ops import _invalid
from tfcompat.ops.sparse_tensor import SparseTensor

__all__ = ["sparse_cross", "sparse_cross_hashed"]

DEFAULT_HASH_KEY = 0xDECAFCAFFE
_INT64_MAX = (1 << 63) - 1


def _rows_of_sparse(indices, values, batch):
    rows = [[] for _ in range(batch)]
    for index, value in zip(indices.tolist(), values.tolist()):
        rows[index[0]].append(value)
    return rows


def _feature_hash(value):
    if isinstance(value, (bytes, str)):
        return fingerprint64(value if isinstance(value, bytes) else value.encode())
    return int(value) & ((1 << 64) - 1)


def _feature_text(value):
    if isinstance(value, bytes):
        return value
    return str(value).encode()


@register_op
class SparseCross(OpDef):
    """All crosses of the inputs' features per batch row, as a SparseTensor."""

    differentiable = False
    dynamic_output_shape = True

    def _counts(self, op):
        return op.attrs["N"], len(op.attrs["dense_types"])

    def infer(self, op):
        out_type = dtypes.int64 if op.attrs["hashed_output"] else dtypes.string
        return [(tensor_shape.TensorShape([None, 2]), dtypes.int64),
                (tensor_shape.TensorShape([None]), out_type),
                (tensor_shape.TensorShape([2]), dtypes.int64)]

    def kernel(self, op, ctx):
        sparse_count, _ = self._counts(op)
        hashed = op.attrs["hashed_output"]
        buckets = op.attrs["num_buckets"]
        key = op.attrs["hash_key"]

        def cross(*inputs):
            indices = inputs[:sparse_count]
            values = inputs[sparse_count:2 * sparse_count]
            shapes = inputs[2 * sparse_count:3 * sparse_count]
            dense = inputs[3 * sparse_count:]
            batches = {int(s[0]) for s in shapes} | {int(d.shape[0]) for d in dense}
            if len(batches) != 1:
                raise _invalid(op, "Expected batch size to be the same for all inputs, got "
                               f"{sorted(batches)}")
            batch = batches.pop()
            columns = [_rows_of_sparse(i, v, batch) for i, v in zip(indices, values)]
            columns += [[list(row) for row in d.tolist()] for d in dense]
            out_indices, out_values, widest = [], [], 0
            for row in range(batch):
                combos = list(itertools.product(*(column[row] for column in columns)))
                widest = max(widest, len(combos))
                for position, combo in enumerate(combos):
                    out_indices.append([row, position])
                    if hashed:
                        code = key
                        for feature in combo:
                            code = fingerprint_cat64(code, _feature_hash(feature))
                        out_values.append(code % (buckets if buckets > 0 else _INT64_MAX))
                    else:
                        out_values.append(b"_X_".join(_feature_text(f) for f in combo))
            values_out = (np.array(out_values, np.int64) if hashed
                          else np.array(out_values, dtype=object))
            return (np.array(out_indices, np.int64).reshape(-1, 2), values_out,
                    np.array([batch, widest], np.int64))
        return cross


def _cross(inputs, hashed, num_buckets, hash_key, name):
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    sparse = [i for i in inputs if isinstance(i, SparseTensor)]
    dense = [ops.convert_to_tensor(i) for i in inputs if not isinstance(i, SparseTensor)]
    for tensor in [s.values for s in sparse] + dense:
        if tensor.dtype.base_dtype not in (dtypes.string, dtypes.int64):
            raise TypeError(f"All inputs must be string or int64, got {tensor.dtype!r}")
    attrs = {"N": len(sparse), "hashed_output": hashed, "num_buckets": int(num_buckets),
             "hash_key": int(DEFAULT_HASH_KEY if hash_key is None else hash_key),
             "sparse_types": [s.dtype.base_dtype for s in sparse],
             "dense_types": [d.dtype.base_dtype for d in dense],
             "out_type": dtypes.int64 if hashed else dtypes.string,
             "internal_type": dtypes.int64 if hashed else dtypes.string}
    op = make_op("SparseCross", [s.indices for s in sparse] + [s.values for s in sparse]
                 + [s.dense_shape for s in sparse] + dense, attrs, name=name or "SparseCross")
    return SparseTensor(*op.outputs)


def sparse_cross(inputs, name=None):
    """``tf.sparse.cross(inputs)``: string crosses "a_X_b_X_c" of the inputs' features."""
    return _cross(inputs, False, 0, None, name)


def sparse_cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """``tf.sparse.cross_hashed(inputs, num_buckets=0, hash_key=None)``: int64 hashes of
    the crosses (TF's FingerprintCat64 chain), modulo ``num_buckets`` when positive."""
    return _cross(inputs, True, num_buckets, hash_key, name)
