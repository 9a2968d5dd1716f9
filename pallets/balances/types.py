"""Balances types: the account balance record stored in System.Account, and balance locks."""

from __future__ import annotations

from runtime.primitives.types import Balance
from runtime.scale import U128, ByteArray, Enum, Field, Struct, Variant, Vec

ExtraFlags = Struct(("pallet_balances", "types", "ExtraFlags"), (Field(None, U128, "u128"),))

AccountData = Struct(
    ("pallet_balances", "types", "AccountData"),
    (
        Field("free", Balance, "Balance"),
        Field("reserved", Balance, "Balance"),
        Field("frozen", Balance, "Balance"),
        Field("flags", ExtraFlags, "ExtraFlags"),
    ),
    params=(("Balance", Balance),),
)

Reasons = Enum(("pallet_balances", "types", "Reasons"), (Variant("Fee", 0), Variant("Misc", 1), Variant("All", 2)))

BalanceLock = Struct(
    ("pallet_balances", "types", "BalanceLock"),
    (Field("id", ByteArray(8), "LockIdentifier"), Field("amount", Balance, "Balance"),
     Field("reasons", Reasons, "Reasons")),
    params=(("Balance", Balance),),
)

BoundedLocks = Struct(
    ("bounded_collections", "weak_bounded_vec", "WeakBoundedVec"),
    (Field(None, Vec(BalanceLock), "Vec<T>"),),
    params=(("T", BalanceLock), ("S", None)),
)

NEW_LOGIC_FLAG = 1 << 127
"""ExtraFlags bit FRAME sets on every account it writes with the new (holds/freezes) logic."""

RUNTIME_CRATE = "solochain_template_runtime"
"""Crate path of the runtime-wide hold/freeze reason enums (the reference runtime's; see the report)."""

ReserveData = Struct(
    ("pallet_balances", "types", "ReserveData"),
    (Field("id", ByteArray(8), "ReserveIdentifier"), Field("amount", Balance, "Balance")),
    params=(("ReserveIdentifier", ByteArray(8)), ("Balance", Balance)),
)


def bounded_vec(item: Struct) -> Struct:
    """bounded_collections::bounded_vec::BoundedVec<item, S>."""
    return Struct(
        ("bounded_collections", "bounded_vec", "BoundedVec"),
        (Field(None, Vec(item), "Vec<T>"),),
        params=(("T", item), ("S", None)),
    )


BoundedReserves = bounded_vec(ReserveData)

RuntimeHoldReason = Enum((RUNTIME_CRATE, "RuntimeHoldReason"), ())
RuntimeFreezeReason = Enum((RUNTIME_CRATE, "RuntimeFreezeReason"), ())


def id_amount(reason: Enum) -> Struct:
    """frame_support::traits::tokens::misc::IdAmount<reason, Balance>."""
    return Struct(
        ("frame_support", "traits", "tokens", "misc", "IdAmount"),
        (Field("id", reason, "Id"), Field("amount", Balance, "Balance")),
        params=(("Id", reason), ("Balance", Balance)),
    )


BoundedHolds = bounded_vec(id_amount(RuntimeHoldReason))
BoundedFreezes = bounded_vec(id_amount(RuntimeFreezeReason))

BalanceStatus = Enum(
    ("frame_support", "traits", "tokens", "misc", "BalanceStatus"),
    (Variant("Free", 0), Variant("Reserved", 1)),
)

AdjustmentDirection = Enum(
    ("pallet_balances", "types", "AdjustmentDirection"),
    (Variant("Increase", 0), Variant("Decrease", 1)),
)
