"""The `chainHead_v1_*` RPC namespace (json-rpc-interface-spec), the one polkadot-api follows the chain with.

Wire layer only: parameter checks, Substrate's error codes, and the lookup of a follow subscription by
(connection, subscription id) so one connection can never touch another's. The follow producer turns
client block notifications into events through `FollowState` (`chainhead_follow.py`) and owns the
nursery in which `chainhead_ops.py` runs body/call/storage operations. `chainHead_v1_unfollow` is the
subscription's unsubscribe name, so it answers like jsonrpsee's (`true`/`false`) where the spec says null.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import trio

from .chainhead_follow import FollowState, FollowStopped
from .chainhead_ops import FollowSubscription
from .chainhead_storage import parse_items
from .context import RpcContext
from .errors import RpcError
from .params import InvalidParams, hex_bytes, positional, to_hex
from .registry import CallContext, Params, Registry
from .subscriptions import SubscriptionSink

log = logging.getLogger("node.rpc.chainhead")

MAX_FOLLOWS_PER_CONNECTION: Final = 4
"""Substrate's `MAX_FOLLOW_SUBSCRIPTIONS_PER_CONNECTION` (the spec requires at least 2)."""

INVALID_BLOCK: Final = -32801
INVALID_RUNTIME_CALL: Final = -32802
INVALID_DUPLICATE_HASHES: Final = -32804
LIMIT_REACHED: Final = {"result": "limitReached"}


class InvalidBlock(RpcError):
    """-32801: the block was not announced by this follow subscription, or it was unpinned."""

    def __init__(self) -> None:
        super().__init__(INVALID_BLOCK, "Invalid block hash")


class InvalidRuntimeCall(RpcError):
    """-32802: `chainHead_v1_call` on a subscription that follows without runtime updates."""

    def __init__(self, reason: str) -> None:
        super().__init__(INVALID_RUNTIME_CALL, f"Invalid runtime call: {reason}")


class DuplicateHashes(RpcError):
    """-32804: `chainHead_v1_unpin` was given the same hash twice."""

    def __init__(self) -> None:
        super().__init__(INVALID_DUPLICATE_HASHES, "Received duplicate hashes for the `chainHead_unpin` method")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidParams(f"{name}: expected a string")
    return value


def _block_hash(value: Any, name: str = "hash") -> bytes:
    raw = hex_bytes(value, name)
    if len(raw) != 32:
        raise InvalidParams(f"{name}: expected 32 bytes, got {len(raw)}")
    return raw


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add chainHead_v1_follow/unfollow and the chainHead_v1 methods that act on a follow subscription."""
    client = ctx.client
    follows: dict[tuple[int, str], FollowSubscription] = {}

    def find(call: CallContext, sub: Any) -> FollowSubscription | None:
        return follows.get((call.connection_id, _text(sub, "followSubscription")))

    def pinned(follow: FollowSubscription, value: Any) -> bytes:
        block = _block_hash(value)
        if not follow.state.is_pinned(block):
            raise InvalidBlock()
        return block

    def validate_follow(params: Params) -> None:
        (with_runtime,) = positional(params, ("withRuntime",))
        if not isinstance(with_runtime, bool):
            raise InvalidParams("withRuntime: expected a boolean")

    @registry.subscription(subscribe="chainHead_v1_follow", notification="chainHead_v1_followEvent",
                           unsubscribe="chainHead_v1_unfollow", validate=validate_follow)
    async def follow(params: Params, sink: SubscriptionSink) -> None:
        (with_runtime,) = positional(params, ("withRuntime",))
        key = (sink.ctx.connection_id, sink.subscription_id)
        if sum(1 for conn, _ in follows if conn == key[0]) >= MAX_FOLLOWS_PER_CONNECTION:
            await sink.send({"event": "stop"})
            return
        state = FollowState(client, bool(with_runtime))
        events = client.notifier.subscribe()
        stopped = False
        async with events, trio.open_nursery() as nursery:
            follows[key] = FollowSubscription(client, state, sink, nursery)
            try:
                await _follow_events(state, events, sink)
            except FollowStopped as exc:
                log.info("chainHead follow %s stopped: %s", sink.subscription_id, exc)
                stopped = True
            finally:
                follows.pop(key, None)
                nursery.cancel_scope.cancel()
        if stopped:
            await sink.send({"event": "stop"})

    @registry.method("chainHead_v1_header")
    async def header(params: Params, call: CallContext) -> Any:
        sub, block = positional(params, ("followSubscription", "hash"))
        found = find(call, sub)
        if found is None:
            return None
        raw = client.db.header(pinned(found, block))
        return None if raw is None else to_hex(raw)

    @registry.method("chainHead_v1_body")
    async def body(params: Params, call: CallContext) -> Any:
        sub, block = positional(params, ("followSubscription", "hash"))
        found = find(call, sub)
        if found is None:
            return LIMIT_REACHED
        block_hash = pinned(found, block)
        op = found.reserve(1)
        if op is None:
            return LIMIT_REACHED
        found.start(op, found.body_op(block_hash))
        return {"result": "started", "operationId": op.id}

    @registry.method("chainHead_v1_call")
    async def call_(params: Params, call: CallContext) -> Any:
        sub, block, function, args = positional(params, ("followSubscription", "hash", "function", "callParameters"))
        name = _text(function, "function")
        data = hex_bytes(args if args is not None else "", "callParameters")
        found = find(call, sub)
        if found is None:
            return LIMIT_REACHED
        block_hash = pinned(found, block)
        if not found.state.with_runtime:
            raise InvalidRuntimeCall("The runtime updates flag must be set")
        op = found.reserve(1)
        if op is None:
            return LIMIT_REACHED
        found.start(op, found.call_op(block_hash, name, data))
        return {"result": "started", "operationId": op.id}

    @registry.method("chainHead_v1_storage")
    async def storage(params: Params, call: CallContext) -> Any:
        sub, block, items, child_trie = positional(params, ("followSubscription", "hash", "items", "childTrie"))
        queries = parse_items(items)
        child = None if child_trie is None else hex_bytes(child_trie, "childTrie")
        found = find(call, sub)
        if found is None:
            return LIMIT_REACHED
        block_hash = pinned(found, block)
        if not queries:
            op = found.reserve(1)
        else:
            op = found.reserve(len(queries))
        if op is None:
            return LIMIT_REACHED
        accepted = queries[:op.units]
        found.start(op, found.storage_op(block_hash, accepted, child))
        return {"result": "started", "operationId": op.id, "discardedItems": len(queries) - len(accepted)}

    @registry.method("chainHead_v1_continue")
    async def continue_(params: Params, call: CallContext) -> Any:
        sub, op_id = positional(params, ("followSubscription", "operationId"))
        found = find(call, sub)
        if found is not None:
            found.continue_operation(_text(op_id, "operationId"))
        return None

    @registry.method("chainHead_v1_stopOperation")
    async def stop_operation(params: Params, call: CallContext) -> Any:
        sub, op_id = positional(params, ("followSubscription", "operationId"))
        found = find(call, sub)
        if found is not None:
            found.stop_operation(_text(op_id, "operationId"))
        return None

    @registry.method("chainHead_v1_unpin")
    async def unpin(params: Params, call: CallContext) -> Any:
        sub, hashes = positional(params, ("followSubscription", "hashOrHashes"))
        found = find(call, sub)
        listed = hashes if isinstance(hashes, list) else [hashes]
        blocks = [_block_hash(h, "hashOrHashes") for h in listed]
        if found is None:
            return None
        if len(set(blocks)) != len(blocks):
            raise DuplicateHashes()
        if not found.state.unpin(blocks):
            raise InvalidBlock()
        return None


async def _follow_events(state: FollowState, events: Any, sink: SubscriptionSink) -> None:
    """Send the initial events, then one batch per block notification until the notifier drops us."""
    for event in state.initial_events():
        await sink.send(event)
    async for block_event in events:
        if block_event.kind == "imported":
            batch = state.on_imported(block_event.hash, block_event.header, block_event.is_new_best)
        elif block_event.kind == "finalized":
            batch = state.on_finalized(block_event.hash, block_event.header)
        else:
            continue
        for event in batch:
            await sink.send(event)
    raise FollowStopped("block notifications lagged and were dropped")
