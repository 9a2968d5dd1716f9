"""The `chainSpec_v1_*` RPC namespace (json-rpc-interface-spec): chain name, genesis hash and properties.

Three getters whose answers never change while the node runs; polkadot-api calls all three on connect.
The values are the ones the legacy `system_chain` / `system_properties` / `chain_getBlockHash(0)` give,
taken once at registration so they cannot drift within a connection.
"""

from __future__ import annotations

from typing import Any

from .context import RpcContext
from .params import InvalidParams, to_hex
from .registry import CallContext, Params, Registry


def _no_params(params: Params) -> None:
    if params not in ([], {}):
        raise InvalidParams("this method takes no parameters")


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add chainSpec_v1_chainName, chainSpec_v1_genesisHash and chainSpec_v1_properties."""
    chain_name = ctx.chain_name
    genesis = to_hex(ctx.client.genesis_hash)
    properties = dict(ctx.properties)

    @registry.method("chainSpec_v1_chainName")
    async def chain_name_(params: Params, call: CallContext) -> Any:
        _no_params(params)
        return chain_name

    @registry.method("chainSpec_v1_genesisHash")
    async def genesis_hash(params: Params, call: CallContext) -> Any:
        _no_params(params)
        return genesis

    @registry.method("chainSpec_v1_properties")
    async def properties_(params: Params, call: CallContext) -> Any:
        _no_params(params)
        return properties
