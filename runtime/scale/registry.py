"""The PortableRegistry builder: turns type objects into scale-info's numbered type table.

Ids are handed out in first-registration order (0..N-1, as clients index `lookup[id]`). An id is
reserved before a type's children are visited, so recursive types terminate. Shapes that compare
equal (two `Vec<u8>`) share one entry; named structs and enums are entered once per object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .compact import encode_compact
from .types import Field, Lazy, ScaleType, Str, Variant

_PRIMITIVES = {
    "bool": 0, "char": 1, "str": 2, "u8": 3, "u16": 4, "u32": 5, "u64": 6, "u128": 7, "u256": 8,
    "i8": 9, "i16": 10, "i32": 11, "i64": 12, "i128": 13, "i256": 14,
}


def encode_str(value: str) -> bytes:
    """SCALE String."""
    return Str.encode(value)


def encode_strs(values: Sequence[str]) -> bytes:
    """SCALE Vec<String> (docs, paths)."""
    return encode_compact(len(values)) + b"".join(Str.encode(v) for v in values)


def encode_opt_str(value: str | None) -> bytes:
    """SCALE Option<String>."""
    return b"\x00" if value is None else b"\x01" + Str.encode(value)


@dataclass(frozen=True)
class TypeInfo:
    """One registry entry: scale-info's Type { path, type_params, type_def, docs }, def already encoded."""

    path: tuple[str, ...]
    params: tuple[tuple[str, int | None], ...]
    definition: bytes
    docs: tuple[str, ...] = ()

    def encode(self) -> bytes:
        """SCALE of scale-info's `Type<PortableForm>`."""
        params = encode_compact(len(self.params)) + b"".join(
            encode_str(name) + (b"\x00" if ty is None else b"\x01" + encode_compact(ty)) for name, ty in self.params
        )
        return encode_strs(self.path) + params + self.definition + encode_strs(self.docs)


class TypeRegistry:
    """Collects types and assigns their ids; `encode()` yields the PortableRegistry bytes."""

    def __init__(self) -> None:
        self._ids: dict[Any, int] = {}
        self._entries: list[TypeInfo | None] = []

    def register(self, ty: ScaleType[Any]) -> int:
        """The id of `ty`, registering it (and everything it refers to) on first sight."""
        while isinstance(ty, Lazy):
            ty = ty.target
        found = self._ids.get(ty)
        if found is not None:
            return found
        type_id = len(self._entries)
        self._ids[ty] = type_id
        self._entries.append(None)
        self._entries[type_id] = ty.type_info(self)
        return type_id

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, type_id: int) -> TypeInfo:
        """The entry registered under `type_id`."""
        info = self._entries[type_id]
        if info is None:
            raise RuntimeError(f"type {type_id} is still being registered")
        return info

    def encode(self) -> bytes:
        """SCALE of PortableRegistry: Vec<{id: Compact<u32>, type}>."""
        out = [encode_compact(len(self._entries))]
        for type_id in range(len(self._entries)):
            out.append(encode_compact(type_id) + self.entry(type_id).encode())
        return b"".join(out)

    # -- definitions, called back by the type objects -------------------------------------------------

    def _params(self, params: Sequence[tuple[str, ScaleType[Any] | None]]) -> tuple[tuple[str, int | None], ...]:
        return tuple((name, None if ty is None else self.register(ty)) for name, ty in params)

    def _fields(self, fields: Sequence[tuple[str | None, ScaleType[Any], str | None]],
                docs: Sequence[Sequence[str]] = ()) -> bytes:
        out = [encode_compact(len(fields))]
        for i, (name, ty, type_name) in enumerate(fields):
            field_docs = docs[i] if i < len(docs) else ()
            out.append(encode_opt_str(name) + encode_compact(self.register(ty)) + encode_opt_str(type_name)
                       + encode_strs(field_docs))
        return b"".join(out)

    def primitive(self, name: str) -> TypeInfo:
        """Primitive(name)."""
        return TypeInfo((), (), bytes((5, _PRIMITIVES[name])))

    def compact(self, inner: ScaleType[Any]) -> TypeInfo:
        """Compact<inner>."""
        return TypeInfo((), (), b"\x06" + encode_compact(self.register(inner)))

    def sequence(self, inner: ScaleType[Any]) -> TypeInfo:
        """Sequence(inner): Vec<inner>."""
        return TypeInfo((), (), b"\x02" + encode_compact(self.register(inner)))

    def array(self, inner: ScaleType[Any], length: int) -> TypeInfo:
        """Array(length, inner)."""
        return TypeInfo((), (), b"\x03" + length.to_bytes(4, "little") + encode_compact(self.register(inner)))

    def composite(self, path: tuple[str, ...], params: Sequence[tuple[str, ScaleType[Any] | None]],
                  fields: Sequence[tuple[str | None, ScaleType[Any], str | None]],
                  docs: Sequence[str] = (), field_docs: Sequence[Sequence[str]] = ()) -> TypeInfo:
        """Composite with the given fields."""
        return TypeInfo(path, self._params(params), b"\x00" + self._fields(fields, field_docs), tuple(docs))

    def variant(self, path: tuple[str, ...], params: Sequence[tuple[str, ScaleType[Any] | None]],
                variants: Sequence[Variant], docs: Sequence[str] = ()) -> TypeInfo:
        """Variant with the given variants, in declaration order."""
        out = [encode_compact(len(variants))]
        for v in variants:
            fields = tuple((f.name, f.type, f.type_name) for f in v.fields)
            out.append(encode_str(v.name) + self._fields(fields, tuple(f.docs for f in v.fields))
                       + bytes((v.index,)) + encode_strs(v.docs))
        return TypeInfo(path, self._params(params), b"\x01" + b"".join(out), tuple(docs))

    def option(self, inner: ScaleType[Any]) -> TypeInfo:
        """scale-info's Option<T>: path ["Option"], param T, variants None=0 / Some=1."""
        variants = (Variant("None", 0), Variant("Some", 1, (Field(None, inner),)))
        return self.variant(("Option",), (("T", inner),), variants)

    def result(self, ok: ScaleType[Any], err: ScaleType[Any]) -> TypeInfo:
        """scale-info's Result<T, E>: path ["Result"], params T and E, variants Ok=0 / Err=1."""
        variants = (Variant("Ok", 0, (Field(None, ok),)), Variant("Err", 1, (Field(None, err),)))
        return self.variant(("Result",), (("T", ok), ("E", err)), variants)

    # Last in the class body: inside it, the name `tuple` means this method, not the builtin.
    def tuple(self, items: Sequence[ScaleType[Any]]) -> TypeInfo:
        """Tuple(items); the empty tuple is `()`."""
        ids = [self.register(t) for t in items]
        return TypeInfo((), (), b"\x04" + encode_compact(len(ids)) + b"".join(encode_compact(i) for i in ids))
