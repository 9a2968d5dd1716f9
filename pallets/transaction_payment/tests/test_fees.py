"""Fee, priority and query_info figures against the reference chain (payment_queryInfo, validate_transaction)."""

from __future__ import annotations

from pallets.balances.tests.mock import ALICE, BOB, ENDOWMENT, addr, events, free, issuance, new_ext, signed
from pallets.transaction_payment import fees
from pallets.transaction_payment.types import FeeDetails, RuntimeDispatchInfo
from runtime.scale.compact import encode_compact
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight

TRANSFER = DispatchInfo(Weight(163_159_000, 3_593))
SET_HEAP_PAGES = DispatchInfo(Weight(229_109_000, 1_485), DispatchClass.Operational)
SET_CODE = DispatchInfo(Weight(82_130_651_000, 67_035), DispatchClass.Operational)


def test_transfer_keep_alive_fee_is_the_reference_figure() -> None:
    payment = new_ext().rt.TransactionPayment
    assert payment.compute_fee(145, TRANSFER, 0) == 270_233_145
    details = payment.compute_fee_details(145, TRANSFER.weight, DispatchClass.Normal, Pays.Yes, 3)
    inclusion = details.inclusion_fee
    assert inclusion is not None
    assert (inclusion.base_fee, inclusion.len_fee, inclusion.adjusted_weight_fee) == (107_074_000, 145, 163_159_000)
    assert details.final_fee == 270_233_148
    # upgrade_accounts([]) as payment_queryInfo reported it: 107-byte extrinsic, weight 16,588,000
    assert payment.compute_fee(107, DispatchInfo(Weight(16_588_000, 990)), 0) == 123_662_107


def test_pays_no_and_actual_fee() -> None:
    payment = new_ext().rt.TransactionPayment
    free_call = DispatchInfo(Weight(10**9, 0), pays_fee=Pays.No)
    assert payment.compute_fee(100, free_call, 7) == 7
    assert payment.compute_actual_fee(145, TRANSFER, DispatchInfo(TRANSFER.weight, pays_fee=Pays.No), 0) == 0
    lighter = DispatchInfo(Weight(100_000_000, 0))
    assert payment.compute_actual_fee(145, TRANSFER, lighter, 0) == 107_074_000 + 145 + 100_000_000
    heavier = DispatchInfo(Weight(10**12, 10**6))
    assert payment.compute_actual_fee(145, TRANSFER, heavier, 0) == 270_233_145


def test_multiplier_scales_weight_fee_only_rounding_down() -> None:
    ext = new_ext()
    payment = ext.rt.TransactionPayment
    payment.NextFeeMultiplier.put({"0": fees.FIXED_ONE * 3 // 2})
    assert payment.compute_fee(145, DispatchInfo(Weight(3, 0)), 0) == 107_074_000 + 145 + 4
    assert fees.weight_to_fee(Weight(10**13, 0)) == 2 * 10**12  # capped at max block weight


def test_priority_matches_reference_validate_transaction() -> None:
    payment = new_ext().rt.TransactionPayment
    assert payment.priority(145, TRANSFER, 0, 270_233_145) == 12_257
    assert payment.priority(148, TRANSFER, 10**9, 1_270_233_148) == 0x0B25CE21B9E1
    assert payment.priority(114, SET_HEAP_PAGES, 0, 336_183_114) == 0x0D5841C9AD3B
    assert payment.priority(114, SET_HEAP_PAGES, 7, 336_183_121) == 0x0D5841CF4555
    assert payment.priority(108, SET_CODE, 0, 82_237_725_108) == 0x08F9B20C0C78
    assert fees.priority(1, DispatchInfo(Weight(0, 0)), (1 << 127), 0) == (1 << 64) - 1


def test_query_info_and_fee_details_encoding() -> None:
    payment = new_ext().rt.TransactionPayment
    value = payment.query_info_value(145, TRANSFER, True)
    assert value["partial_fee"] == 270_233_145
    encoded = RuntimeDispatchInfo.encode(value)
    assert encoded == (encode_compact(163_159_000) + encode_compact(3_593) + b"\x00"
                       + (270_233_145).to_bytes(16, "little"))
    assert payment.query_info_value(145, TRANSFER, False)["partial_fee"] == 0
    assert FeeDetails.encode(payment.query_fee_details_value(10, TRANSFER, False)) == b"\x00" + bytes(16)
    details = FeeDetails.decode(FeeDetails.encode(payment.query_fee_details_value(145, TRANSFER, True)))
    assert details["inclusion_fee"] == {"base_fee": 107_074_000, "len_fee": 145, "adjusted_weight_fee": 163_159_000}


def test_genesis_storage_matches_reference() -> None:
    ext = new_ext()
    payment = ext.rt.TransactionPayment
    data = ext.backend.data
    assert data[payment.NextFeeMultiplier.item.prefix].hex() == "000064a7b3b6e00d0000000000000000"
    assert data[payment.StorageVersion.item.prefix] == b"\x01"


def test_signed_transfer_flow_events_and_issuance() -> None:
    ext = new_ext()
    rt = ext.rt
    fee = rt.TransactionPayment.compute_fee(145, TRANSFER, 0)
    rt.Balances.withdraw_fee(ALICE, fee)
    ext.call(signed(ALICE), "Balances", "transfer_keep_alive", dest=addr(BOB), value=10**12)
    actual = rt.TransactionPayment.compute_actual_fee(145, TRANSFER, TRANSFER, 0)
    rt.Balances.refund_fee(ALICE, fee - actual)
    rt.TransactionPayment.deposit_fee_paid(ALICE, actual, 0)
    assert events(ext) == [
        ("Balances.Withdraw", {"who": ALICE, "amount": 270_233_145}),
        ("Balances.Transfer", {"from": ALICE, "to": BOB, "amount": 10**12}),
        ("Balances.Deposit", {"who": ALICE, "amount": 0}),
        ("TransactionPayment.TransactionFeePaid", {"who": ALICE, "actual_fee": 270_233_145, "tip": 0}),
    ]
    assert free(ext, ALICE) == ENDOWMENT - 10**12 - 270_233_145
    assert issuance(ext) == 2 * ENDOWMENT - 270_233_145
    assert ext.last_event().encoded == b"\x00" + ALICE + (270_233_145).to_bytes(16, "little") + bytes(16)
