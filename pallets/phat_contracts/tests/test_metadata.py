"""Client view: our mock runtime's V14 metadata decoded by scalecodec (py-substrate-interface's codec).

Checks that a client finds PhalaPhatContracts / PhalaPhatTokenomic calls, storage, events and errors by
Phala's names, and that a call composed by scalecodec from the metadata is byte-identical to ours.
"""

from __future__ import annotations

from typing import Any

import pytest
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from runtime.metadata.ir import build_ir
from runtime.metadata.v14 import encode_v14
from runtime.primitives import types as sp
from runtime.scale import Bytes, Unit

from .mock import RUNTIME, WORKERS


@pytest.fixture(scope="module")
def decoded() -> tuple[RuntimeConfigurationObject, Any]:
    ir = build_ir(RUNTIME, extrinsic_type=Bytes, address_type=sp.MultiAddress, signature_type=sp.MultiSignature,
                  extra_type=Unit, signed_extensions=(), apis=())
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(encode_v14(ir)))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata


def pallet(metadata: Any, name: str) -> Any:
    return next(p for p in metadata.pallets if p.name == name)


def test_pallets_expose_phala_names(decoded: tuple[RuntimeConfigurationObject, Any]) -> None:
    _, metadata = decoded
    contracts = pallet(metadata, "PhalaPhatContracts")
    assert contracts.value["index"] == 12
    assert {c.name for c in contracts.calls} >= {"add_cluster", "instantiate_contract", "push_contract_message"}
    assert {s.name for s in contracts.storage} >= {"Clusters", "ClusterCounter", "ClusterWorkers", "ClusterByWorkers",
                                                   "ClusterContracts", "Contracts", "PinkSystemCode",
                                                   "ContractResults"}
    tok = pallet(metadata, "PhalaPhatTokenomic")
    assert tok.value["index"] == 13
    (adjust, _) = tok.calls
    assert [a.name for a in adjust.args] == ["contract", "amount"]
    assert {e.name for e in tok.events} == {"ContractDepositChanged", "UserStakeChanged"}
    assert [e.name for e in tok.errors] == ["InvalidAmountOfStake"]
    assert "WorkerIsBusy" in [e.name for e in contracts.errors]


@pytest.mark.parametrize(("module", "function", "args", "ours"), [
    ("PhalaPhatTokenomic", "adjust_stake", {"contract": "0x" + "11" * 32, "amount": 5 * 10**12},
     {"contract": b"\x11" * 32, "amount": 5 * 10**12}),
    ("PhalaPhatContracts", "instantiate_contract",
     {"code_index": {"WasmCode": "0x" + "22" * 32}, "data": "0x0102", "salt": "0x", "cluster_id": "0x" + "00" * 31 + "01",
      "transfer": 0, "gas_limit": 10**9, "storage_deposit_limit": None, "deposit": 7},
     {"code_index": ("WasmCode", b"\x22" * 32), "data": b"\x01\x02", "salt": b"", "cluster_id": bytes(31) + b"\x01",
      "transfer": 0, "gas_limit": 10**9, "storage_deposit_limit": None, "deposit": 7}),
    ("PhalaPhatContracts", "add_worker_to_cluster",
     {"worker_pubkey": "0x" + WORKERS[0].hex(), "cluster_id": "0x" + "00" * 31 + "01"},
     {"worker_pubkey": WORKERS[0], "cluster_id": bytes(31) + b"\x01"}),
])
def test_scalecodec_composes_the_same_call_bytes(decoded: tuple[RuntimeConfigurationObject, Any], module: str,
                                                 function: str, args: dict[str, Any], ours: dict[str, Any]) -> None:
    config, metadata = decoded
    call = config.create_scale_object("Call", metadata=metadata)
    theirs = call.encode({"call_module": module, "call_function": function, "call_args": args})
    assert theirs.data == RUNTIME.encode_call(RUNTIME.make_call(module, function, **ours))
