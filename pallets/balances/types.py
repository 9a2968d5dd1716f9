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
