"""The ready queue: transactions whose every required tag is provided, and the block builder's iterator.

Mirrors sc-transaction-pool `graph/ready.rs`. Each ready transaction records which ready transactions it
`unlocks` (those requiring a tag it provides) and `requires_offset`, how many of its required tags are
provided from outside the queue (already on chain, or pruned). `best` holds the transactions with no
in-queue dependency. `BestIterator` yields by priority (higher first), then shorter `valid_till`, then
insertion order, never before the transactions providing its required tags.
Only one ready transaction provides a given tag: a newcomer providing it must have a strictly higher
priority than the sum of the ones it replaces (else `TooLowPriority`), and replaces them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from node.txpool.errors import TooLowPriority
from node.txpool.transaction import U64_MAX, PoolTransaction


@dataclass(slots=True)
class ReadyTx:
    """A ready transaction with its dependency links (mutable bookkeeping around an immutable tx)."""

    tx: PoolTransaction
    insertion_id: int
    unlocks: list[bytes]
    requires_offset: int

    def heap_key(self) -> tuple[int, int, int]:
        """Min-heap key for `BestIterator`: priority desc, valid_till asc, insertion asc."""
        return (-self.tx.priority, self.tx.valid_till, self.insertion_id)


def _remove_item(items: list[bytes], item: bytes) -> None:
    try:
        items.remove(item)
    except ValueError:
        pass


class ReadyTransactions:
    """Ready transactions indexed by hash and by provided tag."""

    def __init__(self) -> None:
        self._insertion_id = 0
        self._provided: dict[bytes, bytes] = {}
        self._ready: dict[bytes, ReadyTx] = {}
        self._best: dict[bytes, ReadyTx] = {}
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._ready)

    def __contains__(self, tx_hash: object) -> bool:
        return tx_hash in self._ready

    @property
    def total_bytes(self) -> int:
        """Total encoded size of the ready transactions."""
        return self._bytes

    @property
    def provided_tags(self) -> Mapping[bytes, bytes]:
        """Read-only view: tag → hash of the ready transaction providing it."""
        return self._provided

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        """The ready transaction with this hash, if any."""
        entry = self._ready.get(tx_hash)
        return entry.tx if entry is not None else None

    def entries(self) -> Iterable[ReadyTx]:
        """All entries in insertion order (for limit enforcement and re-validation)."""
        return self._ready.values()

    def iterate(self) -> BestIterator:
        """A `BestIterator` over a snapshot of the queue."""
        return BestIterator(dict(self._ready), self._best.values())

    def import_(self, tx: PoolTransaction) -> list[PoolTransaction]:
        """Insert a transaction whose requirements are all met; return the transactions it replaced.

        Raises `TooLowPriority` if it provides a tag already provided with priority ≥ its own.
        """
        replaced, unlocks = self._replace_previous(tx)
        self._insertion_id += 1
        goes_to_best = True
        requires_offset = 0
        for tag in tx.requires:
            other = self._provided.get(tag)
            if other is not None:
                self._ready[other].unlocks.append(tx.hash)
                goes_to_best = False
            else:
                requires_offset += 1
        for tag in tx.provides:
            self._provided[tag] = tx.hash
        entry = ReadyTx(tx, self._insertion_id, unlocks, requires_offset)
        if goes_to_best:
            self._best[tx.hash] = entry
        self._ready[tx.hash] = entry
        self._bytes += tx.size
        return replaced

    def _replace_previous(self, tx: PoolTransaction) -> tuple[list[PoolTransaction], list[bytes]]:
        replace = list(dict.fromkeys(self._provided[t] for t in tx.provides if t in self._provided))
        if not replace:
            return [], []
        old_priority = min(sum(self._ready[h].tx.priority for h in replace), U64_MAX)
        if old_priority >= tx.priority:
            raise TooLowPriority(old_priority, tx.priority)
        unlocks = [u for h in replace for u in self._ready[h].unlocks]
        removed = self._remove_subtree(replace, keep_tags=frozenset(tx.provides))
        return removed, unlocks

    def remove_subtree(self, hashes: Iterable[bytes]) -> list[PoolTransaction]:
        """Remove the given transactions and everything depending on them; return what was removed."""
        return self._remove_subtree(list(hashes), keep_tags=None)

    def _remove_subtree(self, to_remove: list[bytes], keep_tags: frozenset[bytes] | None) -> list[PoolTransaction]:
        # Descend into dependents only when a provided tag actually disappears (`keep_tags` are about
        # to be re-provided by a replacement, so dependents on those stay).
        removed: list[PoolTransaction] = []
        while to_remove:
            tx_hash = to_remove.pop()
            entry = self._ready.pop(tx_hash, None)
            if entry is None:
                continue
            tx = entry.tx
            self._bytes -= tx.size
            invalidated = [t for t in tx.provides if keep_tags is None or t not in keep_tags]
            for tag in invalidated:
                if self._provided.get(tag) == tx_hash:
                    del self._provided[tag]
            for tag in tx.requires:
                parent_hash = self._provided.get(tag)
                parent = self._ready.get(parent_hash) if parent_hash is not None else None
                if parent is not None:
                    _remove_item(parent.unlocks, tx_hash)
            self._best.pop(tx_hash, None)
            if invalidated:
                to_remove.extend(entry.unlocks)
            removed.append(tx)
        return removed

    def prune_tag(self, tag: bytes) -> list[PoolTransaction]:
        """Remove the transaction providing `tag` (now on chain) and its now-useless predecessors.

        Dependents stay: their requirement is now met by the chain, so they may move to `best`.
        """
        removed: list[PoolTransaction] = []
        to_remove = [tag]
        while to_remove:
            current = to_remove.pop()
            tx_hash = self._provided.pop(current, None)
            entry = self._ready.pop(tx_hash, None) if tx_hash is not None else None
            if entry is None or tx_hash is None:
                continue
            tx = entry.tx
            self._bytes -= tx.size
            self._best.pop(tx_hash, None)
            for req in tx.requires:
                prev_hash = self._provided.get(req)
                prev = self._ready.get(prev_hash) if prev_hash is not None else None
                if prev is None:
                    continue
                _remove_item(prev.unlocks, tx_hash)
                if not prev.unlocks:
                    to_remove.extend(prev.tx.provides)
            for child_hash in entry.unlocks:
                child = self._ready.get(child_hash)
                if child is not None:
                    child.requires_offset += 1
                    if child.requires_offset >= len(child.tx.requires):
                        self._best[child_hash] = child
            for other in tx.provides:
                if other != current and self._provided.get(other) == tx_hash:
                    del self._provided[other]
            removed.append(tx)
        return removed


class BestIterator(Iterator[PoolTransaction]):
    """Ready transactions in inclusion order (sc-transaction-pool `BestIterator`).

    Works on a snapshot of the queue taken when created. `report_invalid` makes it skip everything that
    depends on the reported transaction. Never yields a transaction twice.
    """

    def __init__(self, all_ready: dict[bytes, ReadyTx], best: Iterable[ReadyTx]) -> None:
        self._all = all_ready
        self._heap: list[tuple[tuple[int, int, int], ReadyTx]] = [(e.heap_key(), e) for e in best]
        heapq.heapify(self._heap)
        self._awaiting: dict[bytes, tuple[int, ReadyTx]] = {}
        self._invalid: set[bytes] = set()
        self._yielded: set[bytes] = set()

    def __iter__(self) -> BestIterator:
        return self

    def __next__(self) -> PoolTransaction:
        while self._heap:
            _, entry = heapq.heappop(self._heap)
            tx_hash = entry.tx.hash
            if tx_hash in self._invalid or tx_hash in self._yielded:
                continue
            ready = self._all.get(tx_hash)
            if ready is None:
                continue
            for child_hash in ready.unlocks:
                waiting = self._awaiting.pop(child_hash, None)
                if waiting is not None:
                    satisfied, child = waiting[0] + 1, waiting[1]
                else:
                    found = self._all.get(child_hash)
                    if found is None:
                        continue
                    satisfied, child = found.requires_offset + 1, found
                if satisfied >= len(child.tx.requires):
                    heapq.heappush(self._heap, (child.heap_key(), child))
                else:
                    self._awaiting[child_hash] = (satisfied, child)
            self._yielded.add(tx_hash)
            return entry.tx
        raise StopIteration

    def report_invalid(self, tx_hash: bytes) -> None:
        """Skip every transaction that depends on `tx_hash` (the builder found it invalid)."""
        entry = self._all.get(tx_hash)
        if entry is not None:
            self._invalid.update(entry.unlocks)
