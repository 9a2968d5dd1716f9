"""The `transaction_v1_*` and `transactionWatch_v1_*` RPC namespaces (json-rpc-interface-spec).

`transaction_v1_broadcast` hands the transaction to the pool and returns an opaque operation id; as the
spec demands, a transaction the pool refuses is silently dropped (polkadot-api validates through
`chainHead_v1_call` first and then watches block bodies itself). Operation ids live per connection, at
most `MAX_BROADCASTS_PER_CONNECTION` at once (`null` beyond, the spec's "limit reached"), and globally
at most `MAX_BROADCASTS` (the oldest are forgotten: a connection that closes never calls stop).

`transactionWatch_v1_submitAndWatch` maps the pool's status stream onto the spec's events the way
Substrate's rpc-spec-v2 does: ready/future → `validated`, inBlock → `bestChainBlockIncluded`
(with the extrinsic's index in the block body), retracted → `bestChainBlockIncluded: null`, finalized →
`finalized`, usurped/invalid/pool refusal → `invalid`, dropped/finality timeout → `dropped`. Refusals
are events, never JSON-RPC errors (only malformed hex is a -32602).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Final

from node.client.client import Client
from node.txpool import PoolError
from node.txpool.watch import TransactionStatus
from runtime.executive import ExtrinsicFormatError

from .context import RpcContext
from .errors import RpcError
from .params import InvalidParams, hex_bytes, positional, to_hex
from .registry import CallContext, Params, Registry
from .subscriptions import SubscriptionSink

MAX_BROADCASTS_PER_CONNECTION: Final = 64
MAX_BROADCASTS: Final = 4096

_STATUS_ERRORS: Final = {
    "usurped": ("invalid", "Extrinsic was rendered invalid by another extrinsic"),
    "invalid": ("invalid", "Extrinsic marked as invalid"),
    "dropped": ("dropped", "Extrinsic dropped from the pool due to exceeding limits"),
    "finalityTimeout": ("dropped", "Maximum number of finality watchers has been reached"),
}


class UnknownOperation(RpcError):
    """`transaction_v1_stop` for an id that is not an active broadcast of this connection."""

    def __init__(self) -> None:
        super().__init__(-32602, "Invalid params", "operationId: no such broadcast operation")


def _transaction(params: Params) -> bytes:
    (xt,) = positional(params, ("transaction",))
    return hex_bytes(xt, "transaction")


def _check_transaction(params: Params) -> None:
    _transaction(params)


def _included(client: Client, block: bytes | None, xt: bytes) -> dict[str, Any] | None:
    """`{"hash", "index"}` of `xt` in `block`'s body (index 0 if the body does not list it verbatim)."""
    if block is None:
        return None
    body = client.body(block) or []
    index = body.index(xt) if xt in body else 0
    return {"hash": to_hex(block), "index": index}


def status_event(client: Client, status: TransactionStatus, xt: bytes) -> dict[str, Any] | None:
    """The `transactionWatch_v1_watchEvent` result for one pool status (None for statuses it omits)."""
    kind = status.kind
    if kind in ("ready", "future"):
        return {"event": "validated"}
    if kind == "inBlock":
        return {"event": "bestChainBlockIncluded", "block": _included(client, status.hash, xt)}
    if kind == "retracted":
        return {"event": "bestChainBlockIncluded", "block": None}
    if kind == "finalized":
        return {"event": "finalized", "block": _included(client, status.hash, xt)}
    mapped = _STATUS_ERRORS.get(kind)
    if mapped is None:
        return None
    return {"event": mapped[0], "error": mapped[1]}


def refusal_event(exc: Exception) -> dict[str, Any]:
    """The event for a transaction the pool refused at submission."""
    if isinstance(exc, ExtrinsicFormatError):
        return {"event": "invalid", "error": f"Verification error: {exc}"}
    if isinstance(exc, PoolError):
        detail = f": {exc.data}" if exc.data is not None else ""
        return {"event": "invalid", "error": f"{exc.message}{detail}"}
    return {"event": "error", "error": str(exc)}


def register(registry: Registry, ctx: RpcContext) -> None:
    """Add transaction_v1_broadcast/stop and transactionWatch_v1_submitAndWatch/unwatch."""
    client = ctx.client
    pool = ctx.pool
    broadcasts: OrderedDict[tuple[int, str], None] = OrderedDict()
    per_connection: dict[int, int] = {}
    ids = itertools.count(1)

    def forget(key: tuple[int, str]) -> None:
        broadcasts.pop(key)
        left = per_connection[key[0]] - 1
        if left:
            per_connection[key[0]] = left
        else:
            del per_connection[key[0]]

    @registry.method("transaction_v1_broadcast")
    async def broadcast(params: Params, call: CallContext) -> Any:
        xt = _transaction(params)
        conn = call.connection_id
        if per_connection.get(conn, 0) >= MAX_BROADCASTS_PER_CONNECTION:
            return None
        try:
            pool.submit(xt)
        except (PoolError, ExtrinsicFormatError):
            pass  # the spec: an invalid transaction is silently not broadcast
        op_id = str(next(ids))
        broadcasts[(conn, op_id)] = None
        per_connection[conn] = per_connection.get(conn, 0) + 1
        while len(broadcasts) > MAX_BROADCASTS:
            forget(next(iter(broadcasts)))
        return op_id

    @registry.method("transaction_v1_stop")
    async def stop(params: Params, call: CallContext) -> Any:
        (op_id,) = positional(params, ("operationId",))
        if not isinstance(op_id, str):
            raise InvalidParams("operationId: expected a string")
        key = (call.connection_id, op_id)
        if key not in broadcasts:
            raise UnknownOperation()
        forget(key)
        return None

    @registry.subscription(subscribe="transactionWatch_v1_submitAndWatch",
                           notification="transactionWatch_v1_watchEvent",
                           unsubscribe="transactionWatch_v1_unwatch", validate=_check_transaction)
    async def submit_and_watch(params: Params, sink: SubscriptionSink) -> None:
        xt = _transaction(params)
        try:
            watcher = pool.submit_and_watch(xt)
        except (PoolError, ExtrinsicFormatError) as exc:
            await sink.send(refusal_event(exc))
            return
        try:
            async for status in watcher:
                event = status_event(client, status, xt)
                if event is not None:
                    await sink.send(event)
                if status.is_final:
                    return
            await sink.send({"event": "dropped", "error": "the transaction pool stopped reporting this transaction"})
        finally:
            watcher.close()
