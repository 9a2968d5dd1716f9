"""Node codec: byte-exact encodings from sp-trie's own tests, header extension, strict decoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.primitives.hashing import blake2_256
from runtime.primitives.trie import DecodedNode, TrieDecodeError, decode_node, encode_decoded
from runtime.primitives.trie.codec import (
    BRANCH_NO_VALUE,
    HASHED_VALUE_BRANCH,
    HASHED_VALUE_LEAF,
    LEAF,
    encode_header,
)
from runtime.primitives.trie.root import build_subtrie


def _unhashed_root_node(pairs: list[tuple[bytes, bytes]], state_version: int = 1) -> bytes:
    table = {k.hex(): v for k, v in pairs}
    keys = sorted(table)
    return build_subtrie(keys, [table[k] for k in keys], 0, len(keys), 0, state_version == 1, None)


def test_single_tuple_matches_sp_trie() -> None:
    # sp-trie `codec_trie_single_tuple`: leaf 0x40 + 2 nibbles, key 0xaa, Compact(1), 0xbb.
    assert _unhashed_root_node([(b"\xaa", b"\xbb")]) == bytes([0x42, 0xAA, 1 << 2, 0xBB])


def test_two_disjoint_keys_match_sp_trie() -> None:
    # sp-trie `codec_trie_two_tuples_disjoint_keys`.
    # branch, no value, no nibble; bitmap slots 1 & 4; two inline 5-byte leaves of 3 nibbles.
    expected = bytes.fromhex("8012001443031404ff1443081904fe")
    assert _unhashed_root_node([(b"\x48\x19", b"\xfe"), (b"\x13\x14", b"\xff")]) == expected


def test_hashed_value_branch_layout() -> None:
    big = bytes(range(33))
    enc = _unhashed_root_node([(b"\xaa", big), (b"\xaa\x10", b"\x01")])
    leaf = bytes([0x41, 0x00, 1 << 2, 0x01])  # 1-nibble leaf "0", inline in its parent
    assert enc == bytes([0x12, 0xAA, 0x02, 0x00]) + blake2_256(big) + bytes([len(leaf) << 2]) + leaf
    # V0 keeps the same value inline, under the plain branch-with-value header.
    enc0 = _unhashed_root_node([(b"\xaa", big), (b"\xaa\x10", b"\x01")], state_version=0)
    assert enc0[:4] == bytes([0xC2, 0xAA, 0x02, 0x00])
    assert enc0[4:5] == bytes([33 << 2])


def test_hashed_value_leaf_layout() -> None:
    big = b"x" * 40
    assert _unhashed_root_node([(b"\x01", big)]) == bytes([0x22, 0x01]) + blake2_256(big)
    assert _unhashed_root_node([(b"\x01", b"x" * 32)])[:3] == bytes([0x42, 0x01, 32 << 2])


@pytest.mark.parametrize(
    ("kind", "count", "expected"),
    [
        (LEAF, 62, bytes([0x7E])),
        (LEAF, 63, bytes([0x7F, 0x00])),
        (LEAF, 64, bytes([0x7F, 0x01])),
        (LEAF, 63 + 254, bytes([0x7F, 0xFE])),
        (LEAF, 63 + 255, bytes([0x7F, 0xFF, 0x00])),
        (BRANCH_NO_VALUE, 64, bytes([0xBF, 0x01])),
        (HASHED_VALUE_LEAF, 31, bytes([0x3F, 0x00])),
        (HASHED_VALUE_BRANCH, 15, bytes([0x1F, 0x00])),
        (HASHED_VALUE_BRANCH, 14, bytes([0x1E])),
    ],
)
def test_header_nibble_count_extension(kind: tuple[int, int], count: int, expected: bytes) -> None:
    assert encode_header(kind, count) == expected


@pytest.mark.parametrize("nibbles", [0, 1, 62, 63, 64, 317, 318, 600])
def test_long_partial_keys_round_trip(nibbles: int) -> None:
    partial = ("0123456789abcdef" * 40)[:nibbles]
    for node in (
        DecodedNode(partial, b"v", False, None),
        DecodedNode(partial, b"\x07" * 32, True, None),
        DecodedNode(partial, None, False, (b"\x11" * 32,) + (None,) * 14 + (b"\x41\x00\x00",)),
        DecodedNode(partial, b"\x07" * 32, True, (None, b"\x22" * 32) + (None,) * 14),
    ):
        assert decode_node(encode_decoded(node)) == node


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b"", "empty input"),
        (b"\x00\x00", "trailing bytes"),
        (b"\x01", "forbidden header"),
        (b"\x0f", "forbidden header"),
        (b"\x41\x10\x00", "padding nibble"),
        (b"\x42\xaa", "missing length prefix"),
        (b"\x42\xaa\x08\x01", "truncated"),
        (b"\x42\xaa\x04\x01\x02", "trailing bytes"),
        (b"\x80\x00\x00", "no child"),
        (b"\x80\x01", "truncated children bitmap"),
        (b"\x80\x01\x00", "truncated reference"),
        (b"\x80\x01\x00\x84" + b"\x00" * 33, "longer than a hash"),
        (b"\x80\x01\x00\x80" + b"\x00" * 31, "truncated"),
        (b"\x80\x01\x00\x00", "empty"),
        (b"\x7f", "truncated nibble-count"),
        (b"\x7f" + b"\xff" * 300, "exceeds"),
        (b"\x22\x01" + b"\x00" * 31, "truncated value-node hash"),
        (b"\x42\xaa\x01\x00", "non-canonical"),
        (b"\x42\xaa\x03", "big-integer"),
    ],
)
def test_decode_rejects_malformed(data: bytes, check: str) -> None:
    with pytest.raises(TrieDecodeError, match=check):
        decode_node(data)


def test_empty_node_decodes_to_none() -> None:
    assert decode_node(b"\x00") is None


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=80))
def test_decode_never_leaks_other_errors(data: bytes) -> None:
    try:
        node = decode_node(data)
    except TrieDecodeError:
        return
    # Anything accepted is canonical: it re-encodes to the same bytes.
    if node is not None:
        assert encode_decoded(node) == data


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_truncations_of_valid_nodes_are_typed_errors(data: st.DataObject) -> None:
    pairs = data.draw(
        st.dictionaries(st.binary(min_size=1, max_size=4), st.binary(max_size=40), min_size=2, max_size=6)
    )
    enc = _unhashed_root_node(list(pairs.items()))
    cut = data.draw(st.integers(min_value=0, max_value=len(enc) - 1))
    with pytest.raises(TrieDecodeError):
        decode_node(enc[:cut])
