"""HTTP POST JSON-RPC on the shared port: responses, CORS, preflight, limits, /health, WS origin checks."""

from __future__ import annotations

import orjson
import pytest
import trio
import websocket
from rpc_testkit import http_post, in_thread, sample_registry, start_server, ws_connect

from node.rpc import CallContext, Params, ServerConfig

pytestmark = pytest.mark.timeout(60)

CALL = b'{"jsonrpc":"2.0","id":"h1","method":"test_echo","params":[1,2]}'


async def test_post_json_rpc_with_cors_all(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    status, headers, body = await in_thread(
        http_post, server.port, CALL, {"Content-Type": "application/json", "Origin": "https://x.example"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert headers["content-type"].startswith("application/json")
    assert orjson.loads(body) == {"jsonrpc": "2.0", "id": "h1", "result": [1, 2]}


async def test_post_batch_parse_error_and_ctx(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    batch = b'[{"jsonrpc":"2.0","id":1,"method":"test_ctx"},{"jsonrpc":"2.0","id":2,"method":"nope"}]'
    _, _, body = await in_thread(http_post, server.port, batch)
    reply = orjson.loads(body)
    assert reply[0]["result"] == {"transport": "http", "method": "test_ctx", "deny_unsafe": False}
    assert reply[1]["error"] == {"code": -32601, "message": "Method not found"}
    _, _, body = await in_thread(http_post, server.port, b"{oops")
    assert orjson.loads(body)["error"]["code"] == -32700


async def test_cors_origin_list(nursery: trio.Nursery) -> None:
    config = ServerConfig(cors=("https://polkadot.js.org",))
    server = await start_server(nursery, config)
    status, headers, _ = await in_thread(http_post, server.port, CALL, {"Origin": "https://polkadot.js.org"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "https://polkadot.js.org"
    status, headers, _ = await in_thread(http_post, server.port, CALL, {"Origin": "https://evil.example"})
    assert status == 403
    assert "access-control-allow-origin" not in headers
    status, headers, body = await in_thread(http_post, server.port, CALL)  # no Origin: not a browser
    assert status == 200
    assert orjson.loads(body)["result"] == [1, 2]

    def ws_from(origin: str) -> str:
        try:
            ws = ws_connect(server.ws_url, origin=origin)
        except websocket.WebSocketBadStatusException as exc:
            return f"refused {exc.status_code}"
        ws.close()
        return "accepted"

    assert await in_thread(ws_from, "https://polkadot.js.org") == "accepted"
    assert await in_thread(ws_from, "https://evil.example") == "refused 403"


async def test_ws_not_rejected_by_origin_when_cors_all(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> object:
        ws = ws_connect(server.ws_url, origin="https://anything.example")
        ws.send('{"jsonrpc":"2.0","id":1,"method":"test_null"}')
        reply = orjson.loads(ws.recv())
        ws.close()
        return reply

    assert await in_thread(client) == {"jsonrpc": "2.0", "id": 1, "result": None}


async def test_options_preflight(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    status, headers, _ = await in_thread(
        http_post, server.port, b"",
        {"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
         "Access-Control-Request-Headers": "content-type"}, "OPTIONS")
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()


async def test_oversized_post_is_refused(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_request_size=100))
    body = b'{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["' + b"a" * 200 + b'"]}'
    status, _, reply = await in_thread(http_post, server.port, body)
    assert status == 413
    assert orjson.loads(reply)["error"]["code"] == -32007


async def test_subscription_over_http_is_an_error(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    call = b'{"jsonrpc":"2.0","id":1,"method":"test_subscribeTicks","params":[1]}'
    _, _, body = await in_thread(http_post, server.port, call)
    assert orjson.loads(body)["error"]["code"] == -32603


async def test_health_and_other_gets(nursery: trio.Nursery) -> None:
    reg = sample_registry()
    server = await start_server(nursery, registry=reg)
    status, _, _ = await in_thread(http_post, server.port, b"", None, "GET", "/health")
    assert status == 404  # no system_health registered

    @reg.method("system_health")
    async def health(params: Params, ctx: CallContext) -> object:
        return {"peers": 0, "isSyncing": False, "shouldHavePeers": False}

    status, _, body = await in_thread(http_post, server.port, b"", None, "GET", "/health")
    assert status == 200
    assert orjson.loads(body) == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}
    status, _, _ = await in_thread(http_post, server.port, b"", None, "GET", "/")
    assert status == 405


async def test_keep_alive_serves_several_requests(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    request = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
               + str(len(CALL)).encode() + b"\r\n\r\n" + CALL)
    await stream.send_all(request * 2)
    data = b""
    with trio.fail_after(10):
        while data.count(b'"result":[1,2]') < 2:
            chunk = await stream.receive_some(65536)
            assert chunk, "server closed a keep-alive connection"
            data += chunk
    assert data.count(b"HTTP/1.1 200") == 2
    await stream.aclose()
