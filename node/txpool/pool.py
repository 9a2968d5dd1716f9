"""The node's transaction pool: validation, bans, limits, block maintenance and status events.

Mirrors sc-transaction-pool's single-state pool (`graph/pool.rs` + `validated_pool.rs` + maintenance):
`submit` validates through the node-supplied validator (`validate(xt, at_number) -> ValidTransaction`,
raising `TransactionValidityError`), refuses banned (1012) and known (1013) hashes, bans invalid ones
(1010), imports into the ready/future graph and enforces the limits (1016 if the newcomer itself is
evicted). `on_block_imported` prunes what the block included (`inBlock`), re-verifies displaced
transactions, removes stale ones (`invalid`, as Substrate does) and re-validates the rest against the
new head. Everything is synchronous and non-blocking, so it can be called directly from trio tasks;
status streams are trio memory channels (see `watch.py`).
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import trio

from node.txpool.base import BasePool, Imported
from node.txpool.errors import (
    AlreadyImported,
    ImmediatelyDropped,
    NoTagsProvided,
    PoolError,
    PoolInvalidTransaction,
    PoolUnknownTransaction,
    TemporarilyBanned,
)
from node.txpool.ready import BestIterator
from node.txpool.rotator import Rotator
from node.txpool.transaction import PoolOptions, PoolStatus, PoolTransaction
from node.txpool.watch import DROPPED, FUTURE, INVALID, READY, ImportNotifier, Listener, Watcher, usurped
from runtime.primitives.hashing import blake2_256
from runtime.validity import InvalidTransaction, UnknownTransaction, ValidTransaction

log = logging.getLogger("node.txpool")

Validator = Callable[[bytes, int], ValidTransaction]


def hash_of(xt: bytes) -> bytes:
    """The pool/RPC transaction hash: blake2_256 of the full extrinsic bytes (length prefix included)."""
    return blake2_256(xt)


@dataclass(slots=True)
class MaintenanceReport:
    """What `on_block_imported` did (hash lists), for logs, metrics and tests."""

    in_block: list[bytes] = field(default_factory=list)
    promoted: list[bytes] = field(default_factory=list)
    invalid: list[bytes] = field(default_factory=list)
    dropped: list[bytes] = field(default_factory=list)
    revalidated: int = 0


class Pool:
    """Transaction pool with Substrate's semantics; see the module docstring."""

    def __init__(
        self, validate: Validator, *, options: PoolOptions | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._validate = validate
        self.options = options if options is not None else PoolOptions()
        self._base = BasePool()
        self._rotator = Rotator(self.options.ban_seconds, clock)
        self._listener = Listener(self.options.watcher_buffer)
        self._imports = ImportNotifier()
        self._validated_at: dict[bytes, int] = {}

    # ---- submission -------------------------------------------------------------------------------

    def submit(self, xt: bytes, *, at_number: int) -> bytes:
        """Validate `xt` at block `at_number` and import it; return its hash. Raises a `PoolError`."""
        tx = self._verify_new(xt, at_number)
        self._submit_valid(tx, at_number)
        return tx.hash

    def submit_and_watch(self, xt: bytes, *, at_number: int) -> Watcher:
        """Like `submit`, returning a status stream whose first status is "ready" or "future"."""
        tx = self._verify_new(xt, at_number)
        watcher = self._listener.create_watcher(tx.hash)
        try:
            self._submit_valid(tx, at_number)
        except PoolError:
            self._listener.discard(watcher)
            raise
        return watcher

    def _verify_new(self, xt: bytes, at_number: int) -> PoolTransaction:
        tx_hash = blake2_256(xt)
        if self._rotator.is_banned(tx_hash):
            raise TemporarilyBanned()
        if self._base.is_imported(tx_hash):
            raise AlreadyImported(tx_hash)
        return self._verify(xt, tx_hash, at_number)

    def _verify(self, xt: bytes, tx_hash: bytes, at_number: int) -> PoolTransaction:
        try:
            validity = self._validate(xt, at_number)
        except InvalidTransaction as e:
            self._rotator.ban((tx_hash,))
            raise PoolInvalidTransaction(e) from e
        except UnknownTransaction as e:
            raise PoolUnknownTransaction(e) from e
        if not validity.provides:
            self._rotator.ban((tx_hash,))
            raise NoTagsProvided()
        return PoolTransaction.from_validity(xt, tx_hash, at_number, validity)

    def _submit_valid(self, tx: PoolTransaction, at_number: int) -> None:
        imported = self._base.import_(tx)
        self._validated_at[tx.hash] = at_number
        self._fire_imported(imported)
        if tx.hash in self._enforce_limits():
            raise ImmediatelyDropped()

    def _fire_imported(self, imported: Imported) -> None:
        fire = self._listener.fire
        if not imported.ready:
            fire(imported.hash, FUTURE)
            return
        fire(imported.hash, READY)
        self._imports.notify(imported.hash)
        for failed in imported.failed:
            fire(failed, INVALID)
        for replaced in imported.removed:
            fire(replaced.hash, usurped(imported.hash))
        for promoted in imported.promoted:
            fire(promoted, READY)
            self._imports.notify(promoted)

    def _enforce_limits(self) -> set[bytes]:
        st = self._base.status()
        opts = self.options
        if not (opts.ready.is_exceeded(st.ready, st.ready_bytes) or opts.future.is_exceeded(st.future, st.future_bytes)):
            return set()
        removed = {tx.hash for tx in self._base.enforce_limits(opts.ready, opts.future)}
        self._rotator.ban(removed)
        for tx_hash in removed:
            self._listener.fire(tx_hash, DROPPED)
        log.debug("txpool: limits enforced, %d dropped", len(removed))
        return removed

    # ---- queries --------------------------------------------------------------------------------

    def ready(self) -> BestIterator:
        """Ready transactions in block-inclusion order, over a snapshot of the ready queue.

        A block builder calls `it.report_invalid(hash)` when a transaction fails to apply (its dependents
        are then skipped) and afterwards `pool.remove_invalid(hashes)`; a transaction skipped for block
        exhaustion is simply not reported and stays in the pool.
        """
        return self._base.ready_iter()

    def futures(self) -> list[PoolTransaction]:
        """Transactions waiting for a required tag, oldest first."""
        return self._base.future.all()

    def pending(self, *, include_future: bool = False) -> list[bytes]:
        """Extrinsic bytes for `author_pendingExtrinsics` (Substrate returns the ready ones only)."""
        out = [tx.data for tx in self._base.ready_iter()]
        if include_future:
            out.extend(tx.data for tx in self._base.future.all())
        return out

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        """The pooled transaction with this hash (ready or future)."""
        return self._base.get(tx_hash)

    def __contains__(self, tx_hash: object) -> bool:
        return isinstance(tx_hash, bytes) and self._base.is_imported(tx_hash)

    def is_banned(self, tx_hash: bytes) -> bool:
        """True while the hash is temporarily banned."""
        return self._rotator.is_banned(tx_hash)

    def status(self) -> PoolStatus:
        """Ready/future counts and bytes."""
        return self._base.status()

    def provides_tags(self) -> Mapping[bytes, bytes]:
        """Read-only view of tag → hash of the ready transaction providing it."""
        return self._base.ready.provided_tags

    def count_consecutive(self, tag_of: Callable[[int], bytes], start: int) -> int:
        """How many of `tag_of(start)`, `tag_of(start + 1)`, … are provided by ready transactions in a row.

        For `system_accountNextIndex`: next index = on-chain nonce + `count_consecutive(
        lambda n: account_id + n.to_bytes(4, "little"), onchain_nonce)`.
        """
        provided = self._base.ready.provided_tags
        count = 0
        while tag_of(start + count) in provided:
            count += 1
        return count

    def import_notifications(self, buffer: int = 1024) -> trio.MemoryReceiveChannel[bytes]:
        """Hashes of transactions as they become ready (for waking a proposer)."""
        return self._imports.subscribe(buffer)

    # ---- removal --------------------------------------------------------------------------------

    def remove_invalid(self, hashes: Iterable[bytes]) -> list[bytes]:
        """Ban `hashes`, remove them and their dependents (status "invalid"); return the removed hashes.

        Used for `author_removeExtrinsic` and by the block builder for transactions found invalid.
        """
        roots = list(hashes)
        if not roots:
            return []
        self._rotator.ban(roots)
        removed = [tx.hash for tx in self._base.remove_subtree(roots)]
        for tx_hash in removed:
            self._listener.fire(tx_hash, INVALID)
        return removed

    def remove(self, hashes: Iterable[bytes]) -> list[bytes]:
        """`author_removeExtrinsic`: same as `remove_invalid`."""
        return self.remove_invalid(hashes)

    # ---- chain events ---------------------------------------------------------------------------

    def on_block_imported(
        self,
        extrinsics: Sequence[bytes],
        *,
        at_number: int,
        block_hash: bytes,
        hashes: Sequence[bytes] = (),
        revalidate: bool | int = True,
    ) -> MaintenanceReport:
        """A new best block `block_hash` (number `at_number`) with body `extrinsics` (and/or `hashes`).

        Included transactions leave the pool (`inBlock`, and their hash is banned as Substrate's
        re-verification does); transactions they unblock are promoted; others providing the same tags
        are re-verified; stale ones (`valid_till <= at_number`) are removed as `invalid`; then up to
        `revalidate` transactions (True: all; False/0: none), least recently validated first, are
        re-validated at `at_number`.
        """
        report = MaintenanceReport()
        xt_by_hash = {blake2_256(xt): xt for xt in extrinsics}
        block_hashes = list(dict.fromkeys([*xt_by_hash, *hashes]))
        block_set = set(block_hashes)
        tags: list[bytes] = []
        known: list[bytes] = []
        for tx_hash in block_hashes:
            tx = self._base.get(tx_hash)
            if tx is not None:
                tags.extend(tx.provides)
                known.append(tx_hash)
            elif tx_hash in xt_by_hash and at_number > 0:
                try:  # not ours: learn its tags at the parent, as Substrate does
                    tags.extend(self._validate(xt_by_hash[tx_hash], at_number - 1).provides)
                except (InvalidTransaction, UnknownTransaction):
                    continue
        pruned = self._base.prune_tags(tags)
        for imported in pruned.promoted:
            self._fire_imported(imported)
            report.promoted.extend([imported.hash, *imported.promoted])
        for tx_hash in pruned.failed:
            if tx_hash not in block_set:
                self._listener.fire(tx_hash, DROPPED)
                report.dropped.append(tx_hash)
        self._rotator.ban(known)
        for tx_hash in block_hashes:
            self._listener.in_block(block_hash, tx_hash)
        report.in_block = known
        for tx in pruned.pruned:
            if tx.hash not in block_set:
                self._reverify_displaced(tx, at_number, report)
        self._clear_stale(at_number, report)
        self._rotator.clear_timeouts()
        live = self._validated_at
        self._validated_at = {h: live.get(h, at_number) for h in self._all_hashes()}
        if revalidate is True:
            self._revalidate(at_number, None, report)
        elif revalidate:
            self._revalidate(at_number, int(revalidate), report)
        return report

    def on_block_finalized(self, block_hash: bytes, included: Iterable[bytes] = ()) -> None:
        """`finalized(block_hash)` to watchers told `inBlock(block_hash)` (and to watched `included`).

        Call it for every newly finalized block, oldest first.
        """
        self._listener.finalized(block_hash, list(included))

    def on_block_retracted(self, block_hash: bytes) -> None:
        """`retracted(block_hash)` to watchers told `inBlock(block_hash)`; then call `resubmit` with its body."""
        self._listener.retracted(block_hash)

    def resubmit(self, extrinsics: Iterable[bytes], *, at_number: int) -> list[bytes]:
        """Re-import transactions of retracted blocks, ignoring bans (Substrate's `resubmit_at`).

        Failures (invalid, already imported, limits) are skipped silently; returns the imported hashes.
        """
        imported: list[bytes] = []
        for xt in extrinsics:
            tx_hash = blake2_256(xt)
            if self._base.is_imported(tx_hash):
                continue
            try:
                self._submit_valid(self._verify(xt, tx_hash, at_number), at_number)
            except PoolError:
                continue
            imported.append(tx_hash)
        return imported

    def _all_hashes(self) -> list[bytes]:
        return [e.tx.hash for e in self._base.ready.entries()] + [tx.hash for tx in self._base.future.all()]

    def _reverify_displaced(self, tx: PoolTransaction, at_number: int, report: MaintenanceReport) -> None:
        # Pruned because the block provided one of its tags, but not itself in the block.
        try:
            fresh = self._verify(tx.data, tx.hash, at_number)
            imported = self._base.import_(fresh)
        except PoolError:
            self._listener.fire(tx.hash, INVALID)
            report.invalid.append(tx.hash)
            return
        self._fire_imported(imported)

    def _clear_stale(self, at_number: int, report: MaintenanceReport) -> None:
        stale = [e.tx.hash for e in self._base.ready.entries() if e.tx.valid_till <= at_number]
        stale += [tx.hash for tx in self._base.future.all() if tx.valid_till <= at_number]
        report.invalid.extend(self.remove_invalid(stale))

    def _revalidate(self, at_number: int, limit: int | None, report: MaintenanceReport) -> None:
        candidates = [e.tx for e in self._base.ready.entries()] + self._base.future.all()
        if limit is not None and limit < len(candidates):
            candidates = heapq.nsmallest(limit, candidates, key=lambda tx: self._validated_at.get(tx.hash, -1))
        invalid: list[bytes] = []
        updated: dict[bytes, PoolTransaction] = {}
        for tx in candidates:
            try:
                validity = self._validate(tx.data, at_number)
            except InvalidTransaction:
                invalid.append(tx.hash)
                continue
            except UnknownTransaction:
                continue
            self._validated_at[tx.hash] = at_number
            if not validity.provides:
                invalid.append(tx.hash)
                continue
            fresh = PoolTransaction.from_validity(tx.data, tx.hash, at_number, validity)
            if fresh != tx:
                updated[tx.hash] = fresh
        report.revalidated = len(candidates)
        report.invalid.extend(self.remove_invalid(invalid))
        self._resubmit(updated)

    def _resubmit(self, updated: dict[bytes, PoolTransaction]) -> None:
        # Substrate's `ValidatedPool::resubmit`: pull each updated transaction out with its dependents,
        # re-import them all, and report only status changes.
        initial: dict[bytes, bool] = {}
        to_import: list[PoolTransaction] = []
        pending = dict(updated)
        while pending:
            root = next(iter(pending))
            for was_ready, txs in (
                (True, self._base.ready.remove_subtree([root])),
                (False, self._base.future.remove([root])),
            ):
                for tx in txs:
                    initial[tx.hash] = was_ready
                    to_import.append(pending.pop(tx.hash, tx))
            pending.pop(root, None)
        final: dict[bytes, str] = {}
        for tx in to_import:
            try:
                imported = self._base.import_(tx)
            except PoolError:
                final[tx.hash] = "invalid"
                continue
            final[tx.hash] = "ready" if imported.ready else "future"
            final.update(dict.fromkeys(imported.promoted, "ready"))
            final.update(dict.fromkeys(imported.failed, "invalid"))
            final.update(dict.fromkeys((r.hash for r in imported.removed), "dropped"))
        for tx_hash, state in final.items():
            before = initial.get(tx_hash)
            if state == "ready" and before is not True:
                self._listener.fire(tx_hash, READY)
                self._imports.notify(tx_hash)
            elif state == "future" and before is not False:
                self._listener.fire(tx_hash, FUTURE)
            elif state == "invalid":
                self._listener.fire(tx_hash, INVALID)
            elif state == "dropped":
                self._listener.fire(tx_hash, DROPPED)
