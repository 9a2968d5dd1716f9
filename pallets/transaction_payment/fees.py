"""Fee and priority arithmetic of pallet_transaction_payment for the solochain template, integers only.

The template prices weight and length with `IdentityFee` (1 planck per ps of ref_time, 1 per byte)
and keeps the multiplier constant at 1 (`ConstFeeMultiplier`), so a 145-byte transfer_keep_alive costs
base 107,074,000 + length 145 + weight 163,159,000 = 270,233,145. The formulas are FRAME's:
`compute_fee_raw`, `FixedU128::saturating_mul_int` (rounding down) and `ChargeTransactionPayment::get_priority`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pallets.system import limits
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight

U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
FIXED_ONE = 10**18
"""FixedU128's accuracy: the inner value of 1.0."""
OPERATIONAL_FEE_MULTIPLIER = 5

_MAX_BLOCK = Weight(limits.MAX_BLOCK_REF_TIME, limits.U64_MAX)
_CLASS_KEYS = {DispatchClass.Normal: "normal", DispatchClass.Operational: "operational",
               DispatchClass.Mandatory: "mandatory"}


@dataclass(frozen=True, slots=True)
class InclusionFee:
    """The fee for getting a transaction included: base + length + multiplier-adjusted weight fee."""

    base_fee: int
    len_fee: int
    adjusted_weight_fee: int

    @property
    def total(self) -> int:
        """InclusionFee::inclusion_fee (saturating)."""
        return min(self.base_fee + self.len_fee + self.adjusted_weight_fee, U128_MAX)


@dataclass(frozen=True, slots=True)
class FeeDetails:
    """pallet_transaction_payment::FeeDetails: the inclusion fee (None when the call pays nothing) and tip."""

    inclusion_fee: InclusionFee | None
    tip: int

    @property
    def final_fee(self) -> int:
        """FeeDetails::final_fee: inclusion fee plus tip (saturating)."""
        inclusion = self.inclusion_fee.total if self.inclusion_fee is not None else 0
        return min(inclusion + self.tip, U128_MAX)

    def to_scale_value(self) -> dict[str, Any]:
        """The value the `FeeDetails` type object encodes."""
        inc = self.inclusion_fee
        return {"inclusion_fee": None if inc is None else {"base_fee": inc.base_fee, "len_fee": inc.len_fee,
                                                           "adjusted_weight_fee": inc.adjusted_weight_fee},
                "tip": self.tip}


def weight_to_fee(weight: Weight) -> int:
    """IdentityFee of the weight capped at the block's max weight: its ref_time in planck."""
    return min(weight.ref_time, _MAX_BLOCK.ref_time)


def length_to_fee(length: int) -> int:
    """IdentityFee of the encoded length: one planck per byte."""
    return min(length, U64_MAX)


def saturating_mul_int(multiplier: int, n: int) -> int:
    """FixedU128(multiplier) · n, rounded down, saturating at u128::MAX."""
    return min(multiplier * n // FIXED_ONE, U128_MAX)


def base_extrinsic(dispatch_class: DispatchClass) -> Weight:
    """System.BlockWeights.per_class[class].base_extrinsic."""
    w = limits.BLOCK_WEIGHTS["per_class"][_CLASS_KEYS[dispatch_class]]["base_extrinsic"]
    return Weight(w["ref_time"], w["proof_size"])


def compute_fee_details(length: int, weight: Weight, dispatch_class: DispatchClass, pays_fee: Pays, tip: int,
                        multiplier: int = FIXED_ONE) -> FeeDetails:
    """compute_fee_raw: the fee parts for a transaction of `length` bytes and call weight `weight`."""
    if pays_fee != Pays.Yes:
        return FeeDetails(None, tip)
    return FeeDetails(InclusionFee(
        base_fee=weight_to_fee(base_extrinsic(dispatch_class)),
        len_fee=length_to_fee(length),
        adjusted_weight_fee=saturating_mul_int(multiplier, weight_to_fee(weight)),
    ), tip)


_BASE_FEES = {cls: weight_to_fee(base_extrinsic(cls)) for cls in DispatchClass}
"""weight_to_fee(base_extrinsic(class)) of the System constant, per dispatch class."""


_MAX_BLOCK_REF = _MAX_BLOCK.ref_time


def final_fee(length: int, weight: Weight, dispatch_class: DispatchClass, pays_fee: Pays, tip: int,
              multiplier: int = FIXED_ONE) -> int:
    """`compute_fee_details(...).final_fee` without building the FeeDetails (the per-transaction path)."""
    if pays_fee != Pays.Yes:
        return min(tip, U128_MAX)
    ref = weight.ref_time
    if ref > _MAX_BLOCK_REF:
        ref = _MAX_BLOCK_REF
    adjusted = ref if multiplier == FIXED_ONE else min(multiplier * ref // FIXED_ONE, U128_MAX)
    inclusion = min(_BASE_FEES[dispatch_class] + min(length, U64_MAX) + adjusted, U128_MAX)
    return min(inclusion + tip, U128_MAX)


def actual_weight(info: DispatchInfo, post_info: DispatchInfo) -> Weight:
    """PostDispatchInfo::calc_actual_weight: the post-dispatch weight, never above the pre-dispatch one."""
    return Weight(min(post_info.weight.ref_time, info.weight.ref_time),
                  min(post_info.weight.proof_size, info.weight.proof_size))


def actual_pays(info: DispatchInfo, post_info: DispatchInfo) -> Pays:
    """PostDispatchInfo::pays_fee: No when either the declaration or the call result says No."""
    return Pays.No if Pays.No in (info.pays_fee, post_info.pays_fee) else Pays.Yes


def _checked_div_per_component(a: Weight, b: Weight) -> int | None:
    ref = a.ref_time // b.ref_time if b.ref_time else None
    proof = a.proof_size // b.proof_size if b.proof_size else None
    if ref is None and proof is None:
        return None
    return min(U64_MAX if ref is None else ref, U64_MAX if proof is None else proof)


def priority(length: int, info: DispatchInfo, tip: int, final_fee: int,
             operational_fee_multiplier: int = OPERATIONAL_FEE_MULTIPLIER) -> int:
    """ChargeTransactionPayment::get_priority: the tip scaled by how many such transactions fit a block.

    `final_fee` is the fee including the tip; Operational transactions add a virtual tip of
    `final_fee · OperationalFeeMultiplier`. The result saturates at u64::MAX.
    """
    max_length = limits.BLOCK_LENGTH["max"][_CLASS_KEYS[info.dispatch_class]]
    w = info.weight
    bounded = Weight(min(max(w.ref_time, 1), _MAX_BLOCK.ref_time), min(max(w.proof_size, 1), _MAX_BLOCK.proof_size))
    bounded_length = min(max(length, 1), max_length)
    per_weight = _checked_div_per_component(_MAX_BLOCK, bounded)
    max_tx = min(max_length // bounded_length, 1 if per_weight is None else per_weight)
    scaled_tip = min(min(tip + 1, U128_MAX) * max_tx, U128_MAX)
    if info.dispatch_class == DispatchClass.Operational:
        virtual_tip = min(final_fee * operational_fee_multiplier, U128_MAX)
        scaled_tip = min(scaled_tip + min(virtual_tip * max_tx, U128_MAX), U128_MAX)
    return min(scaled_tip, U64_MAX)
