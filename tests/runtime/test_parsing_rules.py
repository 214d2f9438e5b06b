"""runtime/rules/parsing.py: DecodeCSV on whole batches gives the reference kernel's values
bit for bit (random decimals of every length, exponents, signs, ints at the int32 limits,
strings, empty fields taking defaults) and the reference's errors for every record it does
not parse itself; a tf.data pipeline's batches go through it."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import lowering
from tfcompat.runtime.rules import parsing

rng = np.random.default_rng(18)


def _both(op, records, defaults):
    fast = lowering.lookup_fast_kernel(op, None)
    assert fast is not None
    return fast(records, *defaults), op.op_def.kernel(op, None)(records, *defaults)


def _records(lines):
    out = np.empty(len(lines), dtype=object)
    out[:] = [line.encode() for line in lines]
    return out


def _decimal_text(value, digits):
    return np.format_float_positional(value, precision=digits, unique=False, trim="-")


def _random_lines(count):
    lines = []
    for _ in range(count):
        value = rng.normal(0, 10.0 ** rng.integers(-8, 9))
        floats = [_decimal_text(value, int(rng.integers(0, 20))), repr(value),
                  f"{value:.3e}", f"{value:.17g}", str(rng.choice(["", "-0.0", ".5", "5.",
                                                                  "+7", "1_0", "nan", "-inf",
                                                                  "1E+3", "0.000000001"]))]
        ints = [str(rng.integers(-2 ** 31, 2 ** 31)), str(rng.choice(
            ["2147483647", "-2147483648", "+12", "", "007"])),
            str(rng.integers(-2 ** 62, 2 ** 62))]
        lines.append(",".join(floats + ints + [str(rng.choice(["a b", "", "x;y", "ü"]))]))
    return lines


TYPES = [tf.float32, tf.float64, tf.float64, tf.float32, tf.float64, tf.int32, tf.int32,
         tf.int64, tf.string]


def _defaults(missing=False):
    values = [np.array([1.5], np.float32), np.array([2.5]), np.array([0.0]),
              np.array([0.0], np.float32), np.array([-1.0]), np.array([0], np.int32),
              np.array([-7], np.int32), np.array([0], np.int64),
              np.array([b"none"], dtype=object)]
    if missing:
        values[6] = np.array([], np.int32)
    return values


def _decode_op(quote=True, delim=",", na_value=""):
    with tf.Graph().as_default():
        records = tf.placeholder(tf.string, [None])
        defaults = [tf.placeholder(t, [None]) for t in TYPES]
        columns = tf.decode_csv(records, defaults, field_delim=delim, use_quote_delim=quote,
                                na_value=na_value)
    return columns[0].op


def test_batches_of_random_records_match_the_reference_bit_for_bit():
    op = _decode_op()
    records = _records(_random_lines(400))
    reference = op.op_def.kernel(op, None)(records, *_defaults())
    fast = parsing._decode_batch(records, [t for t in TYPES], _defaults(), ord(","), True)
    for got, want in zip(fast, reference):
        assert got.dtype == want.dtype
        if got.dtype == object:
            assert got.tolist() == want.tolist()
        else:
            np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


@pytest.mark.parametrize("line, message", [
    ("1,2,3,4,5,6,7,8", "Expect 9 fields but have 8 in record 1"),
    ("1,2,3,4,5,6,,8,s", "Field 6 is required but missing in record 1"),
    ("1,2,3,x4,5,6,7,8,s", "Field 3 in record 1 is not a valid float: x4"),
    ("1,2,3,4,5,2147483648,7,8,s", "Field 5 in record 1 is not a valid int32: 2147483648"),
    ('1,2,3,4,5,6,7,8,"a,b"', None)])
def test_records_it_does_not_parse_get_the_reference_result(line, message):
    op = _decode_op()
    records = _records(["1,2,3,4,5,6,7,8,s", line])
    defaults = _defaults(missing=True)
    if message is None:
        fast, reference = _both(op, records, defaults)
        assert fast[8].tolist() == reference[8].tolist() == [b"s", b"a,b"]
        return
    fast = lowering.lookup_fast_kernel(op, None)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        fast(records, *defaults)


def test_other_delimiters_and_literal_quotes():
    op = _decode_op(quote=False, delim="|")
    records = _records(['1|2|3|4|5|6|7|8|"quoted"', "|||||||| "])
    fast, reference = _both(op, records, _defaults())
    assert fast[8].tolist() == reference[8].tolist() == [b'"quoted"', b" "]
    for got, want in zip(fast[:8], reference[:8]):
        np.testing.assert_array_equal(got, want)


def test_a_csv_pipeline_uses_the_batch_kernel(tmp_path, monkeypatch):
    path = tmp_path / "data.csv"
    lines = _random_lines(300)
    path.write_text("header\n" + "\n".join(lines) + "\n")
    op = _decode_op()
    expected = op.op_def.kernel(op, None)(_records(lines), *_defaults())
    calls = []
    batch_decoder = parsing._decode_batch
    monkeypatch.setattr(parsing, "_decode_batch",
                        lambda *args: calls.append(len(args[0])) or batch_decoder(*args))
    with tf.Graph().as_default():
        dataset = tf.data.TextLineDataset(str(path)).skip(1).batch(64).map(
            lambda batch: tf.decode_csv(batch, _defaults()))
        columns = dataset.make_one_shot_iterator().get_next()
        batches = []
        with tf.Session() as sess:
            try:
                while True:
                    batches.append(sess.run(columns))
            except tf.errors.OutOfRangeError:
                pass
    assert [len(b[0]) for b in batches] == [64] * 4 + [44]
    assert calls and set(calls) <= {64, 44}  # specialised runs decode whole batches
    for index, want in enumerate(expected):
        got = np.concatenate([b[index] for b in batches])
        if got.dtype == object:
            assert got.tolist() == want.tolist()
        else:
            np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


def test_a_non_numeric_na_value_is_a_missing_field_and_a_numeric_one_falls_back():
    records = _records(["NA,2,3,4,5,6,7,8,NA", "1,NA,3,4,5,NA,7,8,s", "1,2,3,4,5,6,7,8,NAN"])
    op = _decode_op(na_value="NA")
    assert lowering.lookup_fast_kernel(op, None) is not None
    fast, reference = _both(op, records, _defaults())
    for got, want in zip(fast, reference):
        assert got.tolist() == want.tolist()
    assert fast[0][0] == np.float32(1.5) and fast[8].tolist() == [b"none", b"s", b"NAN"]
    assert lowering.lookup_fast_kernel(_decode_op(na_value="-1"), None) is None
