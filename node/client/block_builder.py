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


def build_block(client: Client, *, parent_hash: bytes, timestamp_ms: int, slot: int,
                candidates: Iterable[tuple[bytes, bytes]], seal_key: Keypair | None, finalize: bool,
                max_transactions: int = 10_000) -> BuildResult:
    """Build, seal and import one block on `parent_hash` from (tx hash, extrinsic) candidates."""
    parent = client.header(parent_hash)
    if parent is None:
        raise ClientError(f"cannot build on unknown parent 0x{parent_hash.hex()}")
    number = parent.number + 1
    executive = client.assembly.executive
    runtime = client.assembly.runtime
    pre_digest = (aura_pre_digest(slot),)
    block = executive.initialize_block(client.state_at(parent_hash), number, parent_hash, pre_digest)
    inherent = encode_unsigned(runtime.encode_call(runtime.make_call("Timestamp", "set", now=timestamp_ms)))
    executive.apply_extrinsic(block, inherent)
    included: list[bytes] = []
    invalid: list[tuple[bytes, TransactionValidityError | ExtrinsicFormatError]] = []
    skipped_full = 0
    for tx_hash, xt in candidates:
        if len(included) >= max_transactions or skipped_full >= MAX_SKIPPED_AFTER_FULL:
            break
        try:
            executive.apply_extrinsic(block, xt)
        except InvalidTransaction as err:
            if err.kind == InvalidKind.ExhaustsResources:
                skipped_full += 1
            elif err.kind != InvalidKind.Future:
                invalid.append((tx_hash, err))
            continue
        except (TransactionValidityError, ExtrinsicFormatError) as err:
            invalid.append((tx_hash, err))
            continue
        included.append(tx_hash)
    log.info("🎁 Prepared block for proposing at %d (%d extrinsics)", number, len(block.extrinsics))
    finished = executive.finalize_block(block)
    update = apply_changes(client.db, parent.state_root, finished.changes)
    header = Header(parent_hash, number, update.root, finished.header.extrinsics_root, finished.header.digest)
    if seal_key is not None:
        header = Header(header.parent_hash, number, header.state_root, header.extrinsics_root,
                        header.digest + (aura_seal(seal_key.sign(header.hash())),))
    imported = client.store(header, finished, update.new_nodes, finalize=finalize)
    return BuildResult(imported, included, invalid)
