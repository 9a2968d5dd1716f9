"""Substrate's base-16 Patricia-Merkle trie (sp_trie LayoutV0 / LayoutV1), in pure Python.

- `codec`: the node codec (headers, nibble partial keys, children bitmap, inline/hashed children).
- `root`: `trie_root` / `ordered_trie_root` from scratch (state root, extrinsics root).
- `update`: `apply_changes`, the incremental content-addressed update used on block import.
- `proof`: `read_value`, `generate_proof`, `verify_proof`.
- `store`: the `NodeStore` protocol and `MemoryNodeStore`.

`state_version` 1 (LayoutV1) stores values longer than 32 bytes as separate value nodes referenced
by blake2_256(value); 0 (LayoutV0) keeps every value inline.
"""

from __future__ import annotations

from ..hashing import EMPTY_TRIE_ROOT
from .codec import DecodedNode, decode_node, encode_decoded
from .errors import (
    IncompleteDatabaseError,
    InvalidProofError,
    ProofMalformedNodeError,
    ProofMissingNodeError,
    ProofValueMismatchError,
    TrieDecodeError,
    TrieError,
)
from .proof import generate_proof, read_value, verify_proof
from .root import ordered_trie_root, trie_root
from .store import MemoryNodeStore, NodeStore
from .update import TrieUpdate, apply_changes

__all__ = [
    "EMPTY_TRIE_ROOT",
    "DecodedNode",
    "IncompleteDatabaseError",
    "InvalidProofError",
    "MemoryNodeStore",
    "NodeStore",
    "ProofMalformedNodeError",
    "ProofMissingNodeError",
    "ProofValueMismatchError",
    "TrieDecodeError",
    "TrieError",
    "TrieUpdate",
    "apply_changes",
    "decode_node",
    "encode_decoded",
    "generate_proof",
    "ordered_trie_root",
    "read_value",
    "trie_root",
    "verify_proof",
]
