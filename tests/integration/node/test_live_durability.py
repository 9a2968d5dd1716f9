"""Durability of a live node's database: clean restart, `kill -9` mid-production, `--tmp` clean-up.

Proves: after SIGTERM a `--base-path` node restarts at the same best and finalized heads with the same
state and keeps building on the old best; after SIGKILL during a steady stream of submissions the
restarted chain is intact up to its last committed block (every header hashes to its canonical hash,
parent links hold, bodies and state are readable and Alice's nonce grows by exactly the signed
extrinsics of each block, finalized ≤ best) and the node carries on; `--tmp` removes its directory on a
clean exit.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from live_node import LiveNode, Rpc, spawn, wait_for
from live_tx import UNIT, account, facts, hx, public, transfer

from runtime.primitives.header import Header
from runtime.scale.compact import decode_compact


def _heads(rpc: Rpc) -> tuple[str, int, str]:
    best = rpc.call("chain_getBlockHash")
    number = int(rpc.call("chain_getHeader", [best])["number"], 16)
    return best, number, rpc.call("chain_getFinalizedHead")


def _submit_and_wait(node: LiveNode, count: int, value: int) -> None:
    rpc = node.rpc()
    chain = facts(rpc)
    start = rpc.call("system_accountNextIndex", [hx(public("Alice"))])
    for i in range(count):
        rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Alice", "Bob", value, start + i))])
    wait_for(lambda: account(rpc, "Alice").nonce == start + count, 30, "transfers to be included")


def _continues_on(node: LiveNode, old_best: str, old_number: int) -> None:
    """A new transfer lands in block old_number+1 whose parent is the old best."""
    rpc = node.rpc()
    _submit_and_wait(node, 1, UNIT)
    child = rpc.call("chain_getHeader", [rpc.call("chain_getBlockHash", [old_number + 1])])
    assert child["parentHash"] == old_best


def test_restart_after_sigterm_resumes(node_log_dir: Path, tmp_path: Path) -> None:
    base = tmp_path / "chain"
    node = spawn(node_log_dir, base_path=base)
    try:
        _submit_and_wait(node, 5, 2 * UNIT)
        rpc = node.rpc()
        wait_for(lambda: _heads(rpc)[0] == _heads(rpc)[2], 10, "finality to catch up with best")
        heads = _heads(rpc)
        alice, bob = account(rpc, "Alice"), account(rpc, "Bob")
        assert heads[1] >= 1
    finally:
        code = node.terminate()
    assert code == 0, node.log_tail()
    node = spawn(node_log_dir, base_path=base)
    try:
        rpc = node.rpc()
        assert _heads(rpc) == heads
        assert account(rpc, "Alice") == alice
        assert account(rpc, "Bob") == bob
        _continues_on(node, heads[0], heads[1])
    finally:
        node.terminate()


def _stream(node: LiveNode, xts: list[bytes], stop: threading.Event, sent: list[int]) -> None:
    try:
        rpc = Rpc(node.url, 10)
    except OSError:
        return
    try:
        for xt in xts:
            if stop.is_set():
                return
            rpc.send("author_submitExtrinsic", [hx(xt)])
            sent.append(1)
            time.sleep(0.002)
    except Exception:  # the node was killed under us: that is the point
        return
    finally:
        rpc.close()


def _signed_count(extrinsics: list[str]) -> int:
    count = 0
    for item in extrinsics:
        raw = bytes.fromhex(item[2:])
        _, offset = decode_compact(raw, 0)
        count += raw[offset] & 0x80 != 0
    return count


def _check_chain(rpc: Rpc) -> int:
    """Walk best → genesis checking hashes, links, bodies and state; returns the best number."""
    best_hash, best_number, finalized = _heads(rpc)
    finalized_number = int(rpc.call("chain_getHeader", [finalized])["number"], 16)
    assert finalized_number <= best_number
    assert rpc.call("chain_getBlockHash", [finalized_number]) == finalized
    child: dict[str, Any] | None = None
    child_nonce = None
    for number in range(best_number, -1, -1):
        block_hash = rpc.call("chain_getBlockHash", [number])
        assert block_hash is not None, f"no canonical hash for #{number}"
        header = rpc.call("chain_getHeader", [block_hash])
        assert int(header["number"], 16) == number
        assert hx(Header.from_json(header).hash()) == block_hash, f"#{number} header does not hash to its hash"
        body = rpc.call("chain_getBlock", [block_hash])["block"]
        assert body["header"] == header
        nonce = account(rpc, "Alice", block_hash).nonce
        if child is not None and child_nonce is not None:
            assert child["header"]["parentHash"] == block_hash, f"#{number + 1} does not link to #{number}"
            assert child_nonce - nonce == _signed_count(child["extrinsics"]), f"state of #{number + 1}"
        child, child_nonce = body, nonce
    return best_number


def test_kill_9_during_block_production(node_log_dir: Path, tmp_path: Path) -> None:
    base = tmp_path / "chain"
    node = spawn(node_log_dir, base_path=base)
    rpc = node.rpc()
    chain = facts(rpc)
    xts = [transfer(chain, "Alice", "Bob", UNIT, i) for i in range(3000)]
    stop, sent = threading.Event(), list[int]()
    worker = threading.Thread(target=_stream, args=(node, xts, stop, sent), daemon=True)
    worker.start()
    delay = random.uniform(1.0, 3.0)
    time.sleep(delay)
    try:
        before = _heads(rpc)[1]
    finally:
        node.kill()
        stop.set()
        worker.join(10)
    print(f"\n[kill -9] after {delay:.2f} s: {len(sent)} submitted, best was ≥ #{before}")
    node = spawn(node_log_dir, base_path=base)
    try:
        rpc = node.rpc()
        best = _check_chain(rpc)
        assert best >= max(before - 1, 0)  # at most the block being committed is lost
        _continues_on(node, rpc.call("chain_getBlockHash"), best)
        _check_chain(rpc)
    finally:
        node.terminate()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_tmp_directory_removed_on_exit(node_log_dir: Path, tmp_path: Path, sig: int) -> None:
    root = tmp_path / "tmproot"
    root.mkdir()
    node = spawn(node_log_dir, env={"TMPDIR": str(root)})
    try:
        node.call("system_chain")
        assert any(p.name.startswith("phala-node") for p in root.iterdir()), list(root.iterdir())
    finally:
        code = node.terminate(sig=sig)
    assert code == 0, node.log_tail()
    assert list(root.iterdir()) == []
