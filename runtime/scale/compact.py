"""SCALE Compact<uN> integers: the variable-length encoding used for lengths and many call arguments.

Hand-written because it sits on every hot path (extrinsic lengths, Vec prefixes, header numbers).
Decoding is strict: a value that could have been encoded in a shorter mode is rejected, as
parity-scale-codec does, so that each value has exactly one encoding.
"""

from __future__ import annotations

from .errors import ScaleDecodeError, ScaleEncodeError

_MAX_COMPACT = (1 << 536) - 1  # 4 + 63 bytes of payload at most (big-integer mode)


def encode_compact(value: int) -> bytes:
    """Encode a non-negative integer as SCALE Compact."""
    if value < 0 or value > _MAX_COMPACT:
        raise ScaleEncodeError(f"compact: value {value} out of range")
    if value < 1 << 6:
        return bytes((value << 2,))
    if value < 1 << 14:
        return ((value << 2) | 1).to_bytes(2, "little")
    if value < 1 << 30:
        return ((value << 2) | 2).to_bytes(4, "little")
    length = (value.bit_length() + 7) // 8
    return bytes((((length - 4) << 2) | 3,)) + value.to_bytes(length, "little")


def decode_compact(data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
    """Decode a Compact at `offset`; return (value, new offset). Rejects truncation and non-canonical forms."""
    if offset >= len(data):
        raise ScaleDecodeError("compact: input truncated (no prefix byte)")
    first = data[offset]
    mode = first & 3
    if mode == 0:
        return first >> 2, offset + 1
    if mode == 1:
        end = offset + 2
        if end > len(data):
            raise ScaleDecodeError("compact: input truncated (two-byte mode)")
        value = int.from_bytes(data[offset:end], "little") >> 2
        if value < 1 << 6:
            raise ScaleDecodeError("compact: non-canonical two-byte encoding")
        return value, end
    if mode == 2:
        end = offset + 4
        if end > len(data):
            raise ScaleDecodeError("compact: input truncated (four-byte mode)")
        value = int.from_bytes(data[offset:end], "little") >> 2
        if value < 1 << 14:
            raise ScaleDecodeError("compact: non-canonical four-byte encoding")
        return value, end
    length = (first >> 2) + 4
    end = offset + 1 + length
    if end > len(data):
        raise ScaleDecodeError(f"compact: input truncated (big-integer mode, {length} bytes)")
    value = int.from_bytes(data[offset + 1 : end], "little")
    if value < 1 << 30 or value.bit_length() <= (length - 1) * 8:
        raise ScaleDecodeError("compact: non-canonical big-integer encoding")
    return value, end
