"""SCALE value codecs of the chain database: block bodies and per-block change sets.

Body: `Vec<Vec<u8>>`, each extrinsic kept as the opaque bytes it was given (round-trips exactly).

Change set (`changes` sub-db): the SCALE tuple `(bool, Vec<(Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>)>)`
= (applied, [(key, old value, new value)]). `new` is the value the block wrote (None = deleted). `old` is
the value in the parent's state; it is only known once the block has been applied to the flat `state`
(made canonical), so a fork block that never was best is stored with applied = false and old = None.
Because the state at a parent is fixed, old values never change once filled in: undo reads them, redo
re-derives them. Genesis stores an empty applied set: it is always finalized, so it is never undone.

Decoders raise `Corruption` on truncated, trailing or malformed input, never IndexError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from runtime.scale.compact import decode_compact, encode_compact
from runtime.scale.errors import ScaleDecodeError

from .errors import Corruption


@dataclass(frozen=True, slots=True)
class Change:
    """One key's change in a block: value in the parent state (`old`) and after the block (`new`)."""

    key: bytes
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """All storage changes of one block; `applied` says whether the `old` values are filled in."""

    applied: bool
    changes: tuple[Change, ...]


# Compact prefixes of every length below 2**14 (one or two bytes), precomputed: the change-set encoder runs
# three of them per changed key, thousands of times per block.
_COMPACT_LEN: Final = tuple(encode_compact(n) for n in range(1 << 14))


def _compact_len(length: int) -> bytes:
    return _COMPACT_LEN[length] if length < 16384 else encode_compact(length)


class _Reader:
    """Bounds-checked cursor over stored bytes; every failure is a Corruption naming `what`."""

    __slots__ = ("data", "pos", "what")

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.pos = 0
        self.what = what

    def compact(self) -> int:
        try:
            value, self.pos = decode_compact(self.data, self.pos)
        except ScaleDecodeError as exc:
            raise Corruption(f"{self.what}: {exc}") from exc
        return value

    def take(self, length: int) -> bytes:
        end = self.pos + length
        if end > len(self.data):
            raise Corruption(f"{self.what}: truncated ({length} bytes wanted at offset {self.pos})")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def bytes_(self) -> bytes:
        return self.take(self.compact())

    def option(self) -> bytes | None:
        tag = self.byte()
        if tag == 0:
            return None
        if tag == 1:
            return self.bytes_()
        raise Corruption(f"{self.what}: bad Option tag {tag}")

    def finish(self) -> None:
        if self.pos != len(self.data):
            raise Corruption(f"{self.what}: {len(self.data) - self.pos} trailing bytes")


def encode_body(extrinsics: Sequence[bytes]) -> bytes:
    """Encode a block body as SCALE Vec<Vec<u8>>."""
    out = [encode_compact(len(extrinsics))]
    for xt in extrinsics:
        out.append(_compact_len(len(xt)))
        out.append(xt)
    return b"".join(out)


def decode_body(data: bytes) -> list[bytes]:
    """Decode a stored block body (inverse of `encode_body`)."""
    reader = _Reader(data, "block body")
    count = reader.compact()
    if count > len(data):
        raise Corruption(f"block body: {count} extrinsics cannot fit in {len(data)} bytes")
    items = [reader.bytes_() for _ in range(count)]
    reader.finish()
    return items


def encode_change_set(change_set: ChangeSet) -> bytes:
    """Encode a ChangeSet as SCALE (bool, Vec<(Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>)>)."""
    return encode_change_entries(
        change_set.applied, [(change.key, change.old, change.new) for change in change_set.changes]
    )


def encode_change_entries(applied: bool, entries: Sequence[tuple[bytes, bytes | None, bytes | None]]) -> bytes:
    """`encode_change_set` from plain (key, old, new) tuples: the hot path of every block commit."""
    out = [b"\x01" if applied else b"\x00", encode_compact(len(entries))]
    append = out.append
    for key, old, new in entries:
        append(_compact_len(len(key)))
        append(key)
        if old is None:
            append(b"\x00")
        else:
            append(b"\x01")
            append(_compact_len(len(old)))
            append(old)
        if new is None:
            append(b"\x00")
        else:
            append(b"\x01")
            append(_compact_len(len(new)))
            append(new)
    return b"".join(out)


def decode_change_set(data: bytes) -> ChangeSet:
    """Decode a stored ChangeSet (inverse of `encode_change_set`)."""
    reader = _Reader(data, "change set")
    flag = reader.byte()
    if flag > 1:
        raise Corruption(f"change set: bad applied flag {flag}")
    count = reader.compact()
    if count > len(data):
        raise Corruption(f"change set: {count} changes cannot fit in {len(data)} bytes")
    changes = tuple(Change(reader.bytes_(), reader.option(), reader.option()) for _ in range(count))
    reader.finish()
    return ChangeSet(flag == 1, changes)
