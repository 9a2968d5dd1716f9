"""Per-transaction status streams (`author_submitAndWatchExtrinsic`) and the pool's event dispatch.

`TransactionStatus` is Substrate's `TransactionStatus` with its serde JSON shape (camelCase; unit variants
as strings: `"ready"`, `{"inBlock": "0x…"}`). `Listener` mirrors sc-transaction-pool `graph/listener.rs`:
it fans each event out to the watchers of that hash over bounded trio memory channels with
`send_nowait`, so the pool never blocks; a watcher whose buffer is full is closed (logged), and final
statuses (finalized, finalityTimeout, usurped, dropped, invalid) close the stream. It also remembers, per
block, which watched transactions it reported `inBlock`, to send `finalized`/`retracted` later.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

import trio

log = logging.getLogger("node.txpool.watch")

MAX_FINALITY_WATCHERS: Final = 512
FINAL_KINDS: Final = frozenset({"finalized", "finalityTimeout", "usurped", "dropped", "invalid"})


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """One status update; `hash` is the block hash (inBlock, …) or the usurping transaction's hash."""

    kind: str
    hash: bytes | None = None

    @property
    def is_final(self) -> bool:
        """True if no further status follows (the stream ends)."""
        return self.kind in FINAL_KINDS

    def to_json(self) -> str | dict[str, str]:
        """The `author_extrinsicUpdate` result: a string for unit variants, else `{kind: "0x…"}`."""
        if self.hash is None:
            return self.kind
        return {self.kind: "0x" + self.hash.hex()}


FUTURE: Final = TransactionStatus("future")
READY: Final = TransactionStatus("ready")
DROPPED: Final = TransactionStatus("dropped")
INVALID: Final = TransactionStatus("invalid")


def in_block(block_hash: bytes) -> TransactionStatus:
    """`{"inBlock": block}`."""
    return TransactionStatus("inBlock", block_hash)


def retracted(block_hash: bytes) -> TransactionStatus:
    """`{"retracted": block}`."""
    return TransactionStatus("retracted", block_hash)


def finalized(block_hash: bytes) -> TransactionStatus:
    """`{"finalized": block}` (final)."""
    return TransactionStatus("finalized", block_hash)


def finality_timeout(block_hash: bytes) -> TransactionStatus:
    """`{"finalityTimeout": block}` (final)."""
    return TransactionStatus("finalityTimeout", block_hash)


def usurped(by: bytes) -> TransactionStatus:
    """`{"usurped": tx_hash}` (final): replaced by a higher-priority transaction."""
    return TransactionStatus("usurped", by)


class Watcher:
    """The receiving end of one transaction's status stream; iterate it with `async for`."""

    def __init__(self, tx_hash: bytes, receive: trio.MemoryReceiveChannel[TransactionStatus]) -> None:
        self.hash = tx_hash
        self._receive = receive

    def __aiter__(self) -> Watcher:
        return self

    async def __anext__(self) -> TransactionStatus:
        try:
            return await self._receive.receive()
        except trio.EndOfChannel:
            raise StopAsyncIteration from None

    def receive_nowait(self) -> TransactionStatus:
        """Next buffered status (raises trio.WouldBlock if none yet, trio.EndOfChannel after the last)."""
        return self._receive.receive_nowait()

    def drain(self) -> list[TransactionStatus]:
        """All statuses buffered so far (non-blocking)."""
        out: list[TransactionStatus] = []
        while True:
            try:
                out.append(self._receive.receive_nowait())
            except (trio.WouldBlock, trio.EndOfChannel):
                return out

    def close(self) -> None:
        """Stop watching (`author_unwatchExtrinsic`); the pool forgets the watcher on its next event."""
        self._receive.close()


class Listener:
    """Dispatches pool events to watchers and tracks inBlock transactions per block for finality."""

    def __init__(self, buffer: int = 32) -> None:
        self._buffer = buffer
        self._watchers: dict[bytes, list[trio.MemorySendChannel[TransactionStatus]]] = {}
        self._finality: OrderedDict[bytes, list[bytes]] = OrderedDict()

    def create_watcher(self, tx_hash: bytes) -> Watcher:
        """Open a new status stream for `tx_hash`."""
        send, receive = trio.open_memory_channel[TransactionStatus](self._buffer)
        self._watchers.setdefault(tx_hash, []).append(send)
        return Watcher(tx_hash, receive)

    def discard(self, watcher: Watcher) -> None:
        """Close every stream of `watcher.hash` (used when the submission that created it failed)."""
        for send in self._watchers.pop(watcher.hash, []):
            send.close()
        watcher.close()

    def is_watched(self, tx_hash: bytes) -> bool:
        """True if some stream is open for this hash."""
        return tx_hash in self._watchers

    def watched_count(self) -> int:
        """Number of transaction hashes with an open stream."""
        return len(self._watchers)

    def fire(self, tx_hash: bytes, status: TransactionStatus) -> None:
        """Send `status` to the watchers of `tx_hash` without blocking."""
        senders = self._watchers.get(tx_hash)
        if senders is None:
            return
        alive: list[trio.MemorySendChannel[TransactionStatus]] = []
        for send in senders:
            try:
                send.send_nowait(status)
            except trio.WouldBlock:
                log.warning(
                    "txpool: status stream of 0x%s is not being read (buffer of %d full); closing it",
                    tx_hash.hex(), self._buffer,
                )
                send.close()
                continue
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                continue
            if status.is_final:
                send.close()
            else:
                alive.append(send)
        if alive:
            self._watchers[tx_hash] = alive
        else:
            del self._watchers[tx_hash]

    def in_block(self, block_hash: bytes, tx_hash: bytes) -> None:
        """Report inclusion in `block_hash`; remember it for `finalized`/`retracted`."""
        if tx_hash not in self._watchers:
            return
        self._finality.setdefault(block_hash, []).append(tx_hash)
        self.fire(tx_hash, in_block(block_hash))
        while len(self._finality) > MAX_FINALITY_WATCHERS:
            old_block, hashes = self._finality.popitem(last=False)
            for h in hashes:
                self.fire(h, finality_timeout(old_block))

    def finalized(self, block_hash: bytes, also: list[bytes] | None = None) -> None:
        """Report `finalized` to the transactions seen inBlock `block_hash` (plus watched `also`)."""
        hashes = self._finality.pop(block_hash, [])
        for h in dict.fromkeys([*hashes, *(also or ())]):
            self.fire(h, finalized(block_hash))

    def retracted(self, block_hash: bytes) -> None:
        """Report `retracted` to the transactions seen inBlock `block_hash` (the block left the best chain)."""
        for h in self._finality.pop(block_hash, []):
            self.fire(h, retracted(block_hash))


class ImportNotifier:
    """Fan-out of "a transaction became ready" hashes (e.g. to wake an instant-seal proposer)."""

    def __init__(self) -> None:
        self._sinks: list[trio.MemorySendChannel[bytes]] = []

    def subscribe(self, buffer: int = 1024) -> trio.MemoryReceiveChannel[bytes]:
        """A new receiver; notifications that do not fit its buffer are skipped (logged once per burst)."""
        send, receive = trio.open_memory_channel[bytes](buffer)
        self._sinks.append(send)
        return receive

    def notify(self, tx_hash: bytes) -> None:
        """Send `tx_hash` to every subscriber without blocking; forget closed subscribers."""
        if not self._sinks:
            return
        alive: list[trio.MemorySendChannel[bytes]] = []
        for send in self._sinks:
            try:
                send.send_nowait(tx_hash)
            except trio.WouldBlock:
                log.debug("txpool: import notification skipped, subscriber buffer full")
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                continue
            alive.append(send)
        self._sinks = alive
