"""The node's JSON-RPC 2.0 server: one port for HTTP POST and WebSocket, a method registry, subscriptions.

Generic: it knows nothing about the chain. Chain modules register handlers on a `Registry`; the node
runs `serve(registry, host, port, config)` in its nursery.
"""

from __future__ import annotations

from node.rpc.errors import (
    InternalError,
    InvalidParams,
    InvalidRequest,
    MethodNotFound,
    ParseError,
    RpcError,
    UnsafeRpcError,
)
from node.rpc.registry import CallContext, MethodStat, Params, Registry, RegistryError, RpcStats
from node.rpc.server import ServerConfig, serve
from node.rpc.subscriptions import SubscriptionSink

__all__ = [
    "CallContext",
    "InternalError",
    "InvalidParams",
    "InvalidRequest",
    "MethodNotFound",
    "MethodStat",
    "Params",
    "ParseError",
    "Registry",
    "RegistryError",
    "RpcError",
    "RpcStats",
    "ServerConfig",
    "SubscriptionSink",
    "UnsafeRpcError",
    "serve",
]
