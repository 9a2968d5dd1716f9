"""Pallet events: declared once as `Name = event(field=Type, ..., doc=...)` inside a pallet's `Event` class.

Creating an event (`Balances.Event.Transfer(from_=a, to=b, amount=x)`) encodes it at once, so
depositing it costs a byte prefix and a list append. Field names that clash with Python keywords take a
trailing underscore, which is stripped on the wire (`from_` → `from`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from runtime.scale import Field, ScaleType, Variant


@dataclass(frozen=True, slots=True)
class PalletEvent:
    """One event value: its pallet class, variant name, field values and SCALE bytes (variant index first)."""

    pallet: Any  # the pallet class (typed loosely: Pallet imports this module)
    name: str
    fields: dict[str, Any] = field(compare=True, hash=False)
    encoded: bytes = field(compare=False, repr=False)


class EventDef:
    """The declaration of one event variant; calling it builds a PalletEvent."""

    def __init__(self, fields: tuple[Field, ...], doc: str) -> None:
        self.fields = fields
        self.doc = doc
        self.name = ""
        self.index = -1
        self.pallet: type | None = None
        self._py_names = tuple(f.name + "_" if f.name in _KEYWORDS else f.name for f in fields if f.name)
        # (python name, wire name, encoder) per field, so building an event is one pass of bound calls
        self._plan = tuple((py, f.name or py, f.type.encode)
                           for py, f in zip(self._py_names, fields, strict=False))
        self._strict = len(self._py_names) == len(fields)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def variant(self) -> Variant:
        """The metadata variant of this event."""
        from .pallet import variant_docs
        return Variant(self.name, self.index, self.fields, variant_docs(self.doc))

    def __call__(self, **values: Any) -> PalletEvent:
        if self.pallet is None:
            raise TypeError(f"event {self.name} is not bound to a pallet")
        if not self._strict:  # unnamed fields: zip(strict=True) below refuses the declaration, as before
            for _ in zip(self._py_names, self.fields, strict=True):
                pass
        parts = [bytes((self.index,))]
        wire: dict[str, Any] = {}
        for py_name, wire_name, encode in self._plan:
            try:
                value = values[py_name]
            except KeyError:
                raise TypeError(f"event {self.name}: missing field {py_name!r}") from None
            parts.append(encode(value))
            wire[wire_name] = value
        if len(values) != len(self.fields):
            raise TypeError(f"event {self.name}: unexpected fields {set(values) - set(self._py_names)}")
        return PalletEvent(self.pallet, self.name, wire, b"".join(parts))

    def from_encoded(self, fields: dict[str, Any], encoded_fields: bytes) -> PalletEvent:
        """The event whose wire-named `fields` the caller has already encoded (hand encoders of hot events).

        `encoded_fields` must be exactly what the declared field types give for `fields`.
        """
        if self.pallet is None:
            raise TypeError(f"event {self.name} is not bound to a pallet")
        return PalletEvent(self.pallet, self.name, fields, bytes((self.index,)) + encoded_fields)


_KEYWORDS = {"from", "class", "type", "in", "is", "as", "for", "return", "None"}


FieldSpec = ScaleType[Any] | tuple[ScaleType[Any], str] | tuple[ScaleType[Any], str, str]


def event(doc: str = "", **fields: FieldSpec) -> EventDef:
    """Declare an event with named fields, each a type, (type, Rust type name) or (type, Rust type name, docs).

    Field docs are the field's `///` lines in FRAME (e.g. Sudo's `sudo_result`); a multi-line text gives one
    docs entry per line.
    """
    out = []
    for py_name, spec in fields.items():
        if not isinstance(spec, tuple):
            out.append(Field(py_name.rstrip("_"), spec))
            continue
        if len(spec) not in (2, 3):
            raise TypeError(f"event field {py_name!r}: expected type, (type, name) or (type, name, docs)")
        field_docs = tuple(spec[2].splitlines()) if len(spec) == 3 else ()
        out.append(Field(py_name.rstrip("_"), spec[0], spec[1], field_docs))
    return EventDef(tuple(out), doc)


class Events:
    """Base of a pallet's nested `Event` class."""

    variants: ClassVar[tuple[EventDef, ...]] = ()
