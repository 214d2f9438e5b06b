"""The string hashes of TF's hash-bucket ops, in pure Python: FarmHash's ``Fingerprint64``
(farmhashna::Hash64, ``tf.string_to_hash_bucket_fast``) and SipHash-2-4
(``tf.string_to_hash_bucket_strong``'s keyed hash). All arithmetic is modulo 2**64.
"""
import struct

_MASK = (1 << 64) - 1
_K0 = 0xc3a5c85c97cb3127
_K1 = 0xb492b66fbe98f273
_K2 = 0x9ae16a3b2f90404f


def _fetch64(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def _fetch32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def _rotate(value, shift):
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(data):
    length = len(data)
    if length >= 8:
        mul = _K2 + length * 2
        a = (_fetch64(data, 0) + _K2) & _MASK
        b = _fetch64(data, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + length * 2
        a = _fetch32(data, 0)
        return _hash_len16(length + (a << 3), _fetch32(data, length - 4), mul)
    if length > 0:
        y = (data[0] + (data[length >> 1] << 8)) & 0xffffffff
        z = (length + (data[length - 1] << 2)) & 0xffffffff
        return (_shift_mix((y * _K2 ^ z * _K0) & _MASK) * _K2) & _MASK
    return _K2


def _hash_len17to32(data):
    length = len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K1) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    return _hash_len16((_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
                       (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)


def _hash_len33to64(data):
    length = len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K2) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_fetch64(data, 16) * mul) & _MASK
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, length - 32)) * mul) & _MASK
    h = ((z + _fetch64(data, length - 24)) * mul) & _MASK
    return _hash_len16((_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
                       (e + _rotate((f + a) & _MASK, 18) + g) & _MASK, mul)


def _weak_hash_len32_with_seeds(data, offset, a, b):
    w, x, y, z = struct.unpack_from("<4Q", data, offset)
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def _mix_block(data, offset, state, mul, last=False):
    """One 64-byte round of farmhashna's long-string loop (the last one uses ``mul`` and
    the factor 9)."""
    x, y, z, v, w = state
    x = (_rotate((x + y + v[0] + _fetch64(data, offset + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _fetch64(data, offset + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK if last else w[1]
    y = (y + (v[0] * 9 if last else v[0]) + _fetch64(data, offset + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_hash_len32_with_seeds(data, offset, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_len32_with_seeds(data, offset + 32, (z + w[1]) & _MASK,
                                    (y + _fetch64(data, offset + 16)) & _MASK)
    return z, y, x, v, w  # x and z swap


def fingerprint64(data):
    """FarmHash Fingerprint64 of ``data`` (bytes), TF's ``Fingerprint64``."""
    length = len(data)
    if length <= 16:
        return _hash_len0to16(data)
    if length <= 32:
        return _hash_len17to32(data)
    if length <= 64:
        return _hash_len33to64(data)
    seed = 81
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    x = (seed * _K2 + _fetch64(data, 0)) & _MASK
    state = (x, y, z, (0, 0), (0, 0))
    end = ((length - 1) // 64) * 64
    for offset in range(0, end, 64):
        state = _mix_block(data, offset, state, _K1)
    x, y, z, v, w = state
    mul = _K1 + ((z & 0xff) << 1)
    w0 = (w[0] + ((length - 1) & 63)) & _MASK
    v0 = (v[0] + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    x, y, z, v, w = _mix_block(data, length - 64, (x, y, z, (v0, v[1]), (w0, w[1])), mul,
                               last=True)
    return _hash_len16((_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
                       (_hash_len16(v[1], w[1], mul) + x) & _MASK, mul)


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & _MASK
    v1 = _rotate_left(v1, 13) ^ v0
    v0 = _rotate_left(v0, 32)
    v2 = (v2 + v3) & _MASK
    v3 = _rotate_left(v3, 16) ^ v2
    v0 = (v0 + v3) & _MASK
    v3 = _rotate_left(v3, 21) ^ v0
    v2 = (v2 + v1) & _MASK
    v1 = _rotate_left(v1, 17) ^ v2
    v2 = _rotate_left(v2, 32)
    return v0, v1, v2, v3


def _rotate_left(value, shift):
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def siphash24(key, data):
    """SipHash-2-4 of ``data`` under the 128-bit ``key`` (two uint64), TF's
    ``StrongKeyedHash``."""
    k0, k1 = (int(k) & _MASK for k in key)
    v = (k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
         k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573)
    full = len(data) // 8 * 8
    tail = data[full:] + bytes(7 - len(data) % 8) + bytes([len(data) & 0xff])
    for block in struct.unpack(f"<{full // 8}Q", data[:full]) + struct.unpack("<Q", tail):
        v = (v[0], v[1], v[2], v[3] ^ block)
        v = _sip_round(*_sip_round(*v))
        v = (v[0] ^ block, v[1], v[2], v[3])
    v = (v[0], v[1], v[2] ^ 0xff, v[3])
    for _ in range(4):
        v = _sip_round(*v)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def hash64(data, seed=0xDECAFCAFFE):
    """TF's own ``Hash64`` (core/lib/hash/hash.cc, a MurmurHash64A variant), the hash of
    the legacy ``tf.string_to_hash_bucket``."""
    mul, shift = 0xc6a4a7935bd1e995, 47
    length = len(data)
    h = (seed ^ (length * mul)) & _MASK
    full = length // 8 * 8
    for (k,) in struct.iter_unpack("<Q", data[:full]):
        k = (k * mul) & _MASK
        k ^= k >> shift
        k = (k * mul) & _MASK
        h = ((h ^ k) * mul) & _MASK
    tail = data[full:]
    if tail:
        for position in range(len(tail) - 1, -1, -1):
            h ^= tail[position] << (8 * position)
        h = (h * mul) & _MASK
    h ^= h >> shift
    h = (h * mul) & _MASK
    return h ^ (h >> shift)


_CAT_MUL = 0xC6A4A7935BD1E995


def fingerprint_cat64(first, second):
    """TF's ``FingerprintCat64(fp1, fp2)``: two 64-bit fingerprints combined (the feature
    crosses' hash)."""
    result = first ^ _CAT_MUL
    result ^= (_shift_mix((second * _CAT_MUL) & _MASK) * _CAT_MUL) & _MASK
    result = (result * _CAT_MUL) & _MASK
    result = (_shift_mix(result) * _CAT_MUL) & _MASK
    return _shift_mix(result)
