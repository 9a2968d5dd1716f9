"""PhalaPhatContracts calls: every success path and every error path (named error, nothing changed)."""

from __future__ import annotations

import pytest

from pallets.phat_contracts.messages import (
    TOPIC_CLUSTER_EVENT,
    TOPIC_CLUSTER_KEY,
    TOPIC_CONTRACT_OP,
    ClusterEvent,
    ClusterOperation,
    ContractOperation,
)
from pallets.phat_contracts.pallet import PhalaPhatContracts as P
from pallets.phat_contracts.types import (
    INK_CODE_SIZE_LIMIT,
    REMOVED_CLUSTER,
    SIDEVM_CODE_SIZE_LIMIT,
    cluster_account,
    command_topic,
    contract_id,
)
from runtime.primitives.hashing import blake2_256
from runtime.support import ROOT, BadOrigin, TokenError

from .mock import (
    ALICE,
    BOB,
    CHARLIE,
    ED,
    ENDOWMENT,
    PHA,
    SYSTEM_CODE,
    WORKERS,
    add_cluster,
    call,
    events,
    fails,
    free,
    new_ext,
    outbound,
)

PC = "PhalaPhatContracts"
CODE_HASH = blake2_256(b"some ink code")


def cluster_args(**over: object) -> dict[str, object]:
    args: dict[str, object] = dict(owner=ALICE, permission="Public", deploy_workers=(WORKERS[0],), deposit=0,
                                   gas_price=1, deposit_per_item=2, deposit_per_byte=3, treasury_account=BOB)
    args.update(over)
    return args


def instantiate_args(cluster: bytes, **over: object) -> dict[str, object]:
    args: dict[str, object] = dict(code_index=("WasmCode", CODE_HASH), data=b"\x9b\xae\x9d\x5e", salt=b"s",
                                   cluster_id=cluster, transfer=0, gas_limit=10**9, storage_deposit_limit=None,
                                   deposit=0)
    args.update(over)
    return args


# -- add_cluster ------------------------------------------------------------------------------------


def test_add_cluster_stores_cluster_and_notifies_gatekeepers() -> None:
    ext = new_ext()
    call(ext, ROOT, PC, "add_cluster", **cluster_args(deploy_workers=tuple(WORKERS[:2]), deposit=5 * PHA))
    cluster = (1).to_bytes(32, "big")
    system_contract = contract_id(ALICE, blake2_256(SYSTEM_CODE), cluster, b"")
    p = ext.rt.PhalaPhatContracts
    assert p.ClusterCounter.get() == 1
    assert p.Clusters.get(cluster) == {"owner": ALICE, "permission": ("Public", None),
                                       "system_contract": system_contract, "gas_price": 1,
                                       "deposit_per_item": 2, "deposit_per_byte": 3}
    assert p.ClusterWorkers.get(cluster) == tuple(WORKERS[:2])
    assert [p.ClusterByWorkers.get(w) for w in WORKERS] == [cluster, cluster, None]
    assert free(ext, cluster_account(cluster)) == 5 * PHA
    assert ("ClusterCreated", {"cluster": cluster, "system_contract": system_contract}) in events(ext, PC)
    (msg,) = outbound(ext)
    assert msg["sender"] == ("Pallet", b"PhalaPhatContracts")
    assert msg["destination"] == TOPIC_CLUSTER_EVENT
    assert ClusterEvent.decode(msg["payload"]) == ("DeployCluster", {
        "owner": ALICE, "cluster": cluster,
        "workers": tuple({"pubkey": w, "ecdh_pubkey": w} for w in WORKERS[:2]),
        "deposit": 5 * PHA, "gas_price": 1, "deposit_per_item": 2, "deposit_per_byte": 3, "treasury_account": BOB})


def test_add_cluster_ids_count_up_and_zero_deposit_moves_nothing() -> None:
    ext = new_ext()
    assert add_cluster(ext, workers=(WORKERS[0],)) == (1).to_bytes(32, "big")
    assert add_cluster(ext, workers=(WORKERS[1],), permission=("OnlyOwner", BOB)) == (2).to_bytes(32, "big")
    assert "Transfer" not in [n for n, _ in events(ext, "Balances")]


@pytest.mark.parametrize(("error", "origin", "over"), [
    (BadOrigin, ALICE, {}),
    (P.Error.NoWorkerSpecified, ROOT, {"deploy_workers": ()}),
    (P.Error.WorkerNotFound, ROOT, {"deploy_workers": (WORKERS[0], b"\x77" * 32)}),
    (P.Error.WorkerIsBusy, ROOT, {"deploy_workers": (WORKERS[0], WORKERS[0])}),
    (TokenError, ROOT, {"owner": CHARLIE, "deposit": ENDOWMENT}),
])
def test_add_cluster_errors(error: type[Exception], origin: object, over: dict[str, object]) -> None:
    ext = new_ext()
    fails(ext, error, origin, PC, "add_cluster", **cluster_args(**over))  # type: ignore[arg-type]


def test_add_cluster_busy_worker_and_missing_system_code() -> None:
    ext = new_ext()
    add_cluster(ext, workers=(WORKERS[0],))
    fails(ext, P.Error.WorkerIsBusy, ROOT, PC, "add_cluster", **cluster_args())
    fails(new_ext(system_code=False), P.Error.NoPinkSystemCode, ROOT, PC, "add_cluster", **cluster_args())


# -- cluster_upload_resource ------------------------------------------------------------------------


def test_upload_resource_pushes_code_to_workers_without_storing_it() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    ext.rt.PhalaMq.OutboundMessages.kill()
    code = b"\x00" * INK_CODE_SIZE_LIMIT
    call(ext, BOB, PC, "cluster_upload_resource", cluster_id=cluster, resource_type="InkCode", resource_data=code)
    sidevm = b"\x01" * SIDEVM_CODE_SIZE_LIMIT
    call(ext, BOB, PC, "cluster_upload_resource", cluster_id=cluster, resource_type="SidevmCode", resource_data=sidevm)
    first, second = outbound(ext)
    assert first["destination"] == TOPIC_CLUSTER_KEY
    assert first["sender"] == ("Pallet", b"PhalaPhatContracts")
    assert ClusterOperation.decode(first["payload"]) == ("UploadResource", {
        "origin": BOB, "cluster_id": cluster, "resource_type": ("InkCode", None), "resource_data": code})
    assert ClusterOperation.decode(second["payload"])[1]["resource_data"] == sidevm


def test_upload_resource_errors() -> None:
    ext = new_ext()
    public = add_cluster(ext, workers=(WORKERS[0],))
    private = add_cluster(ext, workers=(WORKERS[1],), permission=("OnlyOwner", ALICE))
    fails(ext, BadOrigin, ROOT, PC, "cluster_upload_resource", cluster_id=public, resource_type="InkCode",
          resource_data=b"")
    fails(ext, P.Error.ClusterNotFound, BOB, PC, "cluster_upload_resource", cluster_id=b"\x09" * 32,
          resource_type="InkCode", resource_data=b"")
    fails(ext, P.Error.ClusterPermissionDenied, BOB, PC, "cluster_upload_resource", cluster_id=private,
          resource_type="InkCode", resource_data=b"")
    for kind, limit in (("InkCode", INK_CODE_SIZE_LIMIT), ("IndeterministicInkCode", INK_CODE_SIZE_LIMIT),
                        ("SidevmCode", SIDEVM_CODE_SIZE_LIMIT)):
        fails(ext, P.Error.PayloadTooLarge, ALICE, PC, "cluster_upload_resource", cluster_id=public,
              resource_type=kind, resource_data=b"\x00" * (limit + 1))
    call(ext, ALICE, PC, "cluster_upload_resource", cluster_id=private, resource_type="InkCode", resource_data=b"x")


# -- transfer_to_cluster ----------------------------------------------------------------------------


def test_transfer_to_cluster_moves_funds_and_credits_in_cluster_account() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    ext.rt.PhalaMq.OutboundMessages.kill()
    before = free(ext, BOB)
    call(ext, BOB, PC, "transfer_to_cluster", amount=3 * PHA, cluster_id=cluster, dest_account=CHARLIE)
    assert free(ext, BOB) == before - 3 * PHA
    assert free(ext, cluster_account(cluster)) == 3 * PHA
    assert events(ext, PC)[-1] == ("Transfered", {"cluster": cluster, "account": CHARLIE, "amount": 3 * PHA})
    (msg,) = outbound(ext)
    assert ClusterOperation.decode(msg["payload"]) == ("Deposit", {"cluster_id": cluster, "account": CHARLIE,
                                                                   "amount": 3 * PHA})


def test_transfer_to_cluster_errors() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    fails(ext, BadOrigin, ROOT, PC, "transfer_to_cluster", amount=1, cluster_id=cluster, dest_account=BOB)
    fails(ext, P.Error.ClusterNotFound, BOB, PC, "transfer_to_cluster", amount=PHA, cluster_id=b"\x05" * 32,
          dest_account=BOB)
    fails(ext, TokenError, BOB, PC, "transfer_to_cluster", amount=free(ext, BOB), cluster_id=cluster,
          dest_account=BOB)  # keep-alive
    fails(ext, TokenError, BOB, PC, "transfer_to_cluster", amount=ED - 1, cluster_id=cluster, dest_account=BOB)


# -- instantiate_contract ---------------------------------------------------------------------------


def test_instantiate_contract_registers_id_and_asks_workers() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    ext.rt.PhalaMq.OutboundMessages.kill()
    call(ext, BOB, PC, "instantiate_contract", **instantiate_args(cluster, deposit=2 * PHA, transfer=7,
                                                                  storage_deposit_limit=99))
    contract = contract_id(BOB, CODE_HASH, cluster, b"s")
    assert ext.rt.PhalaPhatContracts.Contracts.get(contract) == {"deployer": BOB, "cluster": cluster}
    assert events(ext, PC)[-2:] == [
        ("Transfered", {"cluster": cluster, "account": BOB, "amount": 2 * PHA}),
        ("Instantiating", {"contract": contract, "cluster": cluster, "deployer": BOB})]
    deposit_msg, op_msg = outbound(ext)
    assert ClusterOperation.decode(deposit_msg["payload"])[0] == "Deposit"
    assert op_msg["destination"] == TOPIC_CONTRACT_OP
    assert ContractOperation.decode(op_msg["payload"]) == ("InstantiateCode", {
        "contract_info": {"deployer": BOB, "code_index": ("WasmCode", CODE_HASH), "salt": b"s",
                          "cluster_id": cluster, "instantiate_data": b"\x9b\xae\x9d\x5e"},
        "transfer": 7, "gas_limit": 10**9, "storage_deposit_limit": 99})


def test_instantiate_contract_errors() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    private = add_cluster(ext, workers=(WORKERS[1],), permission=("OnlyOwner", ALICE))
    fails(ext, BadOrigin, ROOT, PC, "instantiate_contract", **instantiate_args(cluster))
    fails(ext, P.Error.ClusterNotFound, BOB, PC, "instantiate_contract", **instantiate_args(b"\x03" * 32))
    fails(ext, P.Error.ClusterPermissionDenied, BOB, PC, "instantiate_contract", **instantiate_args(private))
    call(ext, BOB, PC, "instantiate_contract", **instantiate_args(cluster))
    fails(ext, P.Error.DuplicatedContract, BOB, PC, "instantiate_contract", **instantiate_args(cluster, deposit=PHA))
    call(ext, BOB, PC, "instantiate_contract", **instantiate_args(cluster, salt=b"other"))
    fails(ext, TokenError, CHARLIE, PC, "instantiate_contract", **instantiate_args(cluster, deposit=ENDOWMENT))


# -- push_contract_message --------------------------------------------------------------------------


def test_push_contract_message_goes_to_command_topic_as_the_user() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    call(ext, BOB, PC, "instantiate_contract", **instantiate_args(cluster))
    contract = contract_id(BOB, CODE_HASH, cluster, b"s")
    ext.rt.PhalaMq.OutboundMessages.kill()
    call(ext, CHARLIE, PC, "push_contract_message", contract_id=contract, payload=b"cmd", deposit=PHA)
    deposit_msg, cmd = outbound(ext)
    assert ClusterOperation.decode(deposit_msg["payload"]) == ("Deposit", {"cluster_id": cluster,
                                                                           "account": CHARLIE, "amount": PHA})
    assert cmd == {"sender": ("AccountId", CHARLIE), "destination": command_topic(contract), "payload": b"cmd"}
    # Without a deposit the contract need not be known (as in Phala): the message is just published.
    unknown = b"\x42" * 32
    call(ext, CHARLIE, PC, "push_contract_message", contract_id=unknown, payload=b"x", deposit=0)
    assert outbound(ext)[-1]["destination"] == command_topic(unknown)


def test_push_contract_message_errors() -> None:
    ext = new_ext()
    fails(ext, BadOrigin, ROOT, PC, "push_contract_message", contract_id=b"\x01" * 32, payload=b"", deposit=0)
    fails(ext, P.Error.ContractNotFound, BOB, PC, "push_contract_message", contract_id=b"\x01" * 32, payload=b"",
          deposit=1)


# -- cluster_destroy, system code, runtime version --------------------------------------------------


def test_cluster_destroy() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    fails(ext, BadOrigin, ALICE, PC, "cluster_destroy", cluster=cluster)
    ext.rt.PhalaMq.OutboundMessages.kill()
    call(ext, ROOT, PC, "cluster_destroy", cluster=cluster)
    assert ext.rt.PhalaPhatContracts.Clusters.get(cluster) is None
    assert events(ext, PC)[-1] == ("ClusterDestroyed", {"cluster": cluster})
    assert ClusterOperation.decode(outbound(ext)[0]["payload"]) == ("DestroyCluster", cluster)
    fails(ext, P.Error.ClusterNotFound, ROOT, PC, "cluster_destroy", cluster=cluster)


def test_set_pink_system_code_is_staged_until_next_block() -> None:
    ext = new_ext(system_code=False)
    p = ext.rt.PhalaPhatContracts
    assert p.PinkSystemCode.get() == (0, b"")
    assert p.PinkSystemCodeHash.get() is None
    fails(ext, BadOrigin, ALICE, PC, "set_pink_system_code", code=b"x")
    fails(ext, P.Error.PayloadTooLarge, ROOT, PC, "set_pink_system_code", code=b"\x00" * (INK_CODE_SIZE_LIMIT + 1))
    call(ext, ROOT, PC, "set_pink_system_code", code=b"v1")
    assert p.PinkSystemCodeHash.get() is None
    assert p.NextPinkSystemCode.get() == b"v1"
    p.on_initialize(2)
    assert p.PinkSystemCode.get() == (1, b"v1")
    assert p.PinkSystemCodeHash.get() == blake2_256(b"v1")
    assert p.NextPinkSystemCode.get() is None
    p.on_initialize(3)
    assert p.PinkSystemCode.get() == (1, b"v1")


def test_set_pink_runtime_version() -> None:
    ext = new_ext()
    fails(ext, BadOrigin, ALICE, PC, "set_pink_runtime_version", version=(1, 2))
    call(ext, ROOT, PC, "set_pink_runtime_version", version=(1, 2))
    assert ext.rt.PhalaPhatContracts.PinkRuntimeVersion.get() == (1, 2)


# -- workers ----------------------------------------------------------------------------------------


def test_add_and_remove_worker() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    p = ext.rt.PhalaPhatContracts
    call(ext, ALICE, PC, "add_worker_to_cluster", worker_pubkey=WORKERS[1], cluster_id=cluster)
    assert p.ClusterWorkers.get(cluster) == (WORKERS[0], WORKERS[1])
    assert p.ClusterByWorkers.get(WORKERS[1]) == cluster
    assert events(ext, PC)[-1] == ("WorkerAddedToCluster", {"worker": WORKERS[1], "cluster": cluster})
    ext.rt.PhalaMq.OutboundMessages.kill()
    call(ext, ALICE, PC, "remove_worker_from_cluster", worker_pubkey=WORKERS[0], cluster_id=cluster)
    assert p.ClusterWorkers.get(cluster) == (WORKERS[1],)
    assert p.ClusterByWorkers.get(WORKERS[0]) == REMOVED_CLUSTER
    assert events(ext, PC)[-1] == ("WorkerRemovedFromCluster", {"worker": WORKERS[0], "cluster": cluster})
    assert ClusterOperation.decode(outbound(ext)[0]["payload"]) == ("RemoveWorker", {"cluster_id": cluster,
                                                                                     "worker": WORKERS[0]})
    # A removed worker stays parked in cluster 0: it cannot join a cluster again.
    fails(ext, P.Error.WorkerIsBusy, ALICE, PC, "add_worker_to_cluster", worker_pubkey=WORKERS[0], cluster_id=cluster)


def test_worker_call_errors() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    other = add_cluster(ext, workers=(WORKERS[2],))
    for name in ("add_worker_to_cluster", "remove_worker_from_cluster"):
        fails(ext, BadOrigin, ROOT, PC, name, worker_pubkey=WORKERS[1], cluster_id=cluster)
        fails(ext, P.Error.ClusterNotFound, ALICE, PC, name, worker_pubkey=WORKERS[1], cluster_id=b"\x07" * 32)
        fails(ext, P.Error.ClusterPermissionDenied, BOB, PC, name, worker_pubkey=WORKERS[1], cluster_id=cluster)
    fails(ext, P.Error.WorkerNotFound, ALICE, PC, "add_worker_to_cluster", worker_pubkey=b"\x66" * 32,
          cluster_id=cluster)
    fails(ext, P.Error.WorkerIsBusy, ALICE, PC, "add_worker_to_cluster", worker_pubkey=WORKERS[2], cluster_id=cluster)
    fails(ext, P.Error.WorkerNotFound, ALICE, PC, "remove_worker_from_cluster", worker_pubkey=WORKERS[2],
          cluster_id=cluster)
    fails(ext, P.Error.WorkerNotFound, ALICE, PC, "remove_worker_from_cluster", worker_pubkey=WORKERS[1],
          cluster_id=other)


def test_cleanup_removed_workers() -> None:
    ext = new_ext()
    cluster = add_cluster(ext, workers=(WORKERS[0], WORKERS[1]))
    p = ext.rt.PhalaPhatContracts
    p.ClusterByWorkers.insert(WORKERS[0], REMOVED_CLUSTER)  # as a bad migration left it
    fails(ext, BadOrigin, ALICE, PC, "cleanup_removed_workers", cluster_id=cluster)
    call(ext, ROOT, PC, "cleanup_removed_workers", cluster_id=cluster)
    assert p.ClusterWorkers.get(cluster) == (WORKERS[1],)


def test_genesis_rejects_oversized_system_code() -> None:
    ext = new_ext(system_code=False)
    with pytest.raises(ValueError, match="InkCodeSizeLimit"):
        ext.rt.PhalaPhatContracts.genesis_build({"pinkSystemCode": b"\x00" * (INK_CODE_SIZE_LIMIT + 1)})
