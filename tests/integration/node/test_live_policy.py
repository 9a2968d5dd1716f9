"""The unsafe-method policy of a live node: `--rpc-methods safe` and `--rpc-external` refuse unsafe calls.

Proves: with `--rpc-methods safe` (and by default with `--rpc-external`) every unsafe method and
subscription answers Substrate's -32601 "RPC call is unsafe to be called externally" while safe methods
keep working; `--rpc-external --rpc-methods unsafe` and a plain local node allow them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_node import LiveNode, running
from live_tx import account_key

UNSAFE_CALLS = [
    ("author_rotateKeys", []),
    ("author_insertKey", ["aura", "//Alice", "0x" + "00" * 32]),
    ("author_hasKey", ["0x" + "00" * 32, "aura"]),
    ("state_getKeys", ["0x"]),
    ("state_getPairs", ["0x26aa394eea5630e07c48ae0c9558cef7"]),
    ("system_peers", []),
    ("engine_createBlock", [True, True]),
    ("author_removeExtrinsic", [[]]),
]
UNSAFE = {"code": -32601, "message": "RPC call is unsafe to be called externally"}


def _assert_refused(node: LiveNode) -> None:
    rpc = node.rpc()
    for method, params in UNSAFE_CALLS:
        assert rpc.error(method, params) == UNSAFE, method
    assert rpc.call("system_chain") == "Development"
    assert rpc.call("state_getStorage", [account_key("Alice")]) is not None


@pytest.mark.parametrize("flags", [["--rpc-methods", "safe"], ["--rpc-external"]],
                         ids=["rpc-methods-safe", "rpc-external"])
def test_unsafe_methods_refused(node_log_dir: Path, flags: list[str]) -> None:
    with running(node_log_dir, flags) as node:
        _assert_refused(node)


def test_unsafe_allowed_when_asked(node_log_dir: Path) -> None:
    with running(node_log_dir, ["--rpc-external", "--rpc-methods", "unsafe"]) as node:
        rpc = node.rpc()
        assert rpc.call("system_peers") == []
        assert isinstance(rpc.call("state_getKeys", ["0x26aa394eea5630e07c48ae0c9558cef7"]), list)
