"""Node stores: where the incremental trie reads encoded nodes (and V1 value nodes) by hash.

`NodeStore` is the only thing the trie needs from a database; the node's LMDB-backed state store
implements it. `MemoryNodeStore` is the dict-backed one used by tests and for building genesis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class NodeStore(Protocol):
    """Read access to encoded trie nodes and value nodes, keyed by their blake2_256 hash."""

    def get_node(self, node_hash: bytes) -> bytes | None:
        """Return the encoded node (or raw value) whose hash is `node_hash`, or None if absent."""
        ...


class MemoryNodeStore:
    """A dict-backed `NodeStore`; `insert_nodes` persists a `TrieUpdate.new_nodes` mapping."""

    __slots__ = ("_nodes",)

    def __init__(self, nodes: Mapping[bytes, bytes] | None = None) -> None:
        """Start empty, or with a copy of `nodes` (hash -> encoded node)."""
        self._nodes: dict[bytes, bytes] = dict(nodes) if nodes else {}

    def get_node(self, node_hash: bytes) -> bytes | None:
        """Return the node stored under `node_hash`, or None."""
        return self._nodes.get(node_hash)

    def insert_nodes(self, nodes: Mapping[bytes, bytes]) -> None:
        """Add nodes (hash -> encoded node); existing nodes are never removed (archive semantics)."""
        self._nodes.update(nodes)

    def __len__(self) -> int:
        """Number of stored nodes."""
        return len(self._nodes)

    def __contains__(self, node_hash: object) -> bool:
        """Whether a node is stored under `node_hash`."""
        return node_hash in self._nodes
