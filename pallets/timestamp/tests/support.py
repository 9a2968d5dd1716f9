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
from runtime.support.runtime import OuterCall, OuterEvent
from runtime.support.testing import TestExt

FIXTURE = Path(__file__).resolve().parents[3] / "tests/golden/fixtures/reference_solochain_metadata_v14.hex"
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")


def new_ext(runtime: Runtime, storage: dict[bytes, bytes] | None = None, block_number: int = 1) -> TestExt:
    """A TestExt whose RuntimeInstance has the `ext` attribute pallets read (framework gap)."""
    OuterCall.bound = runtime.call_type  # the outer enums are process-global: point them at this runtime
    OuterEvent.bound = runtime.event_type
    ext = TestExt(runtime, storage, block_number)
    return ext


@cache
def full_runtime() -> Runtime:
    """System, Timestamp, Aura, Grandpa, Sudo and Utility at the solochain template's indices (+ Utility 7)."""
    from pallets.aura import Aura
    from pallets.grandpa import Grandpa
    from pallets.sudo import Sudo
    from pallets.system import System
    from pallets.timestamp import Timestamp
    from pallets.utility import Utility

    return Runtime("test_runtime", [(0, System), (1, Timestamp), (2, Aura), (3, Grandpa), (6, Sudo), (7, Utility)])


REFERENCE_GENESIS = {bytes.fromhex(k): bytes.fromhex(v) for k, v in {
    # the reference chain spec's raw genesis (peer-data/solochain-local-testnet-raw.json), these pallets' keys
    "f0c365c3cf59d671eb72da0e7a4113c44e7b9012096b41c4eb3aaf947f6ea429": "0000",
    "57f8dc2f5ab09467896f47300f0424384e7b9012096b41c4eb3aaf947f6ea429": "0000",
    "57f8dc2f5ab09467896f47300f0424385e0621c4869aa60c02be9adcc98a0d1d":
        "0c72a4fde8aeeab2fd90d577b588418eb0e175ef3f7984c10e11f887a2a158f07c96411bf7a592e11b8b86059fa7b2dc"
        "683d07b2217c650481198221bfc6ca3152045885cbad88ff2539e9371833ec3ca2bd114bfdfdd34c869798e32340c65727",
    "5f9cc45b7a00c5899361e1c6099678dc4e7b9012096b41c4eb3aaf947f6ea429": "0500",
    "5f9cc45b7a00c5899361e1c6099678dc5e0621c4869aa60c02be9adcc98a0d1d":
        "0c4e558158a2afd092c7f655c2d63d210a36902ae76f7b124a44720f28063521c501000000000000007935ec050ad8b0"
        "2d103bb0e7c30a60da0d93aa14baf119255f8c95a8310cb71f01000000000000004b9667a0603960b40d17590c29ecc2"
        "8bbc46614ba1246db45d2bd3b8b0852f5f0100000000000000",
    "5f9cc45b7a00c5899361e1c6099678dc8a2d09463effcc78a22d75b9cb87dffc": "0000000000000000",
    "5f9cc45b7a00c5899361e1c6099678dcd47cb8f5328af743ddfb361e7180e7fcbb1bdbcacd6ac9340000000000000000": "00000000",
    "5c0d1176a568c1f92944340dbfed9e9c4e7b9012096b41c4eb3aaf947f6ea429": "0000",
    "5c0d1176a568c1f92944340dbfed9e9c530ebca703c85910e7164cb7d1c9e47b":
        "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
}.items()}


def under(storage: dict[bytes, bytes], pallet: str) -> dict[bytes, bytes]:
    """The entries of `storage` under twox_128(pallet)."""
    from runtime.primitives.hashing import twox_128

    prefix = twox_128(pallet.encode())
    return {k: v for k, v in storage.items() if k.startswith(prefix)}


def commit(ext: TestExt) -> None:
    """TestExt.commit, re-applying the `ext` workaround to the fresh RuntimeInstance."""
    ext.commit()


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

    def sub(i: int) -> Any:
        return _canon(types, i, depth + 1)

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
            # FRAME strips the space after `///` in call, event and error docs only: compare them verbatim
            out[kind] = (_canon(types, tid), tuple(types[tid]["docs"]),
                         tuple(tuple(v["docs"]) for v in types[tid]["def"]["variant"]["variants"]))
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


def do(ext: TestExt, origin: Any, pallet: str, name: str, **args: Any) -> Any:
    """TestExt.call for calls with an argument named `call` (TestExt.call's own parameter name)."""
    return ext.rt.dispatch(origin, ext.runtime.make_call(pallet, name, **args))


def encode(ext: TestExt, pallet: str, name: str, **args: Any) -> bytes:
    """TestExt.encoded_call for calls with an argument named `call`."""
    return ext.runtime.encode_call(ext.runtime.make_call(pallet, name, **args))
