"""Composite SCALE types: Vec, arrays, tuples, Option, Result, structs, enums, `Lazy` forward references."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .base import Buf, ScaleType, need
from .compact import decode_compact, encode_compact
from .errors import ScaleDecodeError, ScaleEncodeError

if TYPE_CHECKING:
    from .registry import TypeInfo, TypeRegistry

@dataclass(frozen=True, slots=True)
class Vec(ScaleType[tuple[Any, ...]]):
    """Vec<T>: Compact length ++ items; decoded as a tuple."""

    inner: ScaleType[Any]
    max_len: int = 1 << 24

    def encode(self, value: Sequence[Any]) -> bytes:
        enc = self.inner.encode
        return encode_compact(len(value)) + b"".join(enc(item) for item in value)

    def decode_at(self, data: Buf, offset: int) -> tuple[tuple[Any, ...], int]:
        size, offset = decode_compact(data, offset)
        if size > self.max_len or size > len(data) - offset:
            raise ScaleDecodeError(f"Vec<{self.inner.describe()}>: length {size} exceeds the input")
        items = []
        dec = self.inner.decode_at
        for _ in range(size):
            item, offset = dec(data, offset)
            items.append(item)
        return tuple(items), offset

    def describe(self) -> str:
        return f"Vec<{self.inner.describe()}>"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.sequence(self.inner)


@dataclass(frozen=True, slots=True)
class Array(ScaleType[tuple[Any, ...]]):
    """[T; N] for T other than u8: N items, no length prefix."""

    inner: ScaleType[Any]
    length: int

    def encode(self, value: Sequence[Any]) -> bytes:
        if len(value) != self.length:
            raise ScaleEncodeError(f"{self.describe()}: expected {self.length} items")
        return b"".join(self.inner.encode(item) for item in value)

    def decode_at(self, data: Buf, offset: int) -> tuple[tuple[Any, ...], int]:
        items = []
        for _ in range(self.length):
            item, offset = self.inner.decode_at(data, offset)
            items.append(item)
        return tuple(items), offset

    def describe(self) -> str:
        return f"[{self.inner.describe()}; {self.length}]"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.array(self.inner, self.length)


@dataclass(frozen=True, slots=True)
class Tuple(ScaleType[tuple[Any, ...]]):
    """(A, B, ...): items back to back; the empty tuple is Rust's unit `()`."""

    items: tuple[ScaleType[Any], ...]

    def encode(self, value: Sequence[Any]) -> bytes:
        if len(value) != len(self.items):
            raise ScaleEncodeError(f"{self.describe()}: expected {len(self.items)} items")
        return b"".join(t.encode(v) for t, v in zip(self.items, value, strict=True))

    def decode_at(self, data: Buf, offset: int) -> tuple[tuple[Any, ...], int]:
        out = []
        for item_type in self.items:
            item, offset = item_type.decode_at(data, offset)
            out.append(item)
        return tuple(out), offset

    def describe(self) -> str:
        return "(" + ", ".join(t.describe() for t in self.items) + ")"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.tuple(self.items)


@dataclass(frozen=True, slots=True)
class OptionType(ScaleType[Any]):
    """Option<T>: 0x00 for None, 0x01 ++ T for Some."""

    inner: ScaleType[Any]

    def encode(self, value: Any) -> bytes:
        return b"\x00" if value is None else b"\x01" + self.inner.encode(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[Any, int]:
        end = need(data, offset, 1, "Option")
        tag = data[offset]
        if tag == 0:
            return None, end
        if tag == 1:
            return self.inner.decode_at(data, end)
        raise ScaleDecodeError(f"Option<{self.inner.describe()}>: invalid tag {tag}")

    def describe(self) -> str:
        return f"Option<{self.inner.describe()}>"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.option(self.inner)


@dataclass(frozen=True, slots=True)
class ResultType(ScaleType[tuple[str, Any]]):
    """Result<T, E>: 0x00 ++ T for ("Ok", v), 0x01 ++ E for ("Err", e)."""

    ok: ScaleType[Any]
    err: ScaleType[Any]

    def encode(self, value: tuple[str, Any]) -> bytes:
        tag, inner = value
        if tag == "Ok":
            return b"\x00" + self.ok.encode(inner)
        if tag == "Err":
            return b"\x01" + self.err.encode(inner)
        raise ScaleEncodeError(f"Result: tag {tag!r} is neither Ok nor Err")

    def decode_at(self, data: Buf, offset: int) -> tuple[tuple[str, Any], int]:
        end = need(data, offset, 1, "Result")
        tag = data[offset]
        if tag == 0:
            value, end = self.ok.decode_at(data, end)
            return ("Ok", value), end
        if tag == 1:
            value, end = self.err.decode_at(data, end)
            return ("Err", value), end
        raise ScaleDecodeError(f"Result: invalid tag {tag}")

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.result(self.ok, self.err)


class Lazy(ScaleType[Any]):
    """A forward reference resolved on first use: lets recursive types (Utility.batch → RuntimeCall) be declared."""

    __slots__ = ("_factory", "_target")

    def __init__(self, factory: Callable[[], ScaleType[Any]]) -> None:
        self._factory = factory
        self._target: ScaleType[Any] | None = None

    @property
    def target(self) -> ScaleType[Any]:
        """The resolved type."""
        if self._target is None:
            self._target = self._factory()
        return self._target

    def encode(self, value: Any) -> bytes:
        return self.target.encode(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[Any, int]:
        return self.target.decode_at(data, offset)

    def describe(self) -> str:
        return self.target.describe()

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        raise TypeError("Lazy is resolved by the registry, never described itself")


@dataclass(frozen=True)
class Field:
    """A struct or variant field: wire name (None when unnamed), type, Rust type name and docs."""

    name: str | None
    type: ScaleType[Any]
    type_name: str | None = None
    docs: tuple[str, ...] = ()


def field_list(fields: Sequence[Field | tuple[Any, ...]] | Mapping[str, ScaleType[Any]]) -> tuple[Field, ...]:
    """Normalise `{name: type}` or `(name, type[, type_name])` tuples into Fields."""
    if isinstance(fields, Mapping):
        return tuple(Field(name, ty) for name, ty in fields.items())
    return tuple(f if isinstance(f, Field) else Field(*f) for f in fields)


def _has_field(value: Any, name: str) -> bool:
    """True when a struct value (mapping or object) has field `name`."""
    return name in value if isinstance(value, Mapping) else hasattr(value, name)


@dataclass(eq=False)
class Struct(ScaleType[Any]):
    """A named composite: fields back to back. Values are dicts, or instances of `cls` when bound."""

    path: tuple[str, ...]
    fields: tuple[Field, ...]
    params: tuple[tuple[str, ScaleType[Any] | None], ...] = ()
    docs: tuple[str, ...] = ()
    cls: type | None = None
    _names: tuple[str, ...] = field(init=False, repr=False)
    _pairs: tuple[tuple[str, ScaleType[Any]], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = tuple(f.name or str(i) for i, f in enumerate(self.fields))
        self._pairs = tuple((name, f.type) for name, f in zip(self._names, self.fields, strict=True))

    def encode(self, value: Any) -> bytes:
        get: Callable[[str], Any] = value.__getitem__ if isinstance(value, Mapping) else value.__getattribute__
        try:
            return b"".join([ty.encode(get(name)) for name, ty in self._pairs])
        except (KeyError, AttributeError):
            for name in self._names:
                if not _has_field(value, name):
                    raise ScaleEncodeError(f"{self.describe()}: missing field {name!r}") from None
            raise

    def decode_at(self, data: Buf, offset: int) -> tuple[Any, int]:
        values = {}
        for name, ty in self._pairs:
            values[name], offset = ty.decode_at(data, offset)
        return (self.cls(**values) if self.cls is not None else values), offset

    def describe(self) -> str:
        return "::".join(self.path[-1:]) or "struct"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.composite(
            self.path, self.params, tuple((f.name, f.type, f.type_name) for f in self.fields),
            self.docs, tuple(f.docs for f in self.fields),
        )


@dataclass(frozen=True)
class Variant:
    """One enum variant: name, index byte, fields (all named or all unnamed) and docs."""

    name: str
    index: int
    fields: tuple[Field, ...] = ()
    docs: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        """True when the fields carry names (a struct-like variant)."""
        return bool(self.fields) and self.fields[0].name is not None


@dataclass(eq=False)
class Enum(ScaleType[Any]):
    """A named Rust enum: index byte ++ the chosen variant's fields."""

    path: tuple[str, ...]
    variants: tuple[Variant, ...]
    params: tuple[tuple[str, ScaleType[Any] | None], ...] = ()
    docs: tuple[str, ...] = ()
    _by_index: dict[int, Variant] = field(init=False, repr=False)
    _by_name: dict[str, Variant] = field(init=False, repr=False)
    _single: dict[int, tuple[str, ScaleType[Any]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_index = {}
        self._by_name = {}
        self._single = {}  # variants with exactly one unnamed field (MultiAddress::Id, ...): decoded in one step
        for v in self.variants:
            if v.index in self._by_index or v.name in self._by_name or not 0 <= v.index < 256:
                raise TypeError(f"{self.describe()}: duplicate or invalid variant {v.name}/{v.index}")
            self._by_index[v.index] = v
            self._by_name[v.name] = v
            if len(v.fields) == 1 and v.fields[0].name is None:
                self._single[v.index] = (v.name, v.fields[0].type)

    def variant(self, name: str) -> Variant:
        """The variant called `name`."""
        try:
            return self._by_name[name]
        except KeyError:
            raise ScaleEncodeError(f"{self.describe()}: no variant {name!r}") from None

    def encode(self, value: Any) -> bytes:
        if isinstance(value, str):
            name, payload = value, None
        elif isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str):
            name, payload = value
        else:
            raise ScaleEncodeError(f"{self.describe()}: expected a variant name or (name, payload), got {value!r}")
        v = self.variant(name)
        head = bytes((v.index,))
        if not v.fields:
            return head
        if v.named:
            if not isinstance(payload, Mapping):
                raise ScaleEncodeError(f"{self.describe()}::{name}: expected a dict of fields")
            try:
                return head + b"".join(f.type.encode(payload[f.name]) for f in v.fields)
            except KeyError as exc:
                raise ScaleEncodeError(f"{self.describe()}::{name}: missing field {exc}") from None
        if len(v.fields) == 1:
            return head + v.fields[0].type.encode(payload)
        if not isinstance(payload, (tuple, list)) or len(payload) != len(v.fields):
            raise ScaleEncodeError(f"{self.describe()}::{name}: expected {len(v.fields)} unnamed field values")
        return head + b"".join(f.type.encode(p) for f, p in zip(v.fields, payload, strict=True))

    def decode_at(self, data: Buf, offset: int) -> tuple[Any, int]:
        if offset >= len(data):  # the message is built only on failure (hot path)
            need(data, offset, 1, self.describe())
        end = offset + 1
        single = self._single.get(data[offset])
        if single is not None:
            value, end = single[1].decode_at(data, end)
            return (single[0], value), end
        v = self._by_index.get(data[offset])
        if v is None:
            raise ScaleDecodeError(f"{self.describe()}: unknown variant index {data[offset]}")
        offset = end
        if not v.fields:
            return (v.name, None), offset
        if v.named:
            values = {}
            for f in v.fields:
                values[f.name], offset = f.type.decode_at(data, offset)
            return (v.name, values), offset
        items = []
        for f in v.fields:
            item, offset = f.type.decode_at(data, offset)
            items.append(item)
        return (v.name, items[0] if len(items) == 1 else tuple(items)), offset

    def describe(self) -> str:
        return "::".join(self.path[-1:]) or "enum"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.variant(self.path, self.params, self.variants, self.docs)



@dataclass(frozen=True, slots=True)
class CompactUnitType(ScaleType[tuple[()]]):
    """Compact<()>: zero bytes on the wire (the template's `MultiAddress::Index` with AccountIndex = ())."""

    def encode(self, value: tuple[()]) -> bytes:
        return b""

    def decode_at(self, data: Buf, offset: int) -> tuple[tuple[()], int]:
        return (), offset

    def describe(self) -> str:
        return "Compact<()>"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.compact(Tuple(()))


