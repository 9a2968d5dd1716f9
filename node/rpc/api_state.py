"""The `state_*` RPC namespace: storage reads, runtime calls, metadata, version, proofs, subscriptions."""

from __future__ import annotations

from typing import Any

import trio

from node.db import ChainDBError
from runtime.apis import ApiError
from runtime.primitives.hashing import blake2_256
from runtime.primitives.trie import generate_proof

from .context import RpcContext
from .errors import RpcError
from .params import InvalidParams, hex_bytes, opt_hash, positional, to_hex
from .registry import CallContext, Params, Registry
from .subscriptions import SubscriptionSink

MAX_KEYS_PAGED = 1000
STATE_CALL_FAILED = 4003  # "Client error: Execution failed" in Substrate's state RPC


class StateError(RpcError):
    """A state query could not be answered (unknown block, failed runtime call)."""

    def __init__(self, message: str) -> None:
        super().__init__(STATE_CALL_FAILED, message)


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add the state_* methods and subscriptions."""
    client = ctx.client

    def guarded(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ChainDBError as exc:
            raise StateError(f"Client error: UnknownBlock: {exc}") from None

    def get(key: bytes, at: bytes | None) -> bytes | None:
        if not key:  # nothing lives under the empty key (and LMDB refuses empty keys)
            if at is not None:
                guarded(client.state_at, at)  # an unknown block is still an error
            return None
        return guarded(client.storage, key, at)  # type: ignore[no-any-return]

    @registry.method("state_getStorage", aliases=("state_getStorageAt",))
    async def get_storage(params: Params, call: CallContext) -> Any:
        key, at = positional(params, ("key", "hash"))
        value = get(hex_bytes(key, "key"), opt_hash(at))
        return None if value is None else to_hex(value)

    @registry.method("state_getStorageHash", aliases=("state_getStorageHashAt",))
    async def get_storage_hash(params: Params, call: CallContext) -> Any:
        key, at = positional(params, ("key", "hash"))
        value = get(hex_bytes(key, "key"), opt_hash(at))
        return None if value is None else to_hex(blake2_256(value))

    @registry.method("state_getStorageSize", aliases=("state_getStorageSizeAt",))
    async def get_storage_size(params: Params, call: CallContext) -> Any:
        key, at = positional(params, ("key", "hash"))
        value = get(hex_bytes(key, "key"), opt_hash(at))
        return None if value is None else len(value)

    @registry.method("state_getKeysPaged", aliases=("state_getKeysPagedAt",))
    async def get_keys_paged(params: Params, call: CallContext) -> Any:
        prefix, count, start, at = positional(params, ("prefix", "count", "startKey", "hash"))
        prefix_b = hex_bytes(prefix, "prefix") if prefix is not None else b""
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidParams("count: expected a non-negative integer")
        if count > MAX_KEYS_PAGED:
            raise InvalidParams(f"count exceeds maximum value. value: {count}, max: {MAX_KEYS_PAGED}")
        start_b = hex_bytes(start, "startKey") if start is not None else None
        keys = guarded(client.keys_paged, prefix_b, count, start_b, opt_hash(at))
        return [to_hex(k) for k in keys]

    @registry.method("state_getKeys", unsafe=True)
    async def get_keys(params: Params, call: CallContext) -> Any:
        prefix, at = positional(params, ("prefix", "hash"))
        reader = guarded(client.state_at, opt_hash(at))
        return [to_hex(k) for k, _ in reader.iter_prefix(hex_bytes(prefix, "prefix"))]

    @registry.method("state_getPairs", unsafe=True)
    async def get_pairs(params: Params, call: CallContext) -> Any:
        prefix, at = positional(params, ("prefix", "hash"))
        reader = guarded(client.state_at, opt_hash(at))
        return [[to_hex(k), to_hex(v)] for k, v in reader.iter_prefix(hex_bytes(prefix, "prefix"))]

    def key_list(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise InvalidParams("keys: expected an array of hex keys")
        return value

    def parse_keys(value: Any) -> list[tuple[str, bytes]]:
        """Each key as (lower-case text echoed back, raw bytes); InvalidParams before any block lookup."""
        parsed = []
        for key in key_list(value):
            raw = hex_bytes(key, "key")  # rejects non-strings too
            parsed.append((str(key).lower(), raw))
        return parsed

    @registry.method("state_queryStorageAt")
    async def query_storage_at(params: Params, call: CallContext) -> Any:
        keys, at = positional(params, ("keys", "at"))
        block = opt_hash(at) or client.best_hash()
        changes = []
        for key in key_list(keys):
            value = get(hex_bytes(key, "key"), block)
            changes.append([key.lower(), None if value is None else to_hex(value)])
        return [{"block": to_hex(block), "changes": changes}]

    @registry.method("state_queryStorage", unsafe=True)
    async def query_storage(params: Params, call: CallContext) -> Any:
        keys, from_block, to_block = positional(params, ("keys", "fromBlock", "toBlock"))
        parsed = parse_keys(keys)
        start = opt_hash(from_block, "fromBlock")
        if start is None:
            raise InvalidParams("fromBlock is required")
        end = opt_hash(to_block, "toBlock") or client.best_hash()
        first, last = client.number_of(start), client.number_of(end)
        if first is None or last is None or first > last:
            raise StateError("Client error: invalid block range")
        out: list[dict[str, Any]] = []
        previous: dict[str, bytes | None] = {}
        for number in range(first, last + 1):
            block = client.block_hash(number)
            if block is None:
                break
            changes = []
            for text, raw in parsed:
                value = get(raw, block)
                if number == first or previous.get(text) != value:
                    changes.append([text, None if value is None else to_hex(value)])
                previous[text] = value
            out.append({"block": to_hex(block), "changes": changes})
        return out

    @registry.method("state_call", aliases=("state_callAt",))
    async def state_call(params: Params, call: CallContext) -> Any:
        name, data, at = positional(params, ("name", "bytes", "hash"))
        if not isinstance(name, str):
            raise InvalidParams("name: expected the runtime API method name")
        try:
            return to_hex(guarded(client.call, name, hex_bytes(data if data is not None else "", "bytes"), opt_hash(at)))
        except ApiError as exc:
            raise StateError(f"Client error: Execution failed: Other: {exc}") from None

    @registry.method("state_getMetadata")
    async def get_metadata(params: Params, call: CallContext) -> Any:
        (at,) = positional(params, ("hash",))
        if at is not None:
            guarded(client.api_context, opt_hash(at))
        return to_hex(client.assembly.metadata_v14())

    def version_json(at: bytes | None) -> Any:
        if at is not None:
            guarded(client.api_context, at)
        return client.assembly.version.to_json()

    @registry.method("state_getRuntimeVersion", aliases=("chain_getRuntimeVersion",))
    async def get_runtime_version(params: Params, call: CallContext) -> Any:
        (at,) = positional(params, ("hash",))
        return version_json(opt_hash(at))

    @registry.method("state_getReadProof")
    async def get_read_proof(params: Params, call: CallContext) -> Any:
        keys, at = positional(params, ("keys", "hash"))
        block = opt_hash(at) or client.best_hash()
        header = client.header(block)
        if header is None:
            raise StateError("Client error: UnknownBlock")
        proof = generate_proof(client.db, header.state_root, [hex_bytes(k, "key") for k in key_list(keys)])
        return {"at": to_hex(block), "proof": [to_hex(n) for n in proof]}

    def subscribe_keys(params: Params) -> None:
        (keys,) = positional(params, ("keys",))
        if keys is not None:
            for k in key_list(keys):
                hex_bytes(k, "key")

    @registry.subscription(subscribe="state_subscribeStorage", notification="state_storage",
                           unsubscribe="state_unsubscribeStorage", validate=subscribe_keys)
    async def subscribe_storage(params: Params, sink: SubscriptionSink) -> None:
        (keys,) = positional(params, ("keys",))
        wanted = [(k.lower(), hex_bytes(k, "key")) for k in (keys or [])]
        events = client.notifier.subscribe()
        async with events:
            block = client.best_hash()
            last = {text: get(raw, block) for text, raw in wanted}
            await sink.send({"block": to_hex(block), "changes": [
                [text, None if v is None else to_hex(v)] for text, v in last.items()]})
            async for event in events:
                if event.kind != "imported" or not event.is_new_best:
                    continue
                changes = []
                for text, raw in wanted:
                    value = get(raw, event.hash)
                    if value != last[text]:
                        last[text] = value
                        changes.append([text, None if value is None else to_hex(value)])
                if changes:
                    await sink.send({"block": to_hex(event.hash), "changes": changes})

    def no_params(params: Params) -> None:
        if params not in ([], {}, None):
            raise InvalidParams("this subscription takes no parameters")

    @registry.subscription(subscribe="state_subscribeRuntimeVersion", aliases=("chain_subscribeRuntimeVersion",),
                           notification="state_runtimeVersion", unsubscribe="state_unsubscribeRuntimeVersion",
                           unsubscribe_aliases=("chain_unsubscribeRuntimeVersion",), validate=no_params)
    async def subscribe_runtime_version(params: Params, sink: SubscriptionSink) -> None:
        await sink.send(version_json(None))
        await trio.sleep_forever()
