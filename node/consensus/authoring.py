"""Block authoring: instant, interval and manual sealing (sc-consensus-manual-seal) over the block builder.

Instant sealing builds a block as soon as the pool has ready transactions and keeps building while
submissions continue (at most one block per 50 ms under load, so blocks batch); interval sealing builds one block every N ms, empty or not; manual sealing waits
for `engine_createBlock`. Each block carries a Timestamp inherent and an Aura pre-digest whose slot is
derived from it; the timestamp advances by at least one slot per block (as Substrate's manual seal
does), so Timestamp's MinimumPeriod and Aura's increasing-slot checks hold however fast blocks come.

Runtime work runs on the trio thread in slices of a few milliseconds, yielding to the event loop between
transactions, so the RPC server keeps answering while a large block is built. (A worker thread bought no
parallelism under the GIL and made every LMDB read on the event loop wait for the builder to release it.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import trio
import trio.lowlevel

from node.client.block_builder import BlockProposal, BuildResult
from node.client.client import Client
from node.logging_setup import short_hash
from runtime.primitives.crypto import Keypair

log = logging.getLogger("consensus")
INSTANT_MIN_INTERVAL = 0.05
"""Shortest gap between two instant-sealed blocks while transactions keep arriving."""
SLICE_SECONDS = 0.005
"""How long block building runs before yielding to the event loop (RPC keeps answering meanwhile)."""
TIMESTAMP_NOW_KEY = bytes.fromhex("f0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb")


class PoolView(Protocol):
    """What authoring needs from the transaction pool."""

    def ready_snapshot(self, limit: int) -> list[tuple[bytes, bytes]]:
        """Up to `limit` ready (hash, extrinsic) pairs in block order."""

    async def wait_ready(self) -> None:
        """Return once at least one transaction is ready."""

    def has_ready(self) -> bool:
        """True when a transaction is ready."""

    def on_block(self, result: BuildResult) -> None:
        """A block was built: remove included transactions, drop invalid ones, re-validate the rest."""

    def on_finalized(self, block_hash: bytes) -> None:
        """A block became final."""


@dataclass
class SealParams:
    """How blocks are sealed and finalized."""

    mode: str  # "instant" | "manual" | "interval"
    interval_ms: int = 0
    finalize: bool = True
    seal_key: Keypair | None = None
    finality_delay: float = 0.2
    max_transactions: int = 6000


class Author:
    """Builds, seals and imports blocks; shared by the sealing loop and the engine_* RPCs."""

    def __init__(self, client: Client, pool: PoolView, params: SealParams,
                 on_imported: Callable[[BuildResult, float], None] | None = None) -> None:
        self.client = client
        self.pool = pool
        self.params = params
        self.on_imported = on_imported
        self._lock = trio.Lock()
        self._unfinalized: list[bytes] = []
        self._finality_wakeup = trio.Event()
        aura = client.assembly.runtime.by_name["Aura"]
        self.slot_duration = next(c.value for c in aura.spec.constants if c.name == "SlotDuration")

    def _timestamp(self, parent_hash: bytes) -> int:
        raw = self.client.storage(TIMESTAMP_NOW_KEY, parent_hash)
        previous = int.from_bytes(raw, "little") if raw else 0
        now = int(time.time() * 1000)
        return max(now, previous + self.slot_duration) if previous else now

    async def seal(self, *, create_empty: bool = True, finalize: bool | None = None,
                   parent_hash: bytes | None = None) -> BuildResult | None:
        """Build one block now (None when there is nothing to include and `create_empty` is False)."""
        async with self._lock:
            if not create_empty and not self.pool.has_ready():
                return None
            parent = parent_hash or self.client.best_hash()
            candidates = self.pool.ready_snapshot(self.params.max_transactions)
            timestamp = self._timestamp(parent)
            slot = timestamp // self.slot_duration
            started = time.perf_counter()
            proposal = BlockProposal(self.client, parent_hash=parent, timestamp_ms=timestamp, slot=slot,
                                     max_transactions=self.params.max_transactions)
            slice_end = time.perf_counter() + SLICE_SECONDS
            for tx_hash, xt in candidates:
                if proposal.full:
                    break
                proposal.push(tx_hash, xt)
                if time.perf_counter() >= slice_end:
                    await trio.lowlevel.checkpoint()  # let RPC calls and submissions in between transactions
                    slice_end = time.perf_counter() + SLICE_SECONDS
            result = proposal.seal(self.params.seal_key, finalize=False)
            elapsed = time.perf_counter() - started
            self.client.announce(result.imported)
            self.pool.on_block(result)
            if finalize:  # an explicit request (engine_createBlock) finalizes before answering
                self._unfinalized.append(result.imported.hash)
                self.finalize_pending()
            elif finalize is None and self.params.finalize:
                self._unfinalized.append(result.imported.hash)
                self._finality_wakeup.set()
            header = result.imported.header
            log.info("🏆 Imported #%d (%s) with %d extrinsics in %.0f ms", header.number,
                     short_hash(result.imported.hash), len(result.imported.body), elapsed * 1000)
            if self.on_imported is not None:
                self.on_imported(result, elapsed)
            return result

    def finalize_pending(self) -> None:
        """Finalize every block sealed so far (oldest first for the pool's watchers)."""
        pending, self._unfinalized = self._unfinalized, []
        if not pending:
            return
        best_final = pending[-1]
        if self.client.number_of(best_final) is not None and self.client.db.is_canonical(best_final):
            self.client.finalize(best_final)
        for block_hash in pending:
            self.pool.on_finalized(block_hash)

    async def run_finality(self, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """Dev finality: each sealed block is finalized `finality_delay` seconds after import.

        The short lag lets clients see `inBlock` before `finalized` (polkadot.js drops an inBlock whose
        event lookup is overtaken by the finalized status), while blocks still become final at once.
        """
        task_status.started()
        while True:
            await self._finality_wakeup.wait()
            self._finality_wakeup = trio.Event()
            await trio.sleep(self.params.finality_delay)
            self.finalize_pending()

    async def run(self, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """The sealing loop for instant and interval modes; manual mode just waits for RPC calls."""
        task_status.started()
        if self.params.mode == "instant":
            last_sealed = float("-inf")
            while True:
                await self.pool.wait_ready()
                # A lone transaction is sealed at once; under a stream of submissions blocks come at most
                # every INSTANT_MIN_INTERVAL, so each carries a batch instead of paying a block's fixed
                # cost (trie root, durable commit, notifications) per transaction.
                await trio.sleep_until(last_sealed + INSTANT_MIN_INTERVAL)
                await self.seal(create_empty=False)
                last_sealed = trio.current_time()
        elif self.params.mode == "interval":
            while True:
                await trio.sleep(self.params.interval_ms / 1000)
                await self.seal(create_empty=True)
        else:
            await trio.sleep_forever()


SealFn = Callable[[bool, bool, "str | None"], Awaitable[dict[str, Any]]]
