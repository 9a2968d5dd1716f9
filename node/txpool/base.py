"""The dependency graph of validated transactions: ready + future queues (sc-transaction-pool `base_pool.rs`).

`BasePool.import_` places a transaction in the future queue if a required tag is missing, otherwise in
the ready queue, promoting every future transaction it (transitively) unlocks. `prune_tags` removes what
a new block made obsolete; `enforce_limits` evicts the worst transactions when a queue is over its limit.
Nothing here validates, bans or notifies: `pool.Pool` does that from the returned outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from node.txpool.errors import AlreadyImported, CycleDetected, PoolError, TooLowPriority
from node.txpool.future import FutureTransactions, WaitingTx, waiting_for
from node.txpool.ready import BestIterator, ReadyTransactions
from node.txpool.transaction import Limit, PoolStatus, PoolTransaction

RECENTLY_PRUNED_TAGS = 2


@dataclass(slots=True)
class Imported:
    """Outcome of an import: where the transaction went and what else moved."""

    hash: bytes
    ready: bool
    promoted: list[bytes] = field(default_factory=list)
    failed: list[bytes] = field(default_factory=list)
    removed: list[PoolTransaction] = field(default_factory=list)


@dataclass(slots=True)
class PruneStatus:
    """Outcome of `prune_tags`: promotions, future transactions dropped, ready transactions pruned."""

    promoted: list[Imported]
    failed: list[bytes]
    pruned: list[PoolTransaction]


class BasePool:
    """Ready and future queues plus the tags pruned by the last two blocks."""

    def __init__(self) -> None:
        self.ready = ReadyTransactions()
        self.future = FutureTransactions()
        self._recently_pruned: list[set[bytes]] = [set() for _ in range(RECENTLY_PRUNED_TAGS)]
        self._recently_pruned_index = 0
        self._import_counter = 0

    def is_imported(self, tx_hash: bytes) -> bool:
        """True if the hash is in either queue."""
        return tx_hash in self.ready or tx_hash in self.future

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        """The transaction with this hash from either queue."""
        tx = self.ready.get(tx_hash)
        return tx if tx is not None else self.future.get(tx_hash)

    def import_(self, tx: PoolTransaction) -> Imported:
        """Import a validated transaction (raises AlreadyImported, TooLowPriority or CycleDetected)."""
        if self.is_imported(tx.hash):
            raise AlreadyImported(tx.hash)
        self._import_counter += 1
        waiting = waiting_for(tx, self.ready.provided_tags, self._recently_pruned, self._import_counter)
        if not waiting.is_ready:
            self.future.import_(waiting)
            return Imported(tx.hash, ready=False)
        return self._import_to_ready(waiting)

    def _import_to_ready(self, first_tx: WaitingTx) -> Imported:
        tx_hash = first_tx.tx.hash
        outcome = Imported(tx_hash, ready=True)
        first = True
        to_import = [first_tx]
        while to_import:
            current = to_import.pop()
            current_hash = current.tx.hash
            try:
                replaced = self.ready.import_(current.tx)
            except TooLowPriority:
                if first:
                    raise
                outcome.removed.append(current.tx)
                outcome.promoted = [h for h in outcome.promoted if h != current_hash]
            except PoolError:
                if first:
                    raise
                outcome.failed.append(current_hash)
            else:
                if not first:
                    outcome.promoted.append(current_hash)
                if replaced:
                    gone = {r.hash for r in replaced}
                    outcome.promoted = [h for h in outcome.promoted if h not in gone]
                    outcome.removed.extend(replaced)
                # Unlock future transactions only once this one is really in the ready queue
                # (Substrate unlocks first, which loses them if the import then fails).
                to_import.extend(self.future.satisfy_tags(current.tx.provides))
            first = False
        if any(r.hash == tx_hash for r in outcome.removed):
            # A promoted transaction pushed out the one being imported: a cycle we cannot resolve.
            self.ready.remove_subtree(outcome.promoted)
            raise CycleDetected()
        return outcome

    def ready_iter(self) -> BestIterator:
        """Ready transactions in block-inclusion order."""
        return self.ready.iterate()

    def remove_subtree(self, hashes: Iterable[bytes]) -> list[PoolTransaction]:
        """Remove these transactions (ready or future) and every ready transaction depending on them."""
        hash_list = list(hashes)
        removed = self.ready.remove_subtree(hash_list)
        removed.extend(self.future.remove(hash_list))
        return removed

    def prune_tags(self, tags: Iterable[bytes]) -> PruneStatus:
        """Forget transactions providing `tags` (included in a block); promote what they unblock."""
        tag_list = list(dict.fromkeys(tags))
        recently = self._recently_pruned[self._recently_pruned_index]
        self._recently_pruned_index = (self._recently_pruned_index + 1) % RECENTLY_PRUNED_TAGS
        recently.clear()
        failed = [tx.hash for tx in self.future.prune_tags(tag_list)]
        to_import: list[WaitingTx] = []
        pruned: list[PoolTransaction] = []
        for tag in tag_list:
            to_import.extend(self.future.satisfy_tags((tag,)))
            pruned.extend(self.ready.prune_tag(tag))
            recently.add(tag)
        promoted: list[Imported] = []
        for waiting in to_import:
            try:
                promoted.append(self._import_to_ready(waiting))
            except PoolError:
                failed.append(waiting.tx.hash)
        return PruneStatus(promoted, failed, pruned)

    def enforce_limits(self, ready: Limit, future: Limit) -> list[PoolTransaction]:
        """Evict until both queues fit: lowest priority (oldest first on ties) from ready, oldest from future."""
        removed: list[PoolTransaction] = []
        while ready.is_exceeded(len(self.ready), self.ready.total_bytes):
            worst = min(self.ready.entries(), key=lambda e: (e.tx.priority, e.insertion_id), default=None)
            if worst is None:
                break
            removed.extend(self.remove_subtree([worst.tx.hash]))
        while future.is_exceeded(len(self.future), self.future.total_bytes):
            oldest = self.future.oldest()
            if oldest is None:
                break
            removed.extend(self.remove_subtree([oldest.hash]))
        return removed

    def status(self) -> PoolStatus:
        """Queue sizes."""
        return PoolStatus(len(self.ready), self.ready.total_bytes, len(self.future), self.future.total_bytes)
