"""The future queue: valid transactions still waiting for a required tag (e.g. nonce n+1 before n).

Mirrors sc-transaction-pool `graph/future.rs`: each waiting transaction keeps its `missing` tags, and an
index from wanted tag to waiting hashes lets the ready queue promote them as soon as a tag is provided.
Insertion order is kept (dicts) so promotion and eviction are deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from node.txpool.transaction import PoolTransaction


@dataclass(slots=True)
class WaitingTx:
    """A transaction plus the required tags not yet provided; `imported_at` orders evictions (oldest first)."""

    tx: PoolTransaction
    missing: set[bytes]
    imported_at: int

    @property
    def is_ready(self) -> bool:
        """True once every required tag is provided."""
        return not self.missing


def waiting_for(
    tx: PoolTransaction, provided: Mapping[bytes, bytes], recently_pruned: Iterable[set[bytes]], imported_at: int
) -> WaitingTx:
    """Compute which of `tx.requires` are missing given ready-provided and recently-pruned tags."""
    pruned = tuple(recently_pruned)
    missing = {t for t in tx.requires if t not in provided and not any(t in p for p in pruned)}
    return WaitingTx(tx, missing, imported_at)


class FutureTransactions:
    """Transactions waiting for tags, by hash and by wanted tag."""

    def __init__(self) -> None:
        self._wanted: dict[bytes, dict[bytes, None]] = {}
        self._waiting: dict[bytes, WaitingTx] = {}
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._waiting)

    def __contains__(self, tx_hash: object) -> bool:
        return tx_hash in self._waiting

    @property
    def total_bytes(self) -> int:
        """Total encoded size of the waiting transactions."""
        return self._bytes

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        """The waiting transaction with this hash, if any."""
        waiting = self._waiting.get(tx_hash)
        return waiting.tx if waiting is not None else None

    def all(self) -> list[PoolTransaction]:
        """All waiting transactions, oldest first."""
        return [w.tx for w in self._waiting.values()]

    def import_(self, waiting: WaitingTx) -> None:
        """Add a transaction that still misses at least one tag."""
        tx_hash = waiting.tx.hash
        for tag in waiting.missing:
            self._wanted.setdefault(tag, {})[tx_hash] = None
        self._waiting[tx_hash] = waiting
        self._bytes += waiting.tx.size

    def satisfy_tags(self, tags: Iterable[bytes]) -> list[WaitingTx]:
        """Mark `tags` as provided; remove and return the transactions that became ready."""
        became_ready: list[WaitingTx] = []
        for tag in tags:
            hashes = self._wanted.pop(tag, None)
            if hashes is None:
                continue
            for tx_hash in hashes:
                waiting = self._waiting[tx_hash]
                waiting.missing.discard(tag)
                if waiting.is_ready:
                    del self._waiting[tx_hash]
                    self._bytes -= waiting.tx.size
                    became_ready.append(waiting)
        return became_ready

    def remove(self, hashes: Iterable[bytes]) -> list[PoolTransaction]:
        """Remove the given transactions; return those that were present."""
        removed: list[PoolTransaction] = []
        for tx_hash in hashes:
            waiting = self._waiting.pop(tx_hash, None)
            if waiting is None:
                continue
            self._bytes -= waiting.tx.size
            for tag in waiting.missing:
                wanted = self._wanted.get(tag)
                if wanted is not None:
                    wanted.pop(tx_hash, None)
                    if not wanted:
                        del self._wanted[tag]
            removed.append(waiting.tx)
        return removed

    def prune_tags(self, tags: Iterable[bytes]) -> list[PoolTransaction]:
        """Remove the waiting transactions that provide any of `tags` (those tags are now on chain)."""
        tag_set = set(tags)
        doomed = [h for h, w in self._waiting.items() if any(t in tag_set for t in w.tx.provides)]
        return self.remove(doomed)

    def oldest(self) -> PoolTransaction | None:
        """The transaction waiting the longest (evicted first when the queue is over its limit)."""
        # Dict order is import order, and `imported_at` only grows, so the first entry is the oldest.
        first = next(iter(self._waiting.values()), None)
        return first.tx if first is not None else None
