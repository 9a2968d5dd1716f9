"""The node service: the only wiring code (the template's service.rs `new_full`).

Opens the database, builds the runtime and client, writes genesis, then starts every long-lived task
in one nursery, each signalling readiness through `nursery.start`: the RPC server, the Prometheus
endpoint, block authoring and the informant. Any task's failure cancels the node.
"""

from __future__ import annotations

import gc
import logging
import signal
from pathlib import Path
from typing import Any

import trio

from node.client.client import Client
from node.config import NodeConfig
from node.consensus.authoring import Author, SealParams
from node.db import ChainDB, db_path
from node.genesis_setup import ensure_genesis
from node.keystore import Keystore
from node.logging_setup import short_hash
from node.rpc import (
    api_author,
    api_chain,
    api_chainhead,
    api_chainspec,
    api_engine,
    api_payment,
    api_phala,
    api_state,
    api_system,
    api_transaction,
)
from node.rpc.context import RpcContext
from node.rpc.registry import Registry
from node.rpc.server import ServerConfig, serve
from node.service_metrics import ServiceMetrics
from node.txpool_service import PoolService
from runtime.assembly import Assembly, build_assembly
from runtime.primitives.keyring import keypair_from_uri

log = logging.getLogger("service")

VERSION = "0.1.0"


async def run_node(config: NodeConfig, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Run a node until cancelled; `task_status.started(rpc_port)` once it answers RPC."""
    spec = config.chain_spec
    assembly = config.assembly or build_assembly()
    database = db_path(Path(config.base_path), spec.id)
    ensure_genesis(spec, assembly, database)
    gc.collect()
    gc.freeze()  # the runtime, metadata and spec live as long as the node: keep them out of every collection
    db = ChainDB.open(database)
    try:
        await _run(config, assembly, db, task_status)
    finally:
        db.close()


async def _run(config: NodeConfig, assembly: Assembly, db: ChainDB, task_status: Any) -> None:
    spec = config.chain_spec
    client = Client(db, assembly)
    genesis = client.genesis_hash
    log.info("⛓  Native runtime: %s-%d (%s-%d.tx%d.au%d)", assembly.version.spec_name, assembly.version.spec_version,
             assembly.version.impl_name, assembly.version.impl_version, assembly.version.transaction_version,
             assembly.version.authoring_version)
    log.info("🔨 Initializing Genesis block/state (state: %s, header-hash: %s)",
             short_hash(client.header(genesis).state_root), short_hash(genesis))  # type: ignore[union-attr]
    pool = PoolService(client)
    metrics = ServiceMetrics(spec.id, config.name, VERSION)
    seal_key = keypair_from_uri(config.authority_key) if config.authority_key else None
    mode, interval = _sealing(config.sealing, assembly)
    author = Author(client, pool, SealParams(mode, interval, finalize=config.finalize_instantly, seal_key=seal_key),
                    on_imported=metrics.on_block)
    registry = Registry()
    ctx = RpcContext(client=client, chain_name=spec.name, chain_type=spec.chain_type,
                     properties=dict(spec.properties or {}), node_name=config.name, node_version=VERSION,
                     pool=pool, is_authority=seal_key is not None, keystore=Keystore(config.keystore_path))
    for module in (api_system, api_chain, api_state, api_payment, api_phala, api_chainspec, api_chainhead, api_transaction):
        module.register(registry, ctx)
    api_author.register(registry, ctx, pool)
    api_engine.register(registry, ctx, author)
    server_config = ServerConfig(max_connections=config.rpc_max_connections, cors=_cors(config.rpc_cors),
                                 rpc_methods=config.rpc_methods)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_stop_on_signal, nursery.cancel_scope)
        port = await nursery.start(serve, registry, config.rpc_host, config.rpc_port, server_config)
        log.info("Running JSON-RPC server: addr=%s:%d, allowed origins=%s", config.rpc_host, port, config.rpc_cors)
        if config.prometheus_port is not None:
            from node.metrics import serve_metrics
            host = "0.0.0.0" if config.prometheus_external else "127.0.0.1"
            await nursery.start(serve_metrics, metrics.registry, host, config.prometheus_port)
        registry.stats.observer = metrics.observe_rpc
        await nursery.start(metrics.run, client, pool)
        await nursery.start(author.run_finality)
        await nursery.start(author.run)
        await nursery.start(_informant, client, pool)
        task_status.started(port)


async def _stop_on_signal(scope: trio.CancelScope) -> None:
    """SIGTERM or SIGINT stops the node cleanly: every task is cancelled and the database closed."""
    with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for signum in signals:
            log.info("Received %s, shutting down", signal.Signals(signum).name)
            scope.cancel()
            return


def _sealing(value: Any, assembly: Assembly) -> tuple[str, int]:
    """(mode, interval ms) for the authoring loop.

    "aura" (a non-dev validator) seals one block per Aura slot on this node. There is no networking yet,
    so slots are not shared between authorities: each node authors every slot of its own chain.
    """
    if isinstance(value, int):
        return "interval", value
    if value in ("instant", "manual"):
        return str(value), 0
    aura = assembly.runtime.by_name["Aura"]
    return "interval", int(next(c.value for c in aura.spec.constants if c.name == "SlotDuration"))


def _cors(value: Any) -> Any:
    if value in (None, "all"):
        return "all"
    return tuple(value)


async def _informant(client: Client, pool: PoolService, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Substrate's periodic status line."""
    task_status.started()
    while True:
        await trio.sleep(5)
        log.info("💤 Idle (0 peers), best: #%d (%s), finalized #%d (%s), ⬇ 0 ⬆ 0, txpool: %d ready",
                 client.best_number(), short_hash(client.best_hash()), client.finalized_number(),
                 short_hash(client.finalized_hash()), pool.ready_count())
