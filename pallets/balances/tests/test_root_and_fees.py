"""Root calls, burn, reserves, upgrades, weights and the fee hooks the executive uses."""

from __future__ import annotations

from typing import cast

import pytest

from pallets.balances import Balances, FeePaymentError, weights
from pallets.system.types import AccountInfo
from runtime.support import ROOT, BadOrigin, DispatchError, TokenError
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight

from .mock import (
    ALICE,
    BOB,
    CHARLIE,
    ED,
    ENDOWMENT,
    RUNTIME,
    addr,
    events,
    free,
    issuance,
    new_ext,
    signed,
    state,
)
from .test_transfers import assert_fails_untouched

DELTA_ZERO = cast("type[DispatchError]", Balances.Error.DeltaZero)
ISSUANCE_DEACTIVATED = cast("type[DispatchError]", Balances.Error.IssuanceDeactivated)


def test_force_set_balance_creates_and_wipes() -> None:
    ext = new_ext()
    assert_fails_untouched(ext, BadOrigin, ext.call, signed(ALICE), "Balances", "force_set_balance",
                           who=addr(CHARLIE), new_free=10**12)
    ext.call(ROOT, "Balances", "force_set_balance", who=addr(CHARLIE), new_free=10**12)
    assert events(ext) == [("System.NewAccount", {"account": CHARLIE}),
                           ("Balances.Endowed", {"account": CHARLIE, "free_balance": 10**12}),
                           ("Balances.BalanceSet", {"who": CHARLIE, "free": 10**12})]
    assert issuance(ext) == 2 * ENDOWMENT + 10**12
    ext.clear_events()
    ext.call(ROOT, "Balances", "force_set_balance", who=addr(CHARLIE), new_free=ED - 1)
    assert events(ext) == [("System.KilledAccount", {"account": CHARLIE}),
                           ("Balances.BalanceSet", {"who": CHARLIE, "free": 0})]
    assert issuance(ext) == 2 * ENDOWMENT
    assert not ext.rt.System.Account.contains(CHARLIE)


def test_force_adjust_total_issuance() -> None:
    ext = new_ext()
    err = assert_fails_untouched(ext, DELTA_ZERO, ext.call, ROOT, "Balances",
                                 "force_adjust_total_issuance", direction=("Increase", None), delta=0)
    assert err.to_scale_value(RUNTIME.pallet_index) == ("Module", {"index": 4, "error": b"\x0b\x00\x00\x00"})
    ext.call(ROOT, "Balances", "force_adjust_total_issuance", direction=("Decrease", None), delta=7)
    assert events(ext) == [("Balances.TotalIssuanceForced", {"old": 2 * ENDOWMENT, "new": 2 * ENDOWMENT - 7})]
    ext.rt.Balances.InactiveIssuance.put(2 * ENDOWMENT)
    assert_fails_untouched(ext, ISSUANCE_DEACTIVATED, ext.call, ROOT, "Balances",
                           "force_adjust_total_issuance", direction=("Decrease", None), delta=1)


def test_burn_keep_alive_and_allow_death() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    ext.call(signed(ALICE), "Balances", "burn", value=10**12, keep_alive=True)
    assert events(ext) == [("Balances.Burned", {"who": ALICE, "amount": 10**12})]
    assert issuance(ext) == ENDOWMENT + 10_000 - 10**12
    err = assert_fails_untouched(ext, TokenError, ext.call, signed(BOB), "Balances", "burn", value=9_600,
                                 keep_alive=True)
    assert err.kind == "FundsUnavailable"
    ext.clear_events()
    before = issuance(ext)
    ext.call(signed(BOB), "Balances", "burn", value=9_600, keep_alive=False)
    assert events(ext) == [("System.KilledAccount", {"account": BOB}), ("Balances.DustLost", {"account": BOB, "amount": 400}),
                           ("Balances.Burned", {"who": BOB, "amount": 9_600})]
    assert issuance(ext) == before - 10_000


def test_force_unreserve_and_reserves() -> None:
    ext = new_ext()
    ext.call(ROOT, "Balances", "force_unreserve", who=addr(BOB), amount=5)
    assert events(ext) == [("Balances.Unreserved", {"who": BOB, "amount": 0})]  # as on the reference chain
    ext.clear_events()
    ext.call(ROOT, "Balances", "force_unreserve", who=addr(CHARLIE), amount=5)
    assert events(ext) == []
    ext.rt.Balances.reserve(BOB, 1_000)
    info = ext.rt.System.account(BOB)
    assert (info.free, info.reserved, info.consumers) == (ENDOWMENT - 1_000, 1_000, 1)
    ext.call(ROOT, "Balances", "force_unreserve", who=addr(BOB), amount=5_000)
    info = ext.rt.System.account(BOB)
    assert (info.free, info.reserved, info.consumers) == (ENDOWMENT, 0, 0)
    assert events(ext)[-1] == ("Balances.Unreserved", {"who": BOB, "amount": 1_000})


def test_upgrade_accounts_pays_only_when_nothing_to_do() -> None:
    ext = new_ext()
    old = AccountInfo(nonce=3, providers=1, free=10**12)  # flags 0: an old-logic account
    ext.rt.System.Account.insert(CHARLIE, old)
    result = ext.call(signed(ALICE), "Balances", "upgrade_accounts", who=(CHARLIE,))
    assert result == DispatchInfo(weights.upgrade_accounts(1), DispatchClass.Normal, Pays.No)
    assert events(ext) == [("Balances.Upgraded", {"who": CHARLIE})]
    assert ext.rt.System.account(CHARLIE).flags == 1 << 127
    again = ext.call(signed(ALICE), "Balances", "upgrade_accounts", who=(CHARLIE, BOB))
    assert again.pays_fee == Pays.Yes
    assert ext.call(signed(ALICE), "Balances", "upgrade_accounts", who=()).pays_fee == Pays.Yes


def test_call_weights_are_the_reference_figures() -> None:
    spec = RUNTIME.by_name["Balances"].spec.calls_by_name
    assert spec["transfer_keep_alive"].weight_of({}) == Weight(163_159_000, 3_593)
    assert spec["transfer_allow_death"].weight_of({}) == Weight(173_363_000, 3_593)
    assert spec["force_transfer"].weight_of({}) == Weight(299_944_000, 6_196)
    assert spec["burn"].weight_of({"keep_alive": True}) == Weight(30_968_000, 0)
    assert spec["burn"].weight_of({"keep_alive": False}) == Weight(20_711_000, 0)
    for n, ref, proof in ((0, 16_588_000, 990), (2, 294_535_318, 6_196), (100, 13_913_953_900, 261_290)):
        assert spec["upgrade_accounts"].weight_of({"who": (ALICE,) * n}) == Weight(ref, proof)


def test_fee_withdraw_and_refund_match_reference_events() -> None:
    ext = new_ext()
    fee = 270_233_145
    balances = ext.rt.Balances
    assert balances.can_withdraw_fee(ALICE, fee)
    assert balances.withdraw_fee(ALICE, fee) == fee
    assert issuance(ext) == 2 * ENDOWMENT  # the credit is outstanding until refund_fee
    assert balances.refund_fee(ALICE, 0) == 0
    assert events(ext) == [("Balances.Withdraw", {"who": ALICE, "amount": fee}),
                           ("Balances.Deposit", {"who": ALICE, "amount": 0})]
    assert free(ext, ALICE) == ENDOWMENT - fee
    assert issuance(ext) == 2 * ENDOWMENT - fee


def test_fee_full_refund_and_zero_fee() -> None:
    ext = new_ext()
    balances = ext.rt.Balances
    balances.withdraw_fee(ALICE, 1_000)
    assert balances.refund_fee(ALICE, 1_000) == 1_000
    assert free(ext, ALICE) == ENDOWMENT
    assert issuance(ext) == 2 * ENDOWMENT
    ext.clear_events()
    assert balances.withdraw_fee(ALICE, 0) == 0
    assert events(ext) == []


def test_fee_refund_to_reaped_account_burns_everything() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    balances = ext.rt.Balances
    balances.withdraw_fee(BOB, 1_000)
    balances.transfer(BOB, ALICE, 9_000, keep_alive=False)
    ext.clear_events()
    assert balances.refund_fee(BOB, 400, withdrawn=1_000) == 0
    assert events(ext) == []
    assert issuance(ext) == ENDOWMENT + 10_000 - 1_000


def test_fee_that_would_kill_the_payer_is_refused() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    balances = ext.rt.Balances
    assert not balances.can_withdraw_fee(BOB, 9_600)
    assert balances.can_withdraw_fee(BOB, 9_500)
    before = state(ext)
    with pytest.raises(FeePaymentError, match="FundsUnavailable"):
        balances.withdraw_fee(BOB, 9_600)
    assert state(ext) == before
    assert events(ext) == []


def test_mint_into() -> None:
    ext = new_ext()
    ext.rt.Balances.mint_into(CHARLIE, 10**12)
    assert [n for n, _ in events(ext)] == ["System.NewAccount", "Balances.Endowed", "Balances.Minted"]
    assert issuance(ext) == 2 * ENDOWMENT + 10**12
    with pytest.raises(TokenError):
        ext.rt.Balances.mint_into(ALICE.replace(b"\xd4", b"\x01"), ED - 1)
