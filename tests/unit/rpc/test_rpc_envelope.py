"""JSON-RPC 2.0 envelope over WebSocket: ids, results, errors, notifications, batches, rpc_methods, unsafe."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
import trio
import trio.lowlevel
import websocket
from rpc_testkit import in_thread, start_server, ws_call, ws_connect

from node.rpc import Registry, RegistryError, ServerConfig

pytestmark = pytest.mark.timeout(60)


def req(method: str, params: object = None, rid: object = 1) -> dict[str, object]:
    body: dict[str, object] = {"jsonrpc": "2.0", "id": rid, "method": method}
    if params is not None:
        body["params"] = params
    return body


async def test_ids_echoed_with_their_json_type(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> list[Any]:
        ws = ws_connect(server.ws_url)
        out: list[Any] = []
        for rid in (7, "aB17", "1-23", None, 0, 2**53 + 1):
            ws.send(orjson.dumps(req("test_null", [], rid)).decode())
            out.append(ws.recv())
        ws.close()
        return out

    raw = await in_thread(client)
    assert raw[0] == '{"jsonrpc":"2.0","id":7,"result":null}'
    assert raw[1] == '{"jsonrpc":"2.0","id":"aB17","result":null}'
    assert raw[2] == '{"jsonrpc":"2.0","id":"1-23","result":null}'
    assert raw[3] == '{"jsonrpc":"2.0","id":null,"result":null}'
    assert orjson.loads(raw[4])["id"] == 0
    assert orjson.loads(raw[5])["id"] == 2**53 + 1


async def test_errors_and_server_survives(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> list[object]:
        ws = ws_connect(server.ws_url)
        calls = [
            "{not json",
            "[1,",
            orjson.dumps(req("test_nope")).decode(),
            orjson.dumps(req("test_wantInt", ["x"], 3)).decode(),
            orjson.dumps(req("test_fail", [], 4)).decode(),
            orjson.dumps({"id": 5, "method": "test_null"}).decode(),
            orjson.dumps({"jsonrpc": "1.0", "id": 6, "method": "test_null"}).decode(),
            orjson.dumps({"jsonrpc": "2.0", "id": 8, "method": 12}).decode(),
            orjson.dumps({"jsonrpc": "2.0", "id": 1.5, "method": "test_null"}).decode(),
            orjson.dumps({"jsonrpc": "2.0", "id": [1], "method": "test_null"}).decode(),
            orjson.dumps(req("test_echo", 5, 9)).decode(),
            "42",
            "[]",
            orjson.dumps(req("test_wantInt", [41], 10)).decode(),
        ]
        out = [ws_call(ws, c) for c in calls]
        ws.close()
        return out

    r = await in_thread(client)
    assert r[0] == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
    assert r[1]["error"]["code"] == -32700
    assert r[2] == {"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}}
    assert r[3]["id"] == 3
    assert r[3]["error"]["code"] == -32602
    assert r[3]["error"]["message"] == "Invalid params"
    assert r[3]["error"]["data"] == "expected [int]"
    assert r[4] == {"jsonrpc": "2.0", "id": 4, "error": {"code": -32603, "message": "Internal error"}}
    invalid = {"code": -32600, "message": "Invalid request"}
    assert r[5] == {"jsonrpc": "2.0", "id": 5, "error": invalid}
    assert r[6] == {"jsonrpc": "2.0", "id": 6, "error": invalid}
    assert r[7] == {"jsonrpc": "2.0", "id": 8, "error": invalid}
    assert r[8] == {"jsonrpc": "2.0", "id": None, "error": invalid}
    assert r[9] == {"jsonrpc": "2.0", "id": None, "error": invalid}
    assert r[10]["id"] == 9
    assert r[10]["error"]["code"] == -32602
    assert r[11] == {"jsonrpc": "2.0", "id": None, "error": invalid}
    assert r[12] == {"jsonrpc": "2.0", "id": None, "error": invalid}  # empty batch
    assert r[13] == {"jsonrpc": "2.0", "id": 10, "result": 42}  # still serving after the failures
    assert server.registry.stats.methods["test_fail"].errors == 1
    assert server.registry.stats.methods["test_wantInt"].calls == 2


async def test_notifications_get_no_response(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> object:
        ws = ws_connect(server.ws_url)
        ws.send(orjson.dumps({"jsonrpc": "2.0", "method": "test_null"}).decode())
        ws.send(orjson.dumps({"jsonrpc": "2.0", "method": "test_nope"}).decode())
        ws.send(orjson.dumps([{"jsonrpc": "2.0", "method": "test_null"}]).decode())  # all-notification batch
        reply = ws_call(ws, req("test_echo", ["after"], "last"))
        ws.close()
        return reply

    assert await in_thread(client) == {"jsonrpc": "2.0", "id": "last", "result": ["after"]}
    assert server.registry.stats.methods["test_null"].calls == 2  # notifications are executed


async def test_batch_answers_each_request(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    batch = [req("test_echo", [1], 1), {"jsonrpc": "2.0", "method": "test_null"}, req("test_nope", [], "b"),
             5, req("test_wantInt", [1], None)]

    def client() -> object:
        ws = ws_connect(server.ws_url)
        reply = ws_call(ws, batch)
        ws.close()
        return reply

    reply = await in_thread(client)
    assert isinstance(reply, list)
    assert len(reply) == 4
    assert reply[0] == {"jsonrpc": "2.0", "id": 1, "result": [1]}
    assert reply[1] == {"jsonrpc": "2.0", "id": "b", "error": {"code": -32601, "message": "Method not found"}}
    assert reply[2] == {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Invalid request"}}
    assert reply[3] == {"jsonrpc": "2.0", "id": None, "result": 2}


async def test_batch_of_10000_is_answered_and_loop_stays_responsive(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)
    batch = [req("test_wantInt", [i], i) for i in range(10_000)]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await trio.lowlevel.checkpoint()

    def client() -> tuple[object, object]:
        ws = ws_connect(server.ws_url)
        reply = ws_call(ws, batch)
        after = ws_call(ws, req("test_null", [], "after"))
        ws.close()
        return reply, after

    nursery.start_soon(ticker)
    reply, after = await in_thread(client)
    assert isinstance(reply, list)
    assert len(reply) == 10_000
    assert sorted(r["result"] - r["id"] for r in reply) == [1] * 10_000
    assert after == {"jsonrpc": "2.0", "id": "after", "result": None}
    assert ticks > 100  # the batch yielded to other tasks while it ran


async def test_batch_limit_refuses_cleanly(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_batch_len=100))

    def client() -> tuple[object, object]:
        ws = ws_connect(server.ws_url)
        refused = ws_call(ws, [req("test_null", [], i) for i in range(101)])
        ok = ws_call(ws, [req("test_null", [], i) for i in range(100)])
        ws.close()
        return refused, ok

    refused, ok = await in_thread(client)
    assert refused["id"] is None
    assert refused["error"]["code"] == -32010
    assert isinstance(ok, list)
    assert len(ok) == 100


async def test_rpc_methods_lists_every_name(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> object:
        ws = ws_connect(server.ws_url)
        reply = ws_call(ws, req("rpc_methods", None, 1))
        ws.close()
        return reply

    result = (await in_thread(client))["result"]
    assert result["version"] == 1
    names = result["methods"]
    assert names == sorted(names)
    for name in ("rpc_methods", "test_echo", "test_echoAlias", "test_subscribeTicks", "test_subscribeTicksAlias",
                 "test_unsubscribeTicks", "test_unsubscribeTicksAlias", "test_unsafe"):
        assert name in names
    assert "test_tick" not in names  # notification names are not methods


@pytest.mark.parametrize(("mode", "refused"), [("safe", True), ("unsafe", False), ("auto", False)])
async def test_unsafe_methods(nursery: trio.Nursery, mode: str, refused: bool) -> None:
    server = await start_server(nursery, ServerConfig(rpc_methods=mode))  # type: ignore[arg-type]

    def client() -> tuple[object, object]:
        ws = ws_connect(server.ws_url)
        unsafe = ws_call(ws, req("test_unsafe", [], 1))
        ctx = ws_call(ws, req("test_ctx", [], 2))
        ws.close()
        return unsafe, ctx

    unsafe, ctx = await in_thread(client)
    if refused:
        assert unsafe == {"jsonrpc": "2.0", "id": 1,
                          "error": {"code": -32601, "message": "RPC call is unsafe to be called externally"}}
    else:
        assert unsafe == {"jsonrpc": "2.0", "id": 1, "result": "done"}
    assert ctx["result"] == {"transport": "ws", "method": "test_ctx", "deny_unsafe": refused}


def test_registry_refuses_duplicate_names() -> None:
    reg = Registry()

    async def handler(params: object, ctx: object) -> None:
        return None

    reg.add_method("a_b", handler, aliases=("a_c",))
    with pytest.raises(RegistryError, match="already registered"):
        reg.add_method("a_c", handler)
    with pytest.raises(RegistryError, match="already registered"):
        reg.add_method("rpc_methods", handler)
    with pytest.raises(RegistryError, match="duplicate"):
        reg.add_method("x_y", handler, aliases=("x_y",))


async def test_oversized_response_is_an_error(nursery: trio.Nursery) -> None:
    server = await start_server(nursery, ServerConfig(max_response_size=1000))

    def client() -> tuple[object, object]:
        ws = ws_connect(server.ws_url)
        big = ws_call(ws, req("test_big", [2000], 1))
        small = ws_call(ws, req("test_big", [10], 2))
        ws.close()
        return big, small

    big, small = await in_thread(client)
    assert big["id"] == 1
    assert big["error"]["code"] == -32008
    assert small == {"jsonrpc": "2.0", "id": 2, "result": "x" * 10}


async def test_websocket_client_sees_text_frames(nursery: trio.Nursery) -> None:
    server = await start_server(nursery)

    def client() -> int:
        ws = ws_connect(server.ws_url)
        ws.send(orjson.dumps(req("test_null")).decode())
        opcode, _ = ws.recv_data()
        ws.close()
        return int(opcode)

    assert await in_thread(client) == websocket.ABNF.OPCODE_TEXT
