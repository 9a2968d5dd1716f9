"""How PhalaPhatContracts reaches PhalaRegistry and PhalaMq: one place for the cross-pallet contract.

The registry owns `Workers`, `ClusterKeys` and `ContractKeys`; the message queue owns
`OutboundMessages` and the router. This module calls their public helpers when the assembled runtime
has them (`PhalaRegistry.worker(pk)`, `set_cluster_key`/`set_contract_key`,
`PhalaMq.push_bound_message(sender, topic, payload)`) and otherwise falls back to the storage layout
Phala uses (`ClusterKeys`/`ContractKeys`: Twox64Concat(H256) → sr25519 public, 32 raw bytes), so the
keys land where `api.query.phalaRegistry.contractKeys` reads them either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runtime.primitives.hashing import twox_64, twox_128

if TYPE_CHECKING:
    from runtime.support.runtime import RuntimeInstance

REGISTRY = "PhalaRegistry"
MQ = "PhalaMq"


def _pallet(rt: RuntimeInstance, name: str) -> Any:
    """The view of pallet `name`, or None when the runtime does not include it."""
    return getattr(rt, name) if name in rt.runtime.by_name else None


def registry_worker(rt: RuntimeInstance, pubkey: bytes) -> dict[str, Any] | None:
    """The registry's WorkerInfo value for `pubkey`, or None (no registry, or not registered)."""
    registry = _pallet(rt, REGISTRY)
    if registry is None:
        return None
    if hasattr(registry, "worker"):
        info: dict[str, Any] | None = registry.worker(pubkey)
        return info
    workers = getattr(registry, "Workers", None)
    return None if workers is None else workers.get(pubkey)  # type: ignore[no-any-return]


def registry_key_storage_key(item: bytes, key: bytes) -> bytes:
    """`twox_128(b"PhalaRegistry") ++ twox_128(item) ++ twox_64(key) ++ key` (Twox64Concat over H256)."""
    return twox_128(REGISTRY.encode()) + twox_128(item) + twox_64(bytes(key)) + bytes(key)


def set_registry_key(rt: RuntimeInstance, item: str, key: bytes, pubkey: bytes) -> None:
    """Write `ClusterKeys[key]` or `ContractKeys[key]` = pubkey, through the registry when it offers a setter."""
    registry = _pallet(rt, REGISTRY)
    setter = {"ClusterKeys": "set_cluster_key", "ContractKeys": "set_contract_key"}[item]
    if registry is not None and hasattr(registry, setter):
        getattr(registry, setter)(key, pubkey)
        return
    rt.storage.set(registry_key_storage_key(item.encode(), key), bytes(pubkey))


def registry_key(rt: RuntimeInstance, item: str, key: bytes) -> bytes | None:
    """Read `ClusterKeys[key]` / `ContractKeys[key]` by the registry's storage layout."""
    return rt.storage.get(registry_key_storage_key(item.encode(), key))


def push(rt: RuntimeInstance, sender: Any, topic: bytes, payload: bytes) -> None:
    """Dispatch a message through PhalaMq (router + OutboundMessages) from `sender` (a MessageOrigin value)."""
    rt.PhalaMq.push_bound_message(sender, topic, payload)
