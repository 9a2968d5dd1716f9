"""PhalaRegistry calls: success paths, every error (storage unchanged), pushed worker messages and events."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.mq import messaging as msg
from pallets.mq.tests.mock import ALICE, NOW_MS, commit, new_ext, state, worker_key
from pallets.mq.types import SignedContentType, wrap_content_to_sign
from pallets.registry.types import WorkerEndpointPayload
from runtime.support import ROOT, BadOrigin, Signed

REG = ("Pallet", b"PhalaRegistry")
W0, W1 = worker_key(0), worker_key(1)
ECDH0, ECDH1 = b"\xe0" * 32, b"\xe1" * 32


def _outbound(ext: Any) -> list[tuple[bytes, bytes]]:
    msgs = ext.rt.PhalaMq.messages()
    assert all(m["sender"] == REG for m in msgs)
    return [(m["destination"], m["payload"]) for m in msgs]


def _force_register(ext: Any, key: Any = W0, ecdh: bytes = ECDH0, operator: bytes | None = ALICE) -> None:
    ext.call(ROOT, "PhalaRegistry", "force_register_worker", pubkey=key.public, ecdh_pubkey=ecdh, operator=operator)


def test_force_set_benchmark_duration() -> None:
    ext = new_ext()
    ext.call(ROOT, "PhalaRegistry", "force_set_benchmark_duration", value=3)
    assert ext.rt.PhalaRegistry.BenchmarkDuration.get() == 3
    before = state(ext)
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "PhalaRegistry", "force_set_benchmark_duration", value=4)
    assert state(ext) == before


def test_force_register_worker() -> None:
    ext = new_ext()
    _force_register(ext)
    info = ext.rt.PhalaRegistry.worker(W0.public)
    assert info == {"pubkey": W0.public, "ecdh_pubkey": ECDH0, "runtime_version": 0, "last_updated": 1,
                    "operator": ALICE, "attestation_provider": ("Root", None), "confidence_level": 128,
                    "initial_score": None, "features": (1, 4)}
    assert ext.rt.PhalaRegistry.WorkerAddedAt.get(W0.public) == 1
    assert _outbound(ext) == [(msg.TOPIC_SYSTEM_EVENT, msg.registered(W0.public, 128))]  # no BenchStart
    assert ext.last_event().name == "WorkerAdded"
    assert ext.last_event().fields == {"pubkey": W0.public, "attestation_provider": ("Root", None),
                                       "confidence_level": 128}
    before = state(ext)
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "PhalaRegistry", "force_register_worker", pubkey=W1.public, ecdh_pubkey=ECDH1,
                 operator=None)
    assert state(ext) == before


def test_register_gatekeepers_and_launch() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    with pytest.raises(reg.Error.WorkerNotFound):
        ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W0.public)
    _force_register(ext)
    _force_register(ext, W1, ECDH1)
    commit(ext)
    ext.rt.PhalaMq.on_initialize(2)
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W0.public)
    assert ext.rt.PhalaRegistry.Gatekeeper.get() == (W0.public,)
    assert _outbound(ext) == [(msg.TOPIC_GATEKEEPER_LAUNCH, msg.first_gatekeeper(W0.public, ECDH0))]
    assert ext.last_event().name == "GatekeeperAdded"
    before = state(ext)
    with pytest.raises(ext.rt.PhalaRegistry.Error.MasterKeyUninitialized):
        ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W1.public)
    assert state(ext) == before
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "PhalaRegistry", "register_gatekeeper", gatekeeper=W1.public)
    ext.rt.PhalaRegistry.GatekeeperMasterPubkey.put(b"\x99" * 32)
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W1.public)
    assert _outbound(ext)[-1] == (msg.TOPIC_GATEKEEPER_CHANGE, msg.gatekeeper_registered(W1.public, ECDH1))
    count = len(_outbound(ext))
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W1.public)  # already one: event only
    assert len(_outbound(ext)) == count
    assert ext.rt.PhalaRegistry.Gatekeeper.get() == (W0.public, W1.public)
    assert ext.rt.PhalaRegistry.is_gatekeeper(W1.public)


def test_unregister_gatekeeper() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    _force_register(ext)
    _force_register(ext, W1, ECDH1)
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W0.public)
    before = state(ext)
    with pytest.raises(reg.Error.InvalidGatekeeper):
        ext.call(ROOT, "PhalaRegistry", "unregister_gatekeeper", gatekeeper=W1.public)
    with pytest.raises(reg.Error.CannotRemoveLastGatekeeper):
        ext.call(ROOT, "PhalaRegistry", "unregister_gatekeeper", gatekeeper=W0.public)
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "PhalaRegistry", "unregister_gatekeeper", gatekeeper=W0.public)
    assert state(ext) == before
    reg.GatekeeperMasterPubkey.put(b"\x99" * 32)
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W1.public)
    ext.call(ROOT, "PhalaRegistry", "unregister_gatekeeper", gatekeeper=W0.public)
    assert reg.Gatekeeper.get() == (W1.public,)
    assert _outbound(ext)[-1] == (msg.TOPIC_GATEKEEPER_CHANGE, msg.gatekeeper_unregistered(W0.public))


def test_pruntime_allowlist() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    ext.call(ROOT, "PhalaRegistry", "add_pruntime", pruntime_hash=b"\x01\x02")
    assert reg.PRuntimeAllowList.get() == (b"\x01\x02",)
    assert reg.PRuntimeAddedAt.get(b"\x01\x02") == 1
    before = state(ext)
    with pytest.raises(reg.Error.PRuntimeAlreadyExists):
        ext.call(ROOT, "PhalaRegistry", "add_pruntime", pruntime_hash=b"\x01\x02")
    with pytest.raises(reg.Error.PRuntimeNotFound):
        ext.call(ROOT, "PhalaRegistry", "remove_pruntime", pruntime_hash=b"\x03")
    for name in ("add_pruntime", "remove_pruntime"):
        with pytest.raises(BadOrigin):
            ext.call(Signed(ALICE), "PhalaRegistry", name, pruntime_hash=b"\x01\x02")
    assert state(ext) == before
    ext.call(ROOT, "PhalaRegistry", "remove_pruntime", pruntime_hash=b"\x01\x02")
    assert reg.PRuntimeAllowList.get() == ()
    assert reg.PRuntimeAddedAt.get(b"\x01\x02") is None


# -- endpoints ---------------------------------------------------------------------------------------


def _endpoint(key: Any, signing_time: int, urls: tuple[str, ...] = ("http://w0:8000",)) -> tuple[dict[str, Any], bytes]:
    payload = {"pubkey": key.public, "versioned_endpoints": ("V1", urls), "signing_time": signing_time}
    sig = key.sign(wrap_content_to_sign(WorkerEndpointPayload.encode(payload), SignedContentType.EndpointInfo))
    return payload, sig


def _update(ext: Any, payload: dict[str, Any], sig: bytes) -> None:
    ext.call(Signed(ALICE), "PhalaRegistry", "update_worker_endpoint", endpoint_payload=payload, signature=sig)


def test_update_worker_endpoint() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    payload, sig = _endpoint(W0, NOW_MS - 1000)
    with pytest.raises(reg.Error.InvalidPubKey):
        _update(ext, payload, sig)
    _force_register(ext)
    before = state(ext)
    with pytest.raises(reg.Error.InvalidSignatureLength):
        _update(ext, payload, sig[:63])
    with pytest.raises(reg.Error.InvalidSignature):
        _update(ext, payload, _endpoint(W1, NOW_MS - 1000)[1])
    with pytest.raises(reg.Error.InvalidEndpointSigningTime):
        _update(ext, *_endpoint(W0, NOW_MS))  # signing_time must be strictly in the past
    with pytest.raises(reg.Error.InvalidEndpointSigningTime):
        _update(ext, *_endpoint(W0, NOW_MS - 4 * 3600 * 1000 - 1))  # older than 4 h
    with pytest.raises(BadOrigin):
        ext.call(ROOT, "PhalaRegistry", "update_worker_endpoint", endpoint_payload=payload, signature=sig)
    assert state(ext) == before
    _update(ext, *_endpoint(W0, NOW_MS - 4 * 3600 * 1000))  # exactly 4 h: still valid
    assert reg.Endpoints.get(W0.public) == ("V1", ("http://w0:8000",))


# -- handlers ----------------------------------------------------------------------------------------


def _worker_msg(key: Any, event: Any) -> dict[str, Any]:
    from pallets.registry.types import RegistryEvent
    return {"sender": ("Worker", key.public), "destination": msg.TOPIC_REGISTRY_EVENT,
            "payload": RegistryEvent.encode(event)}


def test_bench_report_sets_score() -> None:
    ext = new_ext()
    _force_register(ext)
    commit(ext)
    ext.rt.PhalaMq.on_initialize(2)
    ext.clear_events()
    ext.rt.PhalaRegistry.on_message(_worker_msg(W0, ("BenchReport", {"start_time": NOW_MS - 10_500,
                                                                      "iterations": 1000})))
    info = ext.rt.PhalaRegistry.worker(W0.public)
    assert info["initial_score"] == 600
    assert info["last_updated"] == NOW_MS // 1000
    assert ext.rt.PhalaRegistry.initial_score(W0.public) == 600
    assert _outbound(ext) == [(msg.TOPIC_SYSTEM_EVENT, msg.bench_score(W0.public, 600))]
    assert ext.last_event().fields == {"pubkey": W0.public, "init_score": 600}
    ext.rt.PhalaRegistry.on_message(_worker_msg(W0, ("BenchReport", {"start_time": NOW_MS - 1000,
                                                                      "iterations": 10**9})))
    assert ext.rt.PhalaRegistry.initial_score(W0.public) == 6000  # capped


@pytest.mark.parametrize("start", [NOW_MS, NOW_MS + 5, NOW_MS - 999])
def test_bench_report_invalid(start: int) -> None:
    ext = new_ext()
    _force_register(ext)
    before = state(ext)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidBenchReport):
        ext.rt.PhalaRegistry.on_message(_worker_msg(W0, ("BenchReport", {"start_time": start, "iterations": 1})))
    assert state(ext) == before


def test_registry_event_requires_worker_sender() -> None:
    ext = new_ext()
    message = _worker_msg(W0, ("BenchReport", {"start_time": 0, "iterations": 1}))
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSender):
        ext.rt.PhalaRegistry.on_message({**message, "sender": ("Gatekeeper", None)})


def test_master_pubkey_upload() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    _force_register(ext)
    master = b"\x77" * 32
    with pytest.raises(reg.Error.InvalidGatekeeper):
        reg.on_message(_worker_msg(W0, ("MasterPubkey", {"master_pubkey": master})))
    ext.call(ROOT, "PhalaRegistry", "register_gatekeeper", gatekeeper=W0.public)
    commit(ext)
    ext.rt.PhalaMq.on_initialize(2)
    reg = ext.rt.PhalaRegistry
    reg.on_message(_worker_msg(W0, ("MasterPubkey", {"master_pubkey": master})))
    assert reg.master_pubkey() == master
    assert reg.GatekeeperLaunchedAt.get() == (1, NOW_MS // 1000)
    assert ext.last_event().name == "GatekeeperLaunched"
    assert _outbound(ext) == [(msg.TOPIC_GATEKEEPER_LAUNCH, msg.master_pubkey_on_chain(master))]
    reg.on_message(_worker_msg(W0, ("MasterPubkey", {"master_pubkey": master})))  # same key again: no-op
    assert len(_outbound(ext)) == 1
    with pytest.raises(reg.Error.MasterKeyMismatch):
        reg.on_message(_worker_msg(W0, ("MasterPubkey", {"master_pubkey": b"\x78" * 32})))
    assert reg.master_pubkey() == master


def test_registered_after_gk_launched() -> None:
    ext = new_ext()
    reg = ext.rt.PhalaRegistry
    _force_register(ext)
    assert not reg.is_worker_registered_after_gk_launched(W0.public)
    reg.GatekeeperLaunchedAt.put((0, 0))
    assert reg.is_worker_registered_after_gk_launched(W0.public)
    reg.GatekeeperLaunchedAt.put((1, 0))
    assert not reg.is_worker_registered_after_gk_launched(W0.public)
    reg.internal_set_benchmark(W0.public, 42)
    assert reg.initial_score(W0.public) == 42
