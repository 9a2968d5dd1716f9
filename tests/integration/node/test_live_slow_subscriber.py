"""A subscriber that never reads is cut off while block production and other clients carry on.

One connection opens 1000 `chain_subscribeNewHeads` subscriptions and then never reads; blocks are driven
with `engine_createBlock` on a manual-seal node so every block queues 1000 notifications for it. Proves:
block production stays fast, a well-behaved subscriber on another connection sees every block, and the
silent connection is closed (its stream ends) within the node's slow-client timeout (30 s) plus slack.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from live_node import LiveNode, running, wait_for

SLOW_CLIENT_TIMEOUT = 30.0
SUBSCRIPTIONS = 1000
BLOCKS = 40


def _drain_until_eof(sock: socket.socket, deadline: float) -> int:
    """Read everything the node had queued; return the byte count once the node closes the stream."""
    total = 0
    sock.settimeout(5)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(1 << 20)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return total
        if not chunk:
            return total
        total += len(chunk)
    raise AssertionError(f"the silent connection was still open at the deadline ({total} bytes read)")


@pytest.mark.slow
def test_never_reading_subscriber_is_cut_off(node_log_dir: Path) -> None:
    with running(node_log_dir, ["--sealing", "manual"]) as node:
        _run(node)


def _run(node: LiveNode) -> None:
    slow = node.rpc()
    requests = [{"jsonrpc": "2.0", "id": i, "method": "chain_subscribeNewHeads", "params": []}
                for i in range(SUBSCRIPTIONS)]
    slow.ws.send(json.dumps(requests))  # subscribe, then never read again
    good = node.rpc()
    good_sub = good.call("chain_subscribeNewHeads")
    good.next_notification("chain_newHead", good_sub)
    driver = node.rpc()
    started = time.monotonic()
    slowest = 0.0
    hashes = []
    for _ in range(BLOCKS):
        t0 = time.monotonic()
        hashes.append(driver.call("engine_createBlock", [True, True])["hash"])
        slowest = max(slowest, time.monotonic() - t0)
    produced = time.monotonic() - started
    seen = [good.next_notification("chain_newHead", good_sub) for _ in range(BLOCKS)]
    assert [int(h["number"], 16) for h in seen] == list(range(1, BLOCKS + 1))
    assert good.call("chain_getBlockHash") == hashes[-1]
    print(f"\n[slow subscriber] {BLOCKS} blocks in {produced:.2f} s (slowest {slowest * 1000:.0f} ms) "
          f"while {SUBSCRIPTIONS} subscriptions were not read")
    assert slowest < 5.0
    wait_for(lambda: "client is not reading" in node.log_path.read_text(errors="replace"),
             SLOW_CLIENT_TIMEOUT + 20, "the node to cut the silent connection off", interval=0.5)
    cut_after = time.monotonic() - started
    assert slow.ws.sock is not None
    drained = _drain_until_eof(slow.ws.sock, time.monotonic() + 30)
    print(f"[slow subscriber] cut off {cut_after:.1f} s after the first block; {drained} bytes were in flight; "
          f"stream ended {time.monotonic() - started:.1f} s after the first block")
    assert drained < SUBSCRIPTIONS * (BLOCKS + 2) * 1000  # it never got everything: it was cut off
    # The node and the other clients carry on.
    assert driver.call("engine_createBlock", [True, True])["hash"]
    assert int(good.next_notification("chain_newHead", good_sub)["number"], 16) == BLOCKS + 1
    assert node.call("system_health")["isSyncing"] is False
