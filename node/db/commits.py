"""What a caller hands the chain database to write: one block (`BlockCommit`) or the genesis (`GenesisCommit`).

Each is written in exactly one LMDB write transaction. The header is the SCALE-encoded Substrate header;
the database checks that `hash == blake2_256(header)` and that the header's parent hash and number match
the commit's fields, so a mis-assembled commit is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class BlockCommit:
    """An imported block and its effects, written atomically by `ChainDB.commit_block`.

    state_changes: storage key → new value, or None for a deletion (relative to the parent's state).
    trie_nodes: node hash → encoded node, new nodes of the block's state trie (content-addressed).
    make_best: the block becomes the best block (reorganising the canonical chain if its parent is not best).
    finalized: the block is also finalized (requires make_best).
    """

    hash: bytes
    number: int
    parent_hash: bytes
    header: bytes
    body: Sequence[bytes] = ()
    state_changes: Mapping[bytes, bytes | None] = field(default_factory=dict)
    trie_nodes: Mapping[bytes, bytes] = field(default_factory=dict)
    make_best: bool = True
    finalized: bool = False
    justification: bytes | None = None


@dataclass(frozen=True, slots=True)
class GenesisCommit:
    """The genesis block: its SCALE header (number 0), full storage and state-trie nodes."""

    header: bytes
    storage: Mapping[bytes, bytes] = field(default_factory=dict)
    trie_nodes: Mapping[bytes, bytes] = field(default_factory=dict)
    body: Sequence[bytes] = ()
