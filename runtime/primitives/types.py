"""Type objects for the sp_* and frame_support types every runtime shares, with Substrate's exact paths.

Clients find the extrinsic, address, signature, event-record and error types by these paths and
type-parameter names (client-compat.md §7.3), so each path here is copied from scale-info's output
for polkadot-sdk, not invented.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import (
    U8,
    U32,
    U64,
    U128,
    ByteArray,
    Bytes,
    Compact,
    Enum,
    Field,
    Str,
    Struct,
    Tuple,
    Unit,
    Variant,
    Vec,
)
from runtime.scale.types import CompactUnitType, ScaleType

AccountId = ByteArray(32, ("sp_core", "crypto", "AccountId32"), "[u8; 32]")
H256 = ByteArray(32, ("primitive_types", "H256"), "[u8; 32]")
Hash = H256
BlockNumber = U32
Balance = U128
Nonce = U32
Moment = U64
CompactBalance = Compact(U128)

MultiAddress = Enum(
    ("sp_runtime", "multiaddress", "MultiAddress"),
    (
        Variant("Id", 0, (Field(None, AccountId, "AccountId"),)),
        Variant("Index", 1, (Field(None, CompactUnitType(), "AccountIndex"),)),
        Variant("Raw", 2, (Field(None, Bytes, "Vec<u8>"),)),
        Variant("Address32", 3, (Field(None, ByteArray(32), "[u8; 32]"),)),
        Variant("Address20", 4, (Field(None, ByteArray(20), "[u8; 20]"),)),
    ),
    params=(("AccountId", AccountId), ("AccountIndex", Tuple(()))),
)

MultiSignature = Enum(
    ("sp_runtime", "MultiSignature"),
    (
        Variant("Ed25519", 0, (Field(None, ByteArray(64), "ed25519::Signature"),)),
        Variant("Sr25519", 1, (Field(None, ByteArray(64), "sr25519::Signature"),)),
        Variant("Ecdsa", 2, (Field(None, ByteArray(65), "ecdsa::Signature"),)),
    ),
)

Era = Enum(
    ("sp_runtime", "generic", "era", "Era"),
    (Variant("Immortal", 0),) + tuple(
        Variant(f"Mortal{i}", i, (Field(None, U8),)) for i in range(1, 256)
    ),
)

Weight = Struct(
    ("sp_weights", "weight_v2", "Weight"),
    (Field("ref_time", Compact(U64), "u64"), Field("proof_size", Compact(U64), "u64")),
)

DispatchClass = Enum(
    ("frame_support", "dispatch", "DispatchClass"),
    (Variant("Normal", 0), Variant("Operational", 1), Variant("Mandatory", 2)),
)

Pays = Enum(("frame_support", "dispatch", "Pays"), (Variant("Yes", 0), Variant("No", 1)))

DispatchEventInfo = Struct(
    ("frame_system", "DispatchEventInfo"),
    (Field("weight", Weight, "Weight"), Field("class", DispatchClass, "DispatchClass"),
     Field("pays_fee", Pays, "Pays")),
)

ModuleErrorType = Struct(
    ("sp_runtime", "ModuleError"),
    (Field("index", U8, "u8"), Field("error", ByteArray(4), "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]")),
)

TokenError = Enum(
    ("sp_runtime", "TokenError"),
    tuple(Variant(name, i) for i, name in enumerate((
        "FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen",
        "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked",
    ))),
)

ArithmeticError = Enum(
    ("sp_arithmetic", "ArithmeticError"),
    (Variant("Underflow", 0), Variant("Overflow", 1), Variant("DivisionByZero", 2)),
)

TransactionalError = Enum(
    ("sp_runtime", "TransactionalError"),
    (Variant("LimitReached", 0), Variant("NoLayer", 1)),
)

DispatchError = Enum(
    ("sp_runtime", "DispatchError"),
    (
        Variant("Other", 0),
        Variant("CannotLookup", 1),
        Variant("BadOrigin", 2),
        Variant("Module", 3, (Field(None, ModuleErrorType, "ModuleError"),)),
        Variant("ConsumerRemaining", 4),
        Variant("NoProviders", 5),
        Variant("TooManyConsumers", 6),
        Variant("Token", 7, (Field(None, TokenError, "TokenError"),)),
        Variant("Arithmetic", 8, (Field(None, ArithmeticError, "ArithmeticError"),)),
        Variant("Transactional", 9, (Field(None, TransactionalError, "TransactionalError"),)),
        Variant("Exhausted", 10),
        Variant("Corruption", 11),
        Variant("Unavailable", 12),
        Variant("RootNotAllowed", 13),
    ),
)

DispatchResult = Enum(
    ("Result",),
    (Variant("Ok", 0, (Field(None, Unit),)), Variant("Err", 1, (Field(None, DispatchError),))),
    params=(("T", Unit), ("E", DispatchError)),
)

Phase = Enum(
    ("frame_system", "Phase"),
    (Variant("ApplyExtrinsic", 0, (Field(None, U32, "u32"),)), Variant("Finalization", 1),
     Variant("Initialization", 2)),
)

DigestItem = Enum(
    ("sp_runtime", "generic", "digest", "DigestItem"),
    (
        Variant("PreRuntime", 6, (Field(None, ByteArray(4), "ConsensusEngineId"), Field(None, Bytes, "Vec<u8>"))),
        Variant("Consensus", 4, (Field(None, ByteArray(4), "ConsensusEngineId"), Field(None, Bytes, "Vec<u8>"))),
        Variant("Seal", 5, (Field(None, ByteArray(4), "ConsensusEngineId"), Field(None, Bytes, "Vec<u8>"))),
        Variant("Other", 0, (Field(None, Bytes, "Vec<u8>"),)),
        Variant("RuntimeEnvironmentUpdated", 8),
    ),
)

Digest = Struct(("sp_runtime", "generic", "digest", "Digest"), (Field("logs", Vec(DigestItem), "Vec<DigestItem>"),))

HeaderType = Struct(
    ("sp_runtime", "generic", "header", "Header"),
    (
        Field("parent_hash", H256, "Hash::Output"),
        Field("number", Compact(U32), "Number"),
        Field("state_root", H256, "Hash::Output"),
        Field("extrinsics_root", H256, "Hash::Output"),
        Field("digest", Digest, "Digest"),
    ),
    params=(("Number", U32), ("Hash", None)),
)

_ApiList = Vec(Tuple((ByteArray(8), U32)))
ApisVec = Struct(("Cow",), (Field(None, _ApiList),), params=(("T", _ApiList),))
"""scale-info's `Cow<'static, [([u8; 8], u32)]>`: a one-field composite around the list (same bytes)."""

RuntimeVersionType = Struct(
    ("sp_version", "RuntimeVersion"),
    (
        Field("spec_name", Str, "Cow<'static, str>"),
        Field("impl_name", Str, "Cow<'static, str>"),
        Field("authoring_version", U32, "u32"),
        Field("spec_version", U32, "u32"),
        Field("impl_version", U32, "u32"),
        Field("apis", ApisVec, "ApisVec"),
        Field("transaction_version", U32, "u32"),
        Field("system_version", U8, "u8"),
    ),
)

AuraAuthorityId = ByteArray(32, ("sp_consensus_aura", "sr25519", "app_sr25519", "Public"), "sr25519::Public")
GrandpaAuthorityId = ByteArray(32, ("sp_consensus_grandpa", "app", "Public"), "ed25519::Public")
Slot = Struct(("sp_consensus_slots", "Slot"), (Field(None, U64, "u64"),))


def event_record(runtime_event: ScaleType[Any]) -> Struct:
    """frame_system::EventRecord<E, T> for the runtime's outer event enum."""
    return Struct(
        ("frame_system", "EventRecord"),
        (Field("phase", Phase, "Phase"), Field("event", runtime_event, "E"), Field("topics", Vec(H256), "Vec<T>")),
        params=(("E", runtime_event), ("T", H256)),
    )


def unchecked_extrinsic(call: ScaleType[Any], extra: ScaleType[Any]) -> Struct:
    """sp_runtime's UncheckedExtrinsic<Address, Call, Signature, Extra>: an opaque Vec<u8> with typed params."""
    return Struct(
        ("sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"),
        (Field(None, Bytes),),
        params=(("Address", MultiAddress), ("Call", call), ("Signature", MultiSignature), ("Extra", extra)),
    )

