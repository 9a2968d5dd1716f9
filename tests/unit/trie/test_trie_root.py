"""From-scratch roots against fixed vectors from Substrate, smoldot, gossamer and a real block."""

from __future__ import annotations

import pytest

from runtime.primitives.hashing import EMPTY_TRIE_ROOT, blake2_256
from runtime.primitives.trie import TrieError, ordered_trie_root, trie_root
from runtime.scale.compact import encode_compact

DOGS = [(b"doe", b"reindeer"), (b"dog", b"puppy"), (b"dogglesworth", b"cat")]
GOSSAMER_ENTRIES = [
    (b"key1", b"value1"),
    (b"key2", b"value2"),
    (b"key3", b"verylargevaluewithmorethan32byteslength"),
]


def test_empty_root() -> None:
    expected = bytes.fromhex("03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314")
    assert trie_root([]) == expected == EMPTY_TRIE_ROOT == blake2_256(b"\x00")
    assert trie_root([], state_version=0) == expected
    assert ordered_trie_root([]) == expected


@pytest.mark.parametrize("version", [0, 1])
def test_substrate_basic_externalities_commit_root(version: int) -> None:
    # sp-state-machine basic.rs `commit_should_work` (and the overlay test in ext.rs).
    expected = "39245109cef3758c2eed2ccba8d9b370a917850af3824bc8348d505df2c298fa"
    assert trie_root(DOGS, version).hex() == expected


def test_gossamer_overlay_root_with_extra_key() -> None:
    # gossamer overlayedchanges TestOverlayedStorageRootWorks, after setting doug2=yes (V1).
    expected = "5c0a4e35cb967de785e1cb8743e6f24b6ff6d45155317f2078f6eb3fc4ff3e3d"
    assert trie_root([*DOGS, (b"doug2", b"yes")]).hex() == expected


def test_gossamer_v0_and_v1_with_value_over_32_bytes() -> None:
    # gossamer pkg/trie/inmemory/layout_test.go Test_Version_Root: the 39-byte value is inline in
    # V0 and a separate value node in V1, so the roots differ.
    v0 = "71052d48704658a8435fb9cbc7ef69c75dad2f64001cb30bfa010f7d609e2657"
    v1 = "6a4a732757263bf2bc4e03a341e3f8ea635f78996ec06a6a965d5097a2911c29"
    assert trie_root(GOSSAMER_ENTRIES, state_version=0).hex() == v0
    assert trie_root(GOSSAMER_ENTRIES, state_version=1).hex() == v1


@pytest.mark.parametrize(
    ("pairs", "version", "expected"),
    [
        # smoldot trie.rs trie_root_example_v0_blake2 / trie_root_example_v1_blake2.
        (
            [(b"foo", b"bar"), (b"foobar", b"baz")],
            0,
            "a61820b5fba9b01aee10b5bbd84aea80b8230318c5e8ca14b9a4940c76e09815",
        ),
        (
            [(b"bar", b"foo"), (b"barfoo", b"hello"), (b"anotheritem", b"anothervalue")],
            1,
            "441807c345ca7adf88bd21ab1b3cbadb15616abb89167eb9fe285dd5cecd04c8",
        ),
        # smoldot calculate_root.rs trie_root_one_node (same under V0 and V1).
        ([(b"abcd", b"hello world")], 0, "7ab18659d3b2789ef2400d107104c7d4fb93d06d9ab6a8b641a5de7c3fecc851"),
        ([(b"abcd", b"hello world")], 1, "7ab18659d3b2789ef2400d107104c7d4fb93d06d9ab6a8b641a5de7c3fecc851"),
    ],
)
def test_smoldot_vectors(pairs: list[tuple[bytes, bytes]], version: int, expected: str) -> None:
    assert trie_root(pairs, version).hex() == expected


def test_real_block_extrinsics_root() -> None:
    # A Substrate dev-chain block (web3.js polkadot plugin test): one timestamp.set inherent.
    extrinsics = [bytes.fromhex("280401000b10f28e778c01")]
    expected = "c0fa389ae8109dffe61ddd306afddd9035c34aba3a3c70c7f0a1a29c1c86b329"
    assert ordered_trie_root(extrinsics).hex() == expected
    assert ordered_trie_root(extrinsics, state_version=0).hex() == expected


def test_ordered_root_host_function_vector() -> None:
    # gossamer ext_trie_blake2_256_ordered_root_version_1/2 test: same root under both versions.
    expected = "d847b86d0219a384d11458e829e9f4f4cce7e3cc2e6dcd0e8a6ad6f12c64a737"
    values = [b"static", b"even-keeled", b"Future-proofed"]
    assert ordered_trie_root(values, 0).hex() == expected
    assert ordered_trie_root(values, 1).hex() == expected


def test_ordered_root_uses_compact_index_keys() -> None:
    values = [bytes([i]) * (i % 50) for i in range(70)]  # indices >= 64 use two-byte compacts
    assert ordered_trie_root(values) == trie_root((encode_compact(i), v) for i, v in enumerate(values))


def test_later_duplicate_wins_and_order_is_irrelevant() -> None:
    pairs = [(b"a", b"1"), (b"b", b"2"), (b"a", b"3")]
    assert trie_root(pairs) == trie_root([(b"b", b"2"), (b"a", b"3")])
    assert trie_root(list(reversed(DOGS))) == trie_root(DOGS)


def test_empty_key_and_empty_value() -> None:
    a = trie_root([(b"", b""), (b"\x00", b"x")])
    b = trie_root([(b"", b"\x00"), (b"\x00", b"x")])
    assert a != b
    assert trie_root([(b"", b"")]) == blake2_256(bytes([0x40, 0x00]))


def test_value_threshold_is_33_bytes_in_v1() -> None:
    for size in (32, 33):
        value = b"\x01" * size
        same = trie_root([(b"k", value)], 0) == trie_root([(b"k", value)], 1)
        assert same is (size == 32)


def test_rejects_unknown_state_version() -> None:
    with pytest.raises(TrieError, match="state_version"):
        trie_root(DOGS, state_version=2)
