"""Keeps the Prometheus series up to date from the client, the pool and the RPC server's counters."""

from __future__ import annotations

from typing import Any

import trio

from node.metrics import NodeMetrics


class ServiceMetrics:
    """Block heights on import, pool size and RPC call counts/latency synced once a second."""

    def __init__(self, chain_id: str, node_name: str, version: str) -> None:
        self.metrics = NodeMetrics.create(chain_id, node_name, version)
        self.registry = self.metrics.registry
        self.rpc_seconds = self.registry.counter("substrate_rpc_calls_seconds_total",
                                                 "Cumulative time [s] spent processing RPC calls", ["method"])
        self.blocks_built = self.registry.counter("phala_blocks_authored_total", "Blocks built by this node")
        self._seen: dict[str, tuple[int, float]] = {}

    def on_block(self, result: Any, elapsed: float) -> None:
        """A block was built and imported."""
        self.blocks_built.inc()
        self.metrics.block_height.set(result.imported.header.number, status="best")

    async def run(self, client: Any, pool: Any, rpc_stats: Any, *,
                  task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """Sync gauges and counters every second."""
        task_status.started()
        while True:
            self.metrics.block_height.set(client.best_number(), status="best")
            self.metrics.block_height.set(client.finalized_number(), status="finalized")
            self.metrics.ready_transactions.set(pool.ready_count())
            for method, stat in rpc_stats.snapshot().items():
                calls, seconds = self._seen.get(method, (0, 0.0))
                if stat.calls > calls:
                    self.metrics.rpc_calls_total.inc(stat.calls - calls, method=method)
                    self.rpc_seconds.inc(stat.seconds - seconds, method=method)
                    self._seen[method] = (stat.calls, stat.seconds)
            await trio.sleep(1)
