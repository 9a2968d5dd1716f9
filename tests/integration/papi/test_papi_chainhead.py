"""chainHead_v1_follow against a manual-seal node: event shapes, order, finality, forks, pinning, errors.

Proves: `initialized` carries the finalized hash and (withRuntime) the runtime with `apis` as an object;
every non-finalized block is announced parent-first, then `bestBlockChanged`; a new block gives
`newBlock` then `bestBlockChanged`; finality lists the newly finalized blocks ascending and prunes a
sibling fork (moving the best block first when needed); headers hash to their block hash; unpin
refuses duplicates and unknown blocks atomically; an unknown or unfollowed subscription answers null /
limitReached; one connection cannot use another's subscription.
"""

from __future__ import annotations

from follow_client import Follow
from live_node import LiveNode, Rpc

from runtime.primitives.hashing import blake2_256

METADATA_API = "0x37e397fc7c91f5e4"
CORE_API = "0xdf6acb689907609b"


def _block(rpc: Rpc, finalize: bool = False, parent: str | None = None) -> str:
    params: list[object] = [True, finalize] + ([parent] if parent else [])
    block: str = rpc.call("engine_createBlock", params)["hash"]
    return block


def test_initialized_then_unfinalized_blocks_then_best(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    first = _block(rpc)
    second = _block(rpc)
    follow = Follow(rpc, with_runtime=True)
    init, blocks, best = follow.initial()
    finalized = rpc.call("chain_getFinalizedHead")
    assert init["finalizedBlockHashes"] == [finalized]
    spec = init["finalizedBlockRuntime"]["spec"]
    assert init["finalizedBlockRuntime"]["type"] == "valid"
    version = rpc.call("state_getRuntimeVersion")
    assert spec["specName"] == version["specName"]
    assert spec["specVersion"] == version["specVersion"]
    assert spec["transactionVersion"] == version["transactionVersion"]
    assert spec["apis"] == {api_id: v for api_id, v in version["apis"]}
    assert spec["apis"][METADATA_API] == 2
    assert CORE_API in spec["apis"]
    assert [b["blockHash"] for b in blocks][-2:] == [first, second]
    parents = [finalized] + [b["blockHash"] for b in blocks[:-1]]
    assert [b["parentBlockHash"] for b in blocks] == parents
    assert all(b["newRuntime"] is None for b in blocks)
    assert best == {"event": "bestBlockChanged", "bestBlockHash": second}


def test_without_runtime_omits_runtime_fields(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow = Follow(rpc, with_runtime=False)
    init, _, _ = follow.initial()
    assert "finalizedBlockRuntime" not in init
    block = _block(rpc)
    event = follow.block_event()
    assert event == {"event": "newBlock", "blockHash": block, "parentBlockHash": event["parentBlockHash"]}
    assert "newRuntime" not in event
    err = follow.error("chainHead_v1_call", block, "Core_version", "0x")
    assert err["code"] == -32802


def test_new_block_best_then_finalized_in_order(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow = Follow(rpc)
    _, blocks, best = follow.initial()
    tip = best["bestBlockHash"]
    a = _block(rpc)
    assert follow.block_event() == {"event": "newBlock", "blockHash": a, "parentBlockHash": tip, "newRuntime": None}
    assert follow.block_event() == {"event": "bestBlockChanged", "bestBlockHash": a}
    b = _block(rpc)
    assert follow.block_event()["blockHash"] == b
    assert follow.block_event() == {"event": "bestBlockChanged", "bestBlockHash": b}
    assert rpc.call("engine_finalizeBlock", [b]) is True
    finalized = follow.block_event()
    assert finalized["event"] == "finalized"
    assert finalized["finalizedBlockHashes"] == [x["blockHash"] for x in blocks] + [a, b]
    assert finalized["prunedBlockHashes"] == []
    assert rpc.call("chain_getFinalizedHead") == b


def test_fork_is_pruned_when_its_sibling_is_finalized(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    base = _block(rpc, finalize=True)
    follow = Follow(rpc)
    init, blocks, _ = follow.initial()
    assert init["finalizedBlockHashes"] == [base]
    assert blocks == []
    main = _block(rpc)
    assert follow.block_event()["blockHash"] == main
    assert follow.block_event() == {"event": "bestBlockChanged", "bestBlockHash": main}
    fork = _block(rpc, parent=base)
    assert fork != main
    assert follow.block_event() == {"event": "newBlock", "blockHash": fork, "parentBlockHash": base,
                                    "newRuntime": None}
    rpc.call("engine_finalizeBlock", [main])
    finalized = follow.block_event()
    assert finalized == {"event": "finalized", "finalizedBlockHashes": [main], "prunedBlockHashes": [fork]}
    assert follow.call("chainHead_v1_header", fork) is not None  # pruned blocks stay pinned until unpinned
    follow.call("chainHead_v1_unpin", [base, fork])


def test_header_is_pinned_block_scale_header(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow = Follow(rpc)
    _, _, best = follow.initial()
    block = best["bestBlockHash"]
    header = follow.call("chainHead_v1_header", block)
    assert "0x" + blake2_256(bytes.fromhex(header[2:])).hex() == block
    assert header[:66] == rpc.call("chain_getHeader", [block])["parentHash"]


def test_unpin_rules(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follow = Follow(rpc)
    init, _, _ = follow.initial()
    fin = init["finalizedBlockHashes"][0]
    new = _block(rpc)
    follow.block_event()
    assert follow.error("chainHead_v1_unpin", [fin, fin])["code"] == -32804
    unknown = "0x" + "11" * 32
    assert follow.error("chainHead_v1_unpin", [fin, unknown])["code"] == -32801
    assert follow.call("chainHead_v1_header", fin) is not None  # the failed unpin unpinned nothing
    assert follow.call("chainHead_v1_unpin", fin) is None
    err = follow.error("chainHead_v1_header", fin)
    assert err == {"code": -32801, "message": "Invalid block hash"}
    assert follow.error("chainHead_v1_body", fin)["code"] == -32801
    assert follow.error("chainHead_v1_unpin", fin)["code"] == -32801
    assert follow.call("chainHead_v1_unpin", [new]) is None


def test_unknown_and_unfollowed_subscriptions(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    block = rpc.call("chain_getBlockHash")
    for sub in ("nosuchsubscription",):
        assert rpc.call("chainHead_v1_header", [sub, block]) is None
        assert rpc.call("chainHead_v1_body", [sub, block]) == {"result": "limitReached"}
        assert rpc.call("chainHead_v1_call", [sub, block, "Core_version", "0x"]) == {"result": "limitReached"}
        assert rpc.call("chainHead_v1_storage", [sub, block, [], None]) == {"result": "limitReached"}
        assert rpc.call("chainHead_v1_unpin", [sub, block]) is None
        assert rpc.call("chainHead_v1_continue", [sub, "1"]) is None
        assert rpc.call("chainHead_v1_stopOperation", [sub, "1"]) is None
    follow = Follow(rpc)
    _, _, best = follow.initial()
    other = manual_node.rpc()
    assert other.call("chainHead_v1_header", [follow.sub, best["bestBlockHash"]]) is None  # per connection
    assert rpc.call("chainHead_v1_unfollow", [follow.sub]) is True
    assert follow.call("chainHead_v1_header", best["bestBlockHash"]) is None
    assert rpc.error("chainHead_v1_follow", ["yes"])["code"] == -32602


def test_two_follows_on_one_connection_are_independent(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    one, two = Follow(rpc), Follow(rpc, with_runtime=False)
    one.initial()
    two.initial()
    block = _block(rpc)
    assert one.block_event()["blockHash"] == block
    assert two.block_event()["blockHash"] == block
    assert one.call("chainHead_v1_unpin", block) is None
    assert two.call("chainHead_v1_header", block) is not None


def test_follows_beyond_the_connection_limit_get_stop(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    follows = [Follow(rpc, with_runtime=False) for _ in range(4)]
    for follow in follows:
        follow.initial()
    extra = Follow(rpc, with_runtime=False)
    assert extra.event() == {"event": "stop"}
    assert extra.call("chainHead_v1_header", rpc.call("chain_getBlockHash")) is None
    assert rpc.call("chainHead_v1_unfollow", [follows[0].sub]) is True
    again = Follow(rpc, with_runtime=False)
    assert again.event()["event"] == "initialized"
