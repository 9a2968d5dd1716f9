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
    """Layered pending changes; layer 0 holds the block's committed changes."""

    MAX_DEPTH = 255

    def __init__(self, base: StorageReader) -> None:
        self.base = base
        self._layers: list[dict[bytes, bytes | None]] = [{}]
        self._event_marks: list[int] = []
        self.events: list[tuple[bytes, Any]] = []  # (encoded EventRecord, PalletEvent) of the current block
        # The base is the parent block's state and does not change under us: each key is read from it once.
        self._base_cache: dict[bytes, bytes | None] = {}
        # key -> (raw bytes object, its decoded immutable value): valid while that same object is stored
        self._decoded: dict[bytes, tuple[bytes | None, Any]] = {}

    def get(self, key: bytes) -> bytes | None:
        """The value at `key` as seen through every layer."""
        for layer in reversed(self._layers):
            value = layer.get(key, _MISSING)
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
        raw = self.get(key)
        entry = self._decoded.get(key)
        if entry is not None and entry[0] is raw:
            return entry[1]
        value = decode(raw)
        self._decoded[key] = (raw, value)
        return value

    def set_decoded(self, key: bytes, raw: bytes | None, value: Any) -> None:
        """`set(key, raw)` and remember that `raw` decodes to the immutable `value` (see `get_decoded`)."""
        self._layers[-1][key] = raw
        self._decoded[key] = (raw, value)

    def set(self, key: bytes, value: bytes | None) -> None:
        """Write (or, with None, delete) `key` in the top layer."""
        self._layers[-1][key] = value

    def iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """(key, value) under `prefix` in key order, merging base and layers; a snapshot taken up front."""
        merged: dict[bytes, bytes | None] = dict(self.base.iter_prefix(prefix))
        for layer in self._layers:
            for key, value in layer.items():
                if key.startswith(prefix):
                    merged[key] = value
        for key in sorted(merged):
            value = merged[key]
            if value is not None:
                yield key, value

    @property
    def depth(self) -> int:
        """Number of open transactional layers."""
        return len(self._layers) - 1

    def begin(self) -> None:
        """Open a transactional layer."""
        if len(self._layers) > self.MAX_DEPTH:
            raise TransactionError("transactional layer limit reached")
        self._layers.append({})
        self._event_marks.append(len(self.events))

    def commit(self) -> None:
        """Fold the top layer into the one below."""
        if len(self._layers) < 2:
            raise TransactionError("commit without an open layer")
        top = self._layers.pop()
        self._layers[-1].update(top)
        self._event_marks.pop()

    def rollback(self) -> None:
        """Discard the top layer and the events deposited in it."""
        if len(self._layers) < 2:
            raise TransactionError("rollback without an open layer")
        self._layers.pop()
        del self.events[self._event_marks.pop():]

    def changes(self) -> dict[bytes, bytes | None]:
        """The block's change set (only valid with no open layers)."""
        if len(self._layers) != 1:
            raise TransactionError(f"{len(self._layers) - 1} layers still open")
        return self._layers[0]
