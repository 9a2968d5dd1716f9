"""Prometheus exposition and HTTP endpoint; Substrate-style log lines and filters."""

from __future__ import annotations

import io
import logging
import re

import pytest
import trio

from node.logging_setup import (
    TRACE,
    LogFilterError,
    configure_logging,
    idle_line,
    imported_line,
    parse_log_filters,
    short_hash,
)
from node.metrics import MetricError, NodeMetrics, Registry, serve_metrics


def test_exposition_format() -> None:
    reg = Registry({"chain": "dev"})
    c = reg.counter("x_total", "Things", ["method"])
    g = reg.gauge("a_gauge", "A gauge")
    h = reg.histogram("t_seconds", "Timing", ["method"], buckets=(0.1, 1.0))
    c.inc(method="m1")
    c.inc(2, method="m1")
    g.set(-3)
    h.observe(0.05, method="q")
    h.observe(0.5, method="q")
    assert reg.expose() == (
        '# HELP a_gauge A gauge\n# TYPE a_gauge gauge\na_gauge{chain="dev"} -3\n'
        '# HELP t_seconds Timing\n# TYPE t_seconds histogram\n'
        't_seconds_bucket{chain="dev",method="q",le="0.1"} 1\n'
        't_seconds_bucket{chain="dev",method="q",le="1"} 2\n'
        't_seconds_bucket{chain="dev",method="q",le="+Inf"} 2\n'
        't_seconds_sum{chain="dev",method="q"} 0.55\n'
        't_seconds_count{chain="dev",method="q"} 2\n'
        '# HELP x_total Things\n# TYPE x_total counter\nx_total{chain="dev",method="m1"} 3\n'
    )
    with pytest.raises(MetricError):
        c.inc(-1, method="m1")
    with pytest.raises(MetricError):
        c.inc(method="m1", extra="x")
    with pytest.raises(MetricError):
        reg.gauge("a_gauge", "again")


def test_label_values_escaped() -> None:
    reg = Registry()
    reg.gauge("g", "help", ["v"]).set(1, v='a"b\\c\nd')
    assert 'g{v="a\\"b\\\\c\\nd"} 1' in reg.expose()


async def http_get(port: int, path: str) -> tuple[str, str]:
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    await stream.send_all(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    data = b""
    while chunk := await stream.receive_some(65536):
        data += chunk
    head, _, body = data.decode().partition("\r\n\r\n")
    return head, body


async def test_metrics_served_over_http() -> None:
    metrics = NodeMetrics.create("dev", "Alice", "0.1.0")
    metrics.block_height.set(12, status="best")
    metrics.block_height.set(10, status="finalized")
    metrics.ready_transactions.set(3)
    metrics.rpc_calls_total.inc(method="chain_getHeader")
    metrics.rpc_calls_time.observe(0.002, method="chain_getHeader")
    async with trio.open_nursery() as nursery:
        port = await nursery.start(serve_metrics, metrics.registry, "127.0.0.1", 0)
        head, body = await http_get(port, "/metrics")
        assert head.startswith("HTTP/1.1 200 OK")
        assert "Content-Type: text/plain; version=0.0.4" in head
        assert 'substrate_block_height{chain="dev",status="best"} 12\n' in body
        assert 'substrate_block_height{chain="dev",status="finalized"} 10\n' in body
        assert 'substrate_ready_transactions_number{chain="dev"} 3\n' in body
        assert 'substrate_rpc_calls_total{chain="dev",method="chain_getHeader"} 1\n' in body
        assert 'substrate_rpc_calls_time_count{chain="dev",method="chain_getHeader"} 1\n' in body
        assert 'substrate_build_info{chain="dev",name="Alice",version="0.1.0"} 1\n' in body
        head, body = await http_get(port, "/")
        assert head.startswith("HTTP/1.1 404")
        assert body == "Not found."
        nursery.cancel_scope.cancel()


def test_short_hash_and_informant_lines() -> None:
    h = bytes.fromhex("abcd") + bytes(28) + bytes.fromhex("1234")
    assert short_hash(h) == "0xabcd…1234"
    assert imported_line(12, bytes(32), h) == "🏆 Imported #12 (0x0000…0000 → 0xabcd…1234)"
    assert imported_line(3, h, h, is_new_best=False).startswith("🆕 Imported #3 ")
    assert idle_line(0, 5, h, 3, h) == ("💤 Idle (0 peers), best: #5 (0xabcd…1234), "
                                        "finalized #3 (0xabcd…1234), ⬇ 0 ⬆ 0")


def test_log_filters() -> None:
    assert parse_log_filters([]) == (logging.INFO, {})
    assert parse_log_filters(["error,sync=debug", "grandpa=warn"]) == (
        logging.ERROR, {"sync": logging.DEBUG, "grandpa": logging.WARNING})
    assert parse_log_filters(["trace"]) == (TRACE, {})
    assert parse_log_filters(["rpc"]) == (logging.INFO, {"rpc": TRACE})
    with pytest.raises(LogFilterError, match="unknown level 'loud'"):
        parse_log_filters(["rpc=loud"])


def test_log_line_format() -> None:
    stream = io.StringIO()
    handler = configure_logging(["info,phala-test-quiet=error"], stream=stream)
    try:
        logging.getLogger("substrate").info("🏆 Imported #1")
        logging.getLogger("phala-test-quiet").warning("hidden")
        line = stream.getvalue()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 🏆 Imported #1\n", line)
        configure_logging(["phala-test-detail=debug"], stream=stream)
        stream.truncate(0)
        stream.seek(0)
        logging.getLogger("phala-test-detail").debug("details")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} DEBUG \S+ phala-test-detail: details\n",
                            stream.getvalue())
    finally:
        logging.getLogger().removeHandler(handler)
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_phala_node_handler", False):
                logging.getLogger().removeHandler(h)
        logging.getLogger().setLevel(logging.WARNING)
        for name in ("phala-test-quiet", "phala-test-detail"):
            logging.getLogger(name).setLevel(logging.NOTSET)
