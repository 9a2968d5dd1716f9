"""The assembled runtime (construct_runtime!): pallets at their indices, executive, metadata and APIs.

`build_assembly()` wires everything once; the node holds one `Assembly` and reaches the runtime only
through it (executive for blocks, `apis.call` for `state_call`, `metadata_v14/15` for clients).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from runtime.metadata.ir import build_ir
from runtime.metadata.v14 import encode_v14
from runtime.metadata.v15 import encode_v15
from runtime.primitives import types as sp
from runtime.scale import (
    U64,
    U128,
    Bool,
    ByteArray,
    Bytes,
    Enum,
    Field,
    Result,
    ScaleType,
    Str,
    Struct,
    Unit,
    Variant,
    Vec,
)
from runtime.support.overlay import Overlay, StorageReader
from runtime.support.pallet import Pallet
from runtime.support.runtime import Runtime, RuntimeInstance
from runtime.validity import TransactionSourceType, TransactionValidityErrorType
from runtime.version import VERSION, RuntimeVersion

from .extensions import EXTRA_TYPE, SIGNED_EXTENSIONS

CRATE = "phala_node_runtime"


def _btree_map(key: ScaleType[Any], value: ScaleType[Any]) -> Struct:
    from runtime.scale import Tuple
    return Struct(("BTreeMap",), (Field(None, Vec(Tuple((key, value)))),), params=(("K", key), ("V", value)))


@dataclass
class ApiTypes:
    """Type objects the runtime APIs and metadata refer to."""

    extrinsic: ScaleType[Any]
    header: ScaleType[Any]
    block: ScaleType[Any]
    runtime_version: ScaleType[Any]
    inclusion_mode: ScaleType[Any]
    opaque_metadata: ScaleType[Any]
    apply_result: ScaleType[Any]
    inherent_data: ScaleType[Any]
    check_inherents_result: ScaleType[Any]
    tx_source: ScaleType[Any]
    hash: ScaleType[Any]
    slot_duration: ScaleType[Any]
    aura_id: ScaleType[Any]
    key_type_id: ScaleType[Any]
    grandpa_id: ScaleType[Any]
    opaque_key_ownership_proof: ScaleType[Any]
    account_id: ScaleType[Any]
    runtime_dispatch_info: ScaleType[Any]
    fee_details: ScaleType[Any]
    weight: ScaleType[Any]
    balance: ScaleType[Any]
    string_result: ScaleType[Any]


def _api_types(runtime: Runtime, payment_types: Any) -> ApiTypes:
    extrinsic = sp.unchecked_extrinsic(runtime.call_type, EXTRA_TYPE)
    header = sp.HeaderType
    inherent_data = Struct(("sp_inherents", "InherentData"),
                           (Field("data", _btree_map(ByteArray(8), Bytes), "BTreeMap<InherentIdentifier, Vec<u8>>"),))
    return ApiTypes(
        extrinsic=extrinsic,
        header=header,
        block=Struct(("sp_runtime", "generic", "block", "Block"),
                     (Field("header", header, "Header"), Field("extrinsics", Vec(extrinsic), "Vec<Extrinsic>")),
                     params=(("Header", header), ("Extrinsic", extrinsic))),
        runtime_version=sp.RuntimeVersionType,
        inclusion_mode=Enum(("sp_runtime", "ExtrinsicInclusionMode"),
                            (Variant("AllExtrinsics", 0), Variant("OnlyInherents", 1))),
        opaque_metadata=Struct(("sp_core", "OpaqueMetadata"), (Field(None, Bytes, "Vec<u8>"),)),
        apply_result=Result(Result(Unit, sp.DispatchError), TransactionValidityErrorType),
        inherent_data=inherent_data,
        check_inherents_result=Struct(("sp_inherents", "CheckInherentsResult"),
                                      (Field("okay", Bool, "bool"), Field("fatal_error", Bool, "bool"),
                                       Field("errors", inherent_data, "InherentData"))),
        tx_source=TransactionSourceType,
        hash=sp.H256,
        slot_duration=Struct(("sp_consensus_slots", "SlotDuration"), (Field(None, U64, "u64"),)),
        aura_id=sp.AuraAuthorityId,
        key_type_id=Struct(("sp_core", "crypto", "KeyTypeId"), (Field(None, ByteArray(4), "[u8; 4]"),)),
        grandpa_id=sp.GrandpaAuthorityId,
        opaque_key_ownership_proof=Struct(("sp_consensus_grandpa", "OpaqueKeyOwnershipProof"),
                                          (Field(None, Bytes, "Vec<u8>"),)),
        account_id=sp.AccountId,
        runtime_dispatch_info=payment_types.RuntimeDispatchInfo,
        fee_details=payment_types.FeeDetails,
        weight=sp.Weight,
        balance=U128,
        string_result=Result(Unit, Str),
    )


class Assembly:
    """One assembled runtime: the node's single handle on everything deterministic."""

    def __init__(self, pallets: list[tuple[int, type[Pallet]]], version: RuntimeVersion = VERSION) -> None:
        from pallets.transaction_payment import types as payment_types
        from runtime.apis import RuntimeApis, build_api_table
        from runtime.executive import Executive

        self.version = version
        self.runtime = Runtime(CRATE, pallets)
        system = self.runtime.by_name["System"]
        for const in system.spec.constants:
            if const.name == "Version":
                const.value = version.to_scale_value()
                const.encoded = const.type.encode(const.value)
        self.types = _api_types(self.runtime, payment_types)
        self.executive = Executive(self.runtime, version)
        self.apis = RuntimeApis(self, build_api_table(self))

    @cached_property
    def metadata_ir(self) -> Any:
        """The metadata IR (built on first use)."""
        return build_ir(self.runtime, extrinsic_type=self.types.extrinsic, address_type=sp.MultiAddress,
                        signature_type=sp.MultiSignature, extra_type=EXTRA_TYPE,
                        signed_extensions=SIGNED_EXTENSIONS, apis=self.apis.metadata_ir())

    @cached_property
    def _v14(self) -> bytes:
        return encode_v14(self.metadata_ir)

    @cached_property
    def _v15(self) -> bytes:
        return encode_v15(self.metadata_ir)

    def metadata_v14(self) -> bytes:
        """`meta` ++ V14: `state_getMetadata`."""
        return self._v14

    def metadata_v15(self) -> bytes:
        """`meta` ++ V15: `Metadata_metadata_at_version(15)`."""
        return self._v15

    def view(self, state: StorageReader, block_number: int) -> RuntimeInstance:
        """A read-mostly runtime view over a block's state (writes stay in a throwaway overlay)."""
        return self.runtime.instance(Overlay(state), block_number)

    def dry_run(self, ctx: Any, raw: bytes) -> bytes:
        """BlockBuilder_apply_extrinsic on top of `ctx`'s block: SCALE ApplyExtrinsicResult."""
        from runtime.executive import ExtrinsicFormatError
        from runtime.validity import TransactionValidityError

        block = self.executive.initialize_block(ctx.state, ctx.block_number + 1, ctx.block_hash)
        try:
            outcome = self.executive.apply_extrinsic(block, raw)
        except TransactionValidityError as err:
            return b"\x01" + err.encode()
        except ExtrinsicFormatError as exc:
            from runtime.apis import ApiError
            raise ApiError(f"apply_extrinsic: {exc}") from None
        if outcome.error is None:
            return b"\x00\x00"
        return b"\x00\x01" + sp.DispatchError.encode(block.rt.dispatch_error_value(outcome.error))

    def query_info(self, ctx: Any, args: bytes, *, details: bool) -> bytes:
        """TransactionPaymentApi query_info / query_fee_details for `extrinsic ++ u32 len`."""
        from runtime.apis import ApiError
        from runtime.executive import ExtrinsicFormatError
        from runtime.scale.compact import decode_compact

        try:
            size, offset = decode_compact(args, 0)
        except Exception as exc:
            raise ApiError(f"query_info: {exc}") from None
        end = offset + size
        if end + 4 != len(args):
            raise ApiError("query_info: expected extrinsic ++ u32 length")
        raw = args[:end]
        length = int.from_bytes(args[end:], "little")
        try:
            xt = self.executive._decode(raw)
            call = self.executive._decode_call(xt)
        except ExtrinsicFormatError as exc:
            raise ApiError(f"query_info: {exc}") from None
        info = self.executive.dispatch_info(call)
        rt = self.view(ctx.state, ctx.block_number)
        payment = rt.TransactionPayment
        if details:
            return self.types.fee_details.encode(payment.query_fee_details_value(length, info, xt.signed))
        return self.types.runtime_dispatch_info.encode(payment.query_info_value(length, info, xt.signed))

    def preset_names(self) -> list[str]:
        """Genesis presets this runtime knows."""
        from runtime.presets import PRESETS
        return sorted(PRESETS)

    def preset_json(self, name: str) -> bytes | None:
        """A preset's genesis patch as JSON bytes, or None."""
        import json

        from runtime.presets import PRESETS
        builder = PRESETS.get(name)
        return None if builder is None else json.dumps(builder(), sort_keys=True).encode()


def build_assembly() -> Assembly:
    """The phala-node runtime: FRAME core pallets at the solochain template's indices, then Phala's."""
    from pallets.aura import Aura
    from pallets.balances import Balances
    from pallets.computation import PhalaComputation
    from pallets.grandpa import Grandpa
    from pallets.mq import PhalaMq
    from pallets.phat_contracts import PhalaPhatContracts
    from pallets.phat_tokenomic import PhalaPhatTokenomic
    from pallets.registry import PhalaRegistry
    from pallets.stake_pool import PhalaStakePoolv2
    from pallets.sudo import Sudo
    from pallets.system import System
    from pallets.timestamp import Timestamp
    from pallets.transaction_payment import TransactionPayment
    from pallets.utility import Utility

    return Assembly([
        (0, System), (1, Timestamp), (2, Aura), (3, Grandpa), (4, Balances), (5, TransactionPayment),
        (6, Sudo), (7, Utility), (8, PhalaMq), (9, PhalaRegistry),
        (10, PhalaComputation), (11, PhalaStakePoolv2), (12, PhalaPhatContracts), (13, PhalaPhatTokenomic),
    ])
