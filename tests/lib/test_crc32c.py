"""CRC32C and masking: the check values of the checkpoint-format doc, both implementations."""
import numpy as np
import pytest

from tfcompat.lib import crc32c as crc_mod
from tfcompat.lib.crc32c import crc32c, crc32c_fallback, mask, unmask

IMPLEMENTATIONS = [crc32c, crc32c_fallback]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_check_values(impl):
    assert impl(b"123456789") == 0xE3069283
    assert impl(bytes(32)) == 0x8A9136AA
    assert impl(b"") == 0
    assert impl(np.array([1.0, 2.0], "<f4")) == 0x28C0C9B1


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_extend_equals_crc_of_concatenation(impl):
    data = np.random.default_rng(0).bytes(1000)
    for cut in (0, 1, 7, 8, 9, 500, 999, 1000):
        assert impl(data[cut:], impl(data[:cut])) == impl(data)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_accepts_any_contiguous_buffer(impl):
    data = b"tensor bundle"
    expected = impl(data)
    for buf in (bytearray(data), memoryview(data), np.frombuffer(data, np.uint8).copy()):
        assert impl(buf) == expected


def test_fallback_matches_main_implementation_on_random_data():
    rng = np.random.default_rng(1)
    data = rng.bytes(3 << 20)
    assert crc32c_fallback(data) == crc32c(data)
    for _ in range(50):  # odd lengths and offsets exercise the 8-byte loop and the tail loop
        start, length = rng.integers(0, 64), rng.integers(0, 200)
        chunk = data[start:start + length]
        assert crc32c_fallback(chunk) == crc32c(chunk)


def test_main_implementation_is_independent_of_the_fallback():
    # Bitwise reference straight from the definition (reflected polynomial 0x82F63B78).
    def reference(data):
        crc = 0xFFFFFFFF
        for byte in data:
            crc ^= byte
            for _ in range(8):
                crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        return crc ^ 0xFFFFFFFF

    data = np.random.default_rng(2).bytes(300)
    assert crc32c(data) == reference(data) == crc32c_fallback(data)


def test_mask_examples():
    assert mask(0) == 0xA282EAD8
    assert mask(0xE3069283) == 0xC78AB0E5
    assert mask(0x28C0C9B1) == 0x35E53C59
    assert unmask(0xC78AB0E5) == 0xE3069283


def test_mask_round_trip():
    for value in np.random.default_rng(3).integers(0, 1 << 32, 1000, dtype=np.uint64):
        value = int(value)
        assert unmask(mask(value)) == value
        assert 0 <= mask(value) < 1 << 32


def test_reports_which_implementation_is_used():
    # google-crc32c is an optional accelerator; whichever is active must agree (above).
    assert crc_mod._google is None or crc_mod._google.implementation == "c"
