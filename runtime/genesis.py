"""Genesis state: each pallet builds its part from the chain spec's genesis patch.

System's own genesis is FRAME's (BlockHash(0) and ParentHash set to the 0x45… placeholder, upgrade
flags set, `:code` written). `:code` holds a deterministic stand-in for a Wasm blob, tagged with the
spec version and the metadata hash, so anything that keys runtimes by the hash of `:code` (PAPI,
sidecar) sees it change exactly when this Python runtime changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.assembly import Assembly
from runtime.primitives.hashing import blake2_256, twox_128
from runtime.support.overlay import DictReader, Overlay

HASH69 = bytes([69]) * 32
CODE_KEY = b":code"
EXTRINSIC_INDEX_KEY = b":extrinsic_index"


def camel(name: str) -> str:
    """The genesis-patch key of a pallet: `TransactionPayment` → `transactionPayment`."""
    return name[:1].lower() + name[1:]


def runtime_code(assembly: Assembly) -> bytes:
    """The `:code` stand-in for this Python runtime."""
    v = assembly.version
    return (b"phala-node-python-runtime\x00" + v.spec_name.encode() + b"\x00"
            + v.spec_version.to_bytes(4, "little") + blake2_256(assembly.metadata_v14()))


class GenesisError(Exception):
    """The genesis patch names an unknown pallet or holds a value a pallet rejects."""


def build_genesis_storage(assembly: Assembly, patch: Mapping[str, Any]) -> dict[bytes, bytes]:
    """The full genesis storage for `patch` (camelCase pallet name → that pallet's config)."""
    known = {camel(p.spec.name) for _, p in assembly.runtime.pallets}
    unknown = set(patch) - known
    if unknown:
        raise GenesisError(f"genesis patch names unknown pallets: {sorted(unknown)}")
    backend = DictReader()
    overlay = Overlay(backend)
    rt = assembly.runtime.instance(overlay, 0)
    system = rt.System
    system.BlockHash.insert(0, HASH69)
    system.ParentHash.put(HASH69)
    system.LastRuntimeUpgrade.put({"spec_version": assembly.version.spec_version,
                                   "spec_name": assembly.version.spec_name})
    system.UpgradedToU32RefCount.put(True)
    system.UpgradedToTripleRefCount.put(True)
    overlay.set(CODE_KEY, runtime_code(assembly))
    overlay.set(EXTRINSIC_INDEX_KEY, b"\x00\x00\x00\x00")
    for _, pallet in assembly.runtime.pallets:
        builder = getattr(rt.pallet(pallet), "genesis_build", None)
        if builder is None:
            continue
        try:
            builder(dict(patch.get(camel(pallet.spec.name), {})))
        except (KeyError, ValueError, TypeError) as exc:
            raise GenesisError(f"genesis of {pallet.spec.name}: {exc}") from exc
    for _, pallet in assembly.runtime.pallets:  # FRAME's on_genesis: every pallet's in-code storage version
        version_key = twox_128(pallet.spec.name.encode()) + twox_128(b":__STORAGE_VERSION__:")
        if overlay.get(version_key) is None:
            overlay.set(version_key, pallet.spec.storage_version.to_bytes(2, "little"))
    overlay.events.clear()  # genesis deposits no events
    return {k: v for k, v in overlay.changes().items() if v is not None}
