"""The Prometheus endpoint of a live node: block heights, pool size, RPC calls and latency by method.

Proves: `GET /metrics` on `--prometheus-port` answers in the text format with Substrate's series
names, the best and finalized heights follow the chain, the ready-pool gauge exists, and every RPC
method called shows up in `substrate_rpc_calls_total` and the `substrate_rpc_calls_time` histogram.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from live_node import free_port, running, wait_for

pytestmark = pytest.mark.integration


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()


def _value(text: str, series: str) -> float | None:
    match = re.search(rf"^{re.escape(series)} ([0-9.e+-]+)$", text, re.MULTILINE)
    return None if match is None else float(match.group(1))


def test_metrics_follow_the_chain_and_rpc(tmp_path: Path) -> None:
    port = free_port()
    with running(tmp_path, ["--prometheus-port", str(port), "--sealing", "manual"]) as node:
        for _ in range(3):
            node.call("engine_createBlock", [True, True])
        node.call("system_chain")
        node.call("chain_getHeader")

        def scraped() -> str | None:
            text = _scrape(port)
            best = _value(text, 'substrate_block_height{chain="dev",status="best"}')
            final = _value(text, 'substrate_block_height{chain="dev",status="finalized"}')
            return text if best == final == 3 else None

        text = wait_for(scraped, 10, "best and finalized height 3 in /metrics")
        assert _value(text, 'substrate_ready_transactions_number{chain="dev"}') == 0
        assert _value(text, 'substrate_rpc_calls_total{chain="dev",method="system_chain"}') >= 1  # type: ignore[operator]
        assert _value(text, 'substrate_rpc_calls_total{chain="dev",method="engine_createBlock"}') == 3
        count = _value(text, 'substrate_rpc_calls_time_count{chain="dev",method="chain_getHeader"}')
        assert count is not None
        assert count >= 1
        assert 'substrate_rpc_calls_time_bucket{chain="dev",method="chain_getHeader",le="+Inf"}' in text
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nothing", timeout=10)
        assert missing.value.code == 404
