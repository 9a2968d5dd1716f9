"""WebSocket transport: frame rules, limits, subscriptions, slow clients, concurrency."""

from __future__ import annotations

import base64
import os
import socket
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest
import trio
import websocket
from rpc_testkit import Server, in_thread, sample_registry, start_server, ws_call, ws_connect

from node.rpc import CallContext, Params, ServerConfig
from node.rpc.http import accept_key

pytestmark = pytest.mark.timeout(60)


def recv_close_code(ws: websocket.WebSocket) -> int:
    """Read frames until the server's close frame; return its status code."""
    while True:
        opcode, frame = ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(frame.data[:2], "big")


async def wait_for(predicate: Callable[[], bool]) -> None:
    """Poll server-side counters (no event exists for them) for up to 10 s."""
    with trio.fail_after(10):
        while not predicate():  # noqa: ASYNC110
            await trio.sleep(0.01)


def sub(rid: int, count: int, method: str = "test_subscribeTicks") -> str:
    return orjson.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": [count]}).decode()


async def test_binary_frame_closes_with_unsupported_data(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> int:
        ws = ws_connect(server.ws_url)
        ws.send_binary(b'{"jsonrpc":"2.0","id":1,"method":"test_null"}')
        return recv_close_code(ws)

    assert await in_thread(client) == 1003
    assert (await in_thread(lambda: ws_call(ws_connect(server.ws_url), '{"jsonrpc":"2.0","id":1,'
                                            '"method":"test_null"}')))["result"] is None


async def test_oversized_message_closes_with_1009(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_request_size=1024))

    def client(size: int) -> object:
        ws = ws_connect(server.ws_url)
        ws.send('{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["' + "a" * size + '"]}')
        opcode, frame = ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(frame.data[:2], "big")
        ws.close()
        return orjson.loads(frame.data)

    assert await in_thread(client, 2000) == 1009
    assert (await in_thread(client, 900))["result"] == ["a" * 900]


async def test_default_limit_accepts_large_messages(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    size = 14 * 1024 * 1024

    def client() -> int:
        ws = ws_connect(server.ws_url)
        reply = ws_call(ws, '{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["' + "a" * size + '"]}')
        ws.close()
        return len(reply["result"][0])

    assert await in_thread(client) == size


async def test_fragmented_message_and_ping(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> tuple[object, bytes]:
        ws = ws_connect(server.ws_url)
        ws.ping(b"are you there")
        opcode, frame = ws.recv_data_frame(True)
        assert opcode == websocket.ABNF.OPCODE_PONG
        pong = frame.data
        text = '{"jsonrpc":"2.0","id":"frag","method":"test_echo","params":["héllo"]}'.encode()
        ws.send_frame(websocket.ABNF.create_frame(text[:10], websocket.ABNF.OPCODE_TEXT, fin=0))
        ws.ping(b"mid")  # control frames may interleave with fragments
        ws.send_frame(websocket.ABNF.create_frame(text[10:20], websocket.ABNF.OPCODE_CONT, fin=0))
        ws.send_frame(websocket.ABNF.create_frame(text[20:], websocket.ABNF.OPCODE_CONT, fin=1))
        while True:
            opcode, frame = ws.recv_data_frame(True)
            if opcode == websocket.ABNF.OPCODE_TEXT:
                break
        ws.close()
        return orjson.loads(frame.data), pong

    reply, pong = await in_thread(client)
    assert pong == b"are you there"
    assert reply == {"jsonrpc": "2.0", "id": "frag", "result": ["héllo"]}


async def test_unmasked_client_frame_is_a_protocol_error(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    key = base64.b64encode(os.urandom(16))
    await stream.send_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    data = b""
    with trio.fail_after(10):
        while b"\r\n\r\n" not in data:
            data += await stream.receive_some(4096)
        assert data.startswith(b"HTTP/1.1 101")
        assert b"Sec-WebSocket-Accept: " + accept_key(key) in data
        await stream.send_all(b"\x81\x02{}")  # text frame without a mask
        rest = data.split(b"\r\n\r\n", 1)[1]
        while len(rest) < 4:
            rest += await stream.receive_some(4096)
    assert rest[0] == 0x88
    assert int.from_bytes(rest[2:4], "big") == 1002
    await stream.aclose()


async def test_max_connections_refuses_with_503(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_connections=2))
    first = await in_thread(ws_connect, server.ws_url)
    second = await in_thread(ws_connect, server.ws_url)

    def third() -> str:
        try:
            ws = ws_connect(server.ws_url)
        except websocket.WebSocketBadStatusException as exc:
            return f"refused {exc.status_code}"
        ws.close()
        return "accepted"

    assert await in_thread(third) == "refused 503"
    assert server.registry.stats.connections_refused == 1
    await in_thread(first.close)
    await wait_for(lambda: server.registry.stats.connections_open == 1)
    assert await in_thread(third) == "accepted"
    await in_thread(second.close)


async def test_subscription_response_precedes_notifications(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> list[dict[str, object]]:
        ws = ws_connect(server.ws_url)
        for rid in range(50):  # pipelined: all subscribe calls before reading anything
            ws.send(sub(rid, 3))
        msgs = [orjson.loads(ws.recv()) for _ in range(50 * 4)]
        ws.close()
        return msgs

    msgs = await in_thread(client)
    seen: set[object] = set()
    ticks: dict[object, list[object]] = {}
    for msg in msgs:
        if "id" in msg:
            assert isinstance(msg["result"], str)
            assert len(msg["result"]) == 16
            seen.add(msg["result"])
        else:
            assert msg["method"] == "test_tick"
            params = msg["params"]
            assert isinstance(params, dict)
            assert params["subscription"] in seen, "notification before its subscribe response"
            ticks.setdefault(params["subscription"], []).append(params["result"])
    assert len(seen) == 50
    assert all(v == [0, 1, 2] for v in ticks.values())
    assert len(ticks) == 50
    await wait_for(lambda: server.registry.stats.subscriptions_open == 0)  # producers ended on their own


async def test_unsubscribe_and_aliases(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    stats = server.registry.stats

    def unsub(ws: websocket.WebSocket, method: str, params: object, rid: int = 9) -> object:
        return ws_call(ws, {"jsonrpc": "2.0", "id": rid, "method": method, "params": params})

    def client() -> list[object]:
        ws = ws_connect(server.ws_url)
        out: list[object] = []
        sid = ws_call(ws, sub(1, -1, "test_subscribeTicksAlias"))["result"]
        assert orjson.loads(ws.recv())["params"]["subscription"] == sid
        out.append(stats.subscriptions_open)
        out.append(unsub(ws, "test_unsubscribeFlood", [sid]))  # another kind: not found
        out.append(unsub(ws, "test_unsubscribeTicksAlias", [sid]))
        out.append(unsub(ws, "test_unsubscribeTicks", [sid]))
        out.append(unsub(ws, "test_unsubscribeTicks", [[5]]))
        out.append(unsub(ws, "test_unsubscribeTicks", [5]))
        out.append(ws_call(ws, sub(2, 1, "test_subscribeTicks")))
        assert orjson.loads(ws.recv())["params"]["result"] == 0
        out.append(ws_call(ws, {"jsonrpc": "2.0", "id": 3, "method": "test_subscribeTicks", "params": ["x"]}))
        ws.close()
        return out

    out = await in_thread(client)
    assert out[0] == 1
    assert out[1]["result"] is False
    assert out[2]["result"] is True
    assert out[3]["result"] is False
    assert out[4]["error"]["code"] == -32602
    assert out[5]["result"] is False
    assert isinstance(out[6]["result"], str)
    assert out[7]["error"]["code"] == -32602  # validator refused before any id was allocated
    await wait_for(lambda: stats.subscriptions_open == 0 and stats.connections_open == 0)


async def test_subscription_limit_and_close_cancels_all(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_subscriptions_per_connection=2))
    stats = server.registry.stats

    def client() -> list[Any]:
        ws = ws_connect(server.ws_url)
        replies: list[Any] = []
        for rid in range(3):
            ws.send(sub(rid, -1))
        while len(replies) < 3:
            msg = orjson.loads(ws.recv())
            if "id" in msg:
                replies.append(msg)
        return [replies, ws]

    replies, ws = await in_thread(client)
    errors = [r for r in replies if "error" in r]
    assert len(errors) == 1
    assert errors[0]["error"]["code"] == -32006
    assert stats.subscriptions_open == 2
    await in_thread(ws.close)
    await wait_for(lambda: stats.subscriptions_open == 0 and stats.connections_open == 0)


async def _raw_ws(port: int, rcvbuf: int) -> trio.SocketStream:
    sock = trio.socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    await sock.connect(("127.0.0.1", port))
    stream = trio.SocketStream(sock)
    await stream.send_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    return stream


def _masked(text: bytes) -> bytes:
    assert len(text) < 126
    return bytes((0x81, 0x80 | len(text))) + b"\0\0\0\0" + text  # zero mask: payload unchanged


async def test_non_reading_client_is_cut_off_others_carry_on(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(outbox_capacity=4, slow_client_timeout=0.5))
    stats = server.registry.stats
    slow = await _raw_ws(server.port, 4096)
    await slow.send_all(_masked(b'{"jsonrpc":"2.0","id":1,"method":"test_subscribeFlood"}'))

    def fast_client(n: int) -> int:
        ws = ws_connect(server.ws_url)
        ok = sum(ws_call(ws, {"jsonrpc": "2.0", "id": i, "method": "test_echo", "params": [i]})["result"] == [i]
                 for i in range(n))
        ws.close()
        return int(ok)

    assert await in_thread(fast_client, 200) == 200  # answered while the flood is stuck
    await wait_for(lambda: stats.connections_cut_slow == 1)
    await wait_for(lambda: stats.connections_open == 0 and stats.subscriptions_open == 0)
    assert await in_thread(fast_client, 20) == 20
    await slow.aclose()


async def test_concurrent_method_does_not_block_the_connection(nursery: trio.Nursery) -> None:
    reg = sample_registry()
    release = trio.Event()

    @reg.method("test_waitConcurrent", concurrent=True)
    async def wait_concurrent(params: Params, ctx: CallContext) -> object:
        await release.wait()
        return "released"

    server: Server = await start_server(nursery, registry=reg)
    token = trio.lowlevel.current_trio_token()

    def client() -> list[object]:
        ws = ws_connect(server.ws_url)
        ws.send('{"jsonrpc":"2.0","id":"slow","method":"test_waitConcurrent"}')
        first = ws_call(ws, '{"jsonrpc":"2.0","id":"fast","method":"test_null"}')
        trio.from_thread.run_sync(release.set, trio_token=token)
        second = orjson.loads(ws.recv())
        ws.close()
        return [first, second]

    first, second = await in_thread(client)
    assert first == {"jsonrpc": "2.0", "id": "fast", "result": None}
    assert second == {"jsonrpc": "2.0", "id": "slow", "result": "released"}
    assert server.registry.stats.methods["test_waitConcurrent"].calls == 1


async def test_silent_connection_is_pinged_then_closed(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(ping_interval=0.1, inactive_limit=0.35))
    stream = await _raw_ws(server.port, 65536)
    data = b""
    with trio.fail_after(10):
        while True:
            chunk = await stream.receive_some(4096)
            if not chunk:
                break
            data += chunk
    frames = data.split(b"\r\n\r\n", 1)[1]
    assert frames.startswith(b"\x89\x00")  # pings first
    assert b"\x88" in frames
    assert frames[frames.index(b"\x88") + 2:][:2] == (1000).to_bytes(2, "big")
    await wait_for(lambda: server.registry.stats.connections_open == 0)
    await stream.aclose()


async def test_client_answering_pings_stays_connected(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(ping_interval=0.05, inactive_limit=0.2))

    def client() -> object:
        ws = ws_connect(server.ws_url)
        ws.settimeout(0.05)
        end = time.monotonic() + 0.8
        while time.monotonic() < end:
            try:
                ws.recv()  # websocket-client answers pings inside recv
            except websocket.WebSocketTimeoutException:
                pass
        ws.settimeout(10)
        reply = ws_call(ws, '{"jsonrpc":"2.0","id":1,"method":"test_null"}')
        ws.close()
        return reply

    assert await in_thread(client) == {"jsonrpc": "2.0", "id": 1, "result": None}


async def test_idle_http_connection_is_closed(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(http_idle_timeout=0.2))
    stream = await trio.open_tcp_stream("127.0.0.1", server.port)
    with trio.fail_after(10):
        assert await stream.receive_some(100) == b""
    await wait_for(lambda: server.registry.stats.connections_open == 0)
    await stream.aclose()


async def test_batch_with_subscription_answers_before_notifications(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> list[Any]:
        ws = ws_connect(server.ws_url)
        ws.send(orjson.dumps([{"jsonrpc": "2.0", "id": 1, "method": "test_subscribeTicks", "params": [2]},
                              {"jsonrpc": "2.0", "id": 2, "method": "test_echo", "params": ["x"]}]).decode())
        msgs = [orjson.loads(ws.recv()) for _ in range(3)]
        ws.close()
        return msgs

    batch, tick0, tick1 = await in_thread(client)
    assert isinstance(batch, list)
    sid = next(r["result"] for r in batch if r["id"] == 1)
    assert {"jsonrpc": "2.0", "id": 2, "result": ["x"]} in batch
    assert tick0["params"] == {"subscription": sid, "result": 0}
    assert tick1["params"] == {"subscription": sid, "result": 1}
