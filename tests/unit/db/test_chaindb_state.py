"""ChainDB state reads: best and historical values, tombstones, paged keys, prefix iteration."""

from __future__ import annotations

import random

import pytest
from chaindb_helpers import block, check_against_model, genesis_commit, new_model

from node.db import ChainDB, UnknownBlock
from node.db.schema import escape_key, history_key, unescape_key


def _linear_chain(db: ChainDB) -> list[bytes]:
    """genesis {a:0, b:0, c:0} → #1 a=1, d=1 → #2 delete b → #3 b=3, a deleted → #4 c=4."""
    genesis = db.init_genesis(genesis_commit({b"a": b"0", b"b": b"0", b"c": b"0"}))
    hashes = [genesis]
    steps: list[dict[bytes, bytes | None]] = [
        {b"a": b"1", b"d": b"1"},
        {b"b": None},
        {b"b": b"3", b"a": None},
        {b"c": b"4"},
    ]
    for number, changes in enumerate(steps, start=1):
        commit = block(hashes[-1], number, changes)
        db.commit_block(commit)
        hashes.append(commit.hash)
    return hashes


def test_state_get_at_best_and_history(db: ChainDB) -> None:
    _linear_chain(db)
    expected = {
        0: {b"a": b"0", b"b": b"0", b"c": b"0"},
        1: {b"a": b"1", b"b": b"0", b"c": b"0", b"d": b"1"},
        2: {b"a": b"1", b"c": b"0", b"d": b"1"},
        3: {b"b": b"3", b"c": b"0", b"d": b"1"},
        4: {b"b": b"3", b"c": b"4", b"d": b"1"},
    }
    for number, state in expected.items():
        for key in (b"a", b"b", b"c", b"d", b"e"):
            assert db.state_get(key, at_number=number) == state.get(key), (number, key)
    for key in (b"a", b"b", b"c", b"d", b"e"):
        assert db.state_get(key) == expected[4].get(key)
    with pytest.raises(UnknownBlock, match="best block is #4"):
        db.state_get(b"a", at_number=5)


def test_tombstones_hide_keys_from_paged_listing(db: ChainDB) -> None:
    _linear_chain(db)
    assert db.state_keys_paged(b"", 10) == [b"b", b"c", b"d"]
    assert db.state_keys_paged(b"", 10, at_number=0) == [b"a", b"b", b"c"]
    assert db.state_keys_paged(b"", 10, at_number=2) == [b"a", b"c", b"d"]
    assert db.state_keys_paged(b"", 10, at_number=3) == [b"b", b"c", b"d"]


def test_keys_paged_prefix_start_key_and_count(db: ChainDB) -> None:
    storage = {bytes([p]) + i.to_bytes(2, "big"): b"v" for p in (1, 2, 3) for i in range(50)}
    genesis = db.init_genesis(genesis_commit(storage))
    prefix = b"\x02"
    everything = sorted(k for k in storage if k.startswith(prefix))
    # block 1 deletes every 3rd key of prefix 2 and adds two new ones
    changes: dict[bytes, bytes | None] = {k: None for k in everything[::3]}
    changes[b"\x02\xff\xff"] = b"new"
    changes[b"\x02"] = b"exact-prefix-key"
    db.commit_block(block(genesis, 1, changes))
    at_best = sorted({k for k in everything if k not in changes} | {b"\x02\xff\xff", b"\x02"})

    for at_number, universe in ((None, at_best), (0, everything)):
        pages: list[bytes] = []
        start: bytes | None = None
        while True:
            page = db.state_keys_paged(prefix, 7, start_key=start, at_number=at_number)
            assert len(page) <= 7
            pages.extend(page)
            if len(page) < 7:
                break
            start = page[-1]
        assert pages == universe, at_number
        # start_key before the prefix starts at the prefix; after the range yields nothing
        assert db.state_keys_paged(prefix, 3, start_key=b"\x01\xff", at_number=at_number) == universe[:3]
        assert db.state_keys_paged(prefix, 3, start_key=b"\x03", at_number=at_number) == []
        # start_key that is not itself a key
        middle = universe[10] + b"\x00"
        assert db.state_keys_paged(prefix, 2, start_key=middle, at_number=at_number) == universe[11:13]
        assert db.state_keys_paged(prefix, 0, at_number=at_number) == []


def test_state_iter_prefix(db: ChainDB) -> None:
    _linear_chain(db)
    assert list(db.state_iter_prefix(b"")) == [(b"b", b"3"), (b"c", b"4"), (b"d", b"1")]
    assert list(db.state_iter_prefix(b"c")) == [(b"c", b"4")]
    assert list(db.state_iter_prefix(b"z")) == []


def test_history_escape_keeps_keys_apart_and_ordered() -> None:
    keys = [b"", b"\x00", b"\x00\x00", b"\x00\xff", b"\x00\x01", b"a", b"a\x00", b"a\x00\x00\x00\x00", b"a\x01", b"\xff"]
    for key in keys:
        assert unescape_key(escape_key(key)) == key
    # history entries sort by (key, number): every entry of a key precedes every entry of a longer key
    entries = sorted((history_key(k, n), k, n) for k in keys for n in (0, 1, 255, 0xFFFF_FFFF))
    assert [(k, n) for _, k, n in entries] == sorted((k, n) for k in keys for n in (0, 1, 255, 0xFFFF_FFFF))


def test_prefix_overlapping_keys_resolve_independently(db: ChainDB) -> None:
    # with a raw key ++ number layout, b"a\0\0\0\0" ++ n would sort inside b"a"'s entries
    keys = [b"a", b"a\x00", b"a\x00\x00\x00\x00", b"a\x00\x00\x00\x01", b"a\x00\xff", b"\x00", b"\x00\x00"]
    model = new_model(db, {b"a": b"g"})
    parent = model.genesis
    for number in range(1, 6):
        changes: dict[bytes, bytes | None] = {keys[(number + i) % len(keys)]: bytes([number, i]) for i in range(3)}
        if number == 4:
            changes[b"a"] = None
        commit = block(parent, number, changes)
        db.commit_block(commit)
        model.add(commit)
        parent = commit.hash
    check_against_model(db, model, keys + [b"b"])


def test_random_linear_chain_matches_model(db: ChainDB) -> None:
    rng = random.Random(7)
    keys = [bytes([rng.randrange(3)]) * rng.randrange(1, 4) + bytes([i]) for i in range(24)]
    model = new_model(db, {k: b"g" for k in keys[:8]})
    parent = model.genesis
    for number in range(1, 25):
        changes = {
            rng.choice(keys): (None if rng.random() < 0.3 else rng.randbytes(rng.randrange(0, 40)))
            for _ in range(rng.randrange(0, 6))
        }
        commit = block(parent, number, changes)
        db.commit_block(commit)
        model.add(commit)
        parent = commit.hash
    check_against_model(db, model, keys)
