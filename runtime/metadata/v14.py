"""RuntimeMetadataV14 from the IR: what `state_getMetadata` and `Metadata_metadata` serve."""

from __future__ import annotations

from runtime.scale import TypeRegistry
from runtime.scale.compact import encode_compact
from runtime.scale.registry import encode_str

from .common import encode_pallet, prefixed
from .ir import MetadataIR


def encode_v14(ir: MetadataIR) -> bytes:
    """`meta` ++ 14 ++ RuntimeMetadataV14."""
    registry = TypeRegistry()
    pallets = [encode_pallet(registry, p, with_docs=False) for p in ir.pallets]
    extensions = [encode_str(e.identifier) + encode_compact(registry.register(e.ty))
                  + encode_compact(registry.register(e.additional_signed)) for e in ir.signed_extensions]
    extrinsic = (encode_compact(registry.register(ir.extrinsic_type)) + bytes((ir.extrinsic_version,))
                 + encode_compact(len(extensions)) + b"".join(extensions))
    runtime_ty = encode_compact(registry.register(ir.runtime_type))
    body = registry.encode() + encode_compact(len(pallets)) + b"".join(pallets) + extrinsic + runtime_ty
    return prefixed(14, body)
