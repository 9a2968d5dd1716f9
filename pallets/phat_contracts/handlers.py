"""Inbound message handlers of PhalaPhatContracts: what workers, gatekeepers, clusters and contracts report.

PhalaMq's router calls `on_message(message)` for every message whose destination is in
`MESSAGE_TOPICS` (after the signature and sequence checks of `sync_offchain_message`). Each handler
checks the sender's origin (`InvalidSender` otherwise), decodes the payload strictly
(`DispatchError("MessageCodecError")` otherwise, as Phala's `try_dispatch`) and applies it:

- `^phala/registry/cluster` (Gatekeeper): `ClusterKeys[cluster] = pubkey`, `ClusterPubkeyAvailable`.
- `^phala/registry/contract` (Cluster(id)): `ContractKeys[contract] = pubkey`, `ClusterContracts[id]`
  append, `Contracts` insert if missing; `ContractPubkeyAvailable` then `Instantiated`.
- `phala/cluster/worker/report` (Worker(pk)): `ClusterDeployed` / `ClusterDeploymentFailed` events.
- `^phala/contract/result` (Contract(id); our extension): `ContractResults[(id, seq)] = payload`,
  `ContractResultPosted{contract, seq, topic}`; `seq` is the message's ingress sequence (the
  message's "sequence" key when the router passes one, else `OffchainIngress[sender] - 1`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from runtime.scale import ScaleError, ScaleType
from runtime.support.errors import DispatchError

from .bridge import ingress_sequence, set_registry_key
from .messages import (
    TOPIC_CONTRACT_RESULT,
    TOPIC_REGISTRY_CLUSTER,
    TOPIC_REGISTRY_CONTRACT,
    TOPIC_WORKER_REPORT,
    ClusterRegistryEvent,
    ContractRegistryEvent,
    WorkerClusterReport,
)

if TYPE_CHECKING:
    from .pallet import PhalaPhatContracts


class MessageCodecError(DispatchError):
    """The payload does not decode as the topic's type (Phala: `DispatchError::Other("MessageCodecError")`)."""


def origin_parts(origin: Any) -> tuple[str, Any]:
    """(variant name, payload) of a MessageOrigin value given as `("Worker", pk)` or a bare `"Gatekeeper"`."""
    if isinstance(origin, str):
        return origin, None
    name, payload = origin
    return str(name), payload


def topic_bytes(destination: Any) -> bytes:
    """The raw path of a `Topic` value (bytes, or a one-field dict/tuple wrapper)."""
    if isinstance(destination, dict):
        destination = next(iter(destination.values()))
    elif isinstance(destination, tuple):
        destination = destination[0]
    return bytes(destination)


def decode_payload(ty: ScaleType[Any], payload: bytes) -> Any:
    """Strictly decode `payload`; MessageCodecError on any codec failure or trailing bytes."""
    try:
        return ty.decode(bytes(payload))
    except ScaleError as exc:
        raise MessageCodecError(f"MessageCodecError: {exc}") from None


class ContractsHandlers:
    """Mixin of the PhalaPhatContracts view: the router entry point and one method per topic."""

    MESSAGE_TOPICS: ClassVar[tuple[bytes, ...]] = (
        TOPIC_WORKER_REPORT, TOPIC_REGISTRY_CLUSTER, TOPIC_REGISTRY_CONTRACT, TOPIC_CONTRACT_RESULT,
    )

    @property
    def _p(self) -> PhalaPhatContracts:
        return cast("PhalaPhatContracts", self)

    def on_message(self, message: dict[str, Any]) -> None:
        """Route a decoded `Message` (plus an optional `sequence`) to the handler of its destination."""
        topic = topic_bytes(message["destination"])
        handler = {
            TOPIC_WORKER_REPORT: self.on_worker_cluster_message_received,
            TOPIC_REGISTRY_CLUSTER: self.on_cluster_message_received,
            TOPIC_REGISTRY_CONTRACT: self.on_contract_message_received,
            TOPIC_CONTRACT_RESULT: self.on_contract_result_received,
        }.get(topic)
        if handler is not None:
            handler(message)

    def on_cluster_message_received(self, message: dict[str, Any]) -> None:
        """`ClusterRegistryEvent::PubkeyAvailable` from the Gatekeeper: record the cluster's public key."""
        p = self._p
        if origin_parts(message["sender"])[0] != "Gatekeeper":
            raise p.Error.InvalidSender()
        _, fields = decode_payload(ClusterRegistryEvent, message["payload"])
        # The cluster key can be over-written with the latest value by Gatekeeper
        set_registry_key(p.rt, "ClusterKeys", fields["cluster"], fields["pubkey"])
        p.deposit_event(p.Event.ClusterPubkeyAvailable(cluster=fields["cluster"], pubkey=fields["pubkey"]))

    def on_contract_message_received(self, message: dict[str, Any]) -> None:
        """`ContractRegistryEvent::PubkeyAvailable` from Cluster(id): the contract is live."""
        p = self._p
        kind, cluster = origin_parts(message["sender"])
        if kind != "Cluster":
            raise p.Error.InvalidSender()
        cluster = bytes(cluster)
        _, fields = decode_payload(ContractRegistryEvent, message["payload"])
        contract, pubkey, deployer = fields["contract"], fields["pubkey"], fields["deployer"]
        set_registry_key(p.rt, "ContractKeys", contract, pubkey)
        p.deposit_event(p.Event.ContractPubkeyAvailable(contract=contract, cluster=cluster, pubkey=pubkey))
        p.ClusterContracts.mutate(cluster, lambda cs: (*cs, contract))
        if not p.Contracts.contains(contract):  # present when a user instantiated it; absent for contract-made ones
            p.Contracts.insert(contract, {"deployer": deployer, "cluster": cluster})
        p.deposit_event(p.Event.Instantiated(contract=contract, cluster=cluster, deployer=deployer))

    def on_worker_cluster_message_received(self, message: dict[str, Any]) -> None:
        """`WorkerClusterReport` from Worker(pk): announce a deployment's success or failure."""
        p = self._p
        kind, worker = origin_parts(message["sender"])
        if kind != "Worker":
            raise p.Error.InvalidSender()
        name, fields = decode_payload(WorkerClusterReport, message["payload"])
        if name == "ClusterDeployed":
            p.deposit_event(p.Event.ClusterDeployed(cluster=fields["id"], pubkey=fields["pubkey"],
                                                    worker=bytes(worker)))
        else:
            p.deposit_event(p.Event.ClusterDeploymentFailed(cluster=fields["id"], worker=bytes(worker)))

    def on_contract_result_received(self, message: dict[str, Any]) -> None:
        """Our extension: store a contract's posted result under (contract, ingress sequence)."""
        p = self._p
        kind, contract = origin_parts(message["sender"])
        if kind != "Contract":
            raise p.Error.InvalidSender()
        contract = bytes(contract)
        if not p.Contracts.contains(contract):
            raise p.Error.ContractNotFound()
        seq = message.get("sequence")
        if seq is None:
            seq = ingress_sequence(p.rt, message["sender"])
        if not isinstance(seq, int) or not 0 <= seq < 1 << 64:
            raise DispatchError("MissingSequence: contract results need the message's ingress sequence")
        payload = bytes(message["payload"])
        p.ContractResults.insert(contract, seq, payload)
        p.deposit_event(p.Event.ContractResultPosted(contract=contract, seq=seq,
                                                     topic=topic_bytes(message["destination"])))
