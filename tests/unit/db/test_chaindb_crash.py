"""Crash safety: a writer process killed with SIGKILL mid-stream leaves a consistent chain.

The child commits deterministic blocks (500 key changes each, sync=True) in a loop and prints each
committed number; the parent kills it with SIGKILL at an arbitrary point, reopens the database and checks
that the best block is whole (header, body, state, history) and that nothing of the next block exists.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from chaindb_helpers import genesis_commit, header_bytes

from node.db import ChainDB
from runtime.primitives.hashing import blake2_256

REPO = Path(__file__).resolve().parents[3]
KEYS_PER_BLOCK = 500

CHILD = textwrap.dedent(
    """
    import sys
    from chaindb_helpers import block, genesis_commit
    from node.db import ChainDB

    db = ChainDB.open(sys.argv[1], sync=True)
    parent = db.init_genesis(genesis_commit({b"counter": (0).to_bytes(4, "big")}))
    for number in range(1, 1_000_000):
        changes = {b"k%06d" % ((number * 7 + i) % 5000): number.to_bytes(4, "big") + b"x" * 76
                   for i in range(500)}
        changes[b"counter"] = number.to_bytes(4, "big")
        commit = block(parent, number, changes, body=(number.to_bytes(4, "big"),))
        db.commit_block(commit)
        parent = commit.hash
        print(number, flush=True)
    """
)


def _expected_state(best: int) -> dict[bytes, bytes]:
    state = {b"counter": best.to_bytes(4, "big")}
    for number in range(1, best + 1):
        for i in range(KEYS_PER_BLOCK):
            state[b"k%06d" % ((number * 7 + i) % 5000)] = number.to_bytes(4, "big") + b"x" * 76
    return state


@pytest.mark.slow
def test_kill_9_leaves_a_consistent_chain(tmp_path: Path) -> None:
    path = tmp_path / "db"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(Path(__file__).parent)]))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, cwd=REPO, env=env, text=True
    )
    assert child.stdout is not None
    last_printed = 0
    try:
        for line in child.stdout:
            last_printed = int(line)
            if last_printed >= 25:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert last_printed >= 25

    with ChainDB.open(path) as db:
        best = db.best_number()
        assert best >= last_printed  # every printed block was committed before the print
        genesis = blake2_256(genesis_commit({b"counter": (0).to_bytes(4, "big")}).header)
        assert db.genesis_hash() == genesis
        parent = genesis
        for number in range(1, best + 1):
            block_hash = db.block_hash(number)
            assert block_hash == blake2_256(header_bytes(parent, number))
            assert db.body(block_hash) == [number.to_bytes(4, "big")]
            parent = block_hash
        assert db.best_hash() == parent
        assert dict(db.state_iter_prefix(b"")) == _expected_state(best)
        assert db.state_get(b"counter", at_number=best - 1) == (best - 1).to_bytes(4, "big")
        # nothing of the block being written at the kill survived
        next_hash = blake2_256(header_bytes(parent, best + 1))
        assert not db.has_block(next_hash)
        assert db.body(next_hash) is None
        assert db.block_hash(best + 1) is None
