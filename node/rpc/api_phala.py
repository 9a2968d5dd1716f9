"""Phala's node RPCs: `pha_getMqNextSequence` (the sequence a message sender should sign next)."""

from __future__ import annotations

from typing import Any

from pallets.mq.rpc_support import next_sequence, sender_from_hex
from runtime.scale import ScaleDecodeError

from .context import RpcContext
from .params import InvalidParams, positional
from .registry import CallContext, Params, Registry


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add pha_* methods."""
    client = ctx.client

    @registry.method("pha_getMqNextSequence")
    async def get_mq_next_sequence(params: Params, call: CallContext) -> Any:
        (sender_hex,) = positional(params, ("senderHex",))
        if not isinstance(sender_hex, str):
            raise InvalidParams("senderHex: expected the hex SCALE encoding of a MessageOrigin")
        try:
            sender = sender_from_hex(sender_hex)
        except (ScaleDecodeError, ValueError) as exc:
            raise InvalidParams(f"senderHex: {exc}") from None
        rt = client.assembly.view(client.state_at(None), client.best_number())
        onchain = rt.PhalaMq.offchain_ingress(sender)
        tags = ctx.pool.pool.provides_tags() if ctx.pool is not None else {}
        return next_sequence(onchain, sender, tags)
