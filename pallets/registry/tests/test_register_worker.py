"""register_worker_v2 with attestation None and the simulated attestation (every check), genesis, metadata."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.mq import messaging as msg
from pallets.mq.tests.mock import ALICE, BOB, NOW_MS, commit, new_ext, state, worker_key
from pallets.registry import ATTESTATION_AUTHORITY
from pallets.registry.attestation import ATTESTATION_AUTHORITY_URI, make_simulated_report
from pallets.registry.types import WorkerRegistrationInfoV2
from runtime.primitives.crypto import Keypair
from runtime.primitives.hashing import blake2_256
from runtime.primitives.keyring import keypair_from_uri
from runtime.support import ROOT, BadOrigin, Signed

W0 = worker_key(0)
AUTHORITY = keypair_from_uri(ATTESTATION_AUTHORITY_URI)
RUNTIME_HASH = b"\xaa" * 8
NOW_S = NOW_MS // 1000


def _info(key: Keypair = W0, operator: bytes | None = ALICE, version: int = 1) -> dict[str, Any]:
    return {"version": version, "machine_id": b"m", "pubkey": key.public, "ecdh_pubkey": b"\xe0" * 32,
            "genesis_block_hash": bytes(32), "features": (4, 1), "operator": operator, "para_id": 0,
            "max_consensus_version": 0}


def _report(info: dict[str, Any], *, timestamp: int = NOW_S - 10, level: int = 1, signer: Keypair = AUTHORITY,
            runtime_hash: bytes = RUNTIME_HASH, data: bytes | None = None) -> Any:
    report_data = blake2_256(WorkerRegistrationInfoV2.encode(info)) if data is None else data
    return make_simulated_report(signer, runtime_hash, report_data, timestamp, level)


def _register(ext: Any, info: dict[str, Any], attestation: Any) -> None:
    ext.call(Signed(BOB), "PhalaRegistry", "register_worker_v2", pruntime_info=info, attestation=attestation)


def _ext(none_enabled: bool = True) -> Any:
    return new_ext({"noneAttestationEnabled": none_enabled, "pruntimeAllowList": ["0x" + RUNTIME_HASH.hex()],
                    "benchmarkDuration": 5})


def test_authority_key_is_the_documented_dev_key() -> None:
    assert AUTHORITY.public == ATTESTATION_AUTHORITY


def test_register_with_none_attestation_then_update() -> None:
    ext = _ext()
    reg = ext.rt.PhalaRegistry
    _register(ext, _info(), None)
    info = reg.worker(W0.public)
    assert info["attestation_provider"] is None
    assert info["confidence_level"] == 128
    assert info["last_updated"] == NOW_S
    assert info["operator"] == ALICE
    assert info["features"] == (4, 1)
    assert reg.WorkerAddedAt.get(W0.public) == 1
    assert ext.last_event().name == "WorkerAdded"
    assert [(m["destination"], m["payload"]) for m in ext.rt.PhalaMq.messages()] == [
        (msg.TOPIC_SYSTEM_EVENT, msg.registered(W0.public, 128)), (msg.TOPIC_SYSTEM_EVENT, msg.bench_start(W0.public, 5))]
    reg.internal_set_benchmark(W0.public, 77)
    commit(ext)
    ext.rt.block_number = 2
    new = {**_info(operator=None, version=2), "ecdh_pubkey": b"\xe9" * 32}
    _register(ext, new, _report(new, level=3))
    info = ext.rt.PhalaRegistry.worker(W0.public)
    assert info["ecdh_pubkey"] == b"\xe0" * 32
    assert info["initial_score"] == 77
    assert info["operator"] is None
    assert info["runtime_version"] == 2
    assert info["confidence_level"] == 3
    assert info["attestation_provider"] is None  # Phala does not refresh the provider on update
    assert ext.rt.PhalaRegistry.WorkerAddedAt.get(W0.public) == 1
    assert ext.last_event().name == "WorkerUpdated"
    assert ext.last_event().fields == {"pubkey": W0.public, "attestation_provider": ("Simulated", None),
                                       "confidence_level": 3}


def test_none_attestation_disabled() -> None:
    ext = _ext(none_enabled=False)
    before = state(ext)
    with pytest.raises(ext.rt.PhalaRegistry.Error.NoneAttestationDisabled):
        _register(ext, _info(), None)
    assert state(ext) == before


def test_simulated_attestation_success() -> None:
    ext = _ext(none_enabled=False)
    info = _info()
    _register(ext, info, _report(info, level=5))
    worker = ext.rt.PhalaRegistry.worker(W0.public)
    assert worker["confidence_level"] == 5
    assert worker["attestation_provider"] == ("Simulated", None)
    assert ext.last_event().fields == {"pubkey": W0.public, "attestation_provider": ("Simulated", None),
                                       "confidence_level": 5}


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"signer": worker_key(9)}, "InvalidIASSigningCert"),
    ({"level": 0}, "InvalidQuoteStatus"),
    ({"level": 6}, "InvalidQuoteStatus"),
    ({"runtime_hash": b"\xbb"}, "PRuntimeRejected"),
    ({"timestamp": NOW_S - 7200}, "OutdatedIASReport"),
    ({"data": b"\x00" * 32}, "InvalidRuntimeInfoHash"),
])
def test_simulated_attestation_errors(kwargs: dict[str, Any], error: str) -> None:
    ext = _ext()
    info = _info()
    before = state(ext)
    with pytest.raises(getattr(ext.rt.PhalaRegistry.Error, error)):
        _register(ext, info, _report(info, **kwargs))
    assert state(ext) == before


def test_report_for_other_info_is_rejected() -> None:
    ext = _ext()
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidRuntimeInfoHash):
        _register(ext, _info(operator=BOB), _report(_info()))


def test_tampered_report_fails_signature() -> None:
    ext = _ext()
    info = _info()
    name, fields = _report(info, level=2)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidIASSigningCert):
        _register(ext, info, (name, {**fields, "confidence_level": 1}))


def test_sgx_reports_are_unsupported_and_origin_is_checked() -> None:
    ext = _ext()
    ias = ("SgxIas", {"ra_report": b"", "signature": b"", "raw_signing_cert": b""})
    with pytest.raises(ext.rt.PhalaRegistry.Error.UnsupportedAttestationType):
        _register(ext, _info(), ias)
    with pytest.raises(BadOrigin):
        ext.call(ROOT, "PhalaRegistry", "register_worker_v2", pruntime_info=_info(), attestation=None)


def test_genesis_workers_gatekeepers_and_queued_messages() -> None:
    w1 = worker_key(1)
    ext = new_ext({"workers": [["0x" + W0.public.hex(), "0x" + "e0" * 32, None], [w1.public, b"\xe1" * 32, ALICE]],
                   "gatekeepers": ["0x" + W0.public.hex(), w1.public, "0x" + "55" * 32],
                   "benchmarkDuration": 3, "noneAttestationEnabled": True})
    reg = ext.rt.PhalaRegistry
    assert reg.worker(W0.public)["attestation_provider"] == ("Root", None)
    assert reg.worker(w1.public)["operator"] == ALICE
    assert reg.Gatekeeper.get() == (W0.public, w1.public)  # the unregistered key is skipped
    assert reg.BenchmarkDuration.get() == 3
    assert reg.NoneAttestationEnabled.get() is True
    assert ext.rt.PhalaMq.messages() == ()
    ext.rt.PhalaMq.on_initialize(1)
    assert [(m["destination"], m["payload"]) for m in ext.rt.PhalaMq.messages()] == [
        (msg.TOPIC_SYSTEM_EVENT, msg.registered(W0.public, 128)), (msg.TOPIC_SYSTEM_EVENT, msg.bench_start(W0.public, 3)),
        (msg.TOPIC_SYSTEM_EVENT, msg.registered(w1.public, 128)), (msg.TOPIC_SYSTEM_EVENT, msg.bench_start(w1.public, 3)),
        (msg.TOPIC_GATEKEEPER_LAUNCH, msg.first_gatekeeper(W0.public, b"\xe0" * 32)),
        (msg.TOPIC_GATEKEEPER_CHANGE, msg.gatekeeper_registered(w1.public, b"\xe1" * 32)),
    ]


def test_genesis_defaults_and_bad_keys() -> None:
    ext = new_ext({})
    assert ext.rt.PhalaRegistry.BenchmarkDuration.get() == 8
    assert ext.rt.PhalaRegistry.NoneAttestationEnabled.get() is False
    with pytest.raises(ValueError, match="32 bytes"):
        new_ext({"workers": [["0x1234", "0x" + "00" * 32, None]]})
