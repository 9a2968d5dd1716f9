"""Strict decoding: truncated input, over-long lengths, non-canonical compacts, trailing bytes and invalid
bool/Option/Result/enum tags each raise ScaleDecodeError with a message naming the failed check."""

from __future__ import annotations

import pytest

from runtime.scale import (
    U8,
    U16,
    U32,
    U128,
    Array,
    Bool,
    ByteArray,
    Bytes,
    Compact,
    Enum,
    Field,
    Option,
    Result,
    ScaleDecodeError,
    ScaleEncodeError,
    ScaleType,
    Str,
    Struct,
    Tuple,
    Variant,
    Vec,
    decode_compact,
    encode_compact,
)

E = Enum(("t", "E"), (Variant("A", 0), Variant("B", 5, (Field(None, U32),))))
S = Struct(("t", "S"), (Field("a", U16), Field("b", Bytes)))


@pytest.mark.parametrize(("ty", "data", "check"), [
    (U32, b"\x01\x02\x03", "u32: input truncated"),
    (U128, b"", "u128: input truncated"),
    (Bool, b"", "bool: input truncated"),
    (ByteArray(32), bytes(31), r"\[u8; 32\]: input truncated"),
    (Array(U16, 2), b"\x01\x00\x02", "u16: input truncated"),
    (Tuple((U8, U32)), b"\x01\x02", "u32: input truncated"),
    (Str, b"\x0c\x61\x62", "str: input truncated"),
    (Bytes, b"\x10\x01\x02", r"Vec<u8>: input truncated"),
    (Compact(U32), b"\x01", r"compact: input truncated \(two-byte mode\)"),
    (Compact(U32), b"\x02\x00\x00", r"compact: input truncated \(four-byte mode\)"),
    (Compact(U128), b"\x07\x00\x00", r"compact: input truncated \(big-integer mode"),
    (Compact(U32), b"", r"compact: input truncated \(no prefix byte\)"),
    (Option(U32), b"", "Option: input truncated"),
    (Option(U32), b"\x01\x00", "u32: input truncated"),
    (Result(U8, U8), b"", "Result: input truncated"),
    (E, b"", "E: input truncated"),
    (E, b"\x05\x01", "u32: input truncated"),
    (S, b"\x01\x00\x08\x00", r"Vec<u8>: input truncated"),
])
def test_truncated(ty: ScaleType[object], data: bytes, check: str) -> None:
    with pytest.raises(ScaleDecodeError, match=check):
        ty.decode(data)


@pytest.mark.parametrize(("ty", "data", "check"), [
    (Vec(U32), encode_compact(1 << 30) + bytes(8), r"Vec<u32>: length 1073741824 exceeds the input"),
    (Vec(U8), encode_compact(5) + bytes(4), r"Vec<u8>: length 5 exceeds the input"),
    (Vec(Vec(U8), max_len=2), encode_compact(3) + b"\x00\x00\x00", r"length 3 exceeds the input"),
    (Bytes, encode_compact(1 << 40) + bytes(16), r"Vec<u8>: input truncated"),
    (Str, encode_compact(1 << 20) + b"abc", r"str: input truncated"),
])
def test_over_long_lengths(ty: ScaleType[object], data: bytes, check: str) -> None:
    with pytest.raises(ScaleDecodeError, match=check):
        ty.decode(data)


@pytest.mark.parametrize(("data", "check"), [
    (b"\x01\x00", "non-canonical two-byte"),            # 0 in two-byte mode
    (b"\xfd\x00", "non-canonical two-byte"),            # 63 in two-byte mode
    (b"\x02\x00\x00\x00", "non-canonical four-byte"),    # 0 in four-byte mode
    (b"\xfe\xff\x00\x00", "non-canonical four-byte"),    # 16383 in four-byte mode
    (b"\x03\xff\xff\xff\x3f", "non-canonical big-integer"),  # 2^30 - 1 in big mode
    (b"\x07\x00\x00\x00\x40\x00", "non-canonical big-integer"),  # trailing zero byte in big mode
])
def test_non_canonical_compacts(data: bytes, check: str) -> None:
    with pytest.raises(ScaleDecodeError, match=check):
        decode_compact(data, 0)
    with pytest.raises(ScaleDecodeError, match=check):
        Compact(U128).decode(data)
    with pytest.raises(ScaleDecodeError, match=check):  # as a length prefix too
        Bytes.decode(data + bytes(64))


def test_compact_boundaries_are_canonical() -> None:
    for value in (0, 63, 64, 16383, 16384, (1 << 30) - 1, 1 << 30, (1 << 32) - 1, 1 << 64, (1 << 128) - 1):
        encoded = encode_compact(value)
        assert decode_compact(encoded, 0) == (value, len(encoded))
    with pytest.raises(ScaleDecodeError, match="Compact<u8>: value too large"):
        Compact(U8).decode(encode_compact(256))
    with pytest.raises(ScaleEncodeError, match="out of range"):
        Compact(U32).encode(1 << 32)


@pytest.mark.parametrize("ty", [U32, Bool, Bytes, Str, Vec(U16), Option(U8), E, S, Compact(U32)], ids=str)
def test_trailing_bytes(ty: ScaleType[object]) -> None:
    samples: dict[object, object] = {U32: 7, Bool: True, Bytes: b"ab", Str: "x", E: ("B", 1), S: {"a": 1, "b": b""}}
    value = samples.get(ty, 0 if ty == Compact(U32) else (None if isinstance(ty, type(Option(U8))) else ()))
    encoded = ty.encode(value)
    assert ty.decode(encoded) == value
    with pytest.raises(ScaleDecodeError, match="1 trailing bytes"):
        ty.decode(encoded + b"\x00")


@pytest.mark.parametrize(("ty", "data", "check"), [
    (Bool, b"\x02", "bool: invalid byte 2"),
    (Bool, b"\xff", "bool: invalid byte 255"),
    (Option(U8), b"\x02\x00", r"Option<u8>: invalid tag 2"),
    (Option(Bool), b"\x01\x02", "bool: invalid byte 2"),
    (Result(U8, U8), b"\x02\x00", "Result: invalid tag 2"),
    (E, b"\x01", "E: unknown variant index 1"),
    (E, b"\xff", "E: unknown variant index 255"),
    (Str, b"\x04\xff", "str: invalid UTF-8"),
])
def test_invalid_tags(ty: ScaleType[object], data: bytes, check: str) -> None:
    with pytest.raises(ScaleDecodeError, match=check):
        ty.decode(data)


def test_encode_errors_are_typed() -> None:
    """Values that do not fit raise ScaleEncodeError naming the type, not TypeError/ValueError."""
    with pytest.raises(ScaleEncodeError, match="u8"):
        U8.encode(256)
    with pytest.raises(ScaleEncodeError, match="bool"):
        Bool.encode(1)  # type: ignore[arg-type]
    with pytest.raises(ScaleEncodeError, match=r"\[u8; 32\]"):
        ByteArray(32).encode(b"short")
    with pytest.raises(ScaleEncodeError, match="missing field 'b'"):
        S.encode({"a": 1})
    with pytest.raises(ScaleEncodeError, match="no variant 'Z'"):
        E.encode(("Z", None))
    with pytest.raises(ScaleEncodeError, match="expected a variant name"):
        E.encode(42)
    with pytest.raises(ScaleEncodeError, match="neither Ok nor Err"):
        Result(U8, U8).encode(("Maybe", 1))
