"""Transfers: success paths, the fungible error choices (checked on the reference chain), ED, dust and reaping."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.system.types import AccountInfo, AccountInfoCodec
from runtime.support import ROOT, ArithmeticError, BadOrigin, CannotLookup, DispatchError, TokenError
from runtime.support.testing import TestExt

from .mock import ALICE, BOB, CHARLIE, ED, ENDOWMENT, addr, events, free, issuance, new_ext, signed, state

GENESIS_ACCOUNT_HEX = ("00000000000000000100000000000000" + "0000000000000010" + "00" * 8 + "00" * 32
                       + "00" * 15 + "80")
"""System.Account of //Alice in the reference genesis (providers 1, free 2^60, flags IS_NEW_LOGIC)."""


def assert_fails_untouched(ext: TestExt, kind: type[DispatchError], fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a failing call; it must raise `kind` and leave storage and events as they were."""
    before, n_events = state(ext), len(ext.events())
    with pytest.raises(kind) as info:
        fn(*args, **kwargs)
    assert state(ext) == before
    assert len(ext.events()) == n_events
    return info.value


def test_genesis_matches_reference_account_layout() -> None:
    ext = new_ext()
    raw = ext.backend.data[ext.rt.System.Account.item.storage_key(ALICE)]
    assert raw.hex() == GENESIS_ACCOUNT_HEX
    assert issuance(ext) == 2 * ENDOWMENT


def test_genesis_rejects_duplicates_and_below_ed() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        new_ext({ALICE: ED}) and new_ext().rt.Balances.genesis_build({"balances": [[ALICE, ED], [ALICE, ED]]})
    with pytest.raises(ValueError, match="existential deposit"):
        new_ext({ALICE: ED - 1})


def test_transfer_to_new_account_creates_it() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "Balances", "transfer_allow_death", dest=addr(CHARLIE), value=10**12)
    assert events(ext) == [
        ("System.NewAccount", {"account": CHARLIE}),
        ("Balances.Endowed", {"account": CHARLIE, "free_balance": 10**12}),
        ("Balances.Transfer", {"from": ALICE, "to": CHARLIE, "amount": 10**12}),
    ]
    assert free(ext, ALICE) == ENDOWMENT - 10**12
    info = ext.rt.System.account(CHARLIE)
    assert (info.providers, info.free, info.flags) == (1, 10**12, 1 << 127)
    assert issuance(ext) == 2 * ENDOWMENT


def test_keep_alive_errors_match_reference() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    call = ext.call
    err = assert_fails_untouched(ext, TokenError, call, signed(ALICE), "Balances", "transfer_keep_alive",
                                 dest=addr(CHARLIE), value=100)
    assert err.kind == "BelowMinimum"
    err = assert_fails_untouched(ext, TokenError, call, signed(ALICE), "Balances", "transfer_keep_alive",
                                 dest=addr(BOB), value=ENDOWMENT + 1)
    assert err.kind == "FundsUnavailable"
    err = assert_fails_untouched(ext, TokenError, call, signed(ALICE), "Balances", "transfer_allow_death",
                                 dest=addr(BOB), value=ENDOWMENT + 1)
    assert err.kind == "FundsUnavailable"
    # more than the total issuance: can_withdraw reports Underflow before looking at the account
    err = assert_fails_untouched(ext, ArithmeticError, call, signed(ALICE), "Balances", "transfer_allow_death",
                                 dest=addr(BOB), value=2 * ENDOWMENT)
    assert err.kind == "Underflow"
    err = assert_fails_untouched(ext, TokenError, call, signed(BOB), "Balances", "transfer_keep_alive",
                                 dest=addr(ALICE), value=10_000 - 100)
    assert err.kind == "NotExpendable"
    assert err.to_scale_value() == ("Token", ("NotExpendable", None))


def test_allow_death_leaving_dust_reaps_and_burns_it() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    ext.call(signed(BOB), "Balances", "transfer_allow_death", dest=addr(ALICE), value=10_000 - 300)
    assert events(ext) == [
        ("System.KilledAccount", {"account": BOB}),
        ("Balances.DustLost", {"account": BOB, "amount": 300}),
        ("Balances.Transfer", {"from": BOB, "to": ALICE, "amount": 9_700}),
    ]
    assert not ext.rt.System.Account.contains(BOB)
    assert issuance(ext) == ENDOWMENT + 10_000 - 300


def test_allow_death_of_everything_reaps_without_dust() -> None:
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    ext.call(signed(BOB), "Balances", "transfer_allow_death", dest=addr(ALICE), value=10_000)
    assert [name for name, _ in events(ext)] == ["System.KilledAccount", "Balances.Transfer"]
    assert not ext.rt.System.Account.contains(BOB)
    assert issuance(ext) == ENDOWMENT + 10_000


def test_zero_transfer_to_new_account_only_emits_transfer() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "Balances", "transfer_allow_death", dest=addr(CHARLIE), value=0)
    assert events(ext) == [("Balances.Transfer", {"from": ALICE, "to": CHARLIE, "amount": 0})]
    assert not ext.rt.System.Account.contains(CHARLIE)


def test_transfer_all_keep_alive_leaves_ed() -> None:
    ext = new_ext({ALICE: 10_000, BOB: ENDOWMENT})
    ext.call(signed(ALICE), "Balances", "transfer_all", dest=addr(CHARLIE), keep_alive=True)
    assert free(ext, ALICE) == ED
    assert free(ext, CHARLIE) == 10_000 - ED
    assert events(ext)[-1] == ("Balances.Transfer", {"from": ALICE, "to": CHARLIE, "amount": 10_000 - ED})


def test_transfer_all_allow_death_kills_sender() -> None:
    ext = new_ext({ALICE: 10_000, BOB: ENDOWMENT})
    ext.call(signed(ALICE), "Balances", "transfer_all", dest=addr(BOB), keep_alive=False)
    assert not ext.rt.System.Account.contains(ALICE)
    assert free(ext, BOB) == ENDOWMENT + 10_000


def test_force_transfer_needs_root() -> None:
    ext = new_ext()
    assert_fails_untouched(ext, BadOrigin, ext.call, signed(ALICE), "Balances", "force_transfer",
                           source=addr(BOB), dest=addr(CHARLIE), value=10**12)
    ext.call(ROOT, "Balances", "force_transfer", source=addr(BOB), dest=addr(CHARLIE), value=10**12)
    assert free(ext, BOB) == ENDOWMENT - 10**12
    assert free(ext, CHARLIE) == 10**12


def test_signed_calls_reject_root_and_bad_addresses() -> None:
    ext = new_ext()
    assert_fails_untouched(ext, BadOrigin, ext.call, ROOT, "Balances", "transfer_keep_alive",
                           dest=addr(BOB), value=1)
    assert_fails_untouched(ext, CannotLookup, ext.call, signed(ALICE), "Balances", "transfer_keep_alive",
                           dest=("Index", 5), value=10**12)


def test_consumer_pinned_account_cannot_drop_below_ed() -> None:
    # FRAME's can_withdraw checks liquidity (ED untouchable while a consumer needs the provider)
    # before WouldDie, so this is Token(Frozen), not Token(OnlyProvider).
    ext = new_ext({ALICE: ENDOWMENT, BOB: 10_000})
    ext.rt.Balances.reserve(BOB, 1_000)
    assert ext.rt.System.account(BOB).consumers == 1
    err = assert_fails_untouched(ext, TokenError, ext.call, signed(BOB), "Balances", "transfer_allow_death",
                                 dest=addr(ALICE), value=9_000)
    assert err.kind == "Frozen"


def test_transfer_to_self_keeps_balance() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "Balances", "transfer_keep_alive", dest=addr(ALICE), value=10**12)
    assert free(ext, ALICE) == ENDOWMENT
    assert events(ext) == [("Balances.Transfer", {"from": ALICE, "to": ALICE, "amount": 10**12})]


def test_account_info_codec_roundtrip_of_written_account() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "Balances", "transfer_allow_death", dest=addr(CHARLIE), value=ED)
    info = ext.rt.System.account(CHARLIE)
    assert AccountInfoCodec.decode(AccountInfoCodec.encode(info)) == AccountInfo(0, 0, 1, 0, ED, 0, 0, 1 << 127)
