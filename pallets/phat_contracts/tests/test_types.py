"""Id derivations and payload encodings against Phala's own test vectors and hand-built bytes."""

from __future__ import annotations

import hashlib

import pytest

from pallets.phat_contracts.handlers import origin_parts, topic_bytes
from pallets.phat_contracts.messages import (
    BatchDispatchClusterKeyEvent,
    ClusterOperation,
    ClusterRegistryEvent,
    CommandPayload,
    ContractRegistryEvent,
    WorkerClusterReport,
    plain_ink_message,
)
from pallets.phat_contracts.pallet import PhalaPhatContracts
from pallets.phat_contracts.types import (
    ClusterInfo,
    ClusterPermission,
    cluster_account,
    cluster_id,
    code_hash_of,
    command_topic,
    contract_id,
    permits,
)
from pallets.phat_tokenomic import PhalaPhatTokenomic


def test_contract_id_matches_phala_types_vector() -> None:
    # crates/phala-types/src/contract.rs test_codecs
    assert contract_id(bytes([1] * 32), bytes([1, 2, 3]), bytes([1] * 32), bytes([1, 2, 3])).hex() == (
        "29a773373d12f21a9407333f6e1c9db09aed5c03d21e91060c2f34ac2b86ecb4")


def test_command_topic_matches_phala_types_vector() -> None:
    assert command_topic(bytes([1] * 32)) == b"phala/contract/" + b"01" * 32 + b"/command"


def test_cluster_id_and_account() -> None:
    assert cluster_id(1) == bytes(31) + b"\x01"
    assert cluster_id(258) == bytes(30) + b"\x01\x02"
    expected = hashlib.blake2b(b"cluster:" + cluster_id(1), digest_size=32).digest()
    assert cluster_account(cluster_id(1)) == expected


def test_plain_ink_message_bytes() -> None:
    raw = plain_ink_message(b"\xaa\xbb")
    assert raw == bytes([0, 0, 0, 8, 0xAA, 0xBB]) + bytes(16) + b"\xff" * 8 + b"\x00"
    assert CommandPayload.decode(raw)[0] == "Plain"


def test_message_encodings_are_positional_scale() -> None:
    c, k = b"\x11" * 32, b"\x22" * 32
    assert ClusterRegistryEvent.encode(("PubkeyAvailable", {"cluster": c, "pubkey": k})) == b"\x00" + c + k
    assert ContractRegistryEvent.encode(("PubkeyAvailable", {"contract": c, "pubkey": k, "deployer": c})) == (
        b"\x00" + c + k + c)
    assert WorkerClusterReport.encode(("ClusterDeploymentFailed", {"id": c})) == b"\x01" + c
    assert ClusterOperation.encode(("DestroyCluster", c)) == b"\x01" + c
    assert ClusterOperation.encode(("Deposit", {"cluster_id": c, "account": k, "amount": 5})) == (
        b"\x03" + c + k + b"\x05" + bytes(15))
    dispatch = {"secret_keys": ((k, {"ecdh_pubkey": k, "encrypted_key": b"\x01", "iv": bytes(12)}),),
                "cluster": c, "owner": k, "deposit": 0, "gas_price": 0, "deposit_per_item": 0,
                "deposit_per_byte": 0, "treasury_account": k}
    assert ClusterOperation.decode(ClusterOperation.encode(("DispatchKeys", dispatch))) == ("DispatchKeys", dispatch)
    assert BatchDispatchClusterKeyEvent.encode(dispatch)[:1] == b"\x04"  # one map entry


def test_cluster_info_and_permission() -> None:
    owner = b"\x33" * 32
    info = {"owner": owner, "permission": ("OnlyOwner", owner), "system_contract": b"\x44" * 32,
            "gas_price": 1, "deposit_per_item": 2, "deposit_per_byte": 3}
    raw = ClusterInfo.encode(info)
    assert raw[32:33] == b"\x01"
    assert len(raw) == 32 + 33 + 32 + 48
    assert ClusterPermission.encode("Public") == b"\x00"
    assert permits(info, owner)
    assert not permits(info, b"\x00" * 32)
    assert permits({"permission": "Public"}, b"\x00" * 32)


def test_helpers_reject_or_normalise_values() -> None:
    with pytest.raises(ValueError, match="CodeIndex"):
        code_hash_of(("Other", b""))
    assert origin_parts("Gatekeeper") == ("Gatekeeper", None)
    assert topic_bytes({"0": b"x"}) == b"x"
    assert topic_bytes((b"y",)) == b"y"


def test_declarations_match_phala_indices_and_names() -> None:
    spec = PhalaPhatContracts.spec
    assert [(c.index, c.name) for c in spec.calls] == list(enumerate([
        "add_cluster", "cluster_upload_resource", "transfer_to_cluster", "push_contract_message",
        "instantiate_contract", "cluster_destroy", "set_pink_system_code", "set_pink_runtime_version",
        "add_worker_to_cluster", "remove_worker_from_cluster", "cleanup_removed_workers"]))
    assert [e.name for e in spec.events][:11] == [
        "ClusterCreated", "ClusterPubkeyAvailable", "ClusterDeployed", "ClusterDeploymentFailed", "Instantiating",
        "ContractPubkeyAvailable", "Instantiated", "ClusterDestroyed", "Transfered", "WorkerAddedToCluster",
        "WorkerRemovedFromCluster"]
    assert [e.__name__ for e in spec.errors] == [
        "CodeNotFound", "ClusterNotFound", "ClusterNotDeployed", "ClusterPermissionDenied", "DuplicatedContract",
        "DuplicatedDeployment", "NoWorkerSpecified", "InvalidSender", "WorkerNotFound", "PayloadTooLarge",
        "NoPinkSystemCode", "ContractNotFound", "WorkerIsBusy"]
    assert spec.call_type is not None
    assert "::".join(spec.call_type.path) == "phala_pallets::phat::pallet::Call"
    tok = PhalaPhatTokenomic.spec
    assert [(c.index, c.name) for c in tok.calls] == [(0, "adjust_stake"), (1, "set_min_stake")]
    assert [s.name for s in tok.storage] == ["ContractUserStakes", "ContractTotalStakes", "MinStake"]
    assert [h.name for h in tok.storage[0].hashers] == ["Twox64Concat", "Twox64Concat"]  # type: ignore[attr-defined]
