"""Shared helpers for the RPC server tests: a sample registry, a server starter and thread-run clients."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import trio
import websocket  # websocket-client

from node.rpc import InvalidParams, Params, Registry, ServerConfig, SubscriptionSink, serve
from node.rpc.registry import CallContext


def sample_registry() -> Registry:
    """A registry with one handler per behaviour the tests need."""
    reg = Registry()

    @reg.method("test_echo", aliases=("test_echoAlias",))
    async def echo(params: Params, ctx: CallContext) -> Any:
        return params

    @reg.method("test_null")
    async def null(params: Params, ctx: CallContext) -> Any:
        return None

    @reg.method("test_ctx")
    async def context(params: Params, ctx: CallContext) -> Any:
        return {"transport": ctx.transport, "method": ctx.method, "deny_unsafe": ctx.deny_unsafe}

    @reg.method("test_fail")
    async def fail(params: Params, ctx: CallContext) -> Any:
        raise RuntimeError("handler bug")

    @reg.method("test_wantInt")
    async def want_int(params: Params, ctx: CallContext) -> Any:
        if not isinstance(params, list) or len(params) != 1 or type(params[0]) is not int:
            raise InvalidParams("expected [int]")
        return params[0] + 1

    @reg.method("test_unsafe", unsafe=True)
    async def unsafe(params: Params, ctx: CallContext) -> Any:
        return "done"

    @reg.method("test_big")
    async def big(params: Params, ctx: CallContext) -> Any:
        assert isinstance(params, list)
        return "x" * int(params[0])

    @reg.method("test_sleep")
    async def sleep(params: Params, ctx: CallContext) -> Any:
        assert isinstance(params, list)
        await trio.sleep(float(params[0]))
        return "slept"

    def validate_ticks(params: Params) -> None:
        if not isinstance(params, list) or len(params) != 1 or type(params[0]) is not int:
            raise InvalidParams("expected [count]")

    @reg.subscription(subscribe="test_subscribeTicks", aliases=("test_subscribeTicksAlias",),
                      notification="test_tick", unsubscribe="test_unsubscribeTicks",
                      unsubscribe_aliases=("test_unsubscribeTicksAlias",), validate=validate_ticks)
    async def ticks(params: Params, sink: SubscriptionSink) -> None:
        assert isinstance(params, list)
        count = params[0]
        for i in range(abs(count)):
            await sink.send(i)
        if count < 0:  # negative count: stay subscribed after the ticks
            await trio.sleep_forever()

    @reg.subscription(subscribe="test_subscribeFlood", notification="test_flood",
                      unsubscribe="test_unsubscribeFlood")
    async def flood(params: Params, sink: SubscriptionSink) -> None:
        blob = "f" * 65536
        while True:
            await sink.send(blob)

    return reg


@dataclass
class Server:
    """A running test server."""

    port: int
    registry: Registry

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


async def start_server(nursery: trio.Nursery, config: ServerConfig | None = None,
                       registry: Registry | None = None) -> Server:
    """Start `serve` on 127.0.0.1, port 0, in `nursery`."""
    registry = registry or sample_registry()
    port = await nursery.start(serve, registry, "127.0.0.1", 0, config or ServerConfig())
    return Server(port, registry)


async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Run blocking client code in a worker thread (abandoned on cancel so tests can't hang trio)."""
    return await trio.to_thread.run_sync(fn, *args, abandon_on_cancel=True)


def ws_connect(url: str, **kw: Any) -> websocket.WebSocket:
    """Open a websocket-client connection with a short timeout."""
    return websocket.create_connection(url, timeout=10, **kw)


def ws_call(ws: websocket.WebSocket, payload: Any) -> Any:
    """Send `payload` (JSON-encoded unless bytes/str) and return the decoded next message."""
    ws.send(payload if isinstance(payload, str) else orjson.dumps(payload).decode())
    return orjson.loads(ws.recv())


def http_post(port: int, body: bytes, headers: dict[str, str] | None = None,
              method: str = "POST", path: str = "/") -> tuple[int, dict[str, str], bytes]:
    """Minimal blocking HTTP/1.1 client returning (status, lower-cased headers, body)."""
    head = {"Host": "127.0.0.1", "Content-Length": str(len(body)), "Connection": "close"}
    head.update(headers or {})
    raw = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw.encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_raw, _, payload = data.partition(b"\r\n\r\n")
    lines = head_raw.decode().split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    return status, hdrs, payload
