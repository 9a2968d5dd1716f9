"""PhalaPhatContracts message handlers, driven through PhalaMq.sync_offchain_message with real signatures."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.phat_contracts.handlers import MessageCodecError
from pallets.phat_contracts.messages import (
    TOPIC_CONTRACT_RESULT,
    TOPIC_REGISTRY_CLUSTER,
    TOPIC_REGISTRY_CONTRACT,
    TOPIC_WORKER_REPORT,
    ClusterRegistryEvent,
    ContractRegistryEvent,
    WorkerClusterReport,
)
from pallets.phat_contracts.pallet import PhalaPhatContracts as P
from pallets.phat_contracts.types import contract_id
from runtime.primitives.hashing import blake2_256
from runtime.support import DispatchError
from runtime.support.testing import TestExt

from .mock import BOB, MASTER, WORKERS, add_cluster, call, events, key, new_ext, outbound, state, sync

PC = "PhalaPhatContracts"
CLUSTER_KEY = key(20)
CONTRACT_KEY = key(21)
CODE_HASH = blake2_256(b"code")


def cluster_pubkey(cluster: bytes, pubkey: bytes) -> bytes:
    return ClusterRegistryEvent.encode(("PubkeyAvailable", {"cluster": cluster, "pubkey": pubkey}))


def contract_pubkey(contract: bytes, pubkey: bytes, deployer: bytes) -> bytes:
    return ContractRegistryEvent.encode(("PubkeyAvailable", {"contract": contract, "pubkey": pubkey,
                                                             "deployer": deployer}))


def deployed_cluster(ext: TestExt) -> bytes:
    """A cluster whose key the gatekeeper has published."""
    cluster = add_cluster(ext)
    sync(ext, MASTER, ("Gatekeeper", None), TOPIC_REGISTRY_CLUSTER, cluster_pubkey(cluster, CLUSTER_KEY.public))
    return cluster


def live_contract(ext: TestExt) -> tuple[bytes, bytes]:
    """(cluster, contract) with the contract instantiated by Bob and its key on chain."""
    cluster = deployed_cluster(ext)
    call(ext, BOB, PC, "instantiate_contract", code_index=("WasmCode", CODE_HASH), data=b"", salt=b"",
         cluster_id=cluster, transfer=0, gas_limit=1, storage_deposit_limit=None, deposit=0)
    contract = contract_id(BOB, CODE_HASH, cluster, b"")
    sync(ext, CLUSTER_KEY, ("Cluster", cluster), TOPIC_REGISTRY_CONTRACT,
         contract_pubkey(contract, CONTRACT_KEY.public, BOB))
    return cluster, contract


def test_cluster_pubkey_from_gatekeeper_is_recorded() -> None:
    ext = new_ext()
    cluster = deployed_cluster(ext)
    assert ext.rt.PhalaRegistry.cluster_key(cluster) == CLUSTER_KEY.public
    assert events(ext, PC)[-1] == ("ClusterPubkeyAvailable", {"cluster": cluster, "pubkey": CLUSTER_KEY.public})
    # The gatekeeper may overwrite it.
    sync(ext, MASTER, ("Gatekeeper", None), TOPIC_REGISTRY_CLUSTER, cluster_pubkey(cluster, key(30).public))
    assert ext.rt.PhalaRegistry.cluster_key(cluster) == key(30).public


def test_contract_pubkey_from_cluster_makes_the_contract_live() -> None:
    ext = new_ext()
    cluster, contract = live_contract(ext)
    p = ext.rt.PhalaPhatContracts
    assert ext.rt.PhalaRegistry.contract_key(contract) == CONTRACT_KEY.public
    assert p.ClusterContracts.get(cluster) == (contract,)
    assert p.Contracts.get(contract) == {"deployer": BOB, "cluster": cluster}
    assert events(ext, PC)[-2:] == [
        ("ContractPubkeyAvailable", {"contract": contract, "cluster": cluster, "pubkey": CONTRACT_KEY.public}),
        ("Instantiated", {"contract": contract, "cluster": cluster, "deployer": BOB})]


def test_contract_made_by_a_contract_is_registered_with_its_deployer() -> None:
    ext = new_ext()
    cluster, parent = live_contract(ext)
    child = b"\xcc" * 32
    sync(ext, CLUSTER_KEY, ("Cluster", cluster), TOPIC_REGISTRY_CONTRACT, contract_pubkey(child, key(22).public,
                                                                                          parent))
    p = ext.rt.PhalaPhatContracts
    assert p.Contracts.get(child) == {"deployer": parent, "cluster": cluster}
    assert p.ClusterContracts.get(cluster) == (parent, child)


def test_worker_reports_become_events() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    worker = key(0)
    sync(ext, worker, ("Worker", worker.public), TOPIC_WORKER_REPORT,
         WorkerClusterReport.encode(("ClusterDeployed", {"id": cluster, "pubkey": CLUSTER_KEY.public})))
    sync(ext, worker, ("Worker", worker.public), TOPIC_WORKER_REPORT,
         WorkerClusterReport.encode(("ClusterDeploymentFailed", {"id": cluster})))
    assert events(ext, PC)[-2:] == [
        ("ClusterDeployed", {"cluster": cluster, "pubkey": CLUSTER_KEY.public, "worker": WORKERS[0]}),
        ("ClusterDeploymentFailed", {"cluster": cluster, "worker": WORKERS[0]})]
    assert [m["destination"] for m in outbound(ext)][-2:] == [TOPIC_WORKER_REPORT] * 2  # off-chain topic


def msg(sender: Any, topic: bytes, payload: bytes, **extra: Any) -> dict[str, Any]:
    return {"sender": sender, "destination": topic, "payload": payload, **extra}


@pytest.mark.parametrize(("topic", "sender", "payload"), [
    (TOPIC_REGISTRY_CLUSTER, ("Worker", WORKERS[0]), cluster_pubkey(b"\x01" * 32, b"\x02" * 32)),
    (TOPIC_REGISTRY_CONTRACT, ("Gatekeeper", None), contract_pubkey(b"\x01" * 32, b"\x02" * 32, b"\x03" * 32)),
    (TOPIC_WORKER_REPORT, ("Cluster", b"\x01" * 32), WorkerClusterReport.encode(("ClusterDeploymentFailed",
                                                                                 {"id": b"\x01" * 32}))),
    (TOPIC_CONTRACT_RESULT, ("Worker", WORKERS[0]), b"result"),
])
def test_wrong_sender_is_invalid_sender_and_changes_nothing(topic: bytes, sender: Any, payload: bytes) -> None:
    ext = new_ext()
    before = state(ext)
    with pytest.raises(P.Error.InvalidSender):
        ext.rt.PhalaPhatContracts.on_message(msg(sender, topic, payload))
    assert state(ext) == before
    assert events(ext) == []


@pytest.mark.parametrize(("topic", "sender"), [
    (TOPIC_REGISTRY_CLUSTER, ("Gatekeeper", None)),
    (TOPIC_REGISTRY_CONTRACT, ("Cluster", b"\x01" * 32)),
    (TOPIC_WORKER_REPORT, ("Worker", WORKERS[0])),
])
def test_malformed_payload_is_a_codec_error(topic: bytes, sender: Any) -> None:
    ext = new_ext()
    for payload in (b"", b"\x07", b"\x00" + b"\x01" * 80):
        with pytest.raises(MessageCodecError):
            ext.rt.PhalaPhatContracts.on_message(msg(sender, topic, payload))
    assert events(ext) == []


def test_router_swallows_handler_errors_like_phala() -> None:
    ext = new_ext()
    worker = key(0)
    sync(ext, worker, ("Worker", worker.public), TOPIC_REGISTRY_CLUSTER, cluster_pubkey(b"\x01" * 32, b"\x02" * 32))
    assert ext.rt.PhalaRegistry.cluster_key(b"\x01" * 32) is None
    assert events(ext, PC) == []
    assert ext.rt.PhalaMq.offchain_ingress(("Worker", worker.public)) == 1  # the message itself was accepted


def test_unknown_topic_is_ignored() -> None:
    ext = new_ext()
    ext.rt.PhalaPhatContracts.on_message(msg(("Worker", WORKERS[0]), b"^phala/other", b"\x00"))
    assert events(ext) == []


# -- contract results (our extension) ---------------------------------------------------------------


def test_contract_results_are_stored_by_ingress_sequence() -> None:
    ext = new_ext()
    _, contract = live_contract(ext)
    sender = ("Contract", contract)
    sync(ext, CONTRACT_KEY, sender, TOPIC_CONTRACT_RESULT, b"first")
    sync(ext, CONTRACT_KEY, sender, TOPIC_CONTRACT_RESULT, b"second")
    p = ext.rt.PhalaPhatContracts
    assert p.ContractResults.get(contract, 0) == b"first"
    assert p.ContractResults.get(contract, 1) == b"second"
    assert dict(p.ContractResults.iter(contract)) == {(contract, 0): b"first", (contract, 1): b"second"}
    assert events(ext, PC)[-2:] == [
        ("ContractResultPosted", {"contract": contract, "seq": 0, "topic": TOPIC_CONTRACT_RESULT}),
        ("ContractResultPosted", {"contract": contract, "seq": 1, "topic": TOPIC_CONTRACT_RESULT})]
    assert all(m["destination"] != TOPIC_CONTRACT_RESULT for m in outbound(ext))  # on-chain only topic


def test_contract_result_uses_an_explicit_sequence_when_given() -> None:
    ext = new_ext()
    _, contract = live_contract(ext)
    ext.rt.PhalaPhatContracts.on_message(msg(("Contract", contract), TOPIC_CONTRACT_RESULT, b"r", sequence=41))
    assert ext.rt.PhalaPhatContracts.ContractResults.get(contract, 41) == b"r"


def test_contract_result_errors() -> None:
    ext = new_ext()
    p = ext.rt.PhalaPhatContracts
    with pytest.raises(P.Error.ContractNotFound):
        p.on_message(msg(("Contract", b"\x09" * 32), TOPIC_CONTRACT_RESULT, b"r", sequence=0))
    _, contract = live_contract(ext)
    before = state(ext)
    with pytest.raises(DispatchError, match="MissingSequence"):  # never came through sync_offchain_message
        p.on_message(msg(("Contract", contract), TOPIC_CONTRACT_RESULT, b"r"))
    assert state(ext) == before
