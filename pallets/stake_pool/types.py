"""SCALE types of PhalaStakePoolv2 (BasePool folded in): pools, withdraw requests, Permill.

Shapes follow Phala's `PoolProxy::StakePool(StakePool{basepool: BasePool{..}, ..})` minus the RMRK
parts: no collection id, no value subscribers (vaults), and each withdraw request carries its shares
instead of an NFT id. Share ownership lives in the `PoolStakers` ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pallets.computation.types import WorkerPublicKey
from runtime.primitives.types import AccountId
from runtime.scale import U32, U64, U128, Enum, Field, Option, ScaleType, Struct, Variant, Vec
from runtime.scale.types import Buf

if TYPE_CHECKING:
    from runtime.scale.registry import TypeInfo, TypeRegistry

RUST_MODULE = "phala_pallets::compute::stake_pool_v2"
_BASE = ("phala_pallets", "compute", "base_pool", "pallet")
_PROXY = ("phala_pallets", "compute", "pool_proxy")
_PARAMS: tuple[tuple[str, ScaleType[Any] | None], ...] = (("AccountId", AccountId), ("Balance", U128))


class PermillType(ScaleType[int]):
    """sp_arithmetic::per_things::Permill: a u32 newtype counting parts per million."""

    path = ("sp_arithmetic", "per_things", "Permill")

    def encode(self, value: int) -> bytes:
        if not 0 <= value <= 1_000_000:
            from runtime.scale import ScaleEncodeError
            raise ScaleEncodeError(f"Permill: {value} exceeds 1_000_000 parts")
        return U32.encode(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[int, int]:
        return U32.decode_at(data, offset)

    def describe(self) -> str:
        return "Permill"

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.composite(self.path, (), ((None, U32, "u32"),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PermillType)

    def __hash__(self) -> int:
        return hash(self.path)


Permill = PermillType()

WithdrawInfo = Struct(_BASE + ("WithdrawInfo",), (
    Field("user", AccountId, "AccountId"),
    Field("start_time", U64, "u64"),
    Field("shares", U128, "Balance"),
), params=(("AccountId", AccountId), ("Balance", U128)))

BasePool = Struct(_BASE + ("BasePool",), (
    Field("pid", U64, "u64"),
    Field("owner", AccountId, "AccountId"),
    Field("total_shares", U128, "Balance"),
    Field("total_value", U128, "Balance"),
    Field("withdraw_queue", Vec(WithdrawInfo), "VecDeque<WithdrawInfo<AccountId, Balance>>"),
    Field("pool_account_id", AccountId, "AccountId"),
), params=_PARAMS)

StakePool = Struct(_PROXY + ("StakePool",), (
    Field("basepool", BasePool, "base_pool::BasePool<AccountId, Balance>"),
    Field("payout_commission", Option(Permill), "Option<Permill>"),
    Field("cap", Option(U128), "Option<Balance>"),
    Field("workers", Vec(WorkerPublicKey), "Vec<WorkerPublicKey>"),
    Field("cd_workers", Vec(WorkerPublicKey), "Vec<WorkerPublicKey>"),
    Field("lock_account", AccountId, "AccountId"),
    Field("owner_reward_account", AccountId, "AccountId"),
), params=_PARAMS)

PoolProxy = Enum(_PROXY + ("PoolProxy",), (
    Variant("StakePool", 0, (Field(None, StakePool, "StakePool<AccountId, Balance>"),)),
), params=_PARAMS)
"""Phala's PoolProxy keeps its `StakePool` variant (index 0); vaults are not modelled."""
