"""The root of all SCALE type objects and the shared truncation check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from .errors import ScaleDecodeError

if TYPE_CHECKING:
    from .registry import TypeInfo, TypeRegistry

T = TypeVar("T")
Buf = bytes | memoryview


class ScaleType(Generic[T]):
    """Base of all type objects: encode, decode at an offset, and describe for the registry."""

    __slots__ = ()

    def encode(self, value: T) -> bytes:
        """Encode `value` to SCALE bytes."""
        raise NotImplementedError

    def decode_at(self, data: Buf, offset: int) -> tuple[T, int]:
        """Decode one value at `offset`; return (value, offset after it)."""
        raise NotImplementedError

    def decode(self, data: Buf) -> T:
        """Decode exactly one value from `data`; trailing bytes are an error."""
        value, end = self.decode_at(data, 0)
        if end != len(data):
            raise ScaleDecodeError(f"{self.describe()}: {len(data) - end} trailing bytes")
        return value

    def describe(self) -> str:
        """A short human-readable name, used in error messages."""
        return type(self).__name__

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        """The registry entry (path, params, def, docs); children are registered through `registry`."""
        raise NotImplementedError


def need(data: Buf, offset: int, size: int, what: str) -> int:
    """The offset after `size` bytes at `offset`; ScaleDecodeError naming `what` when the input is shorter."""
    end = offset + size
    if end > len(data):
        raise ScaleDecodeError(f"{what}: input truncated (need {size} bytes at offset {offset})")
    return end


