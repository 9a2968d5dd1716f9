"""Pool and era behaviour on a manual-seal node, where blocks come only from `engine_createBlock`.

Proves: a future nonce is accepted with status "future" and turns "ready" (then inBlock, finalized) once
the gap is filled; `system_accountNextIndex` counts ready pool transactions but not future ones; an
expired mortal era is refused as Substrate refuses it (the era's birth moves on, so the signed payload no
longer matches: 1010 bad signature), a birth block that does not exist yet is "ancient birth block";
the same extrinsic twice is 1013; state at an earlier block stays readable.
"""

from __future__ import annotations

from typing import Any

from live_node import LiveNode, Rpc
from live_tx import UNIT, account, facts, hx, public, transfer

from runtime.primitives.era import Era


def _seal(rpc: Rpc, count: int = 1) -> str:
    block = ""
    for _ in range(count):
        block = rpc.call("engine_createBlock", [True, True])["hash"]
    return block


def _best_number(rpc: Rpc) -> int:
    return int(rpc.call("chain_getHeader")["number"], 16)


def _next(rpc: Rpc, name: str) -> int:
    value: int = rpc.call("system_accountNextIndex", [hx(public(name))])
    return value


def test_future_nonce_becomes_ready_then_included(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    n = _next(rpc, "Charlie")
    ahead = transfer(chain, "Charlie", "Dave", UNIT, n + 1)
    sub = rpc.call("author_submitAndWatchExtrinsic", [hx(ahead)])
    assert rpc.next_notification("author_extrinsicUpdate", sub) == "future"
    assert _next(rpc, "Charlie") == n  # a future transaction is not counted
    rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Charlie", "Dave", UNIT, n))])
    assert rpc.next_notification("author_extrinsicUpdate", sub) == "ready"
    assert _next(rpc, "Charlie") == n + 2
    block = _seal(rpc)
    assert rpc.next_notification("author_extrinsicUpdate", sub) == {"inBlock": block}
    assert rpc.next_notification("author_extrinsicUpdate", sub) == {"finalized": block}
    assert account(rpc, "Charlie").nonce == n + 2
    assert hx(ahead) in rpc.call("chain_getBlock", [block])["block"]["extrinsics"]


def test_account_next_index_counts_ready_transactions(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    n = _next(rpc, "Eve")
    assert n == account(rpc, "Eve").nonce
    for i in range(3):
        rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Eve", "Ferdie", UNIT, n + i))])
    assert _next(rpc, "Eve") == n + 3
    rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Eve", "Ferdie", UNIT, n + 5))])  # gap: future
    assert _next(rpc, "Eve") == n + 3
    ss58_eve = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw"
    assert rpc.call("account_nextIndex", [ss58_eve]) == n + 3
    _seal(rpc)
    assert account(rpc, "Eve").nonce == n + 3
    assert _next(rpc, "Eve") == n + 3


def test_same_extrinsic_twice(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    xt = hx(transfer(chain, "Ferdie", "Alice", UNIT, _next(rpc, "Ferdie")))
    tx_hash = rpc.call("author_submitExtrinsic", [xt])
    err = rpc.error("author_submitExtrinsic", [xt])
    assert err == {"code": 1013, "message": "Transaction Already Imported", "data": tx_hash}
    err = rpc.error("author_submitAndWatchExtrinsic", [xt])
    assert err["code"] == 1013
    _seal(rpc)


def test_expired_mortal_era(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    _seal(rpc, 2)
    current = _best_number(rpc)
    era = Era.mortal(4, current)
    birth = era.birth(current)
    birth_hash = bytes.fromhex(rpc.call("chain_getBlockHash", [birth])[2:])
    n = _next(rpc, "Dave")
    ok = transfer(chain, "Dave", "Alice", UNIT, n, era=era, birth=birth_hash)
    expiring = transfer(chain, "Dave", "Alice", 2 * UNIT, n + 1, era=era, birth=birth_hash)
    rpc.call("author_submitExtrinsic", [hx(ok)])  # valid while the era lives
    block = _seal(rpc)
    assert hx(ok) in rpc.call("chain_getBlock", [block])["block"]["extrinsics"]
    while _best_number(rpc) + 1 < era.death(current) + 1:
        _seal(rpc)
    err = rpc.error("author_submitExtrinsic", [hx(expiring)])
    assert err["code"] == 1010
    assert err["data"] in ("Transaction has a bad signature", "Transaction has an ancient birth block"), err
    assert err["data"] == "Transaction has a bad signature"  # what Substrate answers: the birth moved on


def test_birth_block_in_the_future_is_ancient_birth_block(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    current = _best_number(rpc)
    phase = (current + 40) // 16 * 16 + 16
    era = Era(1 << 16, phase)  # birth = phase, a block that does not exist yet
    xt = transfer(chain, "Dave", "Alice", UNIT, _next(rpc, "Dave"), era=era, birth=b"\x00" * 32)
    err = rpc.error("author_submitExtrinsic", [hx(xt)])
    assert err == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction has an ancient birth block"}


def test_state_at_earlier_block_stays_readable(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    before_block = _seal(rpc)
    before = account(rpc, "Bob", before_block)
    rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Alice", "Bob", 7 * UNIT, _next(rpc, "Alice")))])
    after_block = _seal(rpc)
    _seal(rpc, 3)
    assert account(rpc, "Bob", after_block).free == before.free + 7 * UNIT
    assert account(rpc, "Bob", before_block) == before  # the older balance, not the current one
    assert account(rpc, "Bob").free == before.free + 7 * UNIT
    key_params: list[Any] = [[hx(bytes.fromhex("26aa394eea5630e07c48ae0c9558cef7"))], before_block]
    assert rpc.call("state_queryStorageAt", key_params)[0]["block"] == before_block
