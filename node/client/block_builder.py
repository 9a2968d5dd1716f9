"""Block building (sc-basic-authorship): inherents first, then pool transactions until the block is full.

The builder asks the executive to apply each candidate; a transaction the runtime refuses is reported
back (invalid ones are dropped from the pool, future ones simply wait), one that would exhaust the
block's weight or length ends the block after a few more tries, as Substrate's proposer does. The
finished block gets its state root from the client's trie, then the Aura seal over the sealed-less
header hash.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from runtime.executive import ExtrinsicFormatError
from runtime.primitives.crypto import Keypair
from runtime.primitives.extrinsic import encode_unsigned
from runtime.primitives.header import Header, aura_pre_digest, aura_seal
from runtime.primitives.trie import apply_changes
from runtime.validity import InvalidKind, InvalidTransaction, TransactionValidityError

from .client import Client, ClientError, ImportedBlock

log = logging.getLogger("basic-authorship")

MAX_SKIPPED_AFTER_FULL = 8


@dataclass
class BuildResult:
    """The imported block and what happened to each candidate transaction."""

    imported: ImportedBlock
    included: list[bytes] = field(default_factory=list)
    invalid: list[tuple[bytes, TransactionValidityError | ExtrinsicFormatError]] = field(default_factory=list)


class BlockProposal:
    """One block under construction: started with its inherents, fed candidates one at a time, then sealed.

    Stepwise so the author can hand control back to the event loop between transactions (the RPC server
    keeps answering while a large block is built) without moving runtime work to another thread.
    """

    def __init__(self, client: Client, *, parent_hash: bytes, timestamp_ms: int, slot: int,
                 max_transactions: int = 10_000) -> None:
        parent = client.header(parent_hash)
        if parent is None:
            raise ClientError(f"cannot build on unknown parent 0x{parent_hash.hex()}")
        self.client = client
        self.parent = parent
        self.parent_hash = parent_hash
        self.number = parent.number + 1
        self.max_transactions = max_transactions
        self.included: list[bytes] = []
        self.invalid: list[tuple[bytes, TransactionValidityError | ExtrinsicFormatError]] = []
        self._skipped_full = 0
        self._executive = client.assembly.executive
        runtime = client.assembly.runtime
        self._block = self._executive.initialize_block(client.state_at(parent_hash), self.number, parent_hash,
                                                       (aura_pre_digest(slot),))
        inherent = encode_unsigned(runtime.encode_call(runtime.make_call("Timestamp", "set", now=timestamp_ms)))
        self._executive.apply_extrinsic(self._block, inherent)

    @property
    def full(self) -> bool:
        """True once no further transaction should be tried."""
        return len(self.included) >= self.max_transactions or self._skipped_full >= MAX_SKIPPED_AFTER_FULL

    def push(self, tx_hash: bytes, xt: bytes) -> None:
        """Try one pool transaction: include it, or record why not (future ones just wait in the pool)."""
        try:
            self._executive.apply_extrinsic(self._block, xt)
        except InvalidTransaction as err:
            if err.kind == InvalidKind.ExhaustsResources:
                self._skipped_full += 1
            elif err.kind != InvalidKind.Future:
                self.invalid.append((tx_hash, err))
            return
        except (TransactionValidityError, ExtrinsicFormatError) as err:
            self.invalid.append((tx_hash, err))
            return
        self.included.append(tx_hash)

    def seal(self, seal_key: Keypair | None, *, finalize: bool) -> BuildResult:
        """Finalize the block, compute its state root, sign the Aura seal and store it."""
        number = self.number
        log.info("🎁 Prepared block for proposing at %d (%d extrinsics)", number, len(self._block.extrinsics))
        finished = self._executive.finalize_block(self._block)
        update = apply_changes(self.client.db, self.parent.state_root, finished.changes)
        header = Header(self.parent_hash, number, update.root, finished.header.extrinsics_root,
                        finished.header.digest)
        if seal_key is not None:
            header = Header(header.parent_hash, number, header.state_root, header.extrinsics_root,
                            header.digest + (aura_seal(seal_key.sign(header.hash())),))
        imported = self.client.store(header, finished, update.new_nodes, finalize=finalize)
        return BuildResult(imported, self.included, self.invalid)


def build_block(client: Client, *, parent_hash: bytes, timestamp_ms: int, slot: int,
                candidates: Iterable[tuple[bytes, bytes]], seal_key: Keypair | None, finalize: bool,
                max_transactions: int = 10_000) -> BuildResult:
    """Build, seal and import one block on `parent_hash` from (tx hash, extrinsic) candidates in one go."""
    proposal = BlockProposal(client, parent_hash=parent_hash, timestamp_ms=timestamp_ms, slot=slot,
                             max_transactions=max_transactions)
    for tx_hash, xt in candidates:
        if proposal.full:
            break
        proposal.push(tx_hash, xt)
    return proposal.seal(seal_key, finalize=finalize)
