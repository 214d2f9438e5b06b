"""String hashing and formatting used by hashed feature columns.

``string_to_hash_bucket_fast`` (TF's StringToHashBucketFast: farmhash's Fingerprint64 mod
num_buckets, bit for bit, ``tfcompat/lib/string_hash.py``) and ``as_string`` are the string
ops' (``ops/string_ops.py``), re-exported here. ``cross_hash_bucket`` is tfcompat's own
crossing of hashed columns: TF's SparseCrossHashed chains FingerprintCat64 over the parts'
fingerprints; tfcompat combines the parts' Fingerprint64 mod 2^31 polynomially (composed from
Mul/Add/FloorMod), so crossed ids differ from TF's.
"""
from tfcompat.lib.string_hash import fingerprint64  # noqa: F401
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.string_ops import as_string, string_to_hash_bucket_fast  # noqa: F401

__all__ = []

_CROSS_MODULUS = 2 ** 31 - 1   # keeps every product below 2**62
_CROSS_MULTIPLIER = 1000003


def cross_hash_bucket(parts, num_buckets):
    """Every combination of the parts' values ([batch, k_i] strings), hashed into
    [0, num_buckets): [batch, prod(k_i)] int64."""
    combined = None
    for part in parts:
        hashed = string_to_hash_bucket_fast(part, _CROSS_MODULUS)
        if combined is None:
            combined = hashed
            continue
        mixed = math_ops.add(
            math_ops.multiply(array_ops.expand_dims(combined, 2), _CROSS_MULTIPLIER),
            array_ops.expand_dims(hashed, 1))
        combined = array_ops.reshape(math_ops.floormod(mixed, _CROSS_MODULUS),
                                     [-1, _static_product(combined, hashed)])
    return math_ops.floormod(combined, num_buckets)


def _static_product(a, b):
    return int(a.shape[1].value) * int(b.shape[1].value)
