"""A small memo of values derived from immutable objects, keyed by the object's identity.

The hot path derives the same things again and again from a few long-lived immutable objects (a call's shared
static DispatchInfo: its event info, its success outcome, its encoded form). Hashing such an object by value
costs as much as deriving the value, so the memo keys on `id()` and holds the object itself, which keeps that
id from being reused while the entry lives. Bounded: the whole memo is dropped when it is full.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """`obj -> value` by identity, for immutable `obj`; at most `capacity` entries."""

    __slots__ = ("_entries", "capacity")

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._entries: dict[int, tuple[Any, V]] = {}

    def get(self, obj: object) -> V | None:
        """The value remembered for this very object, or None."""
        entry = self._entries.get(id(obj))
        if entry is not None and entry[0] is obj:
            return entry[1]
        return None

    def put(self, obj: object, value: V) -> V:
        """Remember `value` for `obj` and return it."""
        entries = self._entries
        if len(entries) >= self.capacity:
            entries.clear()
        entries[id(obj)] = (obj, value)
        return value
