"""Test helpers for the chain database: real Substrate headers, commits, and a reference model.

The model keeps every block's change set and recomputes any block's state from genesis by folding, so
tests can compare the database's flat state, history and canonical chain against an obviously correct
(slow) oracle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from node.db import BlockCommit, ChainDB, GenesisCommit
from runtime.primitives.hashing import blake2_256
from runtime.primitives.header import Header

ZERO = b"\x00" * 32


def header_bytes(parent: bytes, number: int, salt: bytes = b"") -> bytes:
    """A real SCALE Substrate header; `salt` makes sibling blocks distinct."""
    root = blake2_256(b"state" + number.to_bytes(4, "little") + salt)
    return Header(parent, number, root, blake2_256(b"xt" + salt)).encode()


def genesis_commit(storage: Mapping[bytes, bytes], salt: bytes = b"") -> GenesisCommit:
    """A genesis with the given storage and one trie node."""
    node = b"genesis-node" + salt
    return GenesisCommit(
        header=header_bytes(ZERO, 0, salt), storage=dict(storage), trie_nodes={blake2_256(node): node}
    )


def block(
    parent: bytes,
    number: int,
    changes: Mapping[bytes, bytes | None] | None = None,
    *,
    salt: bytes = b"",
    make_best: bool = True,
    finalized: bool = False,
    body: tuple[bytes, ...] = (),
    justification: bytes | None = None,
) -> BlockCommit:
    """A consistent BlockCommit (hash = blake2_256(header), parent and number in the header)."""
    header = header_bytes(parent, number, salt)
    node = b"node" + header
    return BlockCommit(
        hash=blake2_256(header),
        number=number,
        parent_hash=parent,
        header=header,
        body=body,
        state_changes=dict(changes or {}),
        trie_nodes={blake2_256(node): node},
        make_best=make_best,
        finalized=finalized,
        justification=justification,
    )


@dataclass
class Model:
    """Reference model: block tree, change sets, best block."""

    genesis_storage: dict[bytes, bytes]
    genesis: bytes = b""
    blocks: dict[bytes, tuple[bytes, int, dict[bytes, bytes | None]]] = field(default_factory=dict)
    best: bytes = b""

    def add(self, commit: BlockCommit) -> None:
        """Record a committed block (and its best-ness)."""
        self.blocks[commit.hash] = (commit.parent_hash, commit.number, dict(commit.state_changes))
        if commit.make_best:
            self.best = commit.hash

    def chain(self, head: bytes) -> list[bytes]:
        """Hashes genesis … head."""
        out = []
        cursor = head
        while cursor != self.genesis:
            out.append(cursor)
            cursor = self.blocks[cursor][0]
        out.append(self.genesis)
        return out[::-1]

    def state(self, head: bytes) -> dict[bytes, bytes]:
        """Full storage after `head`."""
        state = dict(self.genesis_storage)
        for block_hash in self.chain(head)[1:]:
            for key, value in self.blocks[block_hash][2].items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
        return state


def new_model(db: ChainDB, storage: Mapping[bytes, bytes]) -> Model:
    """Initialise `db` with a genesis of `storage` and return the matching model."""
    genesis_hash = db.init_genesis(genesis_commit(storage))
    return Model(dict(storage), genesis=genesis_hash, best=genesis_hash)


def check_against_model(db: ChainDB, model: Model, keys: list[bytes]) -> None:
    """Assert best, canonical chain, flat state and every historical read match the model."""
    assert db.best_hash() == model.best
    chain = model.chain(model.best)
    assert db.best_number() == len(chain) - 1
    assert [db.block_hash(n) for n in range(len(chain))] == chain
    assert db.block_hash(len(chain)) is None
    assert dict(db.state_iter_prefix(b"")) == model.state(model.best)
    for number, block_hash in enumerate(chain):
        expected = model.state(block_hash)
        for key in keys:
            assert db.state_get(key, at_number=number) == expected.get(key), (number, key)
        assert db.state_keys_paged(b"", 1000, at_number=number) == sorted(expected)
