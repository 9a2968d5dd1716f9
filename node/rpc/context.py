"""What the chain RPC modules share: the client, the pool, the chain spec facts and node identity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from node.client.client import Client


@dataclass
class RpcContext:
    """Handles the RPC modules use; filled in by the service."""

    client: Client
    chain_name: str
    chain_type: Any  # "Development" | "Local" | "Live" | {"Custom": name}
    properties: dict[str, Any]
    node_name: str = "phala-node"
    node_version: str = "0.1.0"
    pool: Any = None
    keystore: Any = None
    is_authority: bool = False
    peer_count: Callable[[], int] = lambda: 0
    local_peer_id: str = ""
    listen_addresses: list[str] = field(default_factory=list)
    seal_block: Callable[[bool, bool, str | None], Awaitable[dict[str, Any]]] | None = None
    finalize_block: Callable[[bytes], Awaitable[bool]] | None = None
