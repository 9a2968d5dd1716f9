"""The `chain_*` RPC namespace: block hashes, headers, blocks and head subscriptions (sc-rpc chain)."""

from __future__ import annotations

from typing import Any

from node.client.notifications import BlockEvent

from .context import RpcContext
from .params import InvalidParams, block_number, opt_hash, positional, to_hex
from .registry import CallContext, Params, Registry
from .subscriptions import SubscriptionSink


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add the chain_* methods and subscriptions."""
    client = ctx.client

    def header_json(block_hash: bytes | None) -> Any:
        header = client.header(block_hash or client.best_hash())
        return None if header is None else header.to_json()

    def hash_of(value: Any) -> str | None:
        if value is None:
            return to_hex(client.best_hash())
        found = client.block_hash(block_number(value))
        return None if found is None else to_hex(found)

    @registry.method("chain_getBlockHash", aliases=("chain_getHead",))
    async def get_block_hash(params: Params, call: CallContext) -> Any:
        (value,) = positional(params, ("number",))
        if isinstance(value, list):
            return [hash_of(v) for v in value]
        return hash_of(value)

    @registry.method("chain_getFinalizedHead", aliases=("chain_getFinalisedHead",))
    async def get_finalized_head(params: Params, call: CallContext) -> Any:
        return to_hex(client.finalized_hash())

    @registry.method("chain_getHeader")
    async def get_header(params: Params, call: CallContext) -> Any:
        (value,) = positional(params, ("hash",))
        return header_json(opt_hash(value))

    @registry.method("chain_getBlock")
    async def get_block(params: Params, call: CallContext) -> Any:
        (value,) = positional(params, ("hash",))
        block_hash = opt_hash(value) or client.best_hash()
        header = client.header(block_hash)
        body = client.body(block_hash)
        if header is None or body is None:
            return None
        return {"block": {"header": header.to_json(), "extrinsics": [to_hex(x) for x in body]},
                "justifications": None}

    def no_params(params: Params) -> None:
        if params not in ([], {}, None):
            raise InvalidParams("this subscription takes no parameters")

    async def follow(sink: SubscriptionSink, first: bytes, wanted: str, best_only: bool) -> None:
        events = client.notifier.subscribe()
        async with events:
            header = client.header(first)
            if header is not None:
                await sink.send(header.to_json())
            async for event in events:
                if _matches(event, wanted, best_only):
                    await sink.send(event.header.to_json())

    @registry.subscription(subscribe="chain_subscribeNewHeads", aliases=("chain_subscribeNewHead", "subscribe_newHead"),
                           notification="chain_newHead", unsubscribe="chain_unsubscribeNewHeads",
                           unsubscribe_aliases=("chain_unsubscribeNewHead", "unsubscribe_newHead"), validate=no_params)
    async def new_heads(params: Params, sink: SubscriptionSink) -> None:
        await follow(sink, client.best_hash(), "imported", True)

    @registry.subscription(subscribe="chain_subscribeFinalizedHeads", aliases=("chain_subscribeFinalisedHeads",),
                           notification="chain_finalizedHead", unsubscribe="chain_unsubscribeFinalizedHeads",
                           unsubscribe_aliases=("chain_unsubscribeFinalisedHeads",), validate=no_params)
    async def finalized_heads(params: Params, sink: SubscriptionSink) -> None:
        await follow(sink, client.finalized_hash(), "finalized", False)

    @registry.subscription(subscribe="chain_subscribeAllHeads", notification="chain_allHead",
                           unsubscribe="chain_unsubscribeAllHeads", validate=no_params)
    async def all_heads(params: Params, sink: SubscriptionSink) -> None:
        await follow(sink, client.best_hash(), "imported", False)


def _matches(event: BlockEvent, wanted: str, best_only: bool) -> bool:
    return event.kind == wanted and (event.is_new_best or not best_only)
