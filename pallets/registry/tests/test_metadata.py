"""Metadata of the assembled runtime with PhalaMq(8) and PhalaRegistry(9), decoded by scalecodec (py-substrate-interface)."""

from __future__ import annotations

from typing import Any

from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from pallets.mq.tests.mock import worker_key
from pallets.mq.tests.test_check_seq import _assembly
from pallets.registry.tests.test_register_worker import _info, _report


def _decoded() -> tuple[Any, Any]:
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    md = config.create_scale_object("MetadataVersioned", data=ScaleBytes(_assembly().metadata_v14()))
    md.decode()
    config.add_portable_registry(md)
    return config, md


def test_names_and_indices_as_phala() -> None:
    _, md = _decoded()
    pallets = {p.name: p for p in md.pallets}
    mq, reg = pallets["PhalaMq"], pallets["PhalaRegistry"]
    assert [(c.name, c.value["index"]) for c in mq.calls] == [
        ("sync_offchain_message", 0), ("push_message", 1), ("force_push_pallet_message", 2)]
    assert [(c.name, c.value["index"]) for c in reg.calls] == [
        ("force_set_benchmark_duration", 0), ("force_register_worker", 1), ("register_gatekeeper", 3),
        ("unregister_gatekeeper", 4), ("register_worker_v2", 7), ("update_worker_endpoint", 8),
        ("add_pruntime", 9), ("remove_pruntime", 10)]
    assert [e.name for e in mq.errors] == ["BadSender", "BadSequence", "BadDestination"]
    assert [e.name for e in reg.errors][:6] == ["CannotHandleUnknownMessage", "InvalidSender", "InvalidPubKey",
                                                "MalformedSignature", "InvalidSignatureLength", "InvalidSignature"]
    assert len(reg.errors) == 40
    assert reg.errors[-1].name == "UnsupportedAttestationType"
    assert {"Workers", "WorkerAddedAt", "Gatekeeper", "GatekeeperMasterPubkey", "ContractKeys", "ClusterKeys",
            "Endpoints", "BenchmarkDuration", "PRuntimeAllowList"} <= {s.name for s in reg.storage}
    exts = [e["identifier"] for e in md.value[1]["V14"]["extrinsic"]["signed_extensions"]]
    assert exts[-1] == "CheckMqSequence"


def test_scalecodec_decodes_phala_calls() -> None:
    config, md = _decoded()
    a = _assembly()
    w = worker_key(0)
    from pallets.mq.signing import build_signed_message
    raw = a.runtime.encode_call(a.runtime.make_call(
        "PhalaMq", "sync_offchain_message", signed_message=build_signed_message(w, ("Worker", w.public), b"t", b"p", 3)))
    value = config.create_scale_object("Call", data=ScaleBytes(raw), metadata=md).decode()
    arg = value["call_args"][0]["value"]
    assert arg["message"]["sender"] == {"Worker": "0x" + w.public.hex()}
    assert arg["sequence"] == 3
    raw = a.runtime.encode_call(a.runtime.make_call("PhalaRegistry", "register_worker_v2", pruntime_info=_info(),
                                                    attestation=_report(_info())))
    value = config.create_scale_object("Call", data=ScaleBytes(raw), metadata=md).decode()
    assert value["call_function"] == "register_worker_v2"
    assert "Simulated" in value["call_args"][1]["value"]
