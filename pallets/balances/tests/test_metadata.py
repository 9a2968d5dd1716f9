"""Our declarations against the reference chain's V14 metadata: names, indices, fields, type names, docs, values."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pallets.balances import Balances
from pallets.transaction_payment import TransactionPayment
from runtime.support import Pallet

FIXTURE = Path(__file__).resolve().parents[3] / "tests/golden/fixtures/reference_solochain_metadata_v14.hex"


@cache
def reference() -> dict[str, Any]:
    """The reference pallets by name, plus the type table."""
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    rc = RuntimeConfigurationObject()
    rc.update_type_registry(load_type_registry_preset("core"))
    text = FIXTURE.read_text().strip().removeprefix("0x")
    metadata = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(bytes.fromhex(text)))
    metadata.decode()
    v14 = json.loads(json.dumps(metadata.value[1]["V14"], default=str))
    return {"pallets": {p["name"]: p for p in v14["pallets"]},
            "types": {t["id"]: t["type"] for t in v14["types"]["types"]}}


def _raw(value: str) -> bytes:
    """scalecodec gives byte values as "0x…" hex or, when printable, as the raw characters."""
    return bytes.fromhex(value[2:]) if value.startswith("0x") else value.encode("latin-1")


def _ref_variants(pallet: str, kind: str) -> list[tuple[Any, ...]]:
    ref = reference()
    entry = ref["pallets"][pallet][kind]
    ty = ref["types"][entry["ty"]]
    return [(v["index"], v["name"], tuple((f["name"], f["typeName"]) for f in v["fields"]),
             tuple(d.strip() for d in v["docs"])) for v in ty["def"]["variant"]["variants"]]


def _our_variants(enum: Any) -> list[tuple[Any, ...]]:
    out = []
    for v in enum.variants:
        docs = tuple(line.strip() for d in v.docs for line in d.split("\n"))
        out.append((v.index, v.name, tuple((f.name, f.type_name) for f in v.fields), docs))
    return out


@pytest.mark.parametrize(("pallet", "kinds"), [(Balances, ("calls", "event", "error")),
                                               (TransactionPayment, ("event",))])
def test_variants_match_reference(pallet: type[Pallet], kinds: tuple[str, ...]) -> None:
    spec = pallet.spec
    ours = {"calls": spec.call_type, "event": spec.event_type, "error": spec.error_type}
    for kind in kinds:
        assert _our_variants(ours[kind]) == _ref_variants(spec.name, kind), kind
    assert reference()["pallets"][spec.name]["index"] == {"Balances": 4, "TransactionPayment": 5}[spec.name]


@pytest.mark.parametrize("pallet", [Balances, TransactionPayment])
def test_storage_and_constants_match_reference(pallet: type[Pallet]) -> None:
    ref = reference()["pallets"][pallet.spec.name]
    entries = ref["storage"]["entries"]
    assert [s.name for s in pallet.spec.storage] == [e["name"] for e in entries]
    for item, entry in zip(pallet.spec.storage, entries, strict=True):
        assert item.modifier == entry["modifier"]
        assert item.default_bytes() == _raw(entry["default"]), item.name
        assert [line.strip() for line in item.doc.splitlines()] == [d.strip() for d in entry["documentation"]] or (
            not item.doc and not entry["documentation"]), item.name
    consts = ref["constants"]
    assert [c.name for c in pallet.spec.constants] == [c["name"] for c in consts]
    for const, entry in zip(pallet.spec.constants, consts, strict=True):
        assert const.encoded == _raw(entry["value"]), const.name
        assert [line.strip() for line in const.doc.splitlines()] == [d.strip() for d in entry["documentation"]]
