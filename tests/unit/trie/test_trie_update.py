"""Incremental `apply_changes` over a node store: real vectors and incremental == from-scratch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.primitives.hashing import EMPTY_TRIE_ROOT, blake2_256
from runtime.primitives.trie import (
    IncompleteDatabaseError,
    MemoryNodeStore,
    TrieError,
    apply_changes,
    decode_node,
    read_value,
    trie_root,
)


def _build(pairs: dict[bytes, bytes], version: int = 1) -> tuple[MemoryNodeStore, bytes]:
    store = MemoryNodeStore()
    update = apply_changes(store, EMPTY_TRIE_ROOT, pairs, version)
    store.insert_nodes(update.new_nodes)
    return store, update.root


def test_gossamer_overlay_vector_incrementally() -> None:
    # gossamer TestOverlayedStorageRootWorks (port of sp-state-machine's overlay root test), V1.
    initial = {b"doe": b"reindeer", b"dog": b"puppyXXX", b"dogglesworth": b"catXXX", b"doug": b"notadog"}
    store, root = _build(initial)
    step1 = apply_changes(store, root, {b"dog": b"puppy", b"dogglesworth": b"cat", b"doug": None})
    assert step1.root.hex() == "39245109cef3758c2eed2ccba8d9b370a917850af3824bc8348d505df2c298fa"
    store.insert_nodes(step1.new_nodes)
    step2 = apply_changes(store, step1.root, {b"doug2": b"yes"})
    assert step2.root.hex() == "5c0a4e35cb967de785e1cb8743e6f24b6ff6d45155317f2078f6eb3fc4ff3e3d"


def test_gossamer_v1_value_nodes_are_emitted() -> None:
    big = b"verylargevaluewithmorethan32byteslength"
    pairs = {b"key1": b"value1", b"key2": b"value2", b"key3": big}
    update = apply_changes(MemoryNodeStore(), EMPTY_TRIE_ROOT, pairs)
    assert update.root.hex() == "6a4a732757263bf2bc4e03a341e3f8ea635f78996ec06a6a965d5097a2911c29"
    assert update.new_nodes[blake2_256(big)] == big
    assert all(blake2_256(v) == k for k, v in update.new_nodes.items())
    v0 = apply_changes(MemoryNodeStore(), EMPTY_TRIE_ROOT, pairs, state_version=0)
    assert v0.root.hex() == "71052d48704658a8435fb9cbc7ef69c75dad2f64001cb30bfa010f7d609e2657"
    assert blake2_256(big) not in v0.new_nodes


def test_delete_everything_gives_empty_root() -> None:
    pairs = {bytes([i, j]): bytes([i]) * 40 for i in range(5) for j in range(5)}
    store, root = _build(pairs)
    update = apply_changes(store, root, {k: None for k in pairs})
    assert update.root == EMPTY_TRIE_ROOT


def test_no_changes_keeps_root_and_absent_delete_is_noop() -> None:
    store, root = _build({b"abc": b"1", b"abd": b"2"})
    assert apply_changes(store, root, {}).root == root
    assert apply_changes(store, root, {b"ab": None, b"abce": None, b"x": None}).root == root


def test_split_and_merge_of_partial_keys() -> None:
    store, root = _build({b"\x12\x34\x56": b"a", b"\x12\x34\x57": b"b"})
    # Insert a key leaving the shared partial key early, then delete it again.
    up = apply_changes(store, root, {b"\x12\x00": b"c"})
    assert up.root == trie_root([(b"\x12\x34\x56", b"a"), (b"\x12\x34\x57", b"b"), (b"\x12\x00", b"c")])
    store.insert_nodes(up.new_nodes)
    back = apply_changes(store, up.root, {b"\x12\x00": None})
    assert back.root == root
    # A branch left with one child and no value folds into it.
    store.insert_nodes(back.new_nodes)
    one = apply_changes(store, root, {b"\x12\x34\x57": None})
    assert one.root == trie_root([(b"\x12\x34\x56", b"a")])
    node = decode_node(one.new_nodes[one.root])
    assert node is not None
    assert node.children is None
    assert node.partial == "123456"


def test_read_value_after_updates() -> None:
    pairs = {b"alpha": b"1", b"alphabet": b"x" * 100, b"beta": b""}
    store, root = _build(pairs)
    for k, v in pairs.items():
        assert read_value(store, root, k) == v
    for k in (b"alp", b"alphab", b"alphabets", b"gamma", b""):
        assert read_value(store, root, k) is None
    assert read_value(store, EMPTY_TRIE_ROOT, b"alpha") is None


def test_missing_node_is_a_typed_error() -> None:
    pairs = {bytes([i]) * 3: bytes([i]) * 40 for i in range(40)}
    store, root = _build(pairs)
    with pytest.raises(IncompleteDatabaseError, match="lacks node"):
        apply_changes(MemoryNodeStore(), root, {b"k": b"v"})
    with pytest.raises(IncompleteDatabaseError):
        read_value(MemoryNodeStore(), root, b"\x01\x01\x01")
    with pytest.raises(TrieError, match="32 bytes"):
        apply_changes(store, root[:31], {b"k": b"v"})


KEYS = st.binary(min_size=0, max_size=5)
VALUES = st.binary(min_size=0, max_size=48)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    initial=st.dictionaries(KEYS, VALUES, max_size=40),
    batches=st.lists(st.dictionaries(KEYS, st.none() | VALUES, max_size=15), min_size=1, max_size=4),
    version=st.sampled_from([0, 1]),
)
def test_incremental_equals_from_scratch(
    initial: dict[bytes, bytes], batches: list[dict[bytes, bytes | None]], version: int
) -> None:
    store, root = _build(initial, version)
    assert root == trie_root(initial.items(), version)
    state = dict(initial)
    for changes in batches:
        # Also mix in changes to existing keys (updates and deletes).
        for i, k in enumerate(sorted(state)[:5]):
            changes.setdefault(k, None if i % 2 else b"\xee" * (i * 10))
        update = apply_changes(store, root, changes, version)
        for k, v in changes.items():
            if v is None:
                state.pop(k, None)
            else:
                state[k] = v
        assert update.root == trie_root(state.items(), version)
        assert all(blake2_256(node) == h for h, node in update.new_nodes.items())
        store.insert_nodes(update.new_nodes)
        root = update.root
        for k, v in state.items():
            assert read_value(store, root, k) == v


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.binary(min_size=32, max_size=32), min_size=50, max_size=300, unique=True),
    st.data(),
)
def test_incremental_on_storage_like_keys(keys: list[bytes], data: st.DataObject) -> None:
    prefix = bytes.fromhex("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9")
    pairs = {prefix + k: k * 3 for k in keys}
    store, root = _build(pairs)
    chosen = data.draw(st.lists(st.sampled_from(sorted(pairs)), max_size=24, unique=True))
    changes: dict[bytes, bytes | None] = {k: (None if k[-1] & 1 else b"new") for k in chosen}
    changes[prefix + b"\x00" * 31] = b"inserted" * 5
    update = apply_changes(store, root, changes)
    expected = {**pairs, **changes}
    assert update.root == trie_root((k, v) for k, v in expected.items() if v is not None)
