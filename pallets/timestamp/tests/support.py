"""Test helpers shared by the Timestamp, Aura, Grandpa, Sudo and Utility pallet tests.

`new_ext` builds a TestExt (working around RuntimeInstance lacking the `ext` attribute that
`Pallet.__init__` reads). `reference_pallet` / `ours` turn the reference solochain's metadata and
our pallet declarations into the same canonical, comparable form: names, indices, field names,
Rust type names, type shapes with Substrate paths, and docs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from runtime.scale import ScaleType, TypeRegistry
from runtime.support import Pallet, Runtime
from runtime.support.testing import TestExt

FIXTURE = Path(__file__).resolve().parents[3] / "tests/golden/fixtures/reference_solochain_metadata_v14.hex"
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")


def new_ext(runtime: Runtime, storage: dict[bytes, bytes] | None = None, block_number: int = 1) -> TestExt:
    """A TestExt whose RuntimeInstance has the `ext` attribute pallets read (framework gap)."""
    ext = TestExt(runtime, storage, block_number)
    ext.rt.ext = ext.rt  # type: ignore[attr-defined]
    return ext


def commit(ext: TestExt) -> None:
    """TestExt.commit, re-applying the `ext` workaround to the fresh RuntimeInstance."""
    ext.commit()
    ext.rt.ext = ext.rt  # type: ignore[attr-defined]


def _scalecodec() -> Any:
    from scalecodec.base import RuntimeConfigurationObject
    from scalecodec.type_registry import load_type_registry_preset

    rc = RuntimeConfigurationObject()
    rc.update_type_registry(load_type_registry_preset("core"))
    return rc


@cache
def _reference() -> tuple[dict[int, Any], dict[str, Any]]:
    from scalecodec.base import ScaleBytes

    rc = _scalecodec()
    meta = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(FIXTURE.read_text().strip()))
    meta.decode()
    v14 = meta.value[1]["V14"]
    types = {t["id"]: t["type"] for t in v14["types"]["types"]}
    return types, {p["name"]: p for p in v14["pallets"]}


def _canon(types: dict[int, Any], type_id: int, depth: int = 0) -> Any:
    t = types[type_id]
    path = tuple(t["path"])
    if len(path) == 2 and path[1] in ("RuntimeCall", "RuntimeEvent", "OriginCaller"):
        return ("outer", path[1])
    if depth > 12:
        return ("deep", path)
    kind, body = next(iter(t["def"].items()))
    sub = lambda i: _canon(types, i, depth + 1)  # noqa: E731
    if kind == "primitive":
        return body
    if kind in ("compact", "sequence"):
        return (kind, sub(body["type"]))
    if kind == "array":
        return ("array", body["len"], sub(body["type"]))
    if kind == "tuple":
        return ("tuple", *(sub(i) for i in body))
    params = tuple((p["name"], p.get("type") is None) for p in t["params"])
    if kind == "composite":
        return ("composite", path, params, _fields(types, body["fields"], depth))
    variants = tuple((v["name"], v["index"], _fields(types, v["fields"], depth)) for v in body["variants"])
    return ("variant", path, params, variants)


def _fields(types: dict[int, Any], fields: list[Any], depth: int) -> tuple[Any, ...]:
    return tuple((f.get("name"), f.get("typeName"), _canon(types, f["type"], depth + 1)) for f in fields)


def canon_ours(*tys: ScaleType[Any]) -> list[Any]:
    """Canonical forms of our type objects, via our registry's bytes decoded by scalecodec."""
    from scalecodec.base import ScaleBytes

    registry = TypeRegistry()
    ids = [registry.register(ty) for ty in tys]
    obj = _scalecodec().create_scale_object("PortableRegistry", data=ScaleBytes(registry.encode()))
    obj.decode()
    types = {t["id"]: t["type"] for t in obj.value["types"]}
    return [_canon(types, i) for i in ids]


def _docs(lines: Any) -> tuple[str, ...]:
    return tuple(line[1:] if line.startswith(" ") else line for line in lines)


def reference_pallet(name: str) -> dict[str, Any]:
    """The reference pallet's items in canonical form."""
    types, pallets = _reference()
    p = pallets[name]
    out: dict[str, Any] = {"storage": [], "constants": [], "calls": None, "event": None, "error": None}
    for e in (p["storage"] or {}).get("entries", []):
        ty = e["type"]
        if "Plain" in ty:
            shape: Any = ("plain", _canon(types, ty["Plain"]))
        else:
            m = ty["Map"]
            shape = ("map", tuple(m["hashers"]), _canon(types, m["key"]), _canon(types, m["value"]))
        default = e["default"]
        default = default.encode("latin-1") if isinstance(default, str) else bytes.fromhex(default[2:])
        out["storage"].append((e["name"], e["modifier"], shape, default, _docs(e["documentation"])))
    for c in p["constants"]:
        value = c["value"]
        value = value.encode("latin-1") if not value.startswith("0x") else bytes.fromhex(value[2:])
        out["constants"].append((c["name"], _canon(types, c["type"]), value, _docs(c["documentation"])))
    for kind in ("calls", "event", "error"):
        if p[kind]:
            tid = p[kind]["ty"]
            out[kind] = (_canon(types, tid), _docs(types[tid]["docs"]),
                         tuple(_docs(v["docs"]) for v in types[tid]["def"]["variant"]["variants"]))
    return out


def ours(pallet: type[Pallet]) -> dict[str, Any]:
    """Our pallet's items in the same canonical form (the pallet must belong to an assembled Runtime)."""
    spec = pallet.spec
    out: dict[str, Any] = {"storage": [], "constants": [], "calls": None, "event": None, "error": None}
    for item in spec.storage:
        if item.kind == "plain":
            shape: Any = ("plain", *canon_ours(item.value_type))
        else:
            key, value = canon_ours(item.key_type, item.value_type)  # type: ignore[attr-defined]
            shape = ("map", tuple(h.name for h in item.hashers), key, value)  # type: ignore[attr-defined]
        out["storage"].append((item.name, item.modifier, shape, item.default_bytes(), _split(item.doc)))
    for c in spec.constants:
        out["constants"].append((c.name, *canon_ours(c.type), c.encoded, _split(c.doc)))
    for kind, ty in (("calls", spec.call_type), ("event", spec.event_type), ("error", spec.error_type)):
        if ty is not None:
            out[kind] = (canon_ours(ty)[0], ty.docs, tuple(v.docs for v in ty.variants))
    return out


def _split(doc: str) -> tuple[str, ...]:
    return tuple(doc.split("\n")) if doc else ()


def dump(value: Any) -> str:
    """Readable JSON of a canonical form, for assertion messages."""
    return json.dumps(value, indent=1, default=str)
