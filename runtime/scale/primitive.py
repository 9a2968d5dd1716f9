"""Primitive SCALE types: fixed-width integers, bool, str, Compact, Vec<u8> and [u8; N] byte arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import Buf, ScaleType, need
from .compact import decode_compact, encode_compact
from .errors import ScaleDecodeError, ScaleEncodeError

if TYPE_CHECKING:
    from .registry import TypeInfo, TypeRegistry

@dataclass(frozen=True, slots=True)
class UInt(ScaleType[int]):
    """Unsigned fixed-width integer u8..u256, little-endian."""

    bits: int

    def encode(self, value: int) -> bytes:
        if not isinstance(value, int) or value < 0 or value >> self.bits:
            raise ScaleEncodeError(f"u{self.bits}: {value!r} out of range")
        return value.to_bytes(self.bits // 8, "little")

    def decode_at(self, data: Buf, offset: int) -> tuple[int, int]:
        end = offset + (self.bits >> 3)
        if end > len(data):  # the message is built only on failure (hot path)
            need(data, offset, self.bits // 8, f"u{self.bits}")
        return int.from_bytes(data[offset:end], "little"), end

    def describe(self) -> str:
        return f"u{self.bits}"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.primitive(f"u{self.bits}")


@dataclass(frozen=True, slots=True)
class SInt(ScaleType[int]):
    """Signed fixed-width integer i8..i256, two's complement little-endian."""

    bits: int

    def encode(self, value: int) -> bytes:
        half = 1 << (self.bits - 1)
        if not isinstance(value, int) or not -half <= value < half:
            raise ScaleEncodeError(f"i{self.bits}: {value!r} out of range")
        return value.to_bytes(self.bits // 8, "little", signed=True)

    def decode_at(self, data: Buf, offset: int) -> tuple[int, int]:
        end = need(data, offset, self.bits // 8, f"i{self.bits}")
        return int.from_bytes(data[offset:end], "little", signed=True), end

    def describe(self) -> str:
        return f"i{self.bits}"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.primitive(f"i{self.bits}")


@dataclass(frozen=True, slots=True)
class BoolType(ScaleType[bool]):
    """bool: one byte, 0 or 1; any other byte is rejected."""

    def encode(self, value: bool) -> bytes:
        if not isinstance(value, bool):
            raise ScaleEncodeError(f"bool: {value!r} is not a bool")
        return b"\x01" if value else b"\x00"

    def decode_at(self, data: Buf, offset: int) -> tuple[bool, int]:
        end = need(data, offset, 1, "bool")
        byte = data[offset]
        if byte > 1:
            raise ScaleDecodeError(f"bool: invalid byte {byte}")
        return byte == 1, end

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.primitive("bool")


@dataclass(frozen=True, slots=True)
class StrType(ScaleType[str]):
    """String: Compact length ++ UTF-8 bytes."""

    def encode(self, value: str) -> bytes:
        raw = value.encode()
        return encode_compact(len(raw)) + raw

    def decode_at(self, data: Buf, offset: int) -> tuple[str, int]:
        size, offset = decode_compact(data, offset)
        end = need(data, offset, size, "str")
        try:
            return bytes(data[offset:end]).decode(), end
        except UnicodeDecodeError as exc:
            raise ScaleDecodeError(f"str: invalid UTF-8 ({exc.reason})") from None

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.primitive("str")


@dataclass(frozen=True, slots=True)
class CompactType(ScaleType[int]):
    """Compact<T> for an unsigned integer T; the value range is checked against T."""

    inner: UInt

    def encode(self, value: int) -> bytes:
        if not isinstance(value, int) or value < 0 or value >> self.inner.bits:
            raise ScaleEncodeError(f"Compact<u{self.inner.bits}>: {value!r} out of range")
        return encode_compact(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[int, int]:
        value, end = decode_compact(data, offset)
        if value >> self.inner.bits:
            raise ScaleDecodeError(f"Compact<u{self.inner.bits}>: value too large")
        return value, end

    def describe(self) -> str:
        return f"Compact<u{self.inner.bits}>"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.compact(self.inner)


@dataclass(frozen=True, slots=True)
class BytesType(ScaleType[bytes]):
    """Vec<u8> as Python bytes: Compact length ++ raw bytes."""

    def encode(self, value: bytes) -> bytes:
        if not isinstance(value, (bytes, bytearray)):
            raise ScaleEncodeError(f"Vec<u8>: {type(value).__name__} is not bytes")
        return encode_compact(len(value)) + bytes(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[bytes, int]:
        size, offset = decode_compact(data, offset)
        end = need(data, offset, size, "Vec<u8>")
        return bytes(data[offset:end]), end

    def describe(self) -> str:
        return "Vec<u8>"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.sequence(U8)


@dataclass(frozen=True, slots=True)
class ByteArray(ScaleType[bytes]):
    """[u8; N] as Python bytes of exactly N bytes, optionally a named newtype (e.g. H256, AccountId32)."""

    length: int
    path: tuple[str, ...] = ()
    field_type_name: str | None = None

    def encode(self, value: bytes) -> bytes:
        if type(value) is bytes and len(value) == self.length:  # hot path (storage keys): no copy
            return value
        if not isinstance(value, (bytes, bytearray)) or len(value) != self.length:
            raise ScaleEncodeError(f"{self.describe()}: expected {self.length} bytes")
        return bytes(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[bytes, int]:
        end = offset + self.length
        if end > len(data):  # the message is built only on failure (hot path)
            need(data, offset, self.length, self.describe())
        return bytes(data[offset:end]), end

    def describe(self) -> str:
        return self.path[-1] if self.path else f"[u8; {self.length}]"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        if not self.path:
            return registry.array(U8, self.length)
        inner = ByteArray(self.length)
        return registry.composite(self.path, (), ((None, inner, self.field_type_name),))



U8 = UInt(8)
