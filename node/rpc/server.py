"""The JSON-RPC server: configuration, the JSON-RPC 2.0 envelope (`Dispatcher`) and the TCP listener.

One TCP port serves HTTP POST and WebSocket (GET + Upgrade), as Substrate's server does. This module
turns payloads into calls on the `Registry` and calls into response bytes (ids echoed verbatim, batches,
notifications, jsonrpsee's error codes and messages); `http.py` and `websocket.py` own the transports.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
import trio

from node.rpc import http, websocket
from node.rpc.errors import (
    InternalError,
    InvalidParams,
    InvalidRequest,
    MethodNotFound,
    OversizedResponse,
    RpcError,
    TooBigBatch,
    UnsafeRpcError,
)
from node.rpc.registry import (
    CallContext,
    MethodEntry,
    Params,
    Registry,
    SubscriptionEntry,
    Transport,
    UnsubscribeEntry,
)
from node.rpc.subscriptions import ConnectionSubscriptions, FrameWriter, SubscriptionSink, run_producer

log = logging.getLogger("node.rpc.server")

MIB = 1024 * 1024
_BATCH_CHECKPOINT_EVERY = 64
_PARSE_ERROR = b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}'
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Server limits and policy; the defaults are Substrate's (`substrate/client/cli/src/config.rs`).

    `cors`: "all" (Access-Control-Allow-Origin: *) or a tuple of allowed origins (then requests whose
    Origin header is not listed are refused with 403, on HTTP and WebSocket alike).
    `rpc_methods`: "safe" refuses unsafe methods, "unsafe" allows them, "auto" allows them only when
    listening on a loopback address. `slow_client_timeout`: how long a connection's outbox may stay full
    (or one socket write may stay blocked) before the connection is cut off. `max_in_flight`: how many
    `concurrent=True` calls one WebSocket connection may run at once. WebSocket pings go out every
    `ping_interval` s and a connection silent for `inactive_limit` s is closed (Substrate: 30 s / 60 s);
    an HTTP connection waiting longer than `http_idle_timeout` s for its next request is closed.
    """

    max_request_size: int = 15 * MIB
    max_response_size: int = 15 * MIB
    max_connections: int = 100
    max_subscriptions_per_connection: int = 1024
    max_batch_len: int | None = None
    cors: Literal["all"] | tuple[str, ...] = "all"
    rpc_methods: Literal["auto", "safe", "unsafe"] = "auto"
    outbox_capacity: int = 64
    slow_client_timeout: float = 30.0
    max_in_flight: int = 64
    ping_interval: float = 30.0
    inactive_limit: float = 60.0
    http_idle_timeout: float = 60.0


@dataclass(slots=True)
class Session:
    """One connection as the dispatcher sees it; `subs`/`writer`/`nursery` are None over HTTP."""

    connection_id: int
    transport: Transport
    peer: str
    deny_unsafe: bool
    subs: ConnectionSubscriptions | None = None
    writer: FrameWriter | None = None
    nursery: trio.Nursery | None = None
    spawn: Callable[[Callable[[], Awaitable[None]]], Awaitable[None]] | None = None
    _contexts: dict[str, CallContext] = field(default_factory=dict)

    def context(self, method: str) -> CallContext:
        """Return the (cached) CallContext for a call of `method` on this connection."""
        ctx = self._contexts.get(method)
        if ctx is None:
            ctx = CallContext(self.connection_id, self.transport, self.peer, method, self.deny_unsafe)
            if len(self._contexts) < 4096:
                self._contexts[method] = ctx
        return ctx


@dataclass(slots=True)
class PendingProducer:
    """A subscription whose response is built but whose producer must start after it is queued."""

    entry: SubscriptionEntry
    params: Params
    sink: SubscriptionSink
    scope: trio.CancelScope


def _error(rid: Any, exc: RpcError) -> bytes:
    try:
        return orjson.dumps({"jsonrpc": "2.0", "id": rid, "error": exc.to_json()})
    except orjson.JSONEncodeError:  # the handler put something unserialisable in `data`
        return orjson.dumps({"jsonrpc": "2.0", "id": rid,
                             "error": {"code": exc.code, "message": exc.message, "data": repr(exc.data)}})


class Dispatcher:
    """Executes JSON-RPC payloads against a `Registry` and produces the response bytes."""

    def __init__(self, registry: Registry, config: ServerConfig) -> None:
        self.registry = registry
        self.config = config

    async def handle(self, raw: str | bytes, session: Session,
                     pending: list[PendingProducer]) -> bytes | None:
        """Answer one payload (single request or batch); None when nothing is to be sent back.

        Subscriptions opened by the payload are appended to `pending`; the caller starts them with
        `start_producers` after queueing the response, so the response always precedes notifications.
        """
        try:
            msg = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return _PARSE_ERROR
        if type(msg) is list:
            return await self._batch(msg, session, pending)
        return await self._call(msg, session, pending, session.spawn)

    async def _batch(self, batch: list[Any], session: Session,
                     pending: list[PendingProducer]) -> bytes | None:
        if not batch:
            return _error(None, InvalidRequest())
        limit = self.config.max_batch_len
        if limit is not None and len(batch) > limit:
            return _error(None, TooBigBatch(limit))
        parts: list[bytes] = []
        size = 2
        for index, request in enumerate(batch):
            part = await self._call(request, session, pending, None)
            if part is not None:
                parts.append(part)
                size += len(part) + 1
            if index % _BATCH_CHECKPOINT_EVERY == _BATCH_CHECKPOINT_EVERY - 1:
                await trio.lowlevel.checkpoint()
        if not parts:
            return None
        if size > self.config.max_response_size:
            return _error(None, OversizedResponse(self.config.max_response_size))
        return b"[" + b",".join(parts) + b"]"

    async def _call(self, req: Any, session: Session, pending: list[PendingProducer],
                    spawn: Callable[[Callable[[], Awaitable[None]]], Awaitable[None]] | None) -> bytes | None:
        if type(req) is not dict:
            return _error(None, InvalidRequest())
        has_id = "id" in req
        rid = req.get("id")
        if rid is not None and type(rid) is not int and type(rid) is not str:
            return _error(None, InvalidRequest())
        method = req.get("method")
        if req.get("jsonrpc") != "2.0" or type(method) is not str:
            return _error(rid, InvalidRequest())
        params = req.get("params")
        try:
            if params is None:
                params = []
            elif type(params) is not list and type(params) is not dict:
                raise InvalidParams("params must be an array or an object")
            entry = self.registry.lookup(method)
            if entry is None:
                raise MethodNotFound()
            if type(entry) is MethodEntry:
                if entry.concurrent and spawn is not None and session.writer is not None:
                    await spawn(_Detached(self, entry, method, params, rid, has_id, session).run)
                    return None
                result = await self.run_method(entry, method, params, session)
                return self.result_payload(rid, result) if has_id else None
            if not has_id:
                return None  # pub-sub calls need an id to be answered; a notification is ignored
            if type(entry) is SubscriptionEntry:
                sub_id = self._subscribe(entry, method, params, session, pending)
                return orjson.dumps({"jsonrpc": "2.0", "id": rid, "result": sub_id})
            if type(entry) is UnsubscribeEntry:
                ok = self._unsubscribe(entry, params, session)
                return orjson.dumps({"jsonrpc": "2.0", "id": rid, "result": ok})
            raise MethodNotFound()
        except RpcError as exc:
            return _error(rid, exc) if has_id else None
        except orjson.JSONEncodeError:
            log.exception("result of %s is not JSON-serialisable", method)
            return _error(rid, InternalError()) if has_id else None

    def result_payload(self, rid: Any, result: Any) -> bytes:
        """Serialise a success response; OversizedResponse when it exceeds the response limit."""
        payload = orjson.dumps({"jsonrpc": "2.0", "id": rid, "result": result})
        if len(payload) > self.config.max_response_size:
            raise OversizedResponse(self.config.max_response_size)
        return payload

    async def run_method(self, entry: MethodEntry, method: str, params: Params, session: Session) -> Any:
        """Run a plain method handler with the unsafe check, stats and exception mapping."""
        if entry.unsafe and session.deny_unsafe:
            raise UnsafeRpcError()
        stats = self.registry.stats
        start = self.registry.timer()
        try:
            result = await entry.handler(params, session.context(method))
        except RpcError:
            stats.record(method, self.registry.timer() - start, False)
            raise
        except Exception as exc:
            stats.record(method, self.registry.timer() - start, False)
            log.exception("RPC handler %s failed", method)
            raise InternalError() from exc
        stats.record(method, self.registry.timer() - start, True)
        return result

    def _subscribe(self, entry: SubscriptionEntry, method: str, params: Params, session: Session,
                   pending: list[PendingProducer]) -> str:
        if session.subs is None or session.writer is None:
            raise InternalError("subscriptions are only available over WebSocket")
        if entry.unsafe and session.deny_unsafe:
            raise UnsafeRpcError()
        prepared = None
        if entry.validate is not None:
            try:
                prepared = entry.validate(params)
            except RpcError:
                raise
            except Exception as exc:
                log.exception("subscription validator of %s failed", method)
                raise InternalError() from exc
        sub_id, scope = session.subs.open(entry.subscribe)
        self.registry.stats.record(method, 0.0, True)
        sink = SubscriptionSink(sub_id, entry.notification, session.context(method), session.writer,
                                self.config.max_response_size, prepared)
        pending.append(PendingProducer(entry, params, sink, scope))
        return sub_id

    def _unsubscribe(self, entry: UnsubscribeEntry, params: Params, session: Session) -> bool:
        values = list(params.values()) if isinstance(params, dict) else params
        if len(values) != 1 or type(values[0]) not in (str, int):
            raise InvalidParams("expected one parameter: the subscription id")
        if session.subs is None or type(values[0]) is not str:
            return False  # jsonrpsee also parses numeric ids, then finds no such subscription
        return session.subs.close(values[0], entry.subscription.subscribe)

    def start_producers(self, session: Session, pending: list[PendingProducer]) -> None:
        """Start the producers of subscriptions whose responses have been queued (WebSocket only)."""
        if session.nursery is None or session.subs is None:
            return
        for item in pending:
            session.nursery.start_soon(run_producer, item.entry, item.params, item.sink, item.scope,
                                       session.subs)


@dataclass(slots=True)
class _Detached:
    """A call of a `concurrent=True` method running in its own task; it sends its own response."""

    dispatcher: Dispatcher
    entry: MethodEntry
    method: str
    params: Params
    rid: Any
    has_id: bool
    session: Session

    async def run(self) -> None:
        """Run the method and queue its response (or error) on the connection."""
        try:
            result = await self.dispatcher.run_method(self.entry, self.method, self.params, self.session)
            payload = self.dispatcher.result_payload(self.rid, result)
        except RpcError as exc:
            payload = _error(self.rid, exc)
        except orjson.JSONEncodeError:
            log.exception("result of %s is not JSON-serialisable", self.method)
            payload = _error(self.rid, InternalError())
        if self.has_id and self.session.writer is not None:
            await self.session.writer.send_message(payload)


def deny_unsafe_for(config: ServerConfig, host: str) -> bool:
    """Whether unsafe methods are refused: "auto" refuses them unless `host` is a loopback address."""
    if config.rpc_methods == "auto":
        return host not in _LOOPBACK
    return config.rpc_methods == "safe"


class _Listener:
    """Accepts connections, enforces the connection limit and routes each to HTTP or WebSocket."""

    def __init__(self, registry: Registry, config: ServerConfig, deny_unsafe: bool) -> None:
        self.dispatcher = Dispatcher(registry, config)
        self.config = config
        self.stats = registry.stats
        self.deny_unsafe = deny_unsafe
        self._next_id = 0

    async def handle(self, stream: trio.SocketStream) -> None:
        """Serve one TCP connection until it closes; never lets an exception escape to the server."""
        self._next_id += 1
        conn_id = self._next_id
        peer = _peer_name(stream)
        if self.stats.connections_open >= self.config.max_connections:
            self.stats.connections_refused += 1
            try:
                await http.refuse(stream, 503, b"too many connections")
            except Exception:  # a refused client going away is of no interest
                log.debug("refusing connection %d failed", conn_id, exc_info=True)
            finally:
                with trio.CancelScope(shield=True):
                    await stream.aclose()
            return
        self.stats.connections_opened += 1
        self.stats.connections_open += 1
        try:
            upgrade = await http.serve_http(stream, self.dispatcher, self._session_factory(conn_id, peer))
            if upgrade is not None:
                session = self._session_factory(conn_id, peer)("ws")
                await websocket.serve_websocket(stream, upgrade, self.dispatcher, session)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            log.debug("connection %d from %s dropped", conn_id, peer)
        except Exception:
            log.exception("connection %d from %s failed", conn_id, peer)
        finally:
            self.stats.connections_open -= 1
            with trio.CancelScope(shield=True):
                await stream.aclose()

    def _session_factory(self, conn_id: int, peer: str) -> Callable[[Transport], Session]:
        def make(transport: Transport) -> Session:
            return Session(conn_id, transport, peer, self.deny_unsafe)

        return make


def _peer_name(stream: trio.SocketStream) -> str:
    try:
        addr = stream.socket.getpeername()
    except OSError:
        return "?"
    return f"{addr[0]}:{addr[1]}" if isinstance(addr, tuple) else str(addr)


async def serve(registry: Registry, host: str, port: int, config: ServerConfig | None = None, *,
                task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED) -> None:
    """Serve JSON-RPC (HTTP POST and WebSocket) on `host:port` until cancelled.

    Calls `task_status.started(actual_port)` once listening (port 0 picks an ephemeral port). Every
    connection runs in this function's nursery; a failing connection is logged and never stops the server.
    """
    config = config or ServerConfig()
    listeners = await trio.open_tcp_listeners(port, host=host)
    actual_port = listeners[0].socket.getsockname()[1]
    listener = _Listener(registry, config, deny_unsafe_for(config, host))
    async with trio.open_nursery() as nursery:
        task_status.started(actual_port)
        await trio.serve_listeners(listener.handle, listeners, handler_nursery=nursery)
