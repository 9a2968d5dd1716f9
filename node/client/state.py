"""State readers the runtime executes against: a block's storage as seen from the chain database.

Canonical blocks read the flat best state or the per-key history (one LMDB seek); any other block
(a fork) falls back to walking the trie from its header's state root, which is slower but exact.
"""

from __future__ import annotations

from collections.abc import Iterator

from node.db import ChainDB
from runtime.primitives.trie import read_value


class CanonicalStateReader:
    """Storage of a canonical block (`at_number` None means the best block, read from the flat state)."""

    def __init__(self, db: ChainDB, at_number: int | None) -> None:
        self.db = db
        self.at_number = at_number

    def get(self, key: bytes) -> bytes | None:
        """The value at `key` in this block's state."""
        return self.db.state_get(key, self.at_number)

    def iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """(key, value) under `prefix`, in key order."""
        if self.at_number is None:
            yield from self.db.state_iter_prefix(prefix)
            return
        start = prefix
        while True:
            keys = self.db.state_keys_paged(prefix, 1000, start, self.at_number)
            for key in keys:
                value = self.db.state_get(key, self.at_number)
                if value is not None:
                    yield key, value
            if len(keys) < 1000:
                return
            start = keys[-1]


class TrieStateReader:
    """Storage of any stored block, read through the trie from its state root."""

    def __init__(self, db: ChainDB, state_root: bytes) -> None:
        self.db = db
        self.state_root = state_root

    def get(self, key: bytes) -> bytes | None:
        """The value at `key`, found by walking the trie."""
        return read_value(self.db, self.state_root, key)

    def iter_prefix(self, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Prefix iteration is not available on a fork's trie view."""
        raise NotImplementedError("prefix iteration at a non-canonical block")
