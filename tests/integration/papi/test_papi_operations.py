"""chainHead_v1 body, call and storage operations against a manual-seal node.

Proves: each operation answers `started` with an id before any of its events; the body is the block's
extrinsics byte for byte (a submitted transfer included); runtime calls return the same bytes as
`state_call` and unknown functions end in `operationError`; storage `value`/`hash` match
`state_getStorage`, absent keys yield no item, `closestDescendantMerkleValue` of the empty key is the
state root and of a present key is a node of its read proof; descendant scans page with
`operationWaitingForContinue` and together list exactly the keys `state_getKeysPaged` lists; items beyond
the operation limit are reported as discarded; continue/stopOperation follow the spec's rules.
"""

from __future__ import annotations

import json

from follow_client import Follow
from live_node import LiveNode, Rpc
from live_tx import account_key, facts, hx, public, transfer

from runtime.primitives.hashing import blake2_256

SYSTEM_ACCOUNT = "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"


def _follow_at_best(rpc: Rpc) -> tuple[Follow, str]:
    follow = Follow(rpc)
    _, _, best = follow.initial()
    return follow, best["bestBlockHash"]


def _all_keys(rpc: Rpc, prefix: str, block: str) -> list[str]:
    keys: list[str] = []
    while True:
        page = rpc.call("state_getKeysPaged", [prefix, 1000, keys[-1] if keys else None, block])
        keys += page
        if len(page) < 1000:
            return keys


def test_started_response_precedes_events_and_body_is_verbatim(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, _ = _follow_at_best(rpc)
    xt = transfer(facts(rpc), "Alice", "Bob", 10**12, rpc.call("system_accountNextIndex", [hx(public("Alice"))]))
    rpc.call("author_submitExtrinsic", [hx(xt)])
    block = rpc.call("engine_createBlock", [True, False])["hash"]
    rid = rpc.send("chainHead_v1_body", [follow.sub, block])
    while True:  # the response arrives before any event of its operation
        msg = rpc.recv_json()
        if msg.get("id") == rid:
            started = msg["result"]
            break
        assert msg["params"]["result"].get("event", "").startswith("operation") is False, msg
    assert started["result"] == "started"
    assert isinstance(started["operationId"], str)
    (done,) = follow.operation(started["operationId"])
    assert done["event"] == "operationBodyDone"
    assert done["value"] == rpc.call("chain_getBlock", [block])["block"]["extrinsics"]
    assert hx(xt) in done["value"]


def test_call_matches_state_call_and_errors(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, block = _follow_at_best(rpc)
    (done,) = follow.run("chainHead_v1_call", block, "Metadata_metadata_versions", "0x")
    assert done == {"event": "operationCallDone", "operationId": done["operationId"], "output": "0x080e0000000f000000"}
    (done,) = follow.run("chainHead_v1_call", block, "Core_version", "")
    assert done["output"] == rpc.call("state_call", ["Core_version", "0x", block])
    nonce_args = hx(public("Alice"))
    (done,) = follow.run("chainHead_v1_call", block, "AccountNonceApi_account_nonce", nonce_args)
    assert done["output"] == rpc.call("state_call", ["AccountNonceApi_account_nonce", nonce_args, block])
    (failed,) = follow.run("chainHead_v1_call", block, "NoSuchApi_nothing", "0x")
    assert failed["event"] == "operationError"
    assert failed["error"]
    assert follow.error("chainHead_v1_call", block, "Core_version", "0xzz")["code"] == -32602


def test_storage_value_hash_and_absent(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, block = _follow_at_best(rpc)
    alice = account_key("Alice")
    expected = rpc.call("state_getStorage", [alice, block])
    missing = "0x" + "ab" * 40
    items = follow.storage(block, [{"key": alice, "type": "value"}, {"key": alice, "type": "hash"},
                                   {"key": missing, "type": "value"}, {"key": missing, "type": "hash"}])
    assert items == [{"key": alice, "value": expected},
                     {"key": alice, "hash": "0x" + blake2_256(bytes.fromhex(expected[2:])).hex()}]
    assert follow.storage(block, [{"key": missing, "type": "descendantsValues"}]) == []
    assert follow.error("chainHead_v1_storage", block, [{"key": alice, "type": "nope"}], None)["code"] == -32602


def test_closest_descendant_merkle_value(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, block = _follow_at_best(rpc)
    state_root = rpc.call("chain_getHeader", [block])["stateRoot"]
    alice = account_key("Alice")
    items = follow.storage(block, [{"key": "0x", "type": "closestDescendantMerkleValue"},
                                   {"key": alice, "type": "closestDescendantMerkleValue"},
                                   {"key": "0x" + "ff" * 20, "type": "closestDescendantMerkleValue"}])
    assert items[0] == {"key": "0x", "closestDescendantMerkleValue": state_root}
    assert items[1]["key"] == alice
    assert len(items) == 2
    proof = rpc.call("state_getReadProof", [[alice], block])["proof"]
    node_refs = {"0x" + blake2_256(bytes.fromhex(n[2:])).hex() for n in proof}
    assert items[1]["closestDescendantMerkleValue"] in node_refs
    prefix = follow.storage(block, [{"key": SYSTEM_ACCOUNT, "type": "closestDescendantMerkleValue"}])
    assert prefix[0]["closestDescendantMerkleValue"] in node_refs  # the branch above every account


def test_descendants_page_with_continue(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, block = _follow_at_best(rpc)
    keys = _all_keys(rpc, "0x", block)
    assert len(keys) > 16  # more than one page
    events = follow.run("chainHead_v1_storage", block, [{"key": "0x", "type": "descendantsHashes"}], None)
    kinds = [e["event"] for e in events]
    assert "operationWaitingForContinue" in kinds
    assert kinds[-1] == "operationStorageDone"
    assert kinds[0] == "operationStorageItems"  # a pause only ever follows items
    items = [i for e in events if e["event"] == "operationStorageItems" for i in e["items"]]
    assert [i["key"] for i in items] == keys
    accounts = follow.storage(block, [{"key": SYSTEM_ACCOUNT, "type": "descendantsValues"}])
    assert [i["key"] for i in accounts] == _all_keys(rpc, SYSTEM_ACCOUNT, block)
    for item in accounts:
        assert item["value"] == rpc.call("state_getStorage", [item["key"], block])


def test_continue_and_stop_operation_rules(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow = Follow(rpc)  # a fresh follow: its first operation id is "1"
    _, _, best = follow.initial()
    block = best["bestBlockHash"]
    scan = [{"key": "0x", "type": "descendantsValues"}]
    # One batch: the operation exists but has not paused yet when continue arrives.
    rpc.ws.send(json.dumps([
        {"jsonrpc": "2.0", "id": "s", "method": "chainHead_v1_storage", "params": [follow.sub, block, scan, None]},
        {"jsonrpc": "2.0", "id": "c", "method": "chainHead_v1_continue", "params": [follow.sub, "1"]},
    ]))
    while True:
        reply = rpc.recv_json()
        if isinstance(reply, list):
            break
        rpc.notifications.append(reply)
    answers = {r["id"]: r for r in reply}
    assert answers["s"]["result"]["operationId"] == "1"
    assert answers["c"]["error"]["code"] == -32803
    events = follow.operation("1", auto_continue=False)
    assert events[-1]["event"] == "operationWaitingForContinue"
    assert follow.call("chainHead_v1_stopOperation", "1") is None
    assert follow.call("chainHead_v1_continue", "1") is None  # a stopped operation is unknown: no effect
    (done,) = follow.run("chainHead_v1_call", block, "Core_version", "0x")  # its units were released
    assert done["event"] == "operationCallDone"


def test_items_beyond_the_operation_limit_are_discarded(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow, block = _follow_at_best(rpc)
    alice = account_key("Alice")
    started = follow.call("chainHead_v1_storage", block, [{"key": alice, "type": "value"}] * 20, None)
    assert started["result"] == "started"
    assert started["discardedItems"] == 4
    events = follow.operation(started["operationId"])
    assert len([i for e in events if e["event"] == "operationStorageItems" for i in e["items"]]) == 16
