"""The HTTP side of the RPC port: JSON-RPC over POST, CORS, preflight, /health, and WebSocket upgrade detection.

Every connection starts here (h11). A `GET` carrying `Upgrade: websocket` is handed back to the server as
an `UpgradeRequest`, together with any bytes already read past the request head, so `websocket.py` can
take the connection over. Everything else is answered here, keep-alive included.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import h11
import orjson
import trio

from node.rpc.errors import OversizedRequest

if TYPE_CHECKING:
    from node.rpc.registry import Transport
    from node.rpc.server import Dispatcher, PendingProducer, ServerConfig, Session

log = logging.getLogger("node.rpc.http")

_RECEIVE_SIZE = 65536
_MAX_HEAD_SIZE = 64 * 1024
_HEAD_TIMEOUT = 10.0
_JSON = (b"content-type", b"application/json; charset=utf-8")
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@dataclass(frozen=True, slots=True)
class UpgradeRequest:
    """A WebSocket upgrade request: its headers (lower-cased names) and the bytes read after the head."""

    headers: dict[bytes, bytes]
    trailing: bytes


async def _next_event(conn: h11.Connection, stream: trio.SocketStream) -> object:
    while True:
        event = conn.next_event()
        if event is not h11.NEED_DATA:
            return event
        data = await stream.receive_some(_RECEIVE_SIZE)
        conn.receive_data(data)


async def _send(conn: h11.Connection, stream: trio.SocketStream, status: int,
                headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
    all_headers = [*headers, (b"content-length", str(len(body)).encode())]
    out = conn.send(h11.Response(status_code=status, headers=all_headers))
    if body:
        out += conn.send(h11.Data(data=body))
    out += conn.send(h11.EndOfMessage())
    await stream.send_all(out)


async def refuse(stream: trio.SocketStream, status: int, reason: bytes) -> None:
    """Read one request head (bounded in time) and answer it with `status`, then let the caller close."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD_SIZE)
    with trio.move_on_after(_HEAD_TIMEOUT):
        event = await _next_event(conn, stream)
        if isinstance(event, h11.Request):
            await _send(conn, stream, status, [(b"connection", b"close"), (b"content-type", b"text/plain")],
                        reason)


def cors_headers(config: ServerConfig, origin: bytes | None) -> list[tuple[bytes, bytes]] | None:
    """Return the CORS response headers for a request from `origin`, or None when the origin is refused.

    "all" answers `*`; with an origin list, a listed origin is echoed (with `Vary: origin`); requests
    without an Origin header (non-browser clients) are always allowed.
    """
    if config.cors == "all":
        return [(b"access-control-allow-origin", b"*")]
    if origin is None:
        return []
    if origin.decode("latin-1") in config.cors:
        return [(b"access-control-allow-origin", origin), (b"vary", b"origin")]
    return None


def _is_websocket_upgrade(request: h11.Request, headers: dict[bytes, bytes]) -> bool:
    return (request.method == b"GET" and b"websocket" in headers.get(b"upgrade", b"").lower()
            and b"upgrade" in headers.get(b"connection", b"").lower())


async def serve_http(stream: trio.SocketStream, dispatcher: Dispatcher,
                     make_session: Callable[[Transport], Session]) -> UpgradeRequest | None:
    """Serve HTTP requests on `stream` until it closes; return an UpgradeRequest for a WebSocket handshake."""
    config = dispatcher.config
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD_SIZE)
    session: Session | None = None
    while True:
        try:
            with trio.move_on_after(config.http_idle_timeout):
                event = await _next_event(conn, stream)
            if conn.their_state is h11.IDLE:
                return None  # idle (or slow-loris) connection: free its slot
        except h11.RemoteProtocolError as exc:
            log.debug("bad HTTP request: %s", exc)
            if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                await _send(conn, stream, exc.error_status_hint, [(b"connection", b"close")])
            return None
        if isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
            return None
        if not isinstance(event, h11.Request):
            return None
        headers = {name.lower(): value for name, value in event.headers}
        cors = cors_headers(config, headers.get(b"origin"))
        if cors is None:
            await _send(conn, stream, 403, [(b"connection", b"close")], b"origin not allowed")
            return None
        if _is_websocket_upgrade(event, headers):
            while (end := await _next_event(conn, stream)) is not h11.PAUSED:
                if isinstance(end, h11.ConnectionClosed):
                    return None
            return UpgradeRequest(headers, conn.trailing_data[0])
        if event.method == b"POST":
            if session is None:
                session = make_session("http")
            keep = await _post(conn, stream, dispatcher, session, headers, cors)
        elif event.method == b"OPTIONS":
            await _send(conn, stream, 200, [*cors, (b"access-control-allow-methods", b"POST, OPTIONS"),
                                            (b"access-control-allow-headers", b"content-type")])
            keep = await _drain(conn, stream)
        elif event.method == b"GET" and event.target.split(b"?")[0] == b"/health":
            if session is None:
                session = make_session("http")
            await _health(conn, stream, dispatcher, session, cors)
            keep = await _drain(conn, stream)
        else:
            await _send(conn, stream, 405, [*cors, (b"allow", b"POST, OPTIONS")])
            keep = await _drain(conn, stream)
        if not keep or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
            return None
        conn.start_next_cycle()


async def _drain(conn: h11.Connection, stream: trio.SocketStream) -> bool:
    """Skip the rest of a request body we do not use; False when the connection cannot be reused."""
    while conn.their_state is h11.SEND_BODY:
        event = await _next_event(conn, stream)
        if isinstance(event, h11.ConnectionClosed):
            return False
    return True


async def _post(conn: h11.Connection, stream: trio.SocketStream, dispatcher: Dispatcher, session: Session,
                headers: dict[bytes, bytes], cors: list[tuple[bytes, bytes]]) -> bool:
    limit = dispatcher.config.max_request_size
    too_big = orjson.dumps({"jsonrpc": "2.0", "id": None, "error": OversizedRequest(limit).to_json()})
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        await _send(conn, stream, 413, [*cors, _JSON, (b"connection", b"close")], too_big)
        return False
    if conn.client_is_waiting_for_100_continue:  # curl sends `Expect: 100-continue` for bodies > 1 KiB
        await stream.send_all(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
    chunks: list[bytes] = []
    size = 0
    while True:
        event = await _next_event(conn, stream)
        if isinstance(event, h11.Data):
            size += len(event.data)
            if size > limit:
                await _send(conn, stream, 413, [*cors, _JSON, (b"connection", b"close")], too_big)
                return False
            chunks.append(bytes(event.data))
        elif isinstance(event, h11.EndOfMessage):
            break
        else:
            return False
    pending: list[PendingProducer] = []
    body = await dispatcher.handle(b"".join(chunks), session, pending)
    await _send(conn, stream, 200, [*cors, _JSON], body or b"")
    return True


async def _health(conn: h11.Connection, stream: trio.SocketStream, dispatcher: Dispatcher, session: Session,
                  cors: list[tuple[bytes, bytes]]) -> None:
    """GET /health: the result of `system_health` when registered (as Substrate's health endpoint), else 404."""
    if dispatcher.registry.lookup("system_health") is None:
        await _send(conn, stream, 404, cors)
        return
    request = b'{"jsonrpc":"2.0","id":0,"method":"system_health","params":[]}'
    response = orjson.loads(await dispatcher.handle(request, session, []) or b"{}")
    if "result" in response:
        await _send(conn, stream, 200, [*cors, _JSON], orjson.dumps(response["result"]))
    else:
        await _send(conn, stream, 500, [*cors, _JSON], orjson.dumps(response.get("error")))


def accept_key(key: bytes) -> bytes:
    """Return Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1(key.strip() + _GUID).digest())


def handshake_response(request: UpgradeRequest) -> bytes | None:
    """Return the 101 response for a valid RFC 6455 upgrade request, or None when it is invalid."""
    key = request.headers.get(b"sec-websocket-key")
    if key is None or request.headers.get(b"sec-websocket-version", b"").strip() != b"13":
        return None
    return (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept_key(key) + b"\r\n\r\n")
