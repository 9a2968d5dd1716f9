"""ChainDB block storage: genesis, commit/read, commit validation, reopen, purge, record codecs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from chaindb_helpers import ZERO, block, genesis_commit, header_bytes

from node.db import (
    BlockExists,
    ChainDB,
    ChainDBError,
    Corruption,
    GenesisMismatch,
    InvalidCommit,
    NoGenesis,
    SchemaVersionMismatch,
    UnknownBlock,
    db_path,
    purge,
)
from node.db.records import Change, ChangeSet, decode_body, decode_change_set, encode_body, encode_change_set
from node.db.schema import META, META_SCHEMA_VERSION
from runtime.primitives.hashing import blake2_256


def test_genesis_sets_best_finalized_canonical_and_state(db: ChainDB) -> None:
    genesis = genesis_commit({b"k1": b"v1", b"k2": b"v2"})
    genesis_hash = db.init_genesis(genesis)
    assert genesis_hash == blake2_256(genesis.header)
    assert db.genesis_hash() == db.best_hash() == db.finalized_hash() == genesis_hash
    assert db.best_number() == db.finalized_number() == 0
    assert db.block_hash(0) == genesis_hash
    assert db.header(genesis_hash) == genesis.header
    assert db.body(genesis_hash) == []
    assert db.state_get(b"k1") == b"v1"
    assert db.state_get(b"k2", at_number=0) == b"v2"
    for node_hash, node in genesis.trie_nodes.items():
        assert db.get_node(node_hash) == node
    assert db.has_genesis()


def test_reads_before_genesis_raise_no_genesis(db: ChainDB) -> None:
    assert not db.has_genesis()
    with pytest.raises(NoGenesis):
        db.best_hash()
    with pytest.raises(NoGenesis):
        db.commit_block(block(ZERO, 1))


def test_genesis_is_idempotent_and_refuses_a_different_one(db: ChainDB) -> None:
    first = db.init_genesis(genesis_commit({b"a": b"1"}))
    assert db.init_genesis(genesis_commit({b"a": b"1"})) == first
    other = genesis_commit({b"a": b"2"}, salt=b"other")
    with pytest.raises(GenesisMismatch) as info:
        db.init_genesis(other)
    assert info.value.stored == first
    assert info.value.given == blake2_256(other.header)
    assert first.hex() in str(info.value)
    assert blake2_256(other.header).hex() in str(info.value)
    assert db.state_get(b"a") == b"1"


def test_commit_and_read_block(db: ChainDB) -> None:
    genesis = db.init_genesis(genesis_commit({b"a": b"1"}))
    b1 = block(genesis, 1, {b"a": b"2", b"b": b"3"}, body=(b"\x10xt-one", b""), justification=b"just")
    db.commit_block(b1)
    assert db.has_block(b1.hash)
    assert db.header(b1.hash) == b1.header
    assert db.body(b1.hash) == [b"\x10xt-one", b""]
    assert db.justification(b1.hash) == b"just"
    assert db.number_of(b1.hash) == 1
    assert db.parent_of(b1.hash) == genesis
    assert db.block_hash(1) == b1.hash
    assert db.is_canonical(b1.hash)
    assert db.is_canonical(genesis)
    assert db.best_hash() == b1.hash
    assert db.best_number() == 1
    assert db.finalized_hash() == genesis
    for node_hash, node in b1.trie_nodes.items():
        assert db.get_node(node_hash) == node
    unknown = blake2_256(b"nope")
    assert not db.has_block(unknown)
    assert db.header(unknown) is None
    assert db.body(unknown) is None
    assert db.number_of(unknown) is None
    assert db.block_hash(2) is None
    assert db.block_hash(-1) is None
    assert db.get_node(unknown) is None


def test_invalid_commits_are_refused_before_writing(db: ChainDB) -> None:
    genesis = db.init_genesis(genesis_commit({}))
    good = block(genesis, 1, {b"k": b"v"})
    with pytest.raises(InvalidCommit, match="blake2_256"):
        db.commit_block(replace(good, hash=blake2_256(b"x")))
    with pytest.raises(InvalidCommit, match="header says parent"):
        db.commit_block(replace(good, number=2))
    with pytest.raises(InvalidCommit, match="header says parent"):
        db.commit_block(replace(good, parent_hash=blake2_256(b"p")))
    with pytest.raises(InvalidCommit, match="too short"):
        db.commit_block(replace(good, header=b"\x01", hash=blake2_256(b"\x01")))
    with pytest.raises(InvalidCommit, match="storage key"):
        db.commit_block(block(genesis, 1, {b"": b"v"}))
    with pytest.raises(InvalidCommit, match="LMDB key limit"):
        db.commit_block(block(genesis, 1, {b"\x00" * 300: b"v"}))
    with pytest.raises(InvalidCommit, match="not parent #0 \\+ 1"):
        db.commit_block(block(genesis, 2))
    with pytest.raises(UnknownBlock):
        db.commit_block(block(blake2_256(b"unknown parent"), 1))
    assert db.best_hash() == genesis
    assert not db.has_block(good.hash)
    db.commit_block(good)
    with pytest.raises(BlockExists):
        db.commit_block(good)
    assert db.state_get(b"k") == b"v"


def test_reopen_resumes(tmp_path: Path) -> None:
    path = db_path(tmp_path, "dev")
    assert path == tmp_path / "chains" / "dev" / "db"
    with ChainDB.open(path) as db:
        genesis = db.init_genesis(genesis_commit({b"a": b"0"}))
        b1 = block(genesis, 1, {b"a": b"1"})
        b2 = block(b1.hash, 2, {b"a": b"2"})
        db.commit_block(b1)
        db.commit_block(b2)
        db.set_finalized(b1.hash)
    with ChainDB.open(path) as db:
        assert db.genesis_hash() == genesis
        assert db.best_hash() == b2.hash
        assert db.finalized_hash() == b1.hash
        assert db.state_get(b"a") == b"2"
        assert db.state_get(b"a", at_number=1) == b"1"
        with pytest.raises(GenesisMismatch):
            db.init_genesis(genesis_commit({b"a": b"0"}, salt=b"x"))
        db.commit_block(block(b2.hash, 3, {b"a": b"3"}))
        assert db.best_number() == 3


def test_schema_version_mismatch(tmp_path: Path) -> None:
    with ChainDB.open(tmp_path / "db") as db:
        env = db._env
        env.write(lambda txn: txn.put(META_SCHEMA_VERSION, (99).to_bytes(4, "big"), db=env.db(META)))
    with pytest.raises(SchemaVersionMismatch, match="schema version 99"):
        ChainDB.open(tmp_path / "db")


def test_purge(tmp_path: Path) -> None:
    path = db_path(tmp_path, "dev")
    assert not purge(path)
    with ChainDB.open(path, sync=False) as db:
        db.init_genesis(genesis_commit({}))
    assert purge(path)
    assert not path.exists()
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "file.txt").write_text("keep")
    with pytest.raises(ChainDBError, match="refusing to purge"):
        purge(tmp_path / "precious")
    assert (tmp_path / "precious" / "file.txt").exists()


def test_memory_db_is_deleted_on_close() -> None:
    db = ChainDB.memory()
    path = db.path
    db.init_genesis(genesis_commit({}))
    assert path.exists()
    db.close()
    assert not path.exists()


def test_body_codec_round_trip_and_strictness() -> None:
    items = [b"", b"\x01" * 70, bytes(range(256))]
    data = encode_body(items)
    assert data[:1] == b"\x0c"  # Compact(3)
    assert decode_body(data) == items
    with pytest.raises(Corruption, match="truncated"):
        decode_body(data[:-1])
    with pytest.raises(Corruption, match="trailing"):
        decode_body(data + b"\x00")
    with pytest.raises(Corruption, match="cannot fit"):
        decode_body(b"\xfd\xff\xff\xff")


def test_change_set_codec_round_trip_and_strictness() -> None:
    change_set = ChangeSet(True, (Change(b"k", None, b"v"), Change(b"\x00", b"old", None)))
    data = encode_change_set(change_set)
    assert data == b"\x01\x08" + b"\x04k" + b"\x00" + b"\x01\x04v" + b"\x04\x00" + b"\x01\x0cold" + b"\x00"
    assert decode_change_set(data) == change_set
    with pytest.raises(Corruption, match="Option tag"):
        decode_change_set(b"\x01\x04\x04k\x02")
    with pytest.raises(Corruption, match="applied flag"):
        decode_change_set(b"\x02\x00")
    with pytest.raises(Corruption):
        decode_change_set(data[:-2])


def test_header_number_is_read_from_real_headers(db: ChainDB) -> None:
    genesis = db.init_genesis(genesis_commit({}))
    parent = genesis
    for number in range(1, 70):  # crosses the one-byte → two-byte Compact boundary at 64
        commit = block(parent, number)
        db.commit_block(commit)
        parent = commit.hash
    assert db.number_of(parent) == 69
    assert db.header(parent) == header_bytes(db.parent_of(parent) or b"", 69)


def test_full_map_grows_instead_of_failing(tmp_path: Path) -> None:
    with ChainDB.open(tmp_path / "db", map_size=1 << 16, sync=False) as db:
        storage = {i.to_bytes(4, "big"): b"v" * 100 for i in range(5000)}
        genesis = db.init_genesis(genesis_commit(storage))
        db.commit_block(block(genesis, 1, {i.to_bytes(4, "big"): b"w" * 200 for i in range(3000)}))
        assert db.disk_size() > 1 << 16
        assert db.state_get((2999).to_bytes(4, "big")) == b"w" * 200
        assert db.state_get((4999).to_bytes(4, "big"), at_number=0) == b"v" * 100


def test_opening_the_same_directory_twice_is_refused(tmp_path: Path) -> None:
    with ChainDB.open(tmp_path / "db", sync=False), pytest.raises(ChainDBError, match="already open"):
        ChainDB.open(tmp_path / "db", sync=False)
