"""The `chainHead_v1_follow` state machine of one subscription: which blocks it announced, pinned and finalized.

Turns the client's block notifications into the spec's follow events (json-rpc-interface-spec
`chainHead_v1_follow.md`): `initialized` (the finalized block, plus its runtime when `withRuntime`), one
`newBlock` per non-finalized block with its parent always announced first, `bestBlockChanged`, and
`finalized` with every newly finalized block in ascending order and the announced blocks that are no
longer descendants of it as pruned. Blocks are pinned when announced and stay pinned (pruned or not)
until the client unpins them; announcing a block past `max_pinned` raises `FollowStopped`, and so does
a gap it cannot bridge, so the caller ends the subscription with a `stop` event. The methods are
synchronous and return the events to send: the async producer in `api_chainhead.py` does the I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from node.client.client import Client
from runtime.primitives.header import Header

from .params import to_hex

MAX_PINNED_BLOCKS: Final = 512
"""Substrate's `MAX_PINNED_BLOCKS`: more pinned blocks than this stops the subscription."""

CODE_KEY: Final = b":code"


class FollowStopped(Exception):
    """The subscription cannot go on consistently (pin limit, unbridgeable gap); a `stop` event follows."""


@dataclass(frozen=True, slots=True)
class Announced:
    """A block the subscription reported and has not yet finalized away: its parent and number."""

    parent: bytes
    number: int


def runtime_spec(client: Client) -> dict[str, Any]:
    """The `{"type": "valid", "spec": …}` runtime object (`apis` as an object of hex id → version)."""
    version = client.assembly.version
    return {"type": "valid", "spec": {
        "specName": version.spec_name, "implName": version.impl_name, "specVersion": version.spec_version,
        "implVersion": version.impl_version, "transactionVersion": version.transaction_version,
        "apis": {to_hex(api_id): api_version for api_id, api_version in version.api_ids()},
    }}


class FollowState:
    """Announced, pinned and finalized blocks of one follow subscription; produces its events."""

    def __init__(self, client: Client, with_runtime: bool, max_pinned: int = MAX_PINNED_BLOCKS) -> None:
        self.client = client
        self.with_runtime = with_runtime
        self.max_pinned = max_pinned
        self.pinned: set[bytes] = set()
        self.blocks: dict[bytes, Announced] = {}  # announced, not yet finalized (and not pruned)
        self.finalized = b""
        self.finalized_number = -1
        self.best = b""

    # -- pinning ------------------------------------------------------------------------------------

    def _pin(self, block_hash: bytes) -> None:
        if block_hash not in self.pinned and len(self.pinned) >= self.max_pinned:
            raise FollowStopped(f"more than {self.max_pinned} pinned blocks")
        self.pinned.add(block_hash)

    def is_pinned(self, block_hash: bytes) -> bool:
        """True while `block_hash` was announced and not unpinned."""
        return block_hash in self.pinned

    def unpin(self, hashes: list[bytes]) -> bool:
        """Unpin every hash, or none of them (False) when one is not pinned."""
        if any(h not in self.pinned for h in hashes):
            return False
        self.pinned.difference_update(hashes)
        return True

    # -- events -------------------------------------------------------------------------------------

    def _runtime_change(self, block_hash: bytes, parent: bytes) -> Any:
        """`newRuntime`: the runtime object when `:code` differs from the parent's, else None."""
        if self.client.storage(CODE_KEY, block_hash) == self.client.storage(CODE_KEY, parent):
            return None
        return runtime_spec(self.client)

    def _new_block(self, block_hash: bytes, parent: bytes, number: int) -> dict[str, Any]:
        self._pin(block_hash)
        self.blocks[block_hash] = Announced(parent, number)
        event: dict[str, Any] = {"event": "newBlock", "blockHash": to_hex(block_hash),
                                 "parentBlockHash": to_hex(parent)}
        if self.with_runtime:
            event["newRuntime"] = self._runtime_change(block_hash, parent)
        return event

    def _known(self, block_hash: bytes) -> bool:
        return block_hash == self.finalized or block_hash in self.blocks

    def initial_events(self) -> list[dict[str, Any]]:
        """`initialized`, a `newBlock` per canonical block above the finalized one, then `bestBlockChanged`."""
        client = self.client
        self.finalized, self.finalized_number = client.finalized_hash(), client.finalized_number()
        self._pin(self.finalized)
        init: dict[str, Any] = {"event": "initialized", "finalizedBlockHashes": [to_hex(self.finalized)]}
        if self.with_runtime:
            init["finalizedBlockRuntime"] = runtime_spec(client)
        events = [init]
        best, best_number = client.best_hash(), client.best_number()
        parent = self.finalized
        for number in range(self.finalized_number + 1, best_number + 1):
            block = client.block_hash(number)
            if block is None:
                break
            events.append(self._new_block(block, parent, number))
            parent = block
        self.best = best if self._known(best) else self.finalized
        events.append({"event": "bestBlockChanged", "bestBlockHash": to_hex(self.best)})
        return events

    def _announce_chain(self, block_hash: bytes, header: Header | None = None) -> list[dict[str, Any]]:
        """`newBlock` events for `block_hash` and its unannounced ancestors, oldest first.

        Returns [] for a block on a fork below the finalized block (it will never be finalized); raises
        FollowStopped when an ancestor is missing from the database.
        """
        chain: list[tuple[bytes, Header]] = []
        current, head = block_hash, header
        while not self._known(current):
            head = head if head is not None else self.client.header(current)
            if head is None:
                raise FollowStopped(f"block 0x{current.hex()} is not stored")
            if head.number <= self.finalized_number:
                return []
            chain.append((current, head))
            current, head = head.parent_hash, None
        return [self._new_block(h, hd.parent_hash, hd.number) for h, hd in reversed(chain)]

    def on_imported(self, block_hash: bytes, header: Header, is_new_best: bool) -> list[dict[str, Any]]:
        """Events for a newly imported block (and its new-best status)."""
        events = [] if self._known(block_hash) else self._announce_chain(block_hash, header)
        if is_new_best and self._known(block_hash) and self.best != block_hash:
            self.best = block_hash
            events.append({"event": "bestBlockChanged", "bestBlockHash": to_hex(block_hash)})
        return events

    def _descends_from(self, block_hash: bytes, ancestor: bytes, ancestor_number: int) -> bool:
        current = block_hash
        while current != ancestor:
            info = self.blocks.get(current)
            if info is None or info.number <= ancestor_number:
                return False
            current = info.parent
        return True

    def on_finalized(self, block_hash: bytes, header: Header) -> list[dict[str, Any]]:
        """Events for the finality of `block_hash` (and of its unreported ancestors)."""
        if header.number <= self.finalized_number or block_hash == self.finalized:
            return []
        events = self._announce_chain(block_hash, header)
        if not self._known(block_hash):
            raise FollowStopped(f"finalized block 0x{block_hash.hex()} does not descend from the finalized one")
        chain = [block_hash]
        while self.blocks[chain[-1]].parent != self.finalized:
            chain.append(self.blocks[chain[-1]].parent)
        chain.reverse()
        on_chain = set(chain)
        pruned = [h for h in self.blocks
                  if h not in on_chain and not self._descends_from(h, block_hash, header.number)]
        if self.best in pruned or (self.best in on_chain and self.best != block_hash) or self.best == self.finalized:
            events.extend(self._new_best_after(block_hash, header.number, set(pruned)))
        for h in chain[:-1]:
            del self.blocks[h]
        for h in pruned:
            del self.blocks[h]
        del self.blocks[block_hash]
        self.finalized, self.finalized_number = block_hash, header.number
        events.append({"event": "finalized", "finalizedBlockHashes": [to_hex(h) for h in chain],
                       "prunedBlockHashes": [to_hex(h) for h in pruned]})
        return events

    def _new_best_after(self, new_final: bytes, number: int, pruned: set[bytes]) -> list[dict[str, Any]]:
        """The `bestBlockChanged` that must precede a `finalized` event that retires the current best."""
        best = self.client.best_hash()
        if best not in self.blocks or best in pruned or not self._descends_from(best, new_final, number):
            best = new_final
        if best == self.best:
            return []
        self.best = best
        return [{"event": "bestBlockChanged", "bestBlockHash": to_hex(best)}]
