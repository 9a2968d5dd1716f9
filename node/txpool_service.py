"""The pool as the node runs it: the runtime validator, block maintenance and the authoring view.

Validation goes through the runtime's TaggedTransactionQueue at the best block, exactly as the
`validate_transaction` runtime API answers it. After every block the included transactions leave the
pool and invalid ones are banned; the rest are re-validated in batches at most every
REVALIDATION_INTERVAL seconds (Substrate revalidates in the background, 20 per 200 ms), so a burst of
small instant-sealed blocks does not re-validate the whole pool after each one. Authoring wakes up
whenever a transaction becomes ready.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import trio

from node.client.block_builder import BuildResult
from node.client.client import Client
from node.txpool import Pool, PoolOptions
from runtime.executive import ValidationContext
from runtime.extensions import nonce_tag
from runtime.validity import TransactionSource, ValidTransaction

log = logging.getLogger("txpool")

REVALIDATION_BATCH = 256
REVALIDATION_INTERVAL = 0.2


class PoolService:
    """Transaction pool bound to the client's best block."""

    def __init__(self, client: Client, options: PoolOptions | None = None) -> None:
        self.client = client
        self.pool = Pool(self._validate, options=options or PoolOptions.from_cli(is_dev=True))
        self._ready_event = trio.Event()
        self._last_revalidation = float("-inf")
        self._context: tuple[bytes, ValidationContext] | None = None

    def _validate(self, xt: bytes, at_number: int) -> ValidTransaction:
        """TaggedTransactionQueue at the best block, through a context initialised once per best block."""
        client = self.client
        best = client.best_hash()
        if self._context is None or self._context[0] != best:
            context = client.assembly.executive.validation_context(client.state_at(best), best, client.best_number())
            self._context = (best, context)
        return self._context[1].validate(TransactionSource.External, xt)

    # -- submission (author_* RPC) ------------------------------------------------------------------

    def submit(self, xt: bytes) -> bytes:
        """Validate and add; returns the tx hash (PoolError / ExtrinsicFormatError on refusal)."""
        tx_hash = self.pool.submit(xt, at_number=self.client.best_number())
        self._wake()
        return tx_hash

    def submit_and_watch(self, xt: bytes) -> Any:
        """Validate and add; returns a Watcher streaming the transaction's statuses."""
        watcher = self.pool.submit_and_watch(xt, at_number=self.client.best_number())
        self._wake()
        return watcher

    def next_index(self, who: bytes, onchain: int) -> int:
        """system_accountNextIndex: on-chain nonce plus the sender's consecutive ready transactions."""
        return onchain + self.pool.count_consecutive(lambda n: nonce_tag(who, n), onchain)

    def ready_count(self) -> int:
        """Number of ready transactions."""
        return self.pool.status().ready

    def _wake(self) -> None:
        if self.pool.status().ready:
            self._ready_event.set()

    # -- authoring view ----------------------------------------------------------------------------

    def has_ready(self) -> bool:
        """True when some transaction is ready."""
        return self.pool.status().ready > 0

    async def wait_ready(self) -> None:
        """Return once a transaction is ready."""
        while not self.has_ready():
            self._ready_event = trio.Event()
            await self._ready_event.wait()

    def ready_snapshot(self, limit: int) -> list[tuple[bytes, bytes]]:
        """Up to `limit` ready transactions in block order."""
        out = []
        for tx in self.pool.ready():
            out.append((tx.hash, tx.data))
            if len(out) >= limit:
                break
        return out

    def on_block(self, result: BuildResult) -> None:
        """Prune what the block included, ban what it found invalid, re-validate the rest."""
        if result.invalid:
            for tx_hash, err in result.invalid:
                log.debug("dropping invalid transaction 0x%s: %s", tx_hash.hex(), err)
            self.pool.remove_invalid([h for h, _ in result.invalid])
        imported = result.imported
        now = time.monotonic()
        revalidate = 0
        if now - self._last_revalidation >= REVALIDATION_INTERVAL:
            revalidate, self._last_revalidation = REVALIDATION_BATCH, now
        self.pool.on_block_imported(list(imported.body), at_number=imported.header.number,
                                    block_hash=imported.hash, revalidate=revalidate)
        self._wake()

    def on_finalized(self, block_hash: bytes) -> None:
        """Tell watchers their block is final."""
        self.pool.on_block_finalized(block_hash)
