"""The chain database's write transactions: genesis, block import, set-best and finalization.

Each public function here is exactly one `LmdbEnv.write` call, so it commits as a whole or not at all.
Commits are validated before the txn starts (hash = blake2_256(header), header parent/number match,
key sizes fit LMDB); state-dependent checks run inside the txn and abort it by raising.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from runtime.primitives.hashing import blake2_256

from ._canon import Writer
from .commits import BlockCommit, GenesisCommit
from .errors import (
    BlockExists,
    Corruption,
    FinalityReversal,
    GenesisMismatch,
    InvalidCommit,
    NotCanonical,
)
from .kv import LmdbEnv, Txn
from .records import Change, ChangeSet, encode_body, encode_change_set
from .schema import (
    BODIES,
    CANONICAL,
    CHANGES,
    HEADERS,
    HISTORY,
    JUSTIFICATIONS,
    META,
    META_BEST,
    META_FINALIZED,
    META_GENESIS,
    STATE,
    TRIE_NODES,
    encode_history_value,
    header_parent_and_number,
    history_key,
    number_key,
)

# A history key adds the 00 00 terminator and a 4-byte number to the escaped storage key.
_HISTORY_OVERHEAD = 6


def write_genesis(env: LmdbEnv, genesis: GenesisCommit) -> bytes:
    """Write the genesis block and full state (idempotent for the same genesis); return its hash."""
    genesis_hash = blake2_256(genesis.header)
    try:
        _, number = header_parent_and_number(genesis.header)
    except Corruption as exc:
        raise InvalidCommit(f"genesis header: {exc}") from exc
    if number != 0:
        raise InvalidCommit(f"genesis header has number {number}, expected 0")
    check_keys(env, genesis.storage.keys())

    def write(txn: Txn) -> None:
        stored = txn.get(META_GENESIS, db=env.db(META))
        if stored is not None:
            if stored != genesis_hash:
                raise GenesisMismatch(stored, genesis_hash)
            return
        txn.put(genesis_hash, genesis.header, db=env.db(HEADERS))
        txn.put(genesis_hash, encode_body(genesis.body), db=env.db(BODIES))
        put_nodes(env, txn, genesis.trie_nodes)
        state_db, history_db = env.db(STATE), env.db(HISTORY)
        for key in sorted(genesis.storage):  # sorted: LMDB fills pages densely on in-order inserts
            value = genesis.storage[key]
            txn.put(key, value, db=state_db)
            txn.put(history_key(key, 0), encode_history_value(value), db=history_db)
        # Genesis is always finalized, so it is never undone: its change set stays empty rather than
        # duplicating the whole genesis storage a third time.
        txn.put(genesis_hash, encode_change_set(ChangeSet(True, ())), db=env.db(CHANGES))
        txn.put(number_key(0), genesis_hash, db=env.db(CANONICAL))
        for meta_key in (META_GENESIS, META_BEST, META_FINALIZED):
            txn.put(meta_key, genesis_hash, db=env.db(META))

    env.write(write)
    return genesis_hash


def write_block(env: LmdbEnv, commit: BlockCommit) -> None:
    """Store a block; if `make_best`, reorganise onto its parent and apply it (see ChainDB.commit_block)."""
    check_commit(env, commit)
    if commit.finalized and not commit.make_best:
        raise NotCanonical(commit.hash, "a block committed with finalized=True must also be make_best")

    def write(txn: Txn) -> None:
        writer = Writer(env, txn)
        writer.meta_hash(META_GENESIS)  # NoGenesis before anything else
        if txn.get(commit.hash, db=env.db(HEADERS)) is not None:
            raise BlockExists(commit.hash)
        _, parent_number = writer.parent_and_number(commit.parent_hash)
        if parent_number + 1 != commit.number:
            raise InvalidCommit(
                f"block number {commit.number} is not parent #{parent_number} + 1 "
                f"(parent 0x{commit.parent_hash.hex()})"
            )
        txn.put(commit.hash, commit.header, db=env.db(HEADERS))
        txn.put(commit.hash, encode_body(commit.body), db=env.db(BODIES))
        if commit.justification is not None:
            txn.put(commit.hash, commit.justification, db=env.db(JUSTIFICATIONS))
        put_nodes(env, txn, commit.trie_nodes)
        new_values = sorted(commit.state_changes.items())
        if not commit.make_best:
            pending = ChangeSet(False, tuple(Change(key, None, new) for key, new in new_values))
            txn.put(commit.hash, encode_change_set(pending), db=env.db(CHANGES))
            return
        writer.reorg_to(commit.parent_hash)
        writer.apply(commit.hash, commit.number, new_values)
        if commit.finalized:
            txn.put(META_FINALIZED, commit.hash, db=env.db(META))

    env.write(write)


def write_best(env: LmdbEnv, block_hash: bytes) -> None:
    """Make a stored block the best block, reorganising the canonical chain."""
    env.write(lambda txn: Writer(env, txn).reorg_to(block_hash))


def write_finalized(env: LmdbEnv, block_hash: bytes, justification: bytes | None) -> None:
    """Mark a canonical block finalized (no going backwards); store its justification if given."""

    def write(txn: Txn) -> None:
        writer = Writer(env, txn)
        _, number = writer.parent_and_number(block_hash)
        if writer.canonical_hash(number) != block_hash:
            raise NotCanonical(block_hash, f"canonical block #{number} is a different block")
        _, finalized_number = writer.parent_and_number(writer.meta_hash(META_FINALIZED))
        if number < finalized_number:
            raise FinalityReversal(
                f"cannot finalize #{number} 0x{block_hash.hex()}: #{finalized_number} is already finalized"
            )
        txn.put(META_FINALIZED, block_hash, db=env.db(META))
        if justification is not None:
            txn.put(block_hash, justification, db=env.db(JUSTIFICATIONS))

    env.write(write)


def check_commit(env: LmdbEnv, commit: BlockCommit) -> None:
    """Validate a BlockCommit on its own (no database reads); InvalidCommit naming the mismatch."""
    if blake2_256(commit.header) != commit.hash:
        raise InvalidCommit(f"block hash 0x{commit.hash.hex()} is not blake2_256 of its header")
    try:
        parent, number = header_parent_and_number(commit.header)
    except Corruption as exc:
        raise InvalidCommit(f"block 0x{commit.hash.hex()} header: {exc}") from exc
    if parent != commit.parent_hash or number != commit.number:
        raise InvalidCommit(
            f"block 0x{commit.hash.hex()}: header says parent 0x{parent.hex()} #{number}, "
            f"commit says parent 0x{commit.parent_hash.hex()} #{commit.number}"
        )
    check_keys(env, commit.state_changes.keys())


def check_keys(env: LmdbEnv, keys: Iterable[bytes]) -> None:
    """Every storage key must be non-empty and, escaped into a history key, fit LMDB's key limit."""
    limit = env.max_key_size() - _HISTORY_OVERHEAD
    for key in keys:
        if not key or len(key) + key.count(0) > limit:
            raise InvalidCommit(
                f"storage key 0x{key.hex()}: escaped length {len(key) + key.count(0)} outside 1..{limit} "
                "(LMDB key limit)"
            )


def put_nodes(env: LmdbEnv, txn: Txn, nodes: Mapping[bytes, bytes]) -> None:
    """Store trie nodes by hash; existing nodes are left untouched (content-addressed)."""
    db = env.db(TRIE_NODES)
    for node_hash, node in nodes.items():
        txn.put(node_hash, node, overwrite=False, db=db)
