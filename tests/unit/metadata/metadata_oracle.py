"""Test helper: decode runtime metadata with scalecodec 1.2.12 (the py-substrate-interface codec) and
render it as id-free "shapes" that can be compared across two metadata blobs.

scalecodec 1.2.12 knows metadata up to V14. V15 is added here in scalecodec's own type language (the
frame-metadata V15 layout), which is enough for `MetadataVersioned` + `add_portable_registry` to decode
it: scalecodec's MetadataAll treats every index >= 14 as scale-info metadata.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

REFERENCE_V14 = Path(__file__).parents[2] / "golden" / "fixtures" / "reference_solochain_metadata_v14.hex"

_V15_TYPES: dict[str, Any] = {
    "MetadataV15": {"type": "struct", "type_mapping": [
        ["types", "PortableRegistry"], ["pallets", "Vec<PalletMetadataV15>"], ["extrinsic", "ExtrinsicMetadataV15"],
        ["runtime_type", "SiLookupTypeId"], ["apis", "Vec<RuntimeApiMetadataV15>"],
        ["outer_enums", "OuterEnums15"], ["custom", "Vec<(Text, CustomValueMetadata15)>"]]},
    "PalletMetadataV15": {"type": "struct", "base_class": "ScaleInfoPalletMetadata", "type_mapping": [
        ["name", "Text"], ["storage", "Option<StorageMetadataV14>"], ["calls", "Option<PalletCallMetadataV14>"],
        ["event", "Option<PalletEventMetadataV14>"], ["constants", "Vec<PalletConstantMetadataV14>"],
        ["error", "Option<PalletErrorMetadataV14>"], ["index", "u8"], ["docs", "Vec<Text>"]]},
    "ExtrinsicMetadataV15": {"type": "struct", "type_mapping": [
        ["version", "u8"], ["address_type", "SiLookupTypeId"], ["call_type", "SiLookupTypeId"],
        ["signature_type", "SiLookupTypeId"], ["extra_type", "SiLookupTypeId"],
        ["signed_extensions", "Vec<SignedExtensionMetadataV14>"]]},
    "RuntimeApiMetadataV15": {"type": "struct", "type_mapping": [
        ["name", "Text"], ["methods", "Vec<RuntimeApiMethodMetadataV15>"], ["docs", "Vec<Text>"]]},
    "RuntimeApiMethodMetadataV15": {"type": "struct", "type_mapping": [
        ["name", "Text"], ["inputs", "Vec<RuntimeApiMethodParamMetadataV15>"], ["output", "SiLookupTypeId"],
        ["docs", "Vec<Text>"]]},
    "RuntimeApiMethodParamMetadataV15": {"type": "struct", "type_mapping": [
        ["name", "Text"], ["type", "SiLookupTypeId"]]},
    "OuterEnums15": {"type": "struct", "type_mapping": [
        ["call_type", "SiLookupTypeId"], ["event_type", "SiLookupTypeId"], ["error_type", "SiLookupTypeId"]]},
    "CustomValueMetadata15": {"type": "struct", "type_mapping": [["type", "SiLookupTypeId"], ["value", "Bytes"]]},
}


def scalecodec_config() -> RuntimeConfigurationObject:
    """A fresh scalecodec configuration with the core preset plus the V15 metadata layout."""
    preset = load_type_registry_preset("core") or {}
    config = RuntimeConfigurationObject()
    config.update_type_registry(preset)
    metadata_all = copy.deepcopy(preset["types"]["MetadataAll"])
    metadata_all["type_mapping"].append(["V15", "MetadataV15"])
    config.update_type_registry({"types": {"MetadataAll": metadata_all, **_V15_TYPES}})
    return config


@dataclass
class Decoded:
    """A decoded metadata blob: scalecodec objects, the plain value and the wire version."""

    config: RuntimeConfigurationObject
    metadata: Any
    version: int
    body: dict[str, Any]

    @property
    def types(self) -> list[dict[str, Any]]:
        """The portable registry's entries, in id order (`{path, params, def, docs}`)."""
        entries = self.body["types"]["types"]
        assert [e["id"] for e in entries] == list(range(len(entries))), "registry ids are not 0..N-1"
        return [e["type"] for e in entries]

    def pallet(self, name: str) -> dict[str, Any]:
        """The decoded pallet called `name`."""
        for p in self.body["pallets"]:
            if p["name"] == name:
                return p  # type: ignore[no-any-return]
        raise KeyError(name)


def decode_metadata(raw: bytes) -> Decoded:
    """Decode `meta ++ version ++ body` with scalecodec (strict: no trailing bytes) and load its registry."""
    config = scalecodec_config()
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(raw))
    metadata.decode(check_remaining=True)
    config.add_portable_registry(metadata)
    (version_name, body), = metadata.value[1].items()
    return Decoded(config, metadata, int(version_name[1:]), body)


def reference() -> Decoded:
    """The reference solochain's V14 metadata, decoded."""
    return decode_metadata(bytes.fromhex(REFERENCE_V14.read_text().strip().removeprefix("0x")))


def raw_bytes(value: Any) -> bytes:
    """scalecodec renders `Bytes` as text when it is valid UTF-8 and as 0x-hex otherwise; undo that."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str) and value.startswith("0x"):
        try:
            return bytes.fromhex(value[2:])
        except ValueError:
            pass
    return str(value).encode()


def type_sig(types: list[dict[str, Any]], type_id: int) -> str:
    """An id-free rendering of a registry type: path<params> for named types, the shape otherwise."""
    t = types[type_id]
    (kind, d), = t["def"].items()
    if t["path"]:
        name = "::".join(t["path"])
        params = [("_" if p["type"] is None else type_sig(types, p["type"])) for p in t["params"]]
        return f"{name}<{', '.join(params)}>" if params else name
    if kind == "primitive":
        return str(d)
    if kind == "compact":
        return f"Compact<{type_sig(types, d['type'])}>"
    if kind == "sequence":
        return f"Vec<{type_sig(types, d['type'])}>"
    if kind == "array":
        return f"[{type_sig(types, d['type'])}; {d['len']}]"
    if kind == "tuple":
        return "(" + ", ".join(type_sig(types, i) for i in d) + ")"
    if kind == "composite":
        return "{" + ", ".join(f"{f['name']}: {type_sig(types, f['type'])}" for f in d["fields"]) + "}"
    if kind == "variant":
        return "enum{" + ", ".join(v["name"] for v in d["variants"]) + "}"
    return str(kind)


def _variants(types: list[dict[str, Any]], holder: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if holder is None:
        return {}
    t = types[holder["ty"]]
    out = {}
    for v in t["def"]["variant"]["variants"]:
        out[v["name"]] = {
            "index": v["index"],
            "fields": [(f["name"], f["typeName"], type_sig(types, f["type"])) for f in v["fields"]],
            "docs": list(v["docs"]),
        }
    return out


def enum_header(decoded: Decoded, pallet: str, kind: str) -> tuple[list[str], list[str], list[str]] | None:
    """(path, param names, docs) of a pallet's calls/event/error enum, or None when it has none."""
    holder = decoded.pallet(pallet)[kind]
    if holder is None:
        return None
    t = decoded.types[holder["ty"]]
    return list(t["path"]), [p["name"] for p in t["params"]], list(t["docs"])


def pallet_shape(decoded: Decoded, name: str) -> dict[str, Any]:
    """Everything about one pallet, with type ids replaced by `type_sig` renderings."""
    types = decoded.types
    p = decoded.pallet(name)
    storage: dict[str, Any] = {}
    if p["storage"] is not None:
        for e in p["storage"]["entries"]:
            (kind, ty), = e["type"].items()
            if kind == "Plain":
                key: Any = None
                value = type_sig(types, ty)
                hashers: list[str] = []
            else:
                key, value, hashers = type_sig(types, ty["key"]), type_sig(types, ty["value"]), list(ty["hashers"])
            storage[e["name"]] = {
                "modifier": e["modifier"], "kind": kind, "hashers": hashers, "key": key, "value": value,
                "default": raw_bytes(e["default"]).hex(), "docs": list(e["documentation"]),
            }
    constants = {c["name"]: {"type": type_sig(types, c["type"]), "value": raw_bytes(c["value"]).hex(),
                             "docs": list(c["documentation"])} for c in p["constants"]}
    return {
        "index": p["index"],
        "storage_prefix": None if p["storage"] is None else p["storage"]["prefix"],
        "storage": storage,
        "constants": constants,
        "calls": _variants(types, p["calls"]),
        "events": _variants(types, p["event"]),
        "errors": _variants(types, p["error"]),
    }


def find_types(decoded: Decoded, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """All registry entries whose path is exactly `path`."""
    return [t for t in decoded.types if tuple(t["path"]) == path]
