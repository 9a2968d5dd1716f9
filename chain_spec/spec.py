"""The chain spec: what a node needs to know about a chain before block 0 (sc-chain-spec's `ChainSpec`).

A spec carries the client part (name, id, chain type, boot nodes, telemetry, protocol id, fork id,
properties, code substitutes) and a genesis, either as a runtime-genesis patch plus the runtime code
(`RuntimeGenesis`, the non-raw form `build-spec` prints by default) or as raw top-level storage
(`RawGenesis`, `build-spec --raw`). `to_json` / `from_json` reproduce Substrate's JSON layout exactly:
field order as `ClientSpec` declares it, `forkId` omitted when None, unknown top-level fields kept as
extensions, storage keys sorted, bytes as lowercase `0x` hex, two-space pretty printing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from .errors import ChainSpecError

if TYPE_CHECKING:
    from runtime.assembly import Assembly

ChainType = str | dict[str, str]
"""`"Development"`, `"Local"`, `"Live"` or `{"Custom": "<name>"}`, as serde writes sc_chain_spec::ChainType."""

_CLIENT_FIELDS = ("name", "id", "chainType", "bootNodes", "telemetryEndpoints", "protocolId", "forkId",
                  "properties", "codeSubstitutes", "genesis", "consensusEngine")


@dataclass(frozen=True)
class RuntimeGenesis:
    """Non-raw genesis: the runtime code plus a JSON patch (or full config) for its genesis builder."""

    code: bytes
    patch: Mapping[str, Any]
    kind: Literal["patch", "config"] = "patch"


@dataclass(frozen=True)
class RawGenesis:
    """Raw genesis: the top-level storage map (and default child tries) exactly as block 0 holds it."""

    top: Mapping[bytes, bytes]
    children_default: Mapping[bytes, Mapping[bytes, bytes]] = field(default_factory=dict)


Genesis = RuntimeGenesis | RawGenesis


@dataclass(frozen=True)
class ChainSpec:
    """A chain specification; `to_json(raw)` prints it as `build-spec` does."""

    name: str
    id: str
    chain_type: ChainType = "Live"
    boot_nodes: tuple[str, ...] = ()
    telemetry_endpoints: tuple[tuple[str, int], ...] | None = None
    protocol_id: str | None = None
    properties: Mapping[str, Any] | None = None
    fork_id: str | None = None
    code_substitutes: Mapping[str, bytes] = field(default_factory=dict)
    genesis: Genesis = field(default_factory=lambda: RawGenesis({}))
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_raw(self) -> bool:
        """True when the genesis is raw storage."""
        return isinstance(self.genesis, RawGenesis)

    def system_properties(self) -> dict[str, Any]:
        """`system_properties`: the properties object, `{}` when the spec has none (as Substrate)."""
        return dict(self.properties or {})

    def chain_type_name(self) -> str:
        """`system_chainType`'s variant name ("Development", "Local", "Live" or "Custom")."""
        return self.chain_type if isinstance(self.chain_type, str) else next(iter(self.chain_type), "Custom")

    def to_raw(self, assembly: Assembly) -> ChainSpec:
        """The same spec with its genesis resolved to raw storage (builds the patch with `assembly`)."""
        if isinstance(self.genesis, RawGenesis):
            return self
        from .genesis import runnable_genesis_storage

        return replace(self, genesis=RawGenesis(runnable_genesis_storage(self, assembly)))

    def to_json(self, raw: bool = False, assembly: Assembly | None = None) -> str:
        """Substrate's `ChainSpec::as_json(raw)`; a non-raw spec needs `assembly` (or builds one) for raw."""
        spec = self
        if raw and not self.is_raw:
            if assembly is None:
                from runtime.assembly import build_assembly

                assembly = build_assembly()
            spec = self.to_raw(assembly)
        return json.dumps(spec.to_json_value(), indent=2, ensure_ascii=False)

    def to_json_value(self) -> dict[str, Any]:
        """The JSON object (field order as serde serialises `ChainSpecJsonContainer`)."""
        out: dict[str, Any] = {
            "name": self.name,
            "id": self.id,
            "chainType": self.chain_type,
            "bootNodes": list(self.boot_nodes),
            "telemetryEndpoints": (None if self.telemetry_endpoints is None
                                   else [[url, level] for url, level in self.telemetry_endpoints]),
            "protocolId": self.protocol_id,
        }
        if self.fork_id is not None:
            out["forkId"] = self.fork_id
        out["properties"] = None if self.properties is None else _sorted_json(self.properties)
        for key, value in self.extensions.items():
            out[key] = value
        out["codeSubstitutes"] = {k: _hex(self.code_substitutes[k]) for k in sorted(self.code_substitutes)}
        out["genesis"] = _genesis_json(self.genesis)
        return out


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def _sorted_json(value: Any) -> Any:
    """serde_json::Value objects are BTreeMaps: keys come out sorted at every depth."""
    if isinstance(value, Mapping):
        return {k: _sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted_json(v) for v in value]
    return value


def _storage_json(storage: Mapping[bytes, bytes]) -> dict[str, str]:
    return {_hex(k): _hex(storage[k]) for k in sorted(storage)}


def _genesis_json(genesis: Genesis) -> dict[str, Any]:
    if isinstance(genesis, RawGenesis):
        children = {_hex(k): _storage_json(genesis.children_default[k]) for k in sorted(genesis.children_default)}
        return {"raw": {"top": _storage_json(genesis.top), "childrenDefault": children}}
    return {"runtimeGenesis": {"code": _hex(genesis.code), genesis.kind: _sorted_json(genesis.patch)}}


# --- parsing ---------------------------------------------------------------------------------------


def _unhex(text: Any, what: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("0x"):
        raise ChainSpecError(f"chain spec: {what} must be a 0x-prefixed hex string")
    try:
        return bytes.fromhex(text[2:])
    except ValueError:
        raise ChainSpecError(f"chain spec: {what} is not valid hex") from None


def _storage_from_json(obj: Any, what: str) -> dict[bytes, bytes]:
    if not isinstance(obj, dict):
        raise ChainSpecError(f"chain spec: {what} must be an object of hex key → hex value")
    return {_unhex(k, f"{what} key"): _unhex(v, f"{what}[{k}]") for k, v in obj.items()}


def _genesis_from_json(obj: Any) -> Genesis:
    if not isinstance(obj, dict) or len(obj) != 1:
        raise ChainSpecError("chain spec: genesis must be an object with exactly one of raw / runtimeGenesis")
    (kind, body), = obj.items()
    if kind == "raw":
        if not isinstance(body, dict) or "top" not in body:
            raise ChainSpecError("chain spec: genesis.raw must hold a top map")
        children_obj = body.get("childrenDefault", {})
        if not isinstance(children_obj, dict):
            raise ChainSpecError("chain spec: genesis.raw.childrenDefault must be an object")
        children = {_unhex(k, "childrenDefault key"): _storage_from_json(v, f"childrenDefault[{k}]")
                    for k, v in children_obj.items()}
        return RawGenesis(_storage_from_json(body["top"], "genesis.raw.top"), children)
    if kind == "runtimeGenesis":
        if not isinstance(body, dict):
            raise ChainSpecError("chain spec: genesis.runtimeGenesis must be an object")
        code = _unhex(body.get("code", "0x"), "genesis.runtimeGenesis.code")
        blobs = [k for k in ("patch", "config") if k in body]
        if len(blobs) != 1 or not isinstance(body[blobs[0]], dict):
            raise ChainSpecError("chain spec: genesis.runtimeGenesis needs exactly one patch or config object")
        which: Literal["patch", "config"] = "patch" if blobs[0] == "patch" else "config"
        return RuntimeGenesis(code, body[which], which)
    if kind == "stateRootHash":
        raise ChainSpecError("chain spec: genesis.stateRootHash specs cannot start a node (no storage)")
    raise ChainSpecError(f"chain spec: unsupported genesis format {kind!r} (expected raw or runtimeGenesis)")


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ChainSpecError(f"chain spec: {key} must be a string or null")
    return value


def from_json(text: str | bytes) -> ChainSpec:
    """Parse a chain spec JSON document (raw or non-raw), as `ChainSpec::from_json_bytes` does."""
    try:
        obj = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChainSpecError(f"chain spec: not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ChainSpecError("chain spec: top level must be a JSON object")
    for key in ("name", "id"):
        if not isinstance(obj.get(key), str):
            raise ChainSpecError(f"chain spec: missing string field {key!r}")
    chain_type = obj.get("chainType", "Live")
    if not (chain_type in ("Development", "Local", "Live")
            or (isinstance(chain_type, dict) and list(chain_type) == ["Custom"])):
        raise ChainSpecError(f"chain spec: unknown chainType {chain_type!r}")
    boot_nodes = obj.get("bootNodes", [])
    if not isinstance(boot_nodes, list) or not all(isinstance(b, str) for b in boot_nodes):
        raise ChainSpecError("chain spec: bootNodes must be a list of multiaddr strings")
    telemetry = obj.get("telemetryEndpoints")
    endpoints: tuple[tuple[str, int], ...] | None = None
    if telemetry is not None:
        if not isinstance(telemetry, list) or not all(
                isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and isinstance(e[1], int)
                for e in telemetry):
            raise ChainSpecError("chain spec: telemetryEndpoints must be a list of [url, verbosity]")
        endpoints = tuple((e[0], e[1]) for e in telemetry)
    properties = obj.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise ChainSpecError("chain spec: properties must be an object or null")
    substitutes = obj.get("codeSubstitutes", {})
    if not isinstance(substitutes, dict):
        raise ChainSpecError("chain spec: codeSubstitutes must be an object")
    if "genesis" not in obj:
        raise ChainSpecError("chain spec: missing genesis")
    return ChainSpec(
        name=obj["name"],
        id=obj["id"],
        chain_type=chain_type,
        boot_nodes=tuple(boot_nodes),
        telemetry_endpoints=endpoints,
        protocol_id=_opt_str(obj, "protocolId"),
        properties=properties,
        fork_id=_opt_str(obj, "forkId"),
        code_substitutes={k: _unhex(v, f"codeSubstitutes[{k}]") for k, v in substitutes.items()},
        genesis=_genesis_from_json(obj["genesis"]),
        extensions={k: v for k, v in obj.items() if k not in _CLIENT_FIELDS},
    )
