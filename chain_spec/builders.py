"""The built-in chain specs (`dev`, `local`) and `load`, which resolves a `--chain` argument.

Mirrors the solochain template's `chain_spec.rs` / `command.rs::load_spec`: `dev` is "Development"
(id `dev`, preset `development`), `local` (or the empty string) is "Local Testnet" (id `local_testnet`,
preset `local_testnet`); anything else is a path to a JSON spec, raw or not. Built-in specs carry the
runtime code of the given assembly and the preset's genesis patch (non-raw, as `build-spec` prints).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ChainSpecError
from .spec import ChainSpec, RuntimeGenesis, from_json

if TYPE_CHECKING:
    from runtime.assembly import Assembly

DEFAULT_PROPERTIES: dict[str, Any] = {"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "PHA"}
BUILTIN_IDS = {"dev": "dev", "local": "local_testnet", "": "local_testnet"}


def _preset(name: str) -> dict[str, Any]:
    from runtime.presets import PRESETS

    return PRESETS[name]()


def _code(assembly: Assembly) -> bytes:
    from runtime.genesis import runtime_code

    return runtime_code(assembly)


def dev(assembly: Assembly) -> ChainSpec:
    """The development chain: Alice authors and finalizes alone."""
    return ChainSpec(name="Development", id="dev", chain_type="Development",
                     properties=dict(DEFAULT_PROPERTIES),
                     genesis=RuntimeGenesis(_code(assembly), _preset("development")))


def local(assembly: Assembly) -> ChainSpec:
    """The local testnet: Alice and Bob author."""
    return ChainSpec(name="Local Testnet", id="local_testnet", chain_type="Local",
                     properties=dict(DEFAULT_PROPERTIES),
                     genesis=RuntimeGenesis(_code(assembly), _preset("local_testnet")))


def load(path_or_name: str | Path, assembly: Assembly | None = None) -> ChainSpec:
    """Resolve `--chain`: "dev", "local" (or ""), else a JSON spec file (raw or non-raw).

    A built-in needs the runtime; it is built here when `assembly` is None. A file does not.
    """
    if isinstance(path_or_name, str) and path_or_name in BUILTIN_IDS:
        if assembly is None:
            from runtime.assembly import build_assembly

            assembly = build_assembly()
        return dev(assembly) if path_or_name == "dev" else local(assembly)
    path = Path(path_or_name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ChainSpecError(
            f"chain spec: {str(path_or_name)!r} is neither a built-in chain (dev, local) nor an existing file"
        ) from None
    except OSError as exc:
        raise ChainSpecError(f"chain spec: cannot read {path}: {exc}") from None
    return from_json(data)


def chain_id_of(path_or_name: str | Path) -> str:
    """The spec id a `--chain` argument names, without building any genesis (for paths on disk)."""
    if isinstance(path_or_name, str) and path_or_name in BUILTIN_IDS:
        return BUILTIN_IDS[path_or_name]
    try:
        obj = json.loads(Path(path_or_name).read_bytes())
    except FileNotFoundError:
        raise ChainSpecError(
            f"chain spec: {str(path_or_name)!r} is neither a built-in chain (dev, local) nor an existing file"
        ) from None
    except (OSError, ValueError) as exc:
        raise ChainSpecError(f"chain spec: cannot read {path_or_name}: {exc}") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise ChainSpecError(f"chain spec: {path_or_name} has no string id")
    return str(obj["id"])
