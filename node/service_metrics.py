"""Keeps the Prometheus series up to date: block heights, pool size, RPC calls and their latency by method."""

from __future__ import annotations

from typing import Any

import trio

from node.metrics import NodeMetrics


class ServiceMetrics:
    """Block heights on import, pool size and RPC call counts/latency synced once a second."""

    def __init__(self, chain_id: str, node_name: str, version: str) -> None:
        self.metrics = NodeMetrics.create(chain_id, node_name, version)
        self.registry = self.metrics.registry
        self.blocks_built = self.registry.counter("phala_blocks_authored_total", "Blocks built by this node")

    def on_block(self, result: Any, elapsed: float) -> None:
        """A block was built and imported."""
        self.blocks_built.inc()
        self.metrics.block_height.set(result.imported.header.number, status="best")

    def observe_rpc(self, method: str, seconds: float) -> None:
        """One finished RPC call: count it and put its latency in the histogram."""
        self.metrics.rpc_calls_total.inc(1, method=method)
        self.metrics.rpc_calls_time.observe(seconds, method=method)

    async def run(self, client: Any, pool: Any, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """Sync the chain and pool gauges every second."""
        task_status.started()
        while True:
            self.metrics.block_height.set(client.best_number(), status="best")
            self.metrics.block_height.set(client.finalized_number(), status="finalized")
            self.metrics.ready_transactions.set(pool.ready_count())
            await trio.sleep(1)
