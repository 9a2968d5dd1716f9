"""Pallet events: declared once as `Name = event(field=Type, ..., doc=...)` inside a pallet's `Event` class.

Creating an event (`Balances.Event.Transfer(from_=a, to=b, amount=x)`) encodes it at once, so
depositing it costs a byte prefix and a list append. Field names that clash with Python keywords take a
trailing underscore, which is stripped on the wire (`from_` → `from`).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, ClassVar

from runtime.scale import Field, ScaleDecodeError, ScaleType, Variant


class PalletEvent(tuple):  # type: ignore[type-arg]
    """One event value: its pallet class, variant name, field values and SCALE bytes (variant index first).

    Immutable. A tuple underneath, because one is built for every event of every block and a tuple is the
    cheapest immutable object to build; it behaves as the value object it was, not as a sequence: equal when
    pallet, name and fields are equal (`encoded` follows from them), hashed by pallet and name.

    Events built from hand-encoded bytes (`EventDef.from_encoded` without fields) hold only their declaration's
    number, name and bytes, and decode their `fields` when they are read. Holding nothing but an int, a str and
    bytes, such an event is not tracked by the garbage collector once it has been seen by it, so the block's
    thousands of events do not make the collector's full passes come sooner.
    """

    __slots__ = ()
    __match_args__ = ("pallet", "name", "fields", "encoded")

    def __new__(cls, pallet: Any, name: str, fields: dict[str, Any] | None, encoded: bytes,
                decl: EventDef | None = None) -> PalletEvent:
        if decl is not None:
            return tuple.__new__(cls, (decl.uid, name, fields, encoded))
        if fields is None:
            raise TypeError(f"event {name}: fields decoded on demand need the event's declaration")
        return tuple.__new__(cls, (pallet, name, fields, encoded))

    @property
    def pallet(self) -> Any:
        """The pallet class (typed loosely: Pallet imports this module)."""
        key = self[0]
        return _DEFS[key].pallet if type(key) is int else key

    name: str = property(itemgetter(1), doc="The variant name.")  # type: ignore[assignment]
    encoded: bytes = property(itemgetter(3), doc="SCALE bytes: variant index, then the fields.")  # type: ignore[assignment]

    @property
    def fields(self) -> dict[str, Any]:
        """The field values by wire name (a new dict when they are decoded from the bytes)."""
        fields: dict[str, Any] | None = self[2]
        if fields is None:
            decl: EventDef = _DEFS[self[0]]
            fields = decl.decode_fields(self[3])
        return fields

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self.pallet == other.pallet and self[1] == other[1] and self.fields == other.fields)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.pallet, self[1]))

    def __repr__(self) -> str:
        return f"PalletEvent(pallet={self.pallet!r}, name={self[1]!r}, fields={self.fields!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PalletEvent, (self.pallet, self[1], self.fields, self[3]))


_DEFS: list[EventDef] = []
"""Every event declaration, by `EventDef.uid` (declarations live as long as their pallet classes)."""
_new_event = tuple.__new__


def stored_event(event: PalletEvent) -> Any:
    """What a block keeps of `event` (the overlay's event list): the event itself or, for an event whose fields
    are decoded on demand, the plain tuple (declaration number, bytes).

    A tuple subclass is always tracked by the garbage collector; a plain tuple of an int and bytes is not once
    the collector has seen it, so a block's thousands of hot events stop adding to its full passes.
    """
    return event if event[2] is not None else (event[0], event[3])


def event_value(stored: Any) -> PalletEvent:
    """The PalletEvent of what `stored_event` kept."""
    if type(stored) is tuple:
        uid, encoded = stored
        return _new_event(PalletEvent, (uid, _DEFS[uid].name, None, encoded))
    event: PalletEvent = stored
    return event


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
        self._head: bytes | None = None  # the variant index byte, once the index is known
        self.uid = len(_DEFS)
        """This declaration's number: what its events hold instead of references to objects."""
        _DEFS.append(self)

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
        return PalletEvent(self.pallet, self.name, wire, b"".join(parts), self)

    def from_encoded(self, fields: dict[str, Any] | None, encoded_fields: bytes) -> PalletEvent:
        """The event whose wire-named `fields` the caller has already encoded (hand encoders of hot events).

        `encoded_fields` must be exactly what the declared field types give for `fields`. With `fields` None
        the event decodes them from the bytes when they are read (the declared types must give back values
        equal to the ones encoded: ints, bytes, enum and struct values as the type objects decode them).
        """
        return _new_event(PalletEvent, (self.uid, self.name, fields, self.head() + encoded_fields))

    def head(self) -> bytes:
        """The variant index as the byte that starts the event's encoding; TypeError while not bound to a pallet."""
        if self.pallet is None:
            raise TypeError(f"event {self.name} is not bound to a pallet")
        head = self._head
        if head is None or head[0] != self.index:
            head = self._head = bytes((self.index,))
        return head

    def decode_fields(self, encoded: bytes) -> dict[str, Any]:
        """The wire-named field values of an encoded event of this variant (variant index first)."""
        values: dict[str, Any] = {}
        offset = 1
        for f in self.fields:
            values[f.name or ""], offset = f.type.decode_at(encoded, offset)
        if offset != len(encoded):
            raise ScaleDecodeError(f"event {self.name}: {len(encoded) - offset} trailing bytes")
        return values


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
