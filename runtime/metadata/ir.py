"""The metadata IR (sp-metadata-ir): one description of the runtime, independent of the wire version.

Built from the pallet specs, the signed-extension table and the runtime-API table. `v14.py` and
`v15.py` each turn it into bytes; both describe the same runtime, so V14 and V15 can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.scale import ScaleType, Struct
from runtime.support.pallet import PalletSpec
from runtime.support.runtime import Runtime


@dataclass(frozen=True)
class SignedExtensionIR:
    """One signed extension: identifier, explicit type (in the extrinsic) and implicit type (signed only)."""

    identifier: str
    ty: ScaleType[Any]
    additional_signed: ScaleType[Any]


@dataclass(frozen=True)
class ApiMethodIR:
    """One runtime-API method: name, named inputs, output type and docs."""

    name: str
    inputs: tuple[tuple[str, ScaleType[Any]], ...]
    output: ScaleType[Any]
    docs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiIR:
    """One runtime API trait (e.g. Core): name, methods, docs."""

    name: str
    methods: tuple[ApiMethodIR, ...]
    docs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PalletIR:
    """A pallet at its index."""

    index: int
    spec: PalletSpec


@dataclass(frozen=True)
class MetadataIR:
    """Everything the metadata says about one runtime."""

    pallets: tuple[PalletIR, ...]
    extrinsic_type: ScaleType[Any]
    extrinsic_version: int
    address_type: ScaleType[Any]
    call_type: ScaleType[Any]
    signature_type: ScaleType[Any]
    extra_type: ScaleType[Any]
    signed_extensions: tuple[SignedExtensionIR, ...]
    runtime_type: ScaleType[Any]
    event_type: ScaleType[Any]
    error_type: ScaleType[Any]
    apis: tuple[ApiIR, ...]


def build_ir(runtime: Runtime, *, extrinsic_type: ScaleType[Any], address_type: ScaleType[Any],
             signature_type: ScaleType[Any], extra_type: ScaleType[Any],
             signed_extensions: tuple[SignedExtensionIR, ...], apis: tuple[ApiIR, ...]) -> MetadataIR:
    """Collect the IR of an assembled runtime."""
    return MetadataIR(
        pallets=tuple(PalletIR(index, pallet.spec) for index, pallet in runtime.pallets),
        extrinsic_type=extrinsic_type,
        extrinsic_version=4,
        address_type=address_type,
        call_type=runtime.call_type,
        signature_type=signature_type,
        extra_type=extra_type,
        signed_extensions=signed_extensions,
        runtime_type=Struct((runtime.crate, "Runtime"), ()),
        event_type=runtime.event_type,
        error_type=runtime.error_type,
        apis=apis,
    )
