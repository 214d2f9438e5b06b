"""DecodeCSV on a whole batch of records at once (specialised plans).

The records are joined into one buffer; a Numba pass finds every field's bounds, a second
one per numeric column parses the fields it can parse exactly: integers of plain digits,
and decimals whose digits fit in a double's 53 bits with a power of ten up to 22, which one
IEEE multiplication or division of exact operands rounds correctly (Clinger's fast path:
the result equals strtod's, which Python's ``float`` computes). Other fields go through
``float`` / ``int`` one by one, as the reference kernel parses every field. Anything the
reference would treat otherwise (quotes with ``use_quote_delim``, line breaks in a record,
non-bytes records, a record with the wrong field count, a missing required field, a field
that does not parse, an int32 out of range, ``select_cols``, an ``na_value`` that parses as a
number) runs the reference kernel on the batch, which gives TF's error for it; so both tiers
agree on values and errors.
"""
import numpy as np
from numba import njit

from tfcompat.framework import dtypes
from tfcompat.runtime import lowering

_jit = njit(cache=True, nogil=True)
_POWERS_OF_TEN = np.array([10.0 ** k for k in range(23)])
_INT_RANGES = {dtypes.int32: (-2 ** 31, 2 ** 31 - 1), dtypes.int64: (-2 ** 63, 2 ** 63 - 1)}
_NEWLINE, _RETURN = 10, 13


@_jit
def _field_bounds(buffer, rows, columns, delimiter, starts, ends):
    """Fills starts/ends [rows, columns] of the fields of newline-separated records; returns
    -1, or the first record whose field count is not ``columns``."""
    position, size = 0, len(buffer)
    for row in range(rows):
        column = 0
        starts[row, 0] = position
        while position < size and buffer[position] != _NEWLINE:
            if buffer[position] == delimiter:
                if column + 1 >= columns:
                    return row
                ends[row, column] = position
                column += 1
                starts[row, column] = position + 1
            position += 1
        if column != columns - 1:
            return row
        ends[row, column] = position
        position += 1
    return -1


@_jit
def _parse_integers(buffer, starts, ends, out, empty, slow):
    """Plain [+-]digits fields (at most 18 digits) into ``out``; marks empty fields and
    fields left to Python's ``int`` (``slow``)."""
    for i in range(len(starts)):
        start, end = starts[i], ends[i]
        if start == end:
            empty[i] = True
            continue
        negative = buffer[start] == 45  # "-"
        if buffer[start] == 45 or buffer[start] == 43:  # "-" or "+"
            start += 1
        if start == end or end - start > 18:
            slow[i] = True
            continue
        value = 0
        for position in range(start, end):
            digit = buffer[position] - 48
            if digit < 0 or digit > 9:
                slow[i] = True
                break
            value = value * 10 + digit
        out[i] = -value if negative else value


@_jit
def _decimal_parts(buffer, start, end):
    """(ok, negative, mantissa, power of ten) of [+-]digits[.digits][(e|E)[+-]digits] whose
    significant digits fit in 2**53; ok is False for anything else."""
    negative = buffer[start] == 45
    if buffer[start] == 45 or buffer[start] == 43:
        start += 1
    mantissa, power, digits, seen_point, position = 0, 0, 0, False, start
    while position < end:
        char = buffer[position]
        if 48 <= char <= 57:
            if mantissa or char != 48:
                digits += 1
            if digits > 16:
                return False, negative, 0, 0
            mantissa = mantissa * 10 + (char - 48)
            if seen_point:
                power -= 1
        elif char == 46 and not seen_point:  # "."
            seen_point = True
        else:
            break
        position += 1
    if position == start or (seen_point and position == start + 1) or mantissa > 2 ** 53:
        return False, negative, 0, 0
    if position < end:
        if buffer[position] != 101 and buffer[position] != 69:  # "e" / "E"
            return False, negative, 0, 0
        position += 1
        exponent_negative = position < end and buffer[position] == 45
        if position < end and (buffer[position] == 45 or buffer[position] == 43):
            position += 1
        if position == end or end - position > 3:
            return False, negative, 0, 0
        exponent = 0
        for at in range(position, end):
            digit = buffer[at] - 48
            if digit < 0 or digit > 9:
                return False, negative, 0, 0
            exponent = exponent * 10 + digit
        power += -exponent if exponent_negative else exponent
    return True, negative, mantissa, power


@_jit
def _parse_decimals(buffer, starts, ends, out, empty, slow, powers):
    """Decimal fields on Clinger's fast path into ``out`` (float64); marks the rest."""
    for i in range(len(starts)):
        start, end = starts[i], ends[i]
        if start == end:
            empty[i] = True
            continue
        ok, negative, mantissa, power = _decimal_parts(buffer, start, end)
        if not ok or power < -22 or power > 22:
            slow[i] = True
            continue
        value = float(mantissa)
        value = value * powers[power] if power >= 0 else value / powers[-power]
        out[i] = -value if negative else value


class _Fallback(Exception):
    """The batch needs the reference kernel (which raises TF's error, if any)."""


def _column_values(buffer, raw, starts, ends, dtype, default, na_value):
    """One column's array, or _Fallback. ``na_value`` (bytes that no number parser
    accepts, or None) marks missing fields like empty ones."""
    count = len(starts)
    empty, slow = np.zeros(count, np.bool_), np.zeros(count, np.bool_)
    if dtype == dtypes.string:
        out = np.empty(count, dtype=object)
        out[:] = [raw[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
        empty = starts == ends
        if na_value is not None:
            empty |= out == na_value
    elif dtype.is_integer:
        out = np.empty(count, np.int64)
        _parse_integers(buffer, starts, ends, out, empty, slow)
        _parse_one_by_one(raw, starts, ends, out, slow, int, empty, na_value)
        low, high = _INT_RANGES[dtype]
        checked = out[~empty]
        if checked.size and (checked.min() < low or checked.max() > high):
            raise _Fallback
        out = out.astype(dtype.as_numpy_dtype)
    else:
        out = np.empty(count, np.float64)
        _parse_decimals(buffer, starts, ends, out, empty, slow, _POWERS_OF_TEN)
        _parse_one_by_one(raw, starts, ends, out, slow, float, empty, na_value)
        out = out.astype(dtype.as_numpy_dtype)
    if empty.any():
        default = np.asarray(default).reshape(-1)
        if default.size == 0:
            raise _Fallback
        out[empty] = default[0]
    return out


def _parse_one_by_one(raw, starts, ends, out, slow, parse, empty, na_value):
    for index in np.flatnonzero(slow).tolist():
        field = raw[starts[index]:ends[index]]
        if field == na_value:
            empty[index] = True
            continue
        try:
            out[index] = parse(field.decode())
        except (ValueError, OverflowError, UnicodeDecodeError):
            raise _Fallback from None


@lowering.fast_kernel("DecodeCSV")
def decode_csv_rule(op, ctx):
    attrs = op.attrs
    delimiter = attrs.get("field_delim", ",").encode()
    na_value = attrs.get("na_value", "")
    if len(delimiter) != 1 or attrs.get("select_cols") or _is_number(na_value):
        return None
    na_value = na_value.encode() if na_value else None
    types = [t.dtype.base_dtype for t in op.inputs[1:]]
    quotes = attrs.get("use_quote_delim", True)
    reference = op.op_def.kernel(op, ctx)

    def decode(records, *defaults):
        flat = np.asarray(records, dtype=object).reshape(-1)
        try:
            columns = _decode_batch(flat, types, defaults, delimiter[0], quotes, na_value)
        except (_Fallback, TypeError):
            return reference(records, *defaults)
        shape = np.shape(records)
        columns = [c.reshape(shape) for c in columns]
        return tuple(columns) if len(columns) > 1 else columns[0]
    return decode


def _is_number(text):
    """Whether ``text`` parses as a number (such an na_value needs the reference kernel,
    which compares every field with it before parsing)."""
    try:
        float(text)
        return True
    except ValueError:
        return False


def _decode_batch(flat, types, defaults, delimiter, quotes, na_value=None):
    raw = b"\n".join(flat)  # TypeError for records that are not bytes
    if raw.count(b"\n") != max(len(flat) - 1, 0) or b"\r" in raw or (quotes and b'"' in raw):
        raise _Fallback
    buffer = np.frombuffer(raw, np.uint8)
    starts = np.zeros((len(flat), len(types)), np.int64)
    ends = np.zeros_like(starts)
    if len(flat) and _field_bounds(buffer, len(flat), len(types), delimiter, starts,
                                   ends) >= 0:
        raise _Fallback
    return [_column_values(buffer, raw, starts[:, i], ends[:, i], dtype, default, na_value)
            for i, (dtype, default) in enumerate(zip(types, defaults))]
