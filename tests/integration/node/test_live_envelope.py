"""Bad input at the JSON-RPC envelope and transport level, against one running instant-seal node.

Proves: malformed JSON → -32700, non-2.0 requests → -32600, unknown methods → -32601 "Method not found",
wrong params for every param-taking chain/state/author/system/payment/engine method → -32602 (never an
internal error), oversize and binary frames close only the offending connection, and a 10,000-request
batch is answered (or refused) without stalling other clients.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any

import pytest
import websocket
from live_node import LiveNode

BAD_HASH_SHORT = "0x12"
BAD_HASH_LONG = "0x" + "00" * 33
NOT_HEX = "0xzz"
ODD_HEX = "0x123"
KEY = "0x26aa394eea5630e07c48ae0c9558cef7"  # System.Number prefix would do; any hex key


def test_malformed_json_is_parse_error(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    for payload in ('{"jsonrpc":"2.0","id":1,', "not json", "{'single': 'quotes'}", "\x00\x01"):
        rpc.ws.send(payload)
        msg = rpc.recv_json()
        assert msg == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
    assert rpc.call("system_chain") == "Development"


@pytest.mark.parametrize("request_obj", [
    {"id": 1, "method": "system_chain"},  # no jsonrpc member
    {"jsonrpc": "1.0", "id": 1, "method": "system_chain"},
    {"jsonrpc": "2.0", "id": 1, "method": 5},
    {"jsonrpc": "2.0", "id": 1},
    [],  # empty batch
    5,
    "system_chain",
])
def test_not_jsonrpc_2_is_invalid_request(instant_node: LiveNode, request_obj: Any) -> None:
    rpc = instant_node.rpc()
    rpc.ws.send(json.dumps(request_obj))
    msg = rpc.recv_json()
    assert msg["error"]["code"] == -32600, msg
    assert msg["error"]["message"] == "Invalid request"


def test_unknown_method_exact_message(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    for method in ("chain_noSuchMethod", "", "system_Chain", "rpc_methods "):
        err = rpc.error(method)
        assert err == {"code": -32601, "message": "Method not found"}


def test_params_not_array_or_object(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    rpc.ws.send(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "chain_getHeader", "params": "0x00"}))
    msg = rpc.recv_json()
    assert msg["id"] == 7
    assert msg["error"]["code"] == -32602


# (method, params) pairs that must be refused with -32602 Invalid params.
BAD_PARAMS: list[tuple[str, list[Any]]] = [
    ("chain_getBlockHash", ["zz"]),
    ("chain_getBlockHash", [True]),
    ("chain_getBlockHash", [-1]),
    ("chain_getBlockHash", [2**32]),
    ("chain_getBlockHash", [{"n": 1}]),
    ("chain_getBlockHash", [[0, "zz"]]),
    ("chain_getBlockHash", [1.5]),
    ("chain_getHead", ["0xzz"]),
    ("chain_getHeader", [BAD_HASH_SHORT]),
    ("chain_getHeader", [BAD_HASH_LONG]),
    ("chain_getHeader", [NOT_HEX]),
    ("chain_getHeader", [5]),
    ("chain_getHeader", [None, None]),
    ("chain_getBlock", [BAD_HASH_SHORT]),
    ("chain_getBlock", [ODD_HEX]),
    ("chain_getBlock", [[]]),
    ("state_getStorage", [5]),
    ("state_getStorage", [NOT_HEX]),
    ("state_getStorage", [KEY, BAD_HASH_SHORT]),
    ("state_getStorage", [KEY, 7]),
    ("state_getStorage", []),
    ("state_getStorageAt", [ODD_HEX]),
    ("state_getStorageHash", [NOT_HEX]),
    ("state_getStorageSize", [KEY, BAD_HASH_LONG]),
    ("state_getKeysPaged", ["0x", 1001]),
    ("state_getKeysPaged", ["0x", -1]),
    ("state_getKeysPaged", ["0x", "10"]),
    ("state_getKeysPaged", ["0x", None]),
    ("state_getKeysPaged", ["0x", 10, NOT_HEX]),
    ("state_getKeysPaged", [5, 10]),
    ("state_getKeysPaged", ["0x", 10, None, BAD_HASH_SHORT]),
    ("state_getKeys", [5]),
    ("state_getPairs", [NOT_HEX]),
    ("state_queryStorageAt", [KEY]),
    ("state_queryStorageAt", [[NOT_HEX]]),
    ("state_queryStorageAt", [[5]]),
    ("state_queryStorageAt", [[KEY], BAD_HASH_SHORT]),
    ("state_queryStorage", [[KEY]]),
    ("state_queryStorage", [[5], "0x" + "00" * 32]),
    ("state_queryStorage", [[KEY], BAD_HASH_SHORT]),
    ("state_call", [5, "0x"]),
    ("state_call", ["Core_version", NOT_HEX]),
    ("state_call", ["Core_version", 5]),
    ("state_call", ["Core_version", "0x", BAD_HASH_SHORT]),
    ("state_getMetadata", [BAD_HASH_SHORT]),
    ("state_getRuntimeVersion", [NOT_HEX]),
    ("state_getReadProof", [KEY]),
    ("state_getReadProof", [[NOT_HEX]]),
    ("state_subscribeStorage", [KEY]),
    ("state_subscribeStorage", [[NOT_HEX]]),
    ("state_subscribeStorage", [[5]]),
    ("chain_subscribeNewHeads", [1]),
    ("chain_subscribeFinalizedHeads", ["x"]),
    ("state_subscribeRuntimeVersion", [1]),
    ("chain_unsubscribeNewHeads", []),
    ("author_submitExtrinsic", [5]),
    ("author_submitExtrinsic", [NOT_HEX]),
    ("author_submitExtrinsic", []),
    ("author_submitAndWatchExtrinsic", [ODD_HEX]),
    ("author_submitAndWatchExtrinsic", [None]),
    ("author_removeExtrinsic", ["x"]),
    ("author_removeExtrinsic", [[5]]),
    ("author_removeExtrinsic", [[{"hash": NOT_HEX}]]),
    ("author_insertKey", ["aura", "//Alice", NOT_HEX]),
    ("author_hasKey", [5, "aura"]),
    ("author_hasSessionKeys", [NOT_HEX]),
    ("system_accountNextIndex", [5]),
    ("system_accountNextIndex", ["not-an-address"]),
    ("system_accountNextIndex", ["0x1234"]),
    ("system_accountNextIndex", [[]]),
    ("account_nextIndex", []),
    ("system_dryRun", [NOT_HEX]),
    ("system_dryRun", [5]),
    ("payment_queryInfo", [NOT_HEX]),
    ("payment_queryInfo", [5]),
    ("payment_queryFeeDetails", [ODD_HEX]),
    ("engine_createBlock", ["yes", True]),
    ("engine_createBlock", [True, True, BAD_HASH_SHORT]),
    ("engine_finalizeBlock", [BAD_HASH_SHORT]),
    ("engine_finalizeBlock", [None]),
]


@pytest.mark.parametrize(("method", "params"), BAD_PARAMS, ids=[f"{m}-{i}" for i, (m, _) in enumerate(BAD_PARAMS)])
def test_bad_params_are_invalid_params(instant_node: LiveNode, method: str, params: list[Any]) -> None:
    rpc = instant_node.rpc()
    err = rpc.error(method, params)
    assert err["code"] == -32602, (method, params, err)
    assert err["message"] == "Invalid params"


# Odd but well-formed params thrown at every registered method: none may end in an internal error.
ODD_PARAMS: list[Any] = [
    [None], [0], [-1], [True], [""], ["0x"], ["0x00"], [[]], [{}], ["0x" + "00" * 32], [[None]],
    [["0x00"], None], ["0x" + "ff" * 40], [2**70], ["aura", "//Alice", "0x" + "00" * 32],
    [[{"hash": None}]], [[{"extrinsic": "0x00"}]], [None, None, None, None], ["0x", 0],
    ["0x", 1000, "0x" + "00" * 32], {"x": 1}, [[[[[]]]]], ["\u0000"],
]
NOT_SWEPT = {"engine_createBlock"}  # builds blocks; its params are covered by BAD_PARAMS


def test_no_method_fails_internally_on_odd_params(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    methods = [m for m in rpc.call("rpc_methods")["methods"] if m not in NOT_SWEPT]
    assert len(methods) > 60
    internal = []
    for method in methods:
        for params in ODD_PARAMS:
            msg = rpc.raw(method, params)
            if "error" in msg and msg["error"]["code"] == -32603:
                internal.append((method, params))
    assert internal == []
    assert rpc.call("state_getStorage", [""]) is None  # the empty key holds nothing
    assert rpc.error("state_getStorage", ["", "0x" + "00" * 32])["code"] == 4003  # unknown block
    assert instant_node.alive()
    assert "Traceback" not in instant_node.log_path.read_text(errors="replace")


def test_named_params_with_wrong_types(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc()
    assert rpc.error("chain_getHeader", {"hash": 5})["code"] == -32602
    assert rpc.error("state_getStorage", {"key": NOT_HEX})["code"] == -32602


def _raw_ws(node: LiveNode) -> websocket.WebSocket:
    return websocket.create_connection(node.url, timeout=20, skip_utf8_validation=True)


def test_oversize_frame_closes_that_connection_only(instant_node: LiveNode) -> None:
    bystander = instant_node.rpc()
    ws = _raw_ws(instant_node)
    body = '{"jsonrpc":"2.0","id":1,"method":"system_chain","params":["' + "a" * (15 * 1024 * 1024) + '"]}'
    try:
        ws.send(body)
        opcode, data = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(data[:2], "big") == 1009
    except (OSError, websocket.WebSocketConnectionClosedException):
        pass  # the node may close while we are still writing: refused either way
    finally:
        ws.close()
    assert bystander.call("system_chain") == "Development"
    assert instant_node.call("system_name") == "phala-node"


def test_oversize_http_body_refused(instant_node: LiveNode) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", instant_node.port, timeout=20)
    body = b'{"jsonrpc":"2.0","id":1,"method":"system_chain","params":["' + b"a" * (15 * 1024 * 1024 + 1) + b'"]}'
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        status = conn.getresponse().status
        assert status == 413
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        conn.close()
    assert instant_node.call("system_chain") == "Development"


def test_binary_frame_refused(instant_node: LiveNode) -> None:
    ws = _raw_ws(instant_node)
    try:
        ws.send_binary(b'{"jsonrpc":"2.0","id":1,"method":"system_chain","params":[]}')
        opcode, data = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(data[:2], "big") == 1003
    finally:
        ws.close()
    assert instant_node.call("system_chain") == "Development"


def test_batch_of_10000(instant_node: LiveNode) -> None:
    rpc = instant_node.rpc(timeout=60)
    bystander = instant_node.rpc()
    batch: list[dict[str, Any]] = [{"jsonrpc": "2.0", "id": i, "method": "chain_getHeader" if i % 2 else "system_chain", "params": []}
             for i in range(10_000)]
    started = time.perf_counter()
    rpc.ws.send(json.dumps(batch))
    during = time.perf_counter()
    assert bystander.call("system_name") == "phala-node"
    bystander_latency = time.perf_counter() - during
    reply = rpc.recv_json()
    elapsed = time.perf_counter() - started
    print(f"\n[batch] 10,000 requests answered in {elapsed * 1000:.0f} ms; "
          f"a concurrent call took {bystander_latency * 1000:.0f} ms")
    if isinstance(reply, dict):  # refused as a whole: must be a clean JSON-RPC error
        assert reply["error"]["code"] in (-32010, -32008), reply
    else:
        assert len(reply) == 10_000
        assert sorted(r["id"] for r in reply) == list(range(10_000))
        assert all("result" in r for r in reply)
        assert {r["result"] for r in reply if r["id"] % 2 == 0} == {"Development"}
    assert elapsed < 30
    assert rpc.call("system_chain") == "Development"


def test_garbage_before_upgrade_does_not_hurt(instant_node: LiveNode) -> None:
    with socket.create_connection(("127.0.0.1", instant_node.port), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00garbage that is not HTTP\r\n\r\n")
        sock.settimeout(5)
        try:
            sock.recv(4096)
        except (TimeoutError, ConnectionResetError):
            pass
    assert instant_node.call("system_chain") == "Development"
