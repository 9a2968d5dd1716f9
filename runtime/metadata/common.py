"""Encoding pieces shared by the V14 and V15 writers: pallet storage, constants and the prefixed envelope."""

from __future__ import annotations

from runtime.scale import TypeRegistry
from runtime.scale.compact import encode_compact
from runtime.scale.registry import encode_str, encode_strs
from runtime.support.pallet import PalletSpec, rust_docs
from runtime.support.storage import StorageMap

from .ir import PalletIR

MAGIC = b"meta"


def _opt_ty(registry: TypeRegistry, ty: object) -> bytes:
    return b"\x00" if ty is None else b"\x01" + encode_compact(registry.register(ty))  # type: ignore[arg-type]


def encode_storage(registry: TypeRegistry, spec: PalletSpec) -> bytes:
    """Option<PalletStorageMetadata>."""
    if not spec.storage:
        return b"\x00"
    entries = [encode_compact(len(spec.storage))]
    for item in spec.storage:
        modifier = b"\x00" if item.modifier == "Optional" else b"\x01"
        if isinstance(item, StorageMap):
            hashers = encode_compact(len(item.hashers)) + bytes(h.index for h in item.hashers)
            entry_type = (b"\x01" + hashers + encode_compact(registry.register(item.key_type))
                          + encode_compact(registry.register(item.value_type)))
        else:
            entry_type = b"\x00" + encode_compact(registry.register(item.value_type))
        default = item.default_bytes()
        docs = rust_docs(item.doc)
        entries.append(encode_str(item.name) + modifier + entry_type + encode_compact(len(default)) + default
                       + encode_strs(docs))
    return b"\x01" + encode_str(spec.name) + b"".join(entries)


def encode_constants(registry: TypeRegistry, spec: PalletSpec) -> bytes:
    """Vec<PalletConstantMetadata>."""
    out = [encode_compact(len(spec.constants))]
    for c in spec.constants:
        docs = rust_docs(c.doc)
        out.append(encode_str(c.name) + encode_compact(registry.register(c.type)) + encode_compact(len(c.encoded))
                   + c.encoded + encode_strs(docs))
    return b"".join(out)


def encode_pallet(registry: TypeRegistry, pallet: PalletIR, *, with_docs: bool) -> bytes:
    """PalletMetadata (V14), or V15 with the trailing docs."""
    spec = pallet.spec
    out = (encode_str(spec.name) + encode_storage(registry, spec) + _opt_ty(registry, spec.call_type)
           + _opt_ty(registry, spec.event_type) + encode_constants(registry, spec)
           + _opt_ty(registry, spec.error_type) + bytes((pallet.index,)))
    if with_docs:
        out += encode_strs(spec.docs)
    return out


def prefixed(version: int, body: bytes) -> bytes:
    """RuntimeMetadataPrefixed: magic ++ version byte ++ body."""
    return MAGIC + bytes((version,)) + body
