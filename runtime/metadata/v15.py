"""RuntimeMetadataV15 from the IR: served through `Metadata_metadata_at_version(15)`.

Adds pallet docs, explicit extrinsic address/call/signature/extra types, the runtime APIs and the
outer enums. The API inputs reference the UncheckedExtrinsic type, which is how polkadot.js finds the
extrinsic's Address/Call/Signature in V15.
"""

from __future__ import annotations

from runtime.scale import TypeRegistry
from runtime.scale.compact import encode_compact
from runtime.scale.registry import encode_str, encode_strs

from .common import encode_pallet, prefixed
from .ir import MetadataIR


def encode_v15(ir: MetadataIR) -> bytes:
    """`meta` ++ 15 ++ RuntimeMetadataV15."""
    registry = TypeRegistry()
    registry.register(ir.extrinsic_type)
    pallets = [encode_pallet(registry, p, with_docs=True) for p in ir.pallets]
    extensions = [encode_str(e.identifier) + encode_compact(registry.register(e.ty))
                  + encode_compact(registry.register(e.additional_signed)) for e in ir.signed_extensions]
    extrinsic = (bytes((ir.extrinsic_version,)) + encode_compact(registry.register(ir.address_type))
                 + encode_compact(registry.register(ir.call_type)) + encode_compact(registry.register(ir.signature_type))
                 + encode_compact(registry.register(ir.extra_type)) + encode_compact(len(extensions))
                 + b"".join(extensions))
    runtime_ty = encode_compact(registry.register(ir.runtime_type))
    apis = [encode_compact(len(ir.apis))]
    for api in ir.apis:
        methods = [encode_compact(len(api.methods))]
        for m in api.methods:
            inputs = encode_compact(len(m.inputs)) + b"".join(
                encode_str(name) + encode_compact(registry.register(ty)) for name, ty in m.inputs)
            methods.append(encode_str(m.name) + inputs + encode_compact(registry.register(m.output))
                           + encode_strs(m.docs))
        apis.append(encode_str(api.name) + b"".join(methods) + encode_strs(api.docs))
    outer = (encode_compact(registry.register(ir.call_type)) + encode_compact(registry.register(ir.event_type))
             + encode_compact(registry.register(ir.error_type)))
    custom = encode_compact(0)
    body = (registry.encode() + encode_compact(len(pallets)) + b"".join(pallets) + extrinsic + runtime_ty
            + b"".join(apis) + outer + custom)
    return prefixed(15, body)
