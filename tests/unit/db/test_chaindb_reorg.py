"""ChainDB forks and reorgs (undo/redo of state, history and canonical) and the finality rules."""

from __future__ import annotations

import random

import pytest
from chaindb_helpers import Model, block, check_against_model, new_model

from node.db import BlockCommit, ChainDB, FinalityReversal, NotCanonical, UnknownBlock
from runtime.primitives.hashing import blake2_256

KEYS = [b"a", b"b", b"c", b"a\x00", b"d"]


def _add(db: ChainDB, model: Model, commit: BlockCommit) -> BlockCommit:
    db.commit_block(commit)
    model.add(commit)
    return commit


def test_fork_block_does_not_touch_state(db: ChainDB) -> None:
    model = new_model(db, {b"a": b"0"})
    a1 = _add(db, model, block(model.genesis, 1, {b"a": b"A1"}))
    b1 = _add(db, model, block(model.genesis, 1, {b"a": b"B1", b"b": b"B1"}, salt=b"B", make_best=False))
    assert db.has_block(b1.hash)
    assert db.header(b1.hash) == b1.header
    assert not db.is_canonical(b1.hash)
    assert db.is_canonical(a1.hash)
    assert db.best_hash() == a1.hash
    assert db.state_get(b"a") == b"A1"
    assert db.state_get(b"b") is None
    check_against_model(db, model, KEYS)


def test_reorg_undoes_and_redoes_in_one_commit(db: ChainDB) -> None:
    model = new_model(db, {b"a": b"0", b"b": b"0", b"c": b"0"})
    g = model.genesis
    a1 = _add(db, model, block(g, 1, {b"a": b"A1", b"b": None}))
    a2 = _add(db, model, block(a1.hash, 2, {b"c": b"A2", b"d": b"A2"}))
    a3 = _add(db, model, block(a2.hash, 3, {b"a": b"A3"}))
    b1 = _add(db, model, block(g, 1, {b"a": b"B1"}, salt=b"B", make_best=False))
    b2 = _add(db, model, block(b1.hash, 2, {b"b": None, b"c": b"B2"}, salt=b"B", make_best=False))
    check_against_model(db, model, KEYS)
    # B3 on top of the fork becomes best: undo A3, A2, A1; redo B1, B2; apply B3
    b3 = _add(db, model, block(b2.hash, 3, {b"d": b"B3"}, salt=b"B"))
    assert [db.block_hash(n) for n in range(4)] == [g, b1.hash, b2.hash, b3.hash]
    assert not db.is_canonical(a1.hash)
    assert dict(db.state_iter_prefix(b"")) == {b"a": b"B1", b"c": b"B2", b"d": b"B3"}
    assert db.state_get(b"a", at_number=1) == b"B1"
    assert db.state_get(b"b", at_number=1) == b"0"
    check_against_model(db, model, KEYS)
    # and back: A4 on the old branch redoes A1..A3 from their stored change sets
    _add(db, model, block(a3.hash, 4, {b"b": b"A4"}))
    assert db.best_number() == 4
    assert db.state_get(b"d") == b"A2"
    check_against_model(db, model, KEYS)


def test_set_best_to_shorter_branch_and_ancestor(db: ChainDB) -> None:
    model = new_model(db, {b"a": b"0"})
    a1 = _add(db, model, block(model.genesis, 1, {b"a": b"A1"}))
    a2 = _add(db, model, block(a1.hash, 2, {b"b": b"A2"}))
    _add(db, model, block(a2.hash, 3, {b"c": b"A3"}))
    b2 = _add(db, model, block(a1.hash, 2, {b"a": b"B2"}, salt=b"B", make_best=False))
    db.set_best(b2.hash)
    model.best = b2.hash
    assert db.block_hash(3) is None
    check_against_model(db, model, KEYS + [b"c"])
    db.set_best(a1.hash)  # rewind to an ancestor
    model.best = a1.hash
    check_against_model(db, model, KEYS + [b"c"])
    with pytest.raises(UnknownBlock):
        db.set_best(blake2_256(b"unknown"))


def test_finality_rules(db: ChainDB) -> None:
    model = new_model(db, {b"a": b"0"})
    g = model.genesis
    a1 = _add(db, model, block(g, 1, {b"a": b"A1"}))
    a2 = _add(db, model, block(a1.hash, 2, {b"a": b"A2"}))
    b1 = _add(db, model, block(g, 1, {b"a": b"B1"}, salt=b"B", make_best=False))
    with pytest.raises(NotCanonical):
        db.set_finalized(b1.hash)
    with pytest.raises(UnknownBlock):
        db.set_finalized(blake2_256(b"unknown"))
    db.set_finalized(a1.hash, justification=b"grandpa")
    assert db.finalized_hash() == a1.hash
    assert db.finalized_number() == 1
    assert db.justification(a1.hash) == b"grandpa"
    with pytest.raises(FinalityReversal):
        db.set_finalized(g)
    # a fork below finality may be stored, but never made best
    with pytest.raises(FinalityReversal, match="finalized block #1"):
        db.commit_block(block(b1.hash, 2, {b"a": b"B2"}, salt=b"B"))
    assert not db.has_block(block(b1.hash, 2, salt=b"B").hash)  # the whole txn was aborted
    with pytest.raises(FinalityReversal):
        db.set_best(b1.hash)
    _add(db, model, block(b1.hash, 2, {b"a": b"B2"}, salt=b"B", make_best=False))
    check_against_model(db, model, KEYS)
    # finalized=True needs make_best; finalized with make_best moves finality
    with pytest.raises(NotCanonical):
        db.commit_block(block(a2.hash, 3, salt=b"x", make_best=False, finalized=True))
    a3 = _add(db, model, block(a2.hash, 3, {b"a": b"A3"}, finalized=True, justification=b"j3"))
    assert db.finalized_hash() == a3.hash
    assert db.justification(a3.hash) == b"j3"
    db.set_finalized(a3.hash)  # re-finalizing the same block is fine
    check_against_model(db, model, KEYS)


def test_random_block_tree_matches_model(db: ChainDB) -> None:
    rng = random.Random(2024)
    keys = [b"k", b"k\x00", b"k\x00\x00\x00\x00", b"\x00", b"z"] + [bytes([i]) * 2 for i in range(1, 6)]
    model = new_model(db, {b"k": b"g", b"z": b"g"})
    hashes = [model.genesis]
    reorgs = 0
    for i in range(60):
        parent = rng.choice(hashes[-8:])
        number = model.blocks[parent][1] + 1 if parent in model.blocks else 1
        changes = {
            rng.choice(keys): (None if rng.random() < 0.25 else rng.randbytes(rng.randrange(1, 9)))
            for _ in range(rng.randrange(0, 5))
        }
        commit = block(parent, number, changes, salt=i.to_bytes(2, "big"), make_best=rng.random() < 0.6)
        reorgs += commit.make_best and parent != model.best
        _add(db, model, commit)
        hashes.append(commit.hash)
        if i % 6 == 5:
            check_against_model(db, model, keys)
    check_against_model(db, model, keys)
    assert reorgs >= 10  # the tree really exercised undo/redo
