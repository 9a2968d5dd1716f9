"""The chainHead follow state machine (`FollowState`) over an in-memory chain: the cases a node rarely shows.

Proves: the pin limit stops the subscription; finalizing a sibling fork of the best block moves the
best block first (spec: the best block is never in `prunedBlockHashes`); a block whose parent was never
announced is announced after its missing ancestors; a `:code` change yields a non-null `newRuntime`;
blocks below the finalized one are ignored; unpin is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from node.rpc.chainhead_follow import FollowState, FollowStopped
from runtime.primitives.header import Header
from runtime.version import VERSION


@dataclass
class FakeChain:
    """What FollowState reads from a Client: heads, headers, canonical hashes, `:code` and the version."""

    headers: dict[bytes, Header] = field(default_factory=dict)
    code: dict[bytes, bytes] = field(default_factory=dict)
    canonical: list[bytes] = field(default_factory=list)
    final: int = 0
    best: bytes = b""

    def __post_init__(self) -> None:
        self.assembly: Any = type("Assembly", (), {"version": VERSION})()
        genesis = Header(bytes(32), 0, bytes(32), bytes(32), ())
        self.headers[genesis.hash()] = genesis
        self.canonical.append(genesis.hash())
        self.best = genesis.hash()
        self.code[genesis.hash()] = b"v1"

    def add(self, parent: bytes, salt: int = 0, code: bytes | None = None, best: bool = True) -> bytes:
        head = self.headers[parent]
        header = Header(parent, head.number + 1, salt.to_bytes(32, "little"), bytes(32), ())
        block = header.hash()
        self.headers[block] = header
        self.code[block] = code if code is not None else self.code[parent]
        if best:
            self.best = block
            del self.canonical[header.number:]
            self.canonical.append(block)
        return block

    def finalized_hash(self) -> bytes:
        return self.canonical[self.final]

    def finalized_number(self) -> int:
        return self.final

    def best_hash(self) -> bytes:
        return self.best

    def best_number(self) -> int:
        return self.headers[self.best].number

    def block_hash(self, number: int) -> bytes | None:
        return self.canonical[number] if number < len(self.canonical) else None

    def header(self, block: bytes) -> Header | None:
        return self.headers.get(block)

    def storage(self, key: bytes, block: bytes) -> bytes | None:
        return self.code.get(block) if key == b":code" else None


def _hex(block: bytes) -> str:
    return "0x" + block.hex()


def test_pin_limit_stops_the_follow() -> None:
    chain = FakeChain()
    state = FollowState(chain, with_runtime=False, max_pinned=3)  # type: ignore[arg-type]
    state.initial_events()
    a = chain.add(chain.best)
    state.on_imported(a, chain.headers[a], True)
    b = chain.add(a)
    state.on_imported(b, chain.headers[b], True)
    c = chain.add(b)
    with pytest.raises(FollowStopped):
        state.on_imported(c, chain.headers[c], True)
    assert state.unpin([a])  # after unpinning there is room again
    assert state.on_imported(c, chain.headers[c], False)[0]["blockHash"] == _hex(c)


def test_finalizing_a_sibling_moves_best_before_pruning_it() -> None:
    chain = FakeChain()
    genesis = chain.best
    state = FollowState(chain, with_runtime=True)  # type: ignore[arg-type]
    state.initial_events()
    fork = chain.add(genesis, salt=1, best=False)
    state.on_imported(fork, chain.headers[fork], False)
    main = chain.add(genesis, salt=2)
    events = state.on_imported(main, chain.headers[main], True)
    assert events[-1] == {"event": "bestBlockChanged", "bestBlockHash": _hex(main)}
    chain.best = fork  # the node switched to the fork, the follower was not told yet, then the fork is final
    events = state.on_finalized(fork, chain.headers[fork])
    assert events == [{"event": "bestBlockChanged", "bestBlockHash": _hex(fork)},
                      {"event": "finalized", "finalizedBlockHashes": [_hex(fork)], "prunedBlockHashes": [_hex(main)]}]
    assert state.is_pinned(main)  # pruned blocks stay pinned until unpinned


def test_missing_ancestors_are_announced_first_and_runtime_change_is_reported() -> None:
    chain = FakeChain()
    state = FollowState(chain, with_runtime=True)  # type: ignore[arg-type]
    state.initial_events()
    a = chain.add(chain.best)
    b = chain.add(a, code=b"v2")
    events = state.on_imported(b, chain.headers[b], True)
    assert [e["event"] for e in events] == ["newBlock", "newBlock", "bestBlockChanged"]
    assert events[0]["blockHash"] == _hex(a)
    assert events[0]["newRuntime"] is None
    assert events[1]["parentBlockHash"] == _hex(a)
    assert events[1]["newRuntime"]["type"] == "valid"
    assert events[1]["newRuntime"]["spec"]["specVersion"] == VERSION.spec_version


def test_blocks_at_or_below_finality_and_repeats_are_ignored() -> None:
    chain = FakeChain()
    genesis = chain.best
    a = chain.add(genesis)
    chain.final = 1
    state = FollowState(chain, with_runtime=False)  # type: ignore[arg-type]
    init = state.initial_events()
    assert init[0] == {"event": "initialized", "finalizedBlockHashes": [_hex(a)]}
    stale = chain.add(genesis, salt=9, best=False)
    assert state.on_imported(stale, chain.headers[stale], False) == []
    assert state.on_imported(a, chain.headers[a], False) == []
    assert state.on_finalized(a, chain.headers[a]) == []
    assert not state.unpin([a, stale])
    assert state.is_pinned(a)
