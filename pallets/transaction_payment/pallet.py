"""pallet_transaction_payment: the fee multiplier, the fee and priority of a transaction, and `TransactionFeePaid`.

It has no calls. The executive asks it for a transaction's fee (`compute_fee`), the fee actually
due after dispatch (`compute_actual_fee`) and the pool priority (`priority`), and has it emit
`TransactionFeePaid`; the runtime APIs ask it for `query_info` / `query_fee_details`. Moving the money
is Balances' job (`withdraw_fee` / `refund_fee`).
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.hashing import twox_128
from runtime.primitives.types import AccountId
from runtime.scale import U8, U128
from runtime.support import Events as _Events
from runtime.support import Pallet, StorageValue, constant, event
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight

from . import fees
from .fees import FeeDetails
from .types import FixedU128, Releases


class TransactionPayment(Pallet, name="TransactionPayment", rust_module="pallet_transaction_payment"):
    """Transaction fees: base + length + multiplier-adjusted weight fee, plus tip."""

    NextFeeMultiplier = StorageValue(FixedU128, default={"0": fees.FIXED_ONE})
    StorageVersion = StorageValue(Releases, default=("V1Ancient", None))

    OperationalFeeMultiplier = constant(
        U8, fees.OPERATIONAL_FEE_MULTIPLIER,
        "A fee multiplier for `Operational` extrinsics to compute \"virtual tip\" to boost their\n`priority`\n\n"
        "This value is multiplied by the `final_fee` to obtain a \"virtual tip\" that is later\nadded to a tip"
        " component in regular `priority` calculations.\nIt means that a `Normal` transaction can front-run a"
        " similarly-sized `Operational`\nextrinsic (with no tip), by including a tip value greater than the virtual"
        " tip.\n\n```rust,ignore\n// For `Normal`\nlet priority = priority_calc(tip);\n\n// For `Operational`\n"
        "let virtual_tip = (inclusion_fee + tip) * OperationalFeeMultiplier;\nlet priority = priority_calc(tip +"
        " virtual_tip);\n```\n\nNote that since we use `final_fee` the multiplier applies also to the regular"
        " `tip`\nsent with the transaction. So, not only does the transaction get a priority bump based\non the"
        " `inclusion_fee`, but we also amplify the impact of tips applied to `Operational`\ntransactions.")

    class Event(_Events):
        TransactionFeePaid = event(
            "A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee,\n"
            "has been paid by `who`.",
            who=(AccountId, "T::AccountId"), actual_fee=(U128, "BalanceOf<T>"), tip=(U128, "BalanceOf<T>"))

    # -- fee computation ----------------------------------------------------------------------------

    def next_fee_multiplier(self) -> int:
        """The inner value of NextFeeMultiplier (FixedU128; 10^18 is 1.0)."""
        raw = self.ext.storage.get(self.NextFeeMultiplier.item.prefix)
        if raw is not None and len(raw) == 16:  # the stored u128, read without building the struct value
            return int.from_bytes(raw, "little")
        return int(self.NextFeeMultiplier.get()["0"])

    def compute_fee_details(self, length: int, weight: Weight, dispatch_class: DispatchClass, pays_fee: Pays,
                            tip: int) -> FeeDetails:
        """The fee parts of a transaction of `length` bytes whose call weighs `weight`."""
        return fees.compute_fee_details(length, weight, dispatch_class, pays_fee, tip, self.next_fee_multiplier())

    def compute_fee(self, length: int, info: DispatchInfo, tip: int) -> int:
        """Pallet::compute_fee: the final fee (inclusion fee + tip) charged before dispatch."""
        return fees.final_fee(length, info.weight, info.dispatch_class, info.pays_fee, tip, self.next_fee_multiplier())

    def compute_actual_fee_details(self, length: int, info: DispatchInfo, post_info: DispatchInfo,
                                   tip: int) -> FeeDetails:
        """The fee parts after dispatch: actual weight (capped by the declared one) and actual Pays."""
        return self.compute_fee_details(length, fees.actual_weight(info, post_info), info.dispatch_class,
                                        fees.actual_pays(info, post_info), tip)

    def compute_actual_fee(self, length: int, info: DispatchInfo, post_info: DispatchInfo, tip: int) -> int:
        """Pallet::compute_actual_fee: the fee due after dispatch (what `TransactionFeePaid` reports)."""
        if post_info is info:  # the call reported nothing: actual weight and Pays are the declared ones
            return fees.final_fee(length, info.weight, info.dispatch_class, info.pays_fee, tip,
                                  self.next_fee_multiplier())
        return fees.final_fee(length, fees.actual_weight(info, post_info), info.dispatch_class,
                              fees.actual_pays(info, post_info), tip, self.next_fee_multiplier())

    def priority(self, length: int, info: DispatchInfo, tip: int, final_fee: int) -> int:
        """ChargeTransactionPayment::get_priority for the pool (`final_fee` includes the tip)."""
        return fees.priority(length, info, tip, final_fee, self.OperationalFeeMultiplier)

    get_priority = priority

    # -- runtime API --------------------------------------------------------------------------------

    def query_info(self, length: int, info: DispatchInfo, signed: bool) -> tuple[Weight, DispatchClass, int]:
        """TransactionPaymentApi::query_info: (weight, class, partial_fee); unsigned extrinsics pay 0."""
        partial_fee = self.compute_fee(length, info, 0) if signed else 0
        return info.weight, info.dispatch_class, partial_fee

    def query_info_value(self, length: int, info: DispatchInfo, signed: bool) -> dict[str, Any]:
        """query_info as the value the `RuntimeDispatchInfo` type object encodes."""
        weight, dispatch_class, partial_fee = self.query_info(length, info, signed)
        return {"weight": weight.to_scale_value(), "class": (dispatch_class.name, None), "partial_fee": partial_fee}

    def query_fee_details(self, length: int, info: DispatchInfo, signed: bool) -> FeeDetails:
        """TransactionPaymentApi::query_fee_details (tip 0; no inclusion fee for unsigned extrinsics)."""
        if not signed:
            return FeeDetails(None, 0)
        return self.compute_fee_details(length, info.weight, info.dispatch_class, info.pays_fee, 0)

    def query_fee_details_value(self, length: int, info: DispatchInfo, signed: bool) -> dict[str, Any]:
        """query_fee_details as the value the `FeeDetails` type object encodes."""
        return self.query_fee_details(length, info, signed).to_scale_value()

    def query_weight_to_fee(self, weight: Weight) -> int:
        """TransactionPaymentApi::query_weight_to_fee (multiplier not applied, as in FRAME)."""
        return fees.weight_to_fee(weight)

    def query_length_to_fee(self, length: int) -> int:
        """TransactionPaymentApi::query_length_to_fee."""
        return fees.length_to_fee(length)

    # -- executive hooks ----------------------------------------------------------------------------

    def deposit_fee_paid(self, who: bytes, actual_fee: int, tip: int) -> None:
        """Emit `TransactionFeePaid` (after Balances settled the fee)."""
        ev = self.Event.TransactionFeePaid
        if (type(who) is bytes and len(who) == 32 and type(actual_fee) is int and type(tip) is int
                and 0 <= actual_fee <= fees.U128_MAX and 0 <= tip <= fees.U128_MAX):  # by hand: the declared bytes
            self.rt.deposit_encoded(ev, who + actual_fee.to_bytes(16, "little") + tip.to_bytes(16, "little"))
        else:
            self.deposit_event(ev(who=who, actual_fee=actual_fee, tip=tip))

    def genesis_build(self, config: dict[str, Any]) -> None:
        """GenesisConfig::build: StorageVersion = V2, NextFeeMultiplier = `multiplier` (default 1.0)."""
        multiplier = int(config.get("multiplier", fees.FIXED_ONE))
        self.StorageVersion.put(("V2", None))
        self.NextFeeMultiplier.put({"0": multiplier})
        self.rt.storage.set(twox_128(b"TransactionPayment") + twox_128(b":__STORAGE_VERSION__:"), b"\x00\x00")
