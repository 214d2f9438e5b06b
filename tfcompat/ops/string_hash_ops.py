"""String hashing and formatting ops used by hashed feature columns.

``StringToHashBucketFast`` is TF's: Fingerprint64(s) mod num_buckets, where Fingerprint64 is
farmhash's (farmhashna::Hash64), reproduced bit for bit below (its ids match TF's). ``AsString``
formats integers as decimal strings as TF's does. ``cross_hash_bucket`` is tfcompat's own
crossing of hashed columns: TF's SparseCrossHashed chains FingerprintCat64 over the parts'
fingerprints; tfcompat combines the parts' Fingerprint64 mod 2^31 polynomially (composed from
Mul/Add/FloorMod), so crossed ids differ from TF's.
"""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import OpDef, make_tensor, register_op
from tfcompat.ops import array_ops, math_ops

__all__ = []

_MASK = (1 << 64) - 1
_K0 = 0xc3a5c85c97cb3127
_K1 = 0xb492b66fbe98f273
_K2 = 0x9ae16a3b2f90404f


def _fetch64(s, i):
    return int.from_bytes(s[i:i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i:i + 4], "little")


def _rotate(value, shift):
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(s):
    length = len(s)
    if length >= 8:
        mul = _K2 + length * 2
        a = (_fetch64(s, 0) + _K2) & _MASK
        b = _fetch64(s, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + length * 2
        a = _fetch32(s, 0)
        return _hash_len16((length + (a << 3)) & _MASK, _fetch32(s, length - 4), mul)
    if length > 0:
        y = s[0] + (s[length >> 1] << 8)
        z = length + (s[length - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _hash_len17to32(s):
    length = len(s)
    mul = _K2 + length * 2
    a = (_fetch64(s, 0) * _K1) & _MASK
    b = _fetch64(s, 8)
    c = (_fetch64(s, length - 8) * mul) & _MASK
    d = (_fetch64(s, length - 16) * _K2) & _MASK
    return _hash_len16((_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
                       (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)


def _hash_len33to64(s):
    length = len(s)
    mul = _K2 + length * 2
    a = (_fetch64(s, 0) * _K2) & _MASK
    b = _fetch64(s, 8)
    c = (_fetch64(s, length - 8) * mul) & _MASK
    d = (_fetch64(s, length - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_fetch64(s, 16) * mul) & _MASK
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, length - 32)) * mul) & _MASK
    h = ((z + _fetch64(s, length - 24)) * mul) & _MASK
    return _hash_len16((_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
                       (e + _rotate((f + a) & _MASK, 18) + g) & _MASK, mul)


def _weak_hash_len32_with_seeds(s, i, a, b):
    w, x, y, z = (_fetch64(s, i + k) for k in (0, 8, 16, 24))
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def _hash_long(s):
    """farmhashna::Hash64 for more than 64 bytes: 64-byte blocks, then the last 64."""
    length = len(s)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _fetch64(s, 0)) & _MASK
    end = ((length - 1) // 64) * 64
    last64 = end + ((length - 1) & 63) - 63
    pos = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(s, pos + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _fetch64(s, pos + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, pos + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_hash_len32_with_seeds(s, pos, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_hash_len32_with_seeds(s, pos + 32, (z + w[1]) & _MASK,
                                        (y + _fetch64(s, pos + 16)) & _MASK)
        z, x = x, z
        pos += 64
        if pos == end:
            break
    mul = _K1 + ((z & 0xff) << 1)
    pos = last64
    w = ((w[0] + ((length - 1) & 63)) & _MASK, w[1])
    v = ((v[0] + w[0]) & _MASK, v[1])
    w = ((w[0] + v[0]) & _MASK, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(s, pos + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _fetch64(s, pos + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _fetch64(s, pos + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_hash_len32_with_seeds(s, pos, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_len32_with_seeds(s, pos + 32, (z + w[1]) & _MASK,
                                    (y + _fetch64(s, pos + 16)) & _MASK)
    z, x = x, z
    return _hash_len16((_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
                       (_hash_len16(v[1], w[1], mul) + x) & _MASK, mul)


def fingerprint64(data):
    """farmhash's Fingerprint64 of ``data`` (bytes or str, UTF-8), an int in [0, 2**64)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = bytes(data)
    if len(data) <= 16:
        return _hash_len0to16(data)
    if len(data) <= 32:
        return _hash_len17to32(data)
    if len(data) <= 64:
        return _hash_len33to64(data)
    return _hash_long(data)


@register_op
class StringToHashBucketFast(OpDef):
    """Fingerprint64(s) mod num_buckets for each string (``tf.string_to_hash_bucket_fast``)."""

    differentiable = False

    def infer(self, op):
        if op.inputs[0].dtype.base_dtype != dtypes.string:
            raise TypeError(f"Input 'input' of 'StringToHashBucketFast' Op has type "
                            f"{op.inputs[0].dtype.name} that does not match expected type of "
                            f"string.")
        return [(op.inputs[0].shape, dtypes.int64)]

    def kernel(self, op, ctx):
        buckets = op.attrs["num_buckets"]

        def hash_bucket(values):
            flat = [fingerprint64(v) % buckets for v in np.asarray(values).ravel()]
            return np.array(flat, dtype=np.int64).reshape(np.shape(values))
        return hash_bucket


def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    return make_tensor("StringToHashBucketFast", [ops.convert_to_tensor(input)],
                       {"num_buckets": int(num_buckets)}, name=name or "StringToHashBucketFast")


@register_op
class AsString(OpDef):
    """Integers (and bools) as decimal strings (``tf.as_string`` with default attributes)."""

    differentiable = False

    def infer(self, op):
        dtype = op.inputs[0].dtype.base_dtype
        if not (dtype.is_integer or dtype == dtypes.bool):
            raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not "
                            f"in list of allowed values: integers and bool (tfcompat's "
                            f"AsString formats no floats)")
        return [(op.inputs[0].shape, dtypes.string)]

    def kernel(self, op, ctx):
        def as_string(values):
            values = np.asarray(values)
            text = [(str(v).lower() if values.dtype == np.bool_ else str(int(v))).encode()
                    for v in values.ravel()]
            return np.array(text, dtype=object).reshape(values.shape)
        return as_string


def as_string(input, name=None):  # noqa: A002
    return make_tensor("AsString", [ops.convert_to_tensor(input)], name=name or "AsString")


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
