"""`chainHead_v1_storage` queries: item parsing and the answers of one query at one block.

Owns what a storage operation reads and how it pages, not the operation bookkeeping (that is
`chainhead_ops.py`). `value`/`hash` read one key; `closestDescendantMerkleValue` walks the block's trie
to the node at or below the key and reports its Merkle value (the child reference its parent holds: the
node's encoding when under 32 bytes, else its blake2_256 hash; the root is always hashed), as the
Polkadot specification defines it. `descendantsValues`/`descendantsHashes` iterate every key under the
prefix in key order: canonical blocks through the database's per-block key index, forks through the
trie from the block's state root. Pages are re-read per page from the block's own state, so a paused
query stays consistent with its block while the chain moves on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from node.client.client import Client
from runtime.primitives.hashing import EMPTY_TRIE_ROOT, blake2_256
from runtime.primitives.trie import decode_node
from runtime.primitives.trie.codec import HASH_LEN
from runtime.primitives.trie.store import NodeStore

from .params import InvalidParams, hex_bytes, to_hex

QUERY_TYPES: Final = ("value", "hash", "closestDescendantMerkleValue", "descendantsValues", "descendantsHashes")
DESCENDANT_TYPES: Final = frozenset({"descendantsValues", "descendantsHashes"})
_NIBBLES: Final = {c: i for i, c in enumerate("0123456789abcdef")}


class TrieWalkError(Exception):
    """The node store lacks a node the walk needs, or a node does not decode."""


@dataclass(frozen=True, slots=True)
class StorageQuery:
    """One requested item: the raw key, the key text echoed back (lower-case hex) and the query type."""

    key: bytes
    key_hex: str
    type: str


def parse_items(value: Any) -> list[StorageQuery]:
    """The `items` parameter as queries; InvalidParams names the first malformed item."""
    if not isinstance(value, list):
        raise InvalidParams("items: expected an array of {key, type} objects")
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise InvalidParams(f"items[{index}]: expected an object")
        kind = item.get("type")
        if kind not in QUERY_TYPES:
            raise InvalidParams(f"items[{index}].type: expected one of {', '.join(QUERY_TYPES)}")
        raw = hex_bytes(item.get("key"), f"items[{index}].key")
        out.append(StorageQuery(raw, to_hex(raw), str(kind)))
    return out


def single_item(client: Client, block: bytes, query: StorageQuery) -> dict[str, str] | None:
    """The answer to a `value`, `hash` or `closestDescendantMerkleValue` query; None when absent."""
    if query.type == "closestDescendantMerkleValue":
        header = client.header(block)
        if header is None:
            return None
        merkle = closest_descendant_merkle_value(client.db, header.state_root, query.key)
        return None if merkle is None else {"key": query.key_hex, "closestDescendantMerkleValue": to_hex(merkle)}
    value = client.storage(query.key, block) if query.key else None
    if value is None:
        return None
    if query.type == "hash":
        return {"key": query.key_hex, "hash": to_hex(blake2_256(value))}
    return {"key": query.key_hex, "value": to_hex(value)}


def descendants_page(client: Client, block: bytes, query: StorageQuery, after: bytes | None,
                     count: int) -> tuple[list[dict[str, str]], bytes | None]:
    """Up to `count` items under `query.key` strictly after key `after` (None: from the prefix itself).

    Returns (items, last key) where last key is None when the prefix is exhausted.
    """
    if client.db.is_canonical(block):
        keys = client.keys_paged(query.key, count + 1, after, block)
        more = len(keys) > count
        keys = keys[:count]
        pairs: list[tuple[bytes, bytes | None]] = [(k, client.storage(k, block)) for k in keys]
    else:
        header = client.header(block)
        if header is None:
            return [], None
        walk = iter_trie(client.db, header.state_root, query.key)
        pairs = []
        more = False
        for found_key, found_value in walk:
            if after is not None and found_key <= after:
                continue
            if len(pairs) == count:
                more = True
                break
            pairs.append((found_key, found_value))
    items = []
    for key, value in pairs:
        if value is None:
            continue
        if query.type == "descendantsHashes":
            items.append({"key": to_hex(key), "hash": to_hex(blake2_256(value))})
        else:
            items.append({"key": to_hex(key), "value": to_hex(value)})
    last = pairs[-1][0] if pairs and more else None
    return items, last


def _fetch(store: NodeStore, ref: bytes) -> bytes:
    if len(ref) < HASH_LEN:
        return ref
    enc = store.get_node(ref)
    if enc is None:
        raise TrieWalkError(f"node store lacks node 0x{ref.hex()}")
    return enc


def _decode(enc: bytes) -> Any:
    try:
        return decode_node(enc)
    except Exception as exc:  # the codec's own errors; a corrupt node must not escape as anything else
        raise TrieWalkError(f"trie node does not decode: {exc}") from None


def closest_descendant_merkle_value(store: NodeStore, root: bytes, key: bytes) -> bytes | None:
    """The Merkle value of the trie node at `key` or, failing that, of its closest descendant.

    None when no node has a key starting with `key`. Raises TrieWalkError on a missing or corrupt node.
    """
    if root == EMPTY_TRIE_ROOT:
        return None
    target = key.hex()
    size = len(target)
    ref = root
    enc = _fetch(store, root)
    depth = 0
    while True:
        node = _decode(enc)
        if node is None:
            return None
        partial = node.partial
        if size <= depth + len(partial):
            return ref if partial.startswith(target[depth:]) else None
        if not target.startswith(partial, depth):
            return None
        depth += len(partial)
        if node.children is None:
            return None
        child = node.children[_NIBBLES[target[depth]]]
        if child is None:
            return None
        depth += 1
        ref = child
        enc = _fetch(store, child)


def iter_trie(store: NodeStore, root: bytes, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of every entry whose key starts with `prefix`, in key order, walking the trie."""
    if root == EMPTY_TRIE_ROOT:
        return
    target = prefix.hex()
    yield from _walk(store, _fetch(store, root), "", target)


def _walk(store: NodeStore, enc: bytes, path: str, target: str) -> Iterator[tuple[bytes, bytes]]:
    node = _decode(enc)
    if node is None:
        return
    full = path + node.partial
    overlap = min(len(full), len(target))
    if full[:overlap] != target[:overlap]:
        return
    if node.value is not None and len(full) >= len(target) and len(full) % 2 == 0:
        value = _fetch(store, node.value) if node.value_hashed else node.value
        yield bytes.fromhex(full), value
    if node.children is None:
        return
    for index, child in enumerate(node.children):
        if child is None:
            continue
        nibble = "0123456789abcdef"[index]
        if len(full) < len(target) and target[len(full)] != nibble:
            continue
        yield from _walk(store, _fetch(store, child), full + nibble, target)
