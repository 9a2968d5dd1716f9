"""transaction_v1, transactionWatch_v1 and chainSpec_v1 against a manual-seal node; rpc_methods lists them.

Proves: the chain-spec getters agree with the legacy calls; a broadcast returns an opaque id even for an
invalid transaction (which is silently not included), a valid one is included in the next block, and
stop refuses an unknown id; submitAndWatch reports `validated`, then `bestChainBlockIncluded` with the
extrinsic's index in the block body, then `finalized`, and reports a refused transaction as an
`invalid` event instead of a JSON-RPC error.
"""

from __future__ import annotations

from live_node import LiveNode
from live_tx import UNIT, facts, hx, public, transfer

NEW_SPEC_METHODS = {
    "chainSpec_v1_chainName", "chainSpec_v1_genesisHash", "chainSpec_v1_properties",
    "chainHead_v1_follow", "chainHead_v1_unfollow", "chainHead_v1_header", "chainHead_v1_body",
    "chainHead_v1_call", "chainHead_v1_storage", "chainHead_v1_continue", "chainHead_v1_stopOperation",
    "chainHead_v1_unpin", "transaction_v1_broadcast", "transaction_v1_stop",
    "transactionWatch_v1_submitAndWatch", "transactionWatch_v1_unwatch",
}
WATCH_EVENT = "transactionWatch_v1_watchEvent"


def test_rpc_methods_and_chain_spec(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    assert NEW_SPEC_METHODS <= set(rpc.call("rpc_methods")["methods"])
    assert rpc.call("chainSpec_v1_chainName") == rpc.call("system_chain")
    assert rpc.call("chainSpec_v1_genesisHash") == rpc.call("chain_getBlockHash", [0])
    assert rpc.call("chainSpec_v1_properties") == rpc.call("system_properties")
    assert rpc.error("chainSpec_v1_chainName", ["extra"])["code"] == -32602


def test_broadcast_includes_valid_and_ignores_invalid(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    nonce = rpc.call("system_accountNextIndex", [hx(public("Charlie"))])
    good = transfer(chain, "Charlie", "Dave", UNIT, nonce)
    bad = bytearray(transfer(chain, "Charlie", "Dave", UNIT, nonce + 1))
    bad[-40] ^= 0xFF  # corrupt the signed payload: a bad signature
    op_good = rpc.call("transaction_v1_broadcast", [hx(good)])
    op_bad = rpc.call("transaction_v1_broadcast", [hx(bytes(bad))])
    assert isinstance(op_good, str)
    assert isinstance(op_bad, str)
    assert op_good != op_bad
    assert rpc.call("transaction_v1_broadcast", ["0x00"]) is not None  # undecodable: still no error
    block = rpc.call("engine_createBlock", [True, False])["hash"]
    body = rpc.call("chain_getBlock", [block])["block"]["extrinsics"]
    assert hx(good) in body
    assert hx(bytes(bad)) not in body
    assert rpc.call("transaction_v1_stop", [op_good]) is None
    assert rpc.error("transaction_v1_stop", [op_good])["code"] == -32602
    assert rpc.error("transaction_v1_broadcast", ["0xzz"])["code"] == -32602
    other = manual_node.rpc()
    assert other.error("transaction_v1_stop", [op_bad])["code"] == -32602  # ids are per connection


def test_submit_and_watch_events(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    nonce = rpc.call("system_accountNextIndex", [hx(public("Eve"))])
    xt = transfer(chain, "Eve", "Ferdie", UNIT, nonce)
    sub = rpc.call("transactionWatch_v1_submitAndWatch", [hx(xt)])
    assert rpc.next_notification(WATCH_EVENT, sub) == {"event": "validated"}
    block = rpc.call("engine_createBlock", [True, False])["hash"]
    index = rpc.call("chain_getBlock", [block])["block"]["extrinsics"].index(hx(xt))
    assert index > 0  # inherents come first
    included = rpc.next_notification(WATCH_EVENT, sub)
    assert included == {"event": "bestChainBlockIncluded", "block": {"hash": block, "index": index}}
    rpc.call("engine_finalizeBlock", [block])
    assert rpc.next_notification(WATCH_EVENT, sub) == {"event": "finalized", "block": {"hash": block, "index": index}}


def test_submit_and_watch_reports_refusal_as_event(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    nonce = rpc.call("system_accountNextIndex", [hx(public("Alice"))])
    rpc.call("author_submitExtrinsic", [hx(transfer(chain, "Alice", "Bob", UNIT, nonce))])
    rpc.call("engine_createBlock", [True, False])
    stale = transfer(chain, "Alice", "Bob", 2 * UNIT, nonce)  # that nonce is used up now
    sub = rpc.call("transactionWatch_v1_submitAndWatch", [hx(stale)])
    event = rpc.next_notification(WATCH_EVENT, sub)
    assert event["event"] == "invalid"
    assert "Invalid Transaction" in event["error"]
    sub = rpc.call("transactionWatch_v1_submitAndWatch", ["0x0102"])
    assert rpc.next_notification(WATCH_EVENT, sub)["event"] == "invalid"
    assert rpc.error("transactionWatch_v1_submitAndWatch", ["nothex"])["code"] == -32602
