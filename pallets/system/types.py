"""System types: AccountInfo (hand-coded: it is read and written by every transaction) and block limits."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from pallets.balances.types import AccountData
from runtime.primitives.types import H256, Weight
from runtime.scale import (
    U32,
    U64,
    Bool,
    Compact,
    Field,
    Option,
    ScaleDecodeError,
    ScaleEncodeError,
    Str,
    Struct,
)


@dataclass(slots=True)
class AccountInfo:
    """frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>, flattened."""

    nonce: int = 0
    consumers: int = 0
    providers: int = 0
    sufficients: int = 0
    free: int = 0
    reserved: int = 0
    frozen: int = 0
    flags: int = 0


_ACCOUNT_INFO_LEN = 16 + 64
_LAYOUT = struct.Struct("<4I8Q")  # nonce and ref counts, then each u128 as (low, high) u64 halves


AccountFields = tuple[int, int, int, int, int, int, int, int]
"""An AccountInfo's fields in declaration order: the immutable form the storage overlay memoises."""

_U64 = (1 << 64) - 1
_pack = _LAYOUT.pack
_unpack_from = _LAYOUT.unpack_from


def account_fields(info: AccountInfo) -> AccountFields:
    """`info`'s fields as an immutable tuple (nonce, consumers, providers, sufficients, free, reserved, frozen, flags)."""
    return (info.nonce, info.consumers, info.providers, info.sufficients, info.free, info.reserved, info.frozen,
            info.flags)


def encode_account_fields(t: AccountFields) -> bytes:
    """SCALE of the AccountInfo with fields `t` (80 bytes); ScaleEncodeError when a field is out of range."""
    n, c, p, s, f, r, z, g = t
    try:  # a negative or too large u128 leaves a high half outside u64, which struct refuses
        return _pack(n, c, p, s, f & _U64, f >> 64, r & _U64, r >> 64, z & _U64, z >> 64, g & _U64, g >> 64)
    except (struct.error, TypeError):
        pass
    try:  # field by field: the same bytes, and the error a bad field has always raised
        return b"".join((n.to_bytes(4, "little"), c.to_bytes(4, "little"), p.to_bytes(4, "little"),
                         s.to_bytes(4, "little"), f.to_bytes(16, "little"), r.to_bytes(16, "little"),
                         z.to_bytes(16, "little"), g.to_bytes(16, "little")))
    except OverflowError:
        raise ScaleEncodeError("AccountInfo: a field is out of range") from None


def decode_account_fields(raw: bytes | None) -> AccountFields | None:
    """The fields of a stored 80-byte AccountInfo (None for None); ScaleDecodeError on any other length."""
    if raw is None:
        return None
    if len(raw) != _ACCOUNT_INFO_LEN:
        return account_fields(AccountInfoCodec.decode(raw))  # the generic path raises its error
    n, c, p, s, f0, f1, r0, r1, z0, z1, g0, g1 = _unpack_from(raw, 0)
    return (n, c, p, s, f0 | f1 << 64, r0 | r1 << 64, z0 | z1 << 64, g0 | g1 << 64)


class AccountInfoType(Struct):
    """Hand-written codec for AccountInfo (80 bytes), described to the registry as FRAME's struct."""

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, AccountInfo):
            raise ScaleEncodeError("AccountInfo: value is not an AccountInfo")
        return encode_account_fields((value.nonce, value.consumers, value.providers, value.sufficients, value.free,
                                      value.reserved, value.frozen, value.flags))

    def decode_at(self, data: bytes | memoryview, offset: int) -> tuple[AccountInfo, int]:
        end = offset + _ACCOUNT_INFO_LEN
        if end > len(data):
            raise ScaleDecodeError("AccountInfo: input truncated")
        n, c, p, s, f0, f1, r0, r1, z0, z1, g0, g1 = _LAYOUT.unpack_from(data, offset)
        return AccountInfo(n, c, p, s, f0 | f1 << 64, r0 | r1 << 64, z0 | z1 << 64, g0 | g1 << 64), end

    def decode(self, data: bytes | memoryview) -> AccountInfo:
        if len(data) != _ACCOUNT_INFO_LEN:
            info: AccountInfo = super().decode(data)  # truncated or trailing bytes: the generic path raises
            return info
        n, c, p, s, f0, f1, r0, r1, z0, z1, g0, g1 = _LAYOUT.unpack_from(data, 0)
        return AccountInfo(n, c, p, s, f0 | f1 << 64, r0 | r1 << 64, z0 | z1 << 64, g0 | g1 << 64)


AccountInfoCodec = AccountInfoType(
    ("frame_system", "AccountInfo"),
    (
        Field("nonce", U32, "Nonce"),
        Field("consumers", U32, "RefCount"),
        Field("providers", U32, "RefCount"),
        Field("sufficients", U32, "RefCount"),
        Field("data", AccountData, "AccountData"),
    ),
    params=(("Nonce", U32), ("AccountData", AccountData)),
)


def per_class(inner: Any, type_name: str) -> Struct:
    """frame_support::dispatch::PerDispatchClass<inner>."""
    return Struct(
        ("frame_support", "dispatch", "PerDispatchClass"),
        (Field("normal", inner, type_name), Field("operational", inner, type_name),
         Field("mandatory", inner, type_name)),
        params=(("T", inner),),
    )


WeightsPerClass = Struct(
    ("frame_system", "limits", "WeightsPerClass"),
    (
        Field("base_extrinsic", Weight, "Weight"),
        Field("max_extrinsic", Option(Weight), "Option<Weight>"),
        Field("max_total", Option(Weight), "Option<Weight>"),
        Field("reserved", Option(Weight), "Option<Weight>"),
    ),
)

BlockWeightsType = Struct(
    ("frame_system", "limits", "BlockWeights"),
    (Field("base_block", Weight, "Weight"), Field("max_block", Weight, "Weight"),
     Field("per_class", per_class(WeightsPerClass, "WeightsPerClass"), "PerDispatchClass<WeightsPerClass>")),
)

ConsumedWeight = per_class(Weight, "T")

BlockLengthType = Struct(
    ("frame_system", "limits", "BlockLength"),
    (Field("max", per_class(U32, "T"), "PerDispatchClass<u32>"),),
)

RuntimeDbWeight = Struct(
    ("sp_weights", "RuntimeDbWeight"),
    (Field("read", U64, "u64"), Field("write", U64, "u64")),
)

LastRuntimeUpgradeInfo = Struct(
    ("frame_system", "LastRuntimeUpgradeInfo"),
    (Field("spec_version", Compact(U32), "codec::Compact<u32>"),
     Field("spec_name", Str, "Cow<'static, str>")),
)

CodeUpgradeAuthorization = Struct(
    ("frame_system", "CodeUpgradeAuthorization"),
    (Field("code_hash", H256, "T::Hash"), Field("check_version", Bool, "bool")),
    params=(("T", None),),
)
