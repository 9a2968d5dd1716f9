"""The `system_*` RPC namespace (plus `account_nextIndex`): node identity, health, properties, nonces, dry runs."""

from __future__ import annotations

from typing import Any

from runtime.apis import ApiError
from runtime.primitives.account import AddressError, account_id

from .context import RpcContext
from .params import InvalidParams, hex_bytes, opt_hash, positional, to_hex
from .registry import CallContext, Params, Registry


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add the system_* methods."""
    client = ctx.client

    @registry.method("system_name")
    async def name(params: Params, call: CallContext) -> Any:
        return "phala-node"

    @registry.method("system_version")
    async def version(params: Params, call: CallContext) -> Any:
        return ctx.node_version

    @registry.method("system_chain")
    async def chain(params: Params, call: CallContext) -> Any:
        return ctx.chain_name

    @registry.method("system_chainType")
    async def chain_type(params: Params, call: CallContext) -> Any:
        return ctx.chain_type

    @registry.method("system_properties")
    async def properties(params: Params, call: CallContext) -> Any:
        return ctx.properties

    @registry.method("system_health")
    async def health(params: Params, call: CallContext) -> Any:
        peers = ctx.peer_count()
        return {"peers": peers, "isSyncing": False, "shouldHavePeers": not ctx.chain_type == "Development"}

    @registry.method("system_localPeerId")
    async def local_peer_id(params: Params, call: CallContext) -> Any:
        return ctx.local_peer_id

    @registry.method("system_localListenAddresses")
    async def listen_addresses(params: Params, call: CallContext) -> Any:
        return ctx.listen_addresses

    @registry.method("system_nodeRoles")
    async def node_roles(params: Params, call: CallContext) -> Any:
        return ["Authority"] if ctx.is_authority else ["Full"]

    @registry.method("system_peers", unsafe=True)
    async def peers(params: Params, call: CallContext) -> Any:
        return []

    @registry.method("system_syncState")
    async def sync_state(params: Params, call: CallContext) -> Any:
        best = client.best_number()
        return {"startingBlock": 0, "currentBlock": best, "highestBlock": best}

    @registry.method("system_accountNextIndex", aliases=("account_nextIndex",))
    async def account_next_index(params: Params, call: CallContext) -> Any:
        (address,) = positional(params, ("accountId",))
        if not isinstance(address, str):
            raise InvalidParams("accountId: expected an SS58 address or 0x-prefixed account id")
        try:
            who = account_id(address)
        except (AddressError, ValueError, TypeError) as exc:
            raise InvalidParams(f"accountId: {exc}") from None
        onchain = client.assembly.view(client.state_at(None), client.best_number()).System.account(who).nonce
        if ctx.pool is None:
            return onchain
        return ctx.pool.next_index(who, onchain)

    @registry.method("system_dryRun", aliases=("system_dryRunAt",), unsafe=True)
    async def dry_run(params: Params, call: CallContext) -> Any:
        xt, at = positional(params, ("extrinsic", "at"))
        try:
            return to_hex(client.call("BlockBuilder_apply_extrinsic", hex_bytes(xt, "extrinsic"), opt_hash(at)))
        except ApiError as exc:
            raise InvalidParams(f"extrinsic: {exc}") from None
