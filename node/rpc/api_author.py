"""The `author_*` RPC namespace: submit (and watch) extrinsics, pending list, removal, keys."""

from __future__ import annotations

from typing import Any

from node.keystore import KeystoreError
from node.txpool import PoolError
from runtime.executive import ExtrinsicFormatError

from .context import RpcContext
from .errors import RpcError
from .params import InvalidParams, hex_bytes, positional, to_hex
from .registry import CallContext, Params, Registry
from .subscriptions import SubscriptionSink

BAD_FORMAT = 1001


def register(registry: Registry, ctx: RpcContext, pool: Any) -> None:
    """Add the author_* methods and the extrinsic-watch subscription."""

    def extrinsic(params: Params) -> bytes:
        (xt,) = positional(params, ("extrinsic",))
        return hex_bytes(xt, "extrinsic")

    def submit(fn: Any, xt: bytes) -> Any:
        try:
            return fn(xt)
        except ExtrinsicFormatError as exc:
            raise RpcError(BAD_FORMAT, "Extrinsic has invalid format: " + str(exc)) from None
        except PoolError:
            raise

    @registry.method("author_submitExtrinsic")
    async def submit_extrinsic(params: Params, call: CallContext) -> Any:
        return to_hex(submit(pool.submit, extrinsic(params)))

    @registry.method("author_pendingExtrinsics")
    async def pending(params: Params, call: CallContext) -> Any:
        return [to_hex(x) for x in pool.pool.pending()]

    @registry.method("author_removeExtrinsic", unsafe=True)
    async def remove(params: Params, call: CallContext) -> Any:
        (items,) = positional(params, ("bytesOrHash",))
        if not isinstance(items, list):
            raise InvalidParams("bytesOrHash: expected an array")
        from runtime.primitives.hashing import blake2_256
        hashes = []
        for item in items:
            if isinstance(item, dict) and "hash" in item:
                hashes.append(hex_bytes(item["hash"], "hash"))
            elif isinstance(item, dict) and "extrinsic" in item:
                hashes.append(blake2_256(hex_bytes(item["extrinsic"], "extrinsic")))
            else:
                raise InvalidParams("bytesOrHash: items must be {hash} or {extrinsic}")
        return [to_hex(h) for h in pool.pool.remove_invalid(hashes)]

    # Validation errors must answer the subscribe call itself (PY waits forever on an "invalid"
    # notification), so the submission happens in the validator, before the subscription id exists;
    # the producer receives the watcher as `sink.prepared`.
    def validate_watch(params: Params) -> Any:
        return submit(pool.submit_and_watch, extrinsic(params))

    @registry.subscription(subscribe="author_submitAndWatchExtrinsic", notification="author_extrinsicUpdate",
                           unsubscribe="author_unwatchExtrinsic", validate=validate_watch)
    async def submit_and_watch(params: Params, sink: SubscriptionSink) -> None:
        watcher = sink.prepared
        try:
            async for status in watcher:
                await sink.send(status.to_json())
        finally:
            watcher.close()

    keystore = ctx.keystore

    def text(value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise InvalidParams(f"{name}: expected a string")
        return value

    @registry.method("author_insertKey", unsafe=True)
    async def insert_key(params: Params, call: CallContext) -> Any:
        key_type, suri, public = positional(params, ("keyType", "suri", "publicKey"))
        key_type, suri, raw = text(key_type, "keyType"), text(suri, "suri"), hex_bytes(public, "publicKey")
        if keystore is None:
            raise RpcError(-32000, "no keystore")
        try:
            keystore.insert(key_type, suri, raw)
        except KeystoreError as exc:
            raise InvalidParams(str(exc)) from None
        return None

    @registry.method("author_hasKey", unsafe=True)
    async def has_key(params: Params, call: CallContext) -> Any:
        public, key_type = positional(params, ("publicKey", "keyType"))
        raw, kind = hex_bytes(public, "publicKey"), text(key_type, "keyType")
        try:
            return bool(keystore is not None and keystore.has_key(raw, kind))
        except KeystoreError as exc:
            raise InvalidParams(str(exc)) from None

    @registry.method("author_rotateKeys", unsafe=True)
    async def rotate_keys(params: Params, call: CallContext) -> Any:
        if keystore is None:
            raise RpcError(-32000, "no keystore")
        return to_hex(keystore.rotate_keys())

    @registry.method("author_hasSessionKeys", unsafe=True)
    async def has_session_keys(params: Params, call: CallContext) -> Any:
        (keys,) = positional(params, ("sessionKeys",))
        raw = hex_bytes(keys, "sessionKeys")
        if len(raw) != 64 or keystore is None:
            return False
        return bool(keystore.has_key(raw[:32], "aura") and keystore.has_key(raw[32:], "gran"))
