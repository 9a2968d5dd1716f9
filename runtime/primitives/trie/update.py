"""Incremental, content-addressed trie update: apply a change set to the trie at a root.

This is what block import uses to compute the next state root without rebuilding the whole trie.
Only the nodes on the paths of changed keys are loaded, decoded and re-encoded; untouched subtrees
are kept by reference. Results are canonical (a value-less branch with one child is merged into it,
a branch without children becomes a leaf), so the root always equals `trie_root` of the resulting
key set. Nothing is deleted: the caller persists `TrieUpdate.new_nodes` (archive semantics).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..hashing import EMPTY_TRIE_ROOT, blake2_256
from .codec import (
    HASH_LEN,
    ChildRef,
    DecodedNode,
    child_ref,
    decode_node,
    encode_branch,
    encode_decoded,
    encode_leaf,
)
from .errors import IncompleteDatabaseError, TrieDecodeError, TrieError
from .root import NIBBLE_INDEX, build_subtrie, hashes_values
from .store import NodeStore

_HEX = "0123456789abcdef"

_Change = tuple[str, bytes | None]


@dataclass(frozen=True, slots=True)
class TrieUpdate:
    """Result of `apply_changes`: the new root and every node it needs that may be new.

    `new_nodes` maps blake2_256 hash -> encoded node (or raw value, for V1 value nodes). It can
    contain nodes the store already holds; writing them again is harmless.
    """

    root: bytes
    new_nodes: dict[bytes, bytes]


class _Updater:
    __slots__ = ("store", "hash_values", "new_nodes")

    def __init__(self, store: NodeStore, hash_values: bool) -> None:
        self.store = store
        self.hash_values = hash_values
        self.new_nodes: dict[bytes, bytes] = {}

    def load(self, ref: ChildRef) -> bytes:
        if len(ref) != HASH_LEN:
            return ref
        enc = self.store.get_node(ref)
        if enc is None:
            raise IncompleteDatabaseError(f"node store lacks node 0x{ref.hex()}")
        return enc

    def make_value(self, value: bytes) -> tuple[bytes, bool]:
        if self.hash_values and len(value) > HASH_LEN:
            h = blake2_256(value)
            self.new_nodes[h] = value
            return h, True
        return value, False

    def update(self, enc: bytes | None, depth: int, items: list[_Change]) -> bytes | None:
        """Apply sorted `items` (hex keys sharing `depth` nibbles) to the node `enc`; return its new encoding."""
        node = None if enc is None else decode_node(enc)
        if node is None:
            inserts = [(k, v) for k, v in items if v is not None]
            if not inserts:
                return None
            keys = [k for k, _ in inserts]
            values = [v for _, v in inserts]
            return build_subtrie(keys, values, 0, len(keys), depth, self.hash_values, self.new_nodes)
        return self._update_node(node, depth, items)

    def _update_node(self, node: DecodedNode, depth: int, items: list[_Change]) -> bytes | None:
        partial = node.partial
        plen = len(partial)
        split = plen
        for k, v in items:
            if v is not None and not k.startswith(partial, depth):
                j = 0
                limit = min(plen, len(k) - depth)
                while j < limit and k[depth + j] == partial[j]:
                    j += 1
                split = min(split, j)

        direct: dict[int, bytes] = {}
        value: bytes | None
        if split < plen:
            # An inserted key leaves the partial key early: the old node moves under a new branch.
            moved = DecodedNode(partial[split + 1 :], node.value, node.value_hashed, node.children)
            direct[NIBBLE_INDEX[partial[split]]] = encode_decoded(moved)
            partial = partial[:split]
            value, hashed = None, False
            children: list[ChildRef | None] = [None] * 16
        else:
            value, hashed = node.value, node.value_hashed
            children = list(node.children) if node.children is not None else [None] * 16

        base = depth + len(partial)
        groups: dict[str, list[_Change]] = {}
        for k, v in items:
            if not k.startswith(partial, depth):
                continue  # deleting a key that is not in the trie
            if len(k) == base:
                if v is None:
                    value, hashed = None, False
                else:
                    value, hashed = self.make_value(v)
            else:
                groups.setdefault(k[base], []).append((k, v))

        new_enc: dict[int, bytes | None] = {}
        for c, group in groups.items():
            i = NIBBLE_INDEX[c]
            child = direct.pop(i, None)
            if child is None:
                ref = children[i]
                child = None if ref is None else self.load(ref)
            new_enc[i] = self.update(child, base + 1, group)
        new_enc.update(direct)

        present = [i for i in range(16) if (new_enc[i] if i in new_enc else children[i]) is not None]
        if not present:
            return None if value is None else encode_leaf(partial, value, hashed)
        if value is None and len(present) == 1:
            return self._merge(partial, present[0], new_enc, children)
        for i, e in new_enc.items():
            children[i] = None if e is None else child_ref(e, self.new_nodes)
        return encode_branch(partial, value, hashed, children)

    def _merge(
        self, partial: str, i: int, new_enc: dict[int, bytes | None], children: list[ChildRef | None]
    ) -> bytes:
        """A value-less branch left with one child: fold the branch's partial key into that child."""
        child = new_enc.get(i)
        if child is None:
            ref = children[i]
            if ref is None:  # unreachable: `i` was found present
                raise TrieDecodeError("merge: vanished child")
            child = self.load(ref)
        node = decode_node(child)
        if node is None:
            raise TrieDecodeError("merge: empty-trie node used as a child")
        merged = DecodedNode(partial + _HEX[i] + node.partial, node.value, node.value_hashed, node.children)
        return encode_decoded(merged)


def apply_changes(
    store: NodeStore,
    root: bytes,
    changes: Mapping[bytes, bytes | None],
    state_version: int = 1,
) -> TrieUpdate:
    """Apply `changes` (key -> new value, None deletes) to the trie at `root`; nodes are read from `store`.

    Returns the new root and the nodes to persist. Raises IncompleteDatabaseError if a needed node is
    missing and TrieDecodeError if a stored node is corrupt.
    """
    updater = _Updater(store, hashes_values(state_version))
    if len(root) != HASH_LEN:
        raise TrieError(f"root must be {HASH_LEN} bytes, got {len(root)}")
    items = sorted((k.hex(), v) for k, v in changes.items())
    enc = None if root == EMPTY_TRIE_ROOT else updater.load(root)
    out = updater.update(enc, 0, items) if items else enc
    nodes = updater.new_nodes
    if out is None:
        return TrieUpdate(EMPTY_TRIE_ROOT, nodes)
    new_root = blake2_256(out)
    nodes[new_root] = out
    return TrieUpdate(new_root, nodes)
