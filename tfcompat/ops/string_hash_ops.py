"""String hashing and formatting used by hashed feature columns.

``string_to_hash_bucket_fast`` (TF's StringToHashBucketFast: farmhash's Fingerprint64 mod
num_buckets, bit for bit, ``tfcompat/lib/string_hash.py``) and ``as_string`` are the string
ops' (``ops/string_ops.py``), re-exported here; crossed columns hash with TF's SparseCross
(``ops/sparse_cross_ops.py``).
"""
from tfcompat.lib.string_hash import fingerprint64  # noqa: F401
from tfcompat.ops.string_ops import as_string, string_to_hash_bucket_fast  # noqa: F401

__all__ = []
