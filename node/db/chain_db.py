"""ChainDB: the node's persistent chain database (headers, bodies, canonical chain, state and its history).

Substrate semantics over one LMDB environment (layout in `node.db.schema`):
- every imported block is written in ONE atomic write transaction (`commit_block`);
- `state` is the flat storage of the BEST block, `history` the value each key took at each canonical
  block, `changes` the per-block change set used to undo/redo the canonical chain on a reorg;
- reads of a non-canonical block's state are out of scope: callers check `is_canonical` first.

The API is synchronous: LMDB operations take microseconds, so the async node calls them directly. Each
read opens its own read txn (a consistent snapshot), so reads are also safe from worker threads.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from ._commit import write_best, write_block, write_finalized, write_genesis
from ._history import history_get, keys_paged_at, keys_paged_at_best
from .commits import BlockCommit, GenesisCommit
from .errors import ChainDBError, NoGenesis, SchemaVersionMismatch, UnknownBlock
from .kv import DEFAULT_MAP_SIZE, LmdbEnv, Txn
from .records import decode_body
from .schema import (
    BODIES,
    CANONICAL,
    HEADERS,
    JUSTIFICATIONS,
    META,
    META_BEST,
    META_FINALIZED,
    META_GENESIS,
    META_SCHEMA_VERSION,
    SCHEMA_VERSION,
    STATE,
    TRIE_NODES,
    decode_number,
    header_parent_and_number,
    number_key,
)


def db_path(base_path: str | Path, chain_id: str) -> Path:
    """Directory of a chain's database: `<base_path>/chains/<chain_id>/db`."""
    return Path(base_path) / "chains" / chain_id / "db"


def purge(path: str | Path) -> bool:
    """Delete a chain database directory; return False if it did not exist.

    Raises ChainDBError (deleting nothing) if the directory holds anything besides LMDB's data.mdb and
    lock.mdb, so a mistyped path cannot wipe unrelated files.
    """
    target = Path(path)
    if not target.exists():
        return False
    names = {entry.name for entry in target.iterdir()} if target.is_dir() else {target.name}
    if not target.is_dir() or not names <= {"data.mdb", "lock.mdb"}:
        raise ChainDBError(f"refusing to purge {target}: not a chain database directory ({sorted(names)})")
    shutil.rmtree(target)
    return True


class ChainDB:
    """The persistent chain database. Open with `ChainDB.open(path)` or `ChainDB.memory()`; close() it."""

    def __init__(self, env: LmdbEnv, *, remove_on_close: bool = False) -> None:
        """Wrap an open environment (prefer `open` / `memory`); checks the on-disk schema version."""
        self._env = env
        self._remove_on_close = remove_on_close
        self._state_db = env.db(STATE)  # hot-path handles
        self._headers_db = env.db(HEADERS)
        self._meta_db = env.db(META)
        try:
            env.write(self._check_schema)
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, path: str | Path, *, map_size: int = DEFAULT_MAP_SIZE, sync: bool = True) -> ChainDB:
        """Open or create the database in directory `path`; `sync=True` makes every commit durable.

        The map grows by doubling when full, so `map_size` is only the initial address-space reservation.
        """
        return cls(LmdbEnv(Path(path), map_size=map_size, sync=sync))

    @classmethod
    def memory(cls, *, map_size: int = 1 << 30) -> ChainDB:
        """A throw-away database in a fresh temporary directory (sync off), deleted on close: for tests."""
        env = LmdbEnv(Path(tempfile.mkdtemp(prefix="chaindb-")), map_size=map_size, sync=False)
        return cls(env, remove_on_close=True)

    @property
    def path(self) -> Path:
        """Directory of the LMDB environment."""
        return self._env.path

    def close(self) -> None:
        """Close the environment (and delete it if it was made by `memory()`)."""
        self._env.close()
        if self._remove_on_close:
            shutil.rmtree(self._env.path, ignore_errors=True)

    def __enter__(self) -> ChainDB:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _check_schema(self, txn: Txn) -> None:
        meta = self._env.db(META)
        stored = txn.get(META_SCHEMA_VERSION, db=meta)
        if stored is None:
            txn.put(META_SCHEMA_VERSION, number_key(SCHEMA_VERSION), db=meta)
        elif decode_number(stored) != SCHEMA_VERSION:
            raise SchemaVersionMismatch(
                f"database at {self.path} has schema version {decode_number(stored)}, "
                f"this code reads version {SCHEMA_VERSION}"
            )

    # -- writes (each is one atomic LMDB write transaction) --------------------------------------

    def init_genesis(self, genesis: GenesisCommit) -> bytes:
        """Write genesis header, storage and trie nodes; return the genesis hash.

        Idempotent for the same genesis; GenesisMismatch (naming both hashes) for a different one.
        """
        return write_genesis(self._env, genesis)

    def commit_block(self, commit: BlockCommit) -> None:
        """Store one block and, if `make_best`, make it best (undo/redo across a reorg) in one txn.

        Raises InvalidCommit (hash/parent/number/keys inconsistent), BlockExists, UnknownBlock (parent),
        NoGenesis, NotCanonical (finalized without make_best) or FinalityReversal (reorg below the
        finalized block). Nothing is written when it raises.
        """
        write_block(self._env, commit)

    def set_best(self, block_hash: bytes) -> None:
        """Make a stored block the best block, reorganising the canonical chain (one txn).

        Raises UnknownBlock, or FinalityReversal if a finalized block would be reverted.
        """
        write_best(self._env, block_hash)

    def set_finalized(self, block_hash: bytes, justification: bytes | None = None) -> None:
        """Finalize a canonical block, storing its justification if given.

        Raises UnknownBlock, NotCanonical (fork block), or FinalityReversal (below the finalized block).
        """
        write_finalized(self._env, block_hash, justification)

    # -- block reads -----------------------------------------------------------------------------

    def has_block(self, block_hash: bytes) -> bool:
        """Whether the block's header is stored (canonical or fork)."""
        with self._env.read() as txn:
            return txn.get(block_hash, db=self._env.db(HEADERS)) is not None

    def header(self, block_hash: bytes) -> bytes | None:
        """The SCALE-encoded header, or None if unknown."""
        with self._env.read() as txn:
            return txn.get(block_hash, db=self._env.db(HEADERS))

    def body(self, block_hash: bytes) -> list[bytes] | None:
        """The block's extrinsics as stored, or None if unknown."""
        with self._env.read() as txn:
            data = txn.get(block_hash, db=self._env.db(BODIES))
        return None if data is None else decode_body(data)

    def justification(self, block_hash: bytes) -> bytes | None:
        """The block's stored justification, or None."""
        with self._env.read() as txn:
            return txn.get(block_hash, db=self._env.db(JUSTIFICATIONS))

    def number_of(self, block_hash: bytes) -> int | None:
        """The block's number (read from its header), or None if unknown."""
        header = self.header(block_hash)
        return None if header is None else header_parent_and_number(header)[1]

    def parent_of(self, block_hash: bytes) -> bytes | None:
        """The block's parent hash (read from its header), or None if unknown."""
        header = self.header(block_hash)
        return None if header is None else header_parent_and_number(header)[0]

    def block_hash(self, number: int) -> bytes | None:
        """Hash of the canonical block at `number`, or None above the best block."""
        if not 0 <= number <= 0xFFFF_FFFF:
            return None
        with self._env.read() as txn:
            return txn.get(number_key(number), db=self._env.db(CANONICAL))

    def is_canonical(self, block_hash: bytes) -> bool:
        """Whether the block is on the canonical chain (genesis … best)."""
        number = self.number_of(block_hash)
        return number is not None and self.block_hash(number) == block_hash

    def has_genesis(self) -> bool:
        """Whether `init_genesis` has been run on this database."""
        with self._env.read() as txn:
            return txn.get(META_GENESIS, db=self._env.db(META)) is not None

    def genesis_hash(self) -> bytes:
        """Hash of the genesis block; NoGenesis before init_genesis."""
        return self._meta(META_GENESIS)

    def best_hash(self) -> bytes:
        """Hash of the best block; NoGenesis before init_genesis."""
        return self._meta(META_BEST)

    def best_number(self) -> int:
        """Number of the best block."""
        return self._number_or_corrupt(self.best_hash())

    def finalized_hash(self) -> bytes:
        """Hash of the last finalized block; NoGenesis before init_genesis."""
        return self._meta(META_FINALIZED)

    def finalized_number(self) -> int:
        """Number of the last finalized block."""
        return self._number_or_corrupt(self.finalized_hash())

    def _meta(self, key: bytes) -> bytes:
        with self._env.read() as txn:
            value = txn.get(key, db=self._env.db(META))
        if value is None:
            raise NoGenesis(f"meta `{key.decode()}` is unset: the database has no genesis")
        return value

    def _number_or_corrupt(self, block_hash: bytes) -> int:
        number = self.number_of(block_hash)
        if number is None:
            raise UnknownBlock(f"0x{block_hash.hex()} is named in meta but has no header")
        return number

    # -- state reads -----------------------------------------------------------------------------

    def state_get(self, key: bytes, at_number: int | None = None) -> bytes | None:
        """Value of storage `key` at the best block (None) or at canonical block `at_number`.

        Historical reads cost one cursor seek plus at most one step back. UnknownBlock if `at_number`
        is above the best block. The empty key never holds a value (LMDB cannot store it).
        """
        if not key:
            with self._env.read() as txn:
                self._history_number(txn, at_number)  # still refuse a block above best
            return None
        with self._env.read() as txn:
            history_at = self._history_number(txn, at_number)
            if history_at is not None:
                return history_get(self._env, txn, key, history_at)
            return txn.get(key, db=self._state_db)

    def state_keys_paged(
        self, prefix: bytes, count: int, start_key: bytes | None = None, at_number: int | None = None
    ) -> list[bytes]:
        """Up to `count` keys starting with `prefix`, strictly after `start_key`, in lexicographic order.

        At the best block this walks the flat state (cost ~ count). At an older canonical block it walks
        the distinct keys of `history` under the prefix, resolving each at `at_number` (two seeks per
        key) and skipping keys absent or deleted then, so its cost grows with every key ever written
        under the prefix in the scanned range, not just with `count`.
        """
        with self._env.read() as txn:
            history_at = self._history_number(txn, at_number)
            if history_at is not None:
                return keys_paged_at(self._env, txn, prefix, count, start_key, history_at)
            return keys_paged_at_best(self._env, txn, prefix, count, start_key)

    def state_iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Yield (key, value) of the best state under `prefix` in key order, from one snapshot.

        The snapshot's read txn stays open until the iterator is exhausted or closed.
        """
        with self._env.read() as txn:
            cursor = txn.cursor(db=self._env.db(STATE))
            if not cursor.set_range(prefix):
                return
            for key, value in cursor.iternext(keys=True, values=True):
                if not key.startswith(prefix):
                    return
                yield key, value

    def get_node(self, node_hash: bytes) -> bytes | None:
        """Encoded trie node by hash (the trie NodeStore protocol), or None."""
        with self._env.read() as txn:
            return txn.get(node_hash, db=self._env.db(TRIE_NODES))

    def _history_number(self, txn: Txn, at_number: int | None) -> int | None:
        """`at_number` if it is below best (read history), None for best; UnknownBlock above best."""
        if at_number is None:
            return None
        best_number = self._best_number_in(txn)
        if not 0 <= at_number <= best_number:
            raise UnknownBlock(f"#{at_number} (best block is #{best_number})")
        return None if at_number == best_number else at_number

    def _best_number_in(self, txn: Txn) -> int:
        best = txn.get(META_BEST, db=self._meta_db)
        if best is None:
            raise NoGenesis("meta `best` is unset: the database has no genesis")
        header = txn.get(best, db=self._headers_db)
        if header is None:
            raise UnknownBlock(f"best block 0x{best.hex()} has no header")
        return header_parent_and_number(header)[1]

    # -- maintenance -----------------------------------------------------------------------------

    def disk_size(self) -> int:
        """Bytes of the LMDB data file."""
        return self._env.disk_size()

    def sync(self) -> None:
        """Flush to disk (a no-op in effect when opened with sync=True)."""
        self._env.sync()
