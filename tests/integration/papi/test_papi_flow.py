"""polkadot-api (npm `polkadot-api` 2.2.2, pinned in tests/interop/papi) against an instant-sealing node.

Runs `tests/interop/papi/flow_papi.mjs`: PAPI's own client over `polkadot-api/ws`, whose middleware sends
a group natively only when `rpc_methods` lists it. Proves PAPI reads chain-spec data, finalized and best
blocks, the runtime from metadata, System.Account (single value and all entries), estimates a fee, and
sees a signed transfer from //Alice finalized with its events, using only new-spec methods on the wire.
Skipped when node/npm are missing; `npm ci` runs once per lockfile.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from live_node import LiveNode

PAPI_DIR = Path(__file__).resolve().parents[2] / "interop" / "papi"
STAMP = ".phala-papi-lock.json"


def _npm_ci() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not found on PATH: the polkadot-api flow cannot run")
    lock = (PAPI_DIR / "package-lock.json").read_text()
    stamp = PAPI_DIR / "node_modules" / STAMP
    if stamp.is_file() and stamp.read_text() == lock:
        return
    proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PAPI_DIR,
                          capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        pytest.fail(f"npm ci failed in {PAPI_DIR}:\n{proc.stderr[-3000:]}")
    stamp.write_text(lock)


def _run_flow(url: str) -> dict[str, Any]:
    proc = subprocess.run(["node", "flow_papi.mjs", url], cwd=PAPI_DIR, capture_output=True, text=True,
                          timeout=240, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        pytest.fail(f"flow_papi.mjs exited {proc.returncode}\nstdout: {proc.stdout[-4000:]}\n"
                    f"stderr: {proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def test_polkadot_api_reads_and_transfers(instant_node: LiveNode) -> None:
    _npm_ci()
    out = _run_flow(instant_node.url)
    assert out["ok"], out
    assert out["chainName"] == instant_node.call("system_chain")
    assert out["genesisHash"] == instant_node.call("chain_getBlockHash", [0])
    assert out["properties"] == instant_node.call("system_properties")
    version = instant_node.call("state_getRuntimeVersion")
    assert out["runtime"] == {"specName": version["specName"], "specVersion": version["specVersion"],
                              "txVersion": version["transactionVersion"]}
    assert out["ss58Prefix"] == 42
    assert out["entriesHaveAlice"]
    assert out["accountEntries"] >= 2
    assert int(out["estimatedFee"]) > 0
    assert out["txEvents"] == ["signed", "broadcasted", "txBestBlocksState", "finalized"]
    assert out["txOk"]
    assert out["txEventNames"][-1] == "System.ExtrinsicSuccess"
    assert "Balances.Transfer" in out["txEventNames"]
    assert int(out["bobDelta"]) == 10**12
    assert out["aliceAfter"]["nonce"] == out["aliceBefore"]["nonce"] + 1
    block = instant_node.call("chain_getBlock", [out["txBlock"]["hash"]])
    assert int(block["block"]["header"]["number"], 16) == out["txBlock"]["number"]
    sent = set(out["methodsSent"])
    assert {"chainHead_v1_follow", "chainHead_v1_call", "chainHead_v1_storage", "chainHead_v1_body",
            "chainHead_v1_header", "chainSpec_v1_genesisHash", "transaction_v1_broadcast"} <= sent
    legacy = {m for m in sent if m.split("_")[0] in ("chain", "state", "author", "system")}
    assert legacy == set(), f"PAPI fell back to legacy methods: {legacy}"
