"""How PhalaPhatContracts reaches PhalaRegistry and PhalaMq: one place for the cross-pallet contract.

The registry owns `Workers`, `ClusterKeys` and `ContractKeys` (Twox64Concat(H256) → sr25519 public,
as in Phala); we only go through its helpers `worker(pk)`, `set_cluster_key`, `set_contract_key`.
The message queue owns `OffchainIngress`, `OutboundMessages` and the router; we call
`push_bound_message(sender, topic, payload)` (Phala's `push_message_to`) and read `offchain_ingress`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from runtime.support.runtime import RuntimeInstance


def registry_worker(rt: RuntimeInstance, pubkey: bytes) -> dict[str, Any] | None:
    """The registry's WorkerInfoV2 value for `pubkey`, or None when it is not registered."""
    info: dict[str, Any] | None = rt.PhalaRegistry.worker(pubkey)
    return info


def set_registry_key(rt: RuntimeInstance, item: str, key: bytes, pubkey: bytes) -> None:
    """Write `ClusterKeys[key]` (item "ClusterKeys") or `ContractKeys[key]` (item "ContractKeys") = pubkey."""
    registry = rt.PhalaRegistry
    if item == "ClusterKeys":
        registry.set_cluster_key(bytes(key), bytes(pubkey))
    elif item == "ContractKeys":
        registry.set_contract_key(bytes(key), bytes(pubkey))
    else:
        raise ValueError(f"unknown registry key item {item!r}")


def ingress_sequence(rt: RuntimeInstance, sender: Any) -> int | None:
    """The sequence of the message `sender` just got accepted with: `OffchainIngress[sender] - 1`.

    PhalaMq increments the ingress counter before it routes the message, so inside a handler this is
    the sequence of the message being handled. None when the sender never passed the ingress check.
    """
    expected = int(rt.PhalaMq.offchain_ingress(sender))
    return expected - 1 if expected > 0 else None


def push(rt: RuntimeInstance, sender: Any, topic: bytes, payload: bytes) -> None:
    """Dispatch a message through PhalaMq (router + OutboundMessages) from `sender` (a MessageOrigin value)."""
    rt.PhalaMq.push_bound_message(sender, topic, payload)
