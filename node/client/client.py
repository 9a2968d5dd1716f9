"""The client: the one place where the node runs runtime code against the chain database.

It owns genesis initialisation, state readers for any block, runtime-API calls (`state_call`), block
import and finality, and the state-root computation (an incremental trie over the database's nodes).
All of it is synchronous and runs on the node's event loop; only `store` (database writes) is safe to
call from another thread, and subscribers hear of blocks through `announce` on the event loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from node.db import BlockCommit, ChainDB, GenesisCommit, UnknownBlock
from runtime.apis import ApiContext
from runtime.assembly import Assembly
from runtime.executive import FinishedBlock
from runtime.primitives.hashing import EMPTY_TRIE_ROOT
from runtime.primitives.header import Header
from runtime.primitives.trie import MemoryNodeStore, apply_changes
from runtime.scale.compact import encode_compact
from runtime.support.overlay import StorageReader

from .notifications import BlockEvent, Notifier
from .state import CanonicalStateReader, TrieStateReader

log = logging.getLogger("client")


class ClientError(Exception):
    """Root of client failures (unknown block, bad genesis, import refused)."""


@dataclass(frozen=True)
class ImportedBlock:
    """A block committed to the database."""

    hash: bytes
    header: Header
    body: tuple[bytes, ...]
    is_best: bool = True
    finalized: bool = False


def genesis_of(storage: dict[bytes, bytes]) -> tuple[Header, dict[bytes, bytes]]:
    """The genesis header and trie nodes of a genesis storage map."""
    update = apply_changes(MemoryNodeStore(), EMPTY_TRIE_ROOT, storage)
    header = Header(bytes(32), 0, update.root, EMPTY_TRIE_ROOT, ())
    return header, update.new_nodes


class Client:
    """Chain database + runtime: reads, runtime calls, block import and finality."""

    def __init__(self, db: ChainDB, assembly: Assembly) -> None:
        self.db = db
        self.assembly = assembly
        self.notifier = Notifier()
        self._best: tuple[bytes, int] | None = None  # every write goes through this client: cache the heads
        self._finalized: tuple[bytes, int] | None = None

    # -- genesis and heads --------------------------------------------------------------------------

    def ensure_genesis(self, storage: dict[bytes, bytes]) -> bytes:
        """Write genesis on a fresh database (or check it matches); returns the genesis hash."""
        header, nodes = genesis_of(storage)
        return self.db.init_genesis(GenesisCommit(header=header.encode(), storage=storage, trie_nodes=nodes))

    @property
    def genesis_hash(self) -> bytes:
        """Hash of block 0."""
        return self.db.genesis_hash()

    def _best_head(self) -> tuple[bytes, int]:
        if self._best is None:
            self._best = (self.db.best_hash(), self.db.best_number())
        return self._best

    def _finalized_head(self) -> tuple[bytes, int]:
        if self._finalized is None:
            self._finalized = (self.db.finalized_hash(), self.db.finalized_number())
        return self._finalized

    def best_hash(self) -> bytes:
        """Hash of the best block."""
        return self._best_head()[0]

    def best_number(self) -> int:
        """Number of the best block."""
        return self._best_head()[1]

    def finalized_hash(self) -> bytes:
        """Hash of the last finalized block."""
        return self._finalized_head()[0]

    def finalized_number(self) -> int:
        """Number of the last finalized block."""
        return self._finalized_head()[1]

    # -- block reads --------------------------------------------------------------------------------

    def header(self, block_hash: bytes) -> Header | None:
        """The header of a stored block, or None."""
        raw = self.db.header(block_hash)
        return None if raw is None else Header.decode(raw)

    def body(self, block_hash: bytes) -> list[bytes] | None:
        """The extrinsics of a stored block, or None."""
        return self.db.body(block_hash)

    def block_hash(self, number: int) -> bytes | None:
        """The canonical hash at `number`, or None."""
        return self.db.block_hash(number)

    def number_of(self, block_hash: bytes) -> int | None:
        """The number of a stored block, or None."""
        return self.db.number_of(block_hash)

    # -- state --------------------------------------------------------------------------------------

    def state_at(self, block_hash: bytes | None = None) -> StorageReader:
        """The state after `block_hash` (best when None); UnknownBlock when it is not stored."""
        if block_hash is None:
            return CanonicalStateReader(self.db, None)
        number = self.db.number_of(block_hash)
        if number is None:
            raise UnknownBlock(f"block 0x{block_hash.hex()} is not stored")
        if self.db.is_canonical(block_hash):
            return CanonicalStateReader(self.db, None if number == self.best_number() else number)
        header = self.header(block_hash)
        if header is None:
            raise UnknownBlock(f"block 0x{block_hash.hex()} has no header")
        return TrieStateReader(self.db, header.state_root)

    def storage(self, key: bytes, block_hash: bytes | None = None) -> bytes | None:
        """One storage value at a block."""
        return self.state_at(block_hash).get(key)

    def keys_paged(self, prefix: bytes, count: int, start_key: bytes | None, block_hash: bytes | None) -> list[bytes]:
        """Up to `count` keys under `prefix` strictly after `start_key`, at a canonical block."""
        at = None
        if block_hash is not None:
            number = self.db.number_of(block_hash)
            if number is None:
                raise UnknownBlock(f"block 0x{block_hash.hex()} is not stored")
            at = None if number == self.best_number() else number
        return self.db.state_keys_paged(prefix, count, start_key, at)

    def api_context(self, block_hash: bytes | None = None) -> ApiContext:
        """The context a runtime-API call at `block_hash` (best when None) runs in."""
        block_hash = block_hash or self.best_hash()
        number = self.db.number_of(block_hash)
        if number is None:
            raise UnknownBlock(f"block 0x{block_hash.hex()} is not stored")
        return ApiContext(self.state_at(block_hash), block_hash, number)

    def call(self, name: str, args: bytes, block_hash: bytes | None = None) -> bytes:
        """A runtime-API call (`state_call`): SCALE bytes in, SCALE bytes out."""
        return self.assembly.apis.call(name, args, self.api_context(block_hash))

    # -- import and finality ------------------------------------------------------------------------

    def commit(self, finished: FinishedBlock, header: Header, *, finalize: bool) -> ImportedBlock:
        """Compute the state root of `finished`, check/fill it into `header` and store the block."""
        parent = self.header(header.parent_hash)
        if parent is None:
            raise ClientError(f"parent 0x{header.parent_hash.hex()} of #{header.number} is unknown")
        update = apply_changes(self.db, parent.state_root, finished.changes)
        if header.state_root not in (bytes(32), update.root):
            raise ClientError(f"state root mismatch at #{header.number}")
        header = Header(header.parent_hash, header.number, update.root, header.extrinsics_root, header.digest)
        return self.store(header, finished, update.new_nodes, finalize=finalize)

    def store(self, header: Header, finished: FinishedBlock, trie_nodes: dict[bytes, bytes], *,
              finalize: bool) -> ImportedBlock:
        """Write a fully formed block (state root filled in) in one database transaction.

        Safe to call from another thread (benchmarks do): it only touches the database. Subscribers hear of the block
        when the trio thread calls `announce` with the result.
        """
        block_hash = header.hash()
        is_best = header.parent_hash == self.best_hash()
        self.db.commit_block(BlockCommit(
            hash=block_hash, number=header.number, parent_hash=header.parent_hash, header=header.encode(),
            body=tuple(finished.extrinsics), state_changes=finished.changes, trie_nodes=trie_nodes,
            make_best=is_best, finalized=finalize and is_best,
        ))
        self._best = self._finalized = None
        return ImportedBlock(block_hash, header, finished.extrinsics, is_best, finalize and is_best)

    def announce(self, block: ImportedBlock) -> None:
        """Tell subscribers about a stored block (call from the trio thread: channels are not thread-safe)."""
        self.notifier.publish(BlockEvent("imported", block.hash, block.header, is_new_best=block.is_best))
        if block.finalized:
            self.notifier.publish(BlockEvent("finalized", block.hash, block.header))

    def finalize(self, block_hash: bytes) -> None:
        """Mark a canonical block (and its ancestors) final."""
        header = self.header(block_hash)
        if header is None:
            raise UnknownBlock(f"block 0x{block_hash.hex()} is not stored")
        if self.db.number_of(block_hash) is not None and self.finalized_number() >= header.number:
            return
        self.db.set_finalized(block_hash)
        self._finalized = None
        self.notifier.publish(BlockEvent("finalized", block_hash, header))

    def encoded_block(self, block_hash: bytes) -> bytes | None:
        """SCALE of a whole block (header ++ Vec<extrinsic>)."""
        header = self.db.header(block_hash)
        body = self.db.body(block_hash)
        if header is None or body is None:
            return None
        return header + encode_compact(len(body)) + b"".join(body)
