"""The storage overlay: a block's pending changes in nested transactional layers over a read-only base.

Execution reads through the layers to the base state (the parent block's), writes into the top layer,
and `begin`/`commit`/`rollback` give each call its own layer so a failed dispatch leaves no trace
(FRAME's `with_transaction`). Events ride along: a rolled-back layer also drops the events deposited in
it. At the end of the block `changes()` is the flat change set the node commits and hashes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

_MISSING = object()


class StorageReader(Protocol):
    """Read-only state the overlay sits on (a block's state in the node, a dict in tests)."""

    def get(self, key: bytes) -> bytes | None:
        """The value at `key`, or None."""

    def iter_prefix(self, prefix: bytes) -> Iterable[tuple[bytes, bytes]]:
        """(key, value) pairs under `prefix`, in key order."""


class DictReader:
    """A StorageReader over a plain dict (genesis, tests)."""

    def __init__(self, data: dict[bytes, bytes] | None = None) -> None:
        self.data = data if data is not None else {}

    def get(self, key: bytes) -> bytes | None:
        """The value at `key`, or None."""
        return self.data.get(key)

    def iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """(key, value) pairs under `prefix`, sorted."""
        for key in sorted(k for k in self.data if k.startswith(prefix)):
            yield key, self.data[key]


class TransactionError(Exception):
    """A storage transaction was committed or rolled back without being opened."""


class Overlay:
    """Pending changes in one dict, with an undo journal per open transactional layer.

    Reads cost one dict lookup whatever the nesting depth (a layered design walks every layer); a write
    records the key's previous entry in the innermost layer's journal the first time that layer touches
    it, so rollback restores exactly what the layer changed and commit hands its journal to the parent.
    """

    MAX_DEPTH = 255

    def __init__(self, base: StorageReader) -> None:
        self.base = base
        self._current: dict[bytes, bytes | None] = {}  # every key written this block → value (None: deleted)
        self._journals: list[dict[bytes, Any]] = []  # per open layer: key → previous entry (or _MISSING)
        self._event_marks: list[int] = []
        # (encoded EventRecord, the event as `events.stored_event` keeps it) of the current block
        self.events: list[tuple[bytes, Any]] = []
        # The base is the parent block's state and does not change under us: each key is read from it once.
        self._base_cache: dict[bytes, bytes | None] = {}
        # key -> (raw bytes object, its decoded immutable value): valid while that same object is stored
        self._decoded: dict[bytes, tuple[bytes | None, Any]] = {}

    def get(self, key: bytes) -> bytes | None:
        """The value at `key` as seen through every layer."""
        value = self._current.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        cache = self._base_cache
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = cache[key] = self.base.get(key)
        return value  # type: ignore[return-value]

    def get_decoded(self, key: bytes, decode: Callable[[bytes | None], Any]) -> Any:
        """`decode(self.get(key))`, memoised while the same bytes object stays at `key`.

        Only for decoders whose results are immutable (ints, bytes, tuples of them): the value is shared.
        """
        raw = self._current.get(key, _MISSING)  # self.get(key), inline: this runs several times per transaction
        if raw is _MISSING:
            cache = self._base_cache
            raw = cache.get(key, _MISSING)
            if raw is _MISSING:
                raw = cache[key] = self.base.get(key)
        entry = self._decoded.get(key)
        if entry is not None and entry[0] is raw:
            return entry[1]
        value = decode(raw)  # type: ignore[arg-type]
        self._decoded[key] = (raw, value)  # type: ignore[assignment]
        return value

    def set_decoded(self, key: bytes, raw: bytes | None, value: Any) -> None:
        """`set(key, raw)` and remember that `raw` decodes to the immutable `value` (see `get_decoded`)."""
        current = self._current  # self.set(key, raw), inline
        if self._journals:
            journal = self._journals[-1]
            if key not in journal:
                journal[key] = current.get(key, _MISSING)
        current[key] = raw
        self._decoded[key] = (raw, value)

    def set(self, key: bytes, value: bytes | None) -> None:
        """Write (or, with None, delete) `key` in the innermost layer."""
        current = self._current
        if self._journals:
            journal = self._journals[-1]
            if key not in journal:
                journal[key] = current.get(key, _MISSING)
        current[key] = value

    def iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """(key, value) under `prefix` in key order, merging base and pending writes; a snapshot taken up front."""
        merged: dict[bytes, bytes | None] = dict(self.base.iter_prefix(prefix))
        for key, value in self._current.items():
            if key.startswith(prefix):
                merged[key] = value
        for key in sorted(merged):
            value = merged[key]
            if value is not None:
                yield key, value

    @property
    def depth(self) -> int:
        """Number of open transactional layers."""
        return len(self._journals)

    def begin(self) -> None:
        """Open a transactional layer."""
        if len(self._journals) >= self.MAX_DEPTH:
            raise TransactionError("transactional layer limit reached")
        self._journals.append({})
        self._event_marks.append(len(self.events))

    def commit(self) -> None:
        """Keep the innermost layer's writes; its journal joins the enclosing layer's (oldest entry wins)."""
        if not self._journals:
            raise TransactionError("commit without an open layer")
        journal = self._journals.pop()
        self._event_marks.pop()
        if self._journals:
            parent = self._journals[-1]
            for key, previous in journal.items():
                if key not in parent:
                    parent[key] = previous

    def rollback(self) -> None:
        """Undo the innermost layer's writes and drop the events deposited in it."""
        if not self._journals:
            raise TransactionError("rollback without an open layer")
        current = self._current
        for key, previous in self._journals.pop().items():
            if previous is _MISSING:
                del current[key]
            else:
                current[key] = previous
        del self.events[self._event_marks.pop():]

    def changes(self) -> dict[bytes, bytes | None]:
        """The block's change set (only valid with no open layers)."""
        if self._journals:
            raise TransactionError(f"{len(self._journals)} layers still open")
        return self._current
