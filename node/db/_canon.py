"""Canonical-chain maintenance inside one write transaction: apply, undo, and reorganise.

`Writer` wraps a single LMDB write txn. Applying a block to the canonical chain means: read each changed
key's current (= parent) value from the flat `state`, write the new value there, record it in `history`
at the block's number, store the change set with its old values (applied = true), set
`canonical[number]` and `meta.best`. Undo is the exact inverse, driven by the stored old values. A reorg
to block T walks T's ancestors back to the first canonical one (the common ancestor A), undoes the
canonical blocks above A from the top down, then re-applies T's branch from A upwards, all in the same
txn, so readers see either the old chain or the new one.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Corruption, FinalityReversal, NoGenesis, UnknownBlock
from .kv import LmdbEnv, Txn
from .records import ChangeSet, decode_change_set, encode_change_entries
from .schema import (
    CANONICAL,
    CHANGES,
    HEADERS,
    HISTORY,
    HISTORY_TOMBSTONE,
    HISTORY_VALUE,
    META,
    META_BEST,
    META_FINALIZED,
    STATE,
    header_parent_and_number,
    history_key,
    number_key,
)


class Writer:
    """Canonical-chain operations over one write transaction (never outlives it)."""

    __slots__ = ("canonical", "changes", "headers", "history", "meta", "state", "txn")

    def __init__(self, env: LmdbEnv, txn: Txn) -> None:
        """Bind to `txn` and the environment's sub-database handles."""
        self.txn = txn
        self.headers = env.db(HEADERS)
        self.canonical = env.db(CANONICAL)
        self.meta = env.db(META)
        self.state = env.db(STATE)
        self.history = env.db(HISTORY)
        self.changes = env.db(CHANGES)

    # -- lookups ---------------------------------------------------------------------------------

    def parent_and_number(self, block_hash: bytes) -> tuple[bytes, int]:
        """(parent hash, number) of a stored block; UnknownBlock if absent."""
        header = self.txn.get(block_hash, db=self.headers)
        if header is None:
            raise UnknownBlock(f"0x{block_hash.hex()}")
        return header_parent_and_number(header)

    def canonical_hash(self, number: int) -> bytes | None:
        """Hash of the canonical block at `number`, if any."""
        return self.txn.get(number_key(number), db=self.canonical)

    def meta_hash(self, key: bytes) -> bytes:
        """A hash stored in `meta` (best / finalized / genesis); NoGenesis if unset."""
        value = self.txn.get(key, db=self.meta)
        if value is None:
            raise NoGenesis(f"meta `{key.decode()}` is unset: the database has no genesis")
        return value

    def change_set(self, block_hash: bytes) -> ChangeSet:
        """The stored change set of a block; Corruption if missing."""
        data = self.txn.get(block_hash, db=self.changes)
        if data is None:
            raise Corruption(f"block 0x{block_hash.hex()} has a header but no change set")
        return decode_change_set(data)

    # -- canonical-chain edits -------------------------------------------------------------------

    def apply(self, block_hash: bytes, number: int, new_values: Iterable[tuple[bytes, bytes | None]]) -> None:
        """Make `block_hash` (a child of the current best) the best block, applying its changes."""
        txn, state, history = self.txn, self.state, self.history
        get, put, delete = txn.get, txn.put, txn.delete
        applied: list[tuple[bytes, bytes | None, bytes | None]] = []
        for key, new in new_values:
            old = get(key, db=state)
            if new is None:
                delete(key, db=state)
                put(history_key(key, number), HISTORY_TOMBSTONE, db=history)
            else:
                put(key, new, db=state)
                put(history_key(key, number), HISTORY_VALUE + new, db=history)
            applied.append((key, old, new))
        put(block_hash, encode_change_entries(True, applied), db=self.changes)
        txn.put(number_key(number), block_hash, db=self.canonical)
        txn.put(META_BEST, block_hash, db=self.meta)

    def undo(self, block_hash: bytes, number: int) -> None:
        """Revert the best block `block_hash` (at `number`) so that its parent becomes best."""
        change_set = self.change_set(block_hash)
        if not change_set.applied:
            raise Corruption(f"canonical block 0x{block_hash.hex()} has an unapplied change set")
        txn, state = self.txn, self.state
        for change in change_set.changes:
            if change.old is None:
                txn.delete(change.key, db=state)
            else:
                txn.put(change.key, change.old, db=state)
            txn.delete(history_key(change.key, number), db=self.history)
        txn.delete(number_key(number), db=self.canonical)

    def reorg_to(self, target: bytes) -> None:
        """Make the stored block `target` the best block, undoing and redoing canonical blocks."""
        best = self.meta_hash(META_BEST)
        if target == best:
            return
        branch: list[tuple[bytes, int]] = []
        cursor = target
        parent, number = self.parent_and_number(cursor)
        while self.canonical_hash(number) != cursor:
            if number == 0:
                raise Corruption(f"block 0x{target.hex()} descends from a non-canonical genesis")
            branch.append((cursor, number))
            cursor = parent
            parent, number = self.parent_and_number(cursor)
        ancestor_number = number
        finalized_number = self.parent_and_number(self.meta_hash(META_FINALIZED))[1]
        _, best_number = self.parent_and_number(best)
        if ancestor_number < finalized_number:
            raise FinalityReversal(
                f"reorg to 0x{target.hex()} would revert finalized block #{finalized_number} "
                f"(common ancestor is #{ancestor_number})"
            )
        for undo_number in range(best_number, ancestor_number, -1):
            undo_hash = self.canonical_hash(undo_number)
            if undo_hash is None:
                raise Corruption(f"canonical chain has a gap at #{undo_number} below best #{best_number}")
            self.undo(undo_hash, undo_number)
        self.txn.put(META_BEST, cursor, db=self.meta)
        for redo_hash, redo_number in reversed(branch):
            change_set = self.change_set(redo_hash)
            self.apply(redo_hash, redo_number, ((c.key, c.new) for c in change_set.changes))

