"""Transaction submission against a running instant-seal node: refusals with Substrate's codes, pipelining.

Proves: a bad signature, a stale nonce and a wrong genesis hash are refused with 1010 and the runtime's
message; resubmitting a pooled transaction is 1013 "Transaction Already Imported"; an undecodable
extrinsic is 1001; 500 transfers with consecutive nonces, sent without waiting and partly out of order,
are all included (final nonce and both balances checked).
"""

from __future__ import annotations

import random
import time
from typing import Any

from live_node import LiveNode, wait_for
from live_tx import UNIT, account, facts, hx, public, transfer

from runtime.primitives.hashing import blake2_256


def _next_nonce(node: LiveNode, name: str) -> int:
    value: int = node.call("system_accountNextIndex", [hx(public(name))])
    return value


def test_bad_signature(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    chain = facts(rpc)
    xt = bytearray(transfer(chain, "Bob", "Charlie", UNIT, _next_nonce(instant_node, "Bob")))
    xt[60] ^= 0x01  # inside the 64-byte signature (after length, 0x84, MultiAddress, signature type)
    err = rpc.error("author_submitExtrinsic", [hx(bytes(xt))])
    assert err == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction has a bad signature"}
    assert hx(bytes(xt)) not in rpc.call("author_pendingExtrinsics")


def test_wrong_genesis_hash_is_bad_signature(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    chain = facts(rpc)
    xt = transfer(chain, "Bob", "Charlie", UNIT, _next_nonce(instant_node, "Bob"), genesis=b"\x42" * 32)
    err = rpc.error("author_submitExtrinsic", [hx(xt)])
    assert err == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction has a bad signature"}


def test_stale_nonce_and_already_imported(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    chain = facts(rpc)
    nonce = _next_nonce(instant_node, "Bob")
    xt = transfer(chain, "Bob", "Charlie", UNIT, nonce)
    watch = rpc.call("author_submitAndWatchExtrinsic", [hx(xt)])
    watch_hash = hx(blake2_256(xt))
    err = rpc.error("author_submitExtrinsic", [hx(xt)])  # still in the pool, or in a block already
    if err["code"] == 1013:
        assert err["message"] == "Transaction Already Imported"
        assert err["data"] == watch_hash
    else:
        assert err == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}
    statuses: list[Any] = []
    while not statuses or not isinstance(statuses[-1], dict) or "finalized" not in statuses[-1]:
        statuses.append(rpc.next_notification("author_extrinsicUpdate", watch))
    assert statuses[0] == "ready"
    err = rpc.error("author_submitExtrinsic", [hx(xt)])  # included: its nonce is now stale
    assert err == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}
    older = transfer(chain, "Bob", "Charlie", 2 * UNIT, nonce)  # another tx with the used nonce
    err = rpc.error("author_submitExtrinsic", [hx(older)])
    assert err["data"] == "Transaction is outdated"


def test_same_extrinsic_twice_in_one_pool(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    chain = facts(rpc)
    nonce = _next_nonce(instant_node, "Dave")
    future = transfer(chain, "Dave", "Eve", UNIT, nonce + 5)  # stays in the future queue: never included
    rpc.call("author_submitExtrinsic", [hx(future)])
    err = rpc.error("author_submitExtrinsic", [hx(future)])
    assert err["code"] == 1013
    assert err["message"] == "Transaction Already Imported"


def test_undecodable_extrinsic_is_bad_format(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    err = rpc.error("author_submitExtrinsic", ["0x0102"])
    assert err["code"] == 1001
    assert err["message"].startswith("Extrinsic has invalid format")


def test_500_pipelined_transfers_all_included(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc(timeout=120)
    chain = facts(rpc)
    value = 3 * UNIT
    start = _next_nonce(instant_node, "Alice")
    bob_before = account(rpc, "Bob").free
    xts = [transfer(chain, "Alice", "Ferdie", value, start + i) for i in range(500)]
    # Out of order by a few: shuffle inside windows of 4 (nonce n+3 may arrive before n).
    rng = random.Random(4)
    order: list[int] = []
    for base in range(0, 500, 4):
        window = list(range(base, min(base + 4, 500)))
        rng.shuffle(window)
        order += window
    ferdie_before = account(rpc, "Ferdie").free
    began = time.perf_counter()
    ids = [rpc.send("author_submitExtrinsic", [hx(xts[i])]) for i in order]
    sent = time.perf_counter()
    replies = [rpc.reply(rid) for rid in ids]
    answered = time.perf_counter()
    refused = [r["error"] for r in replies if "error" in r]
    assert refused == []
    final = wait_for(lambda: account(rpc, "Alice").nonce == start + 500 and account(rpc, "Alice"), 60,
                     "all 500 pipelined transfers to be included")
    included = time.perf_counter()
    print(f"\n[pipelined] 500 submits sent in {(sent - began) * 1000:.0f} ms, answered after "
          f"{(answered - began) * 1000:.0f} ms, all included after {(included - began) * 1000:.0f} ms")
    assert final.nonce == start + 500
    assert account(rpc, "Ferdie").free == ferdie_before + 500 * value
    assert account(rpc, "Bob").free == bob_before
    pending = set(rpc.call("author_pendingExtrinsics"))
    assert not pending & {hx(x) for x in xts}
