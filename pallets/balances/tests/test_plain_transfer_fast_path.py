"""The plain-transfer fast path stores exactly what the general fungible path stores, or stays out of the way.

Every generated case runs twice from the same genesis: once as the runtime runs it and once with the
fast path disabled; storage changes, events and the outcome (or error) must be identical.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pallets.balances import fungible
from runtime.support.errors import DispatchError
from runtime.support.origin import Signed

from .mock import ALICE, BOB, CHARLIE, ED, new_ext

amounts = st.one_of(st.integers(0, 3 * ED), st.integers(0, 1 << 61), st.sampled_from([ED - 1, ED, ED + 1]))


def _run(call: str, source_free: int, dest_free: int, amount: int, dest: bytes, reserve: int) -> tuple[Any, ...]:
    balances = {ALICE: source_free}
    if dest_free:
        balances[dest] = dest_free
    ext = new_ext(balances)
    if reserve:
        ext.rt.Balances.reserve(ALICE, reserve)
        ext.commit()
        ext.clear_events()
    try:
        ext.call(Signed(ALICE), "Balances", call, dest=("Id", dest), value=amount)
        outcome: Any = "ok"
    except DispatchError as err:
        outcome = (type(err).__name__, str(err))
    return outcome, dict(ext.overlay.changes()), [(e.name, e.encoded) for e in ext.events()]


@settings(max_examples=150, deadline=None)
@given(call=st.sampled_from(["transfer_keep_alive", "transfer_allow_death"]),
       source_free=st.one_of(st.integers(ED, 1 << 61), st.sampled_from([ED, 2 * ED, 1 << 60])),
       dest_free=st.one_of(st.just(0), st.integers(ED, 2 * ED), st.integers(ED, 1 << 61)),
       amount=amounts, dest=st.sampled_from([BOB, CHARLIE, ALICE]), reserve=st.sampled_from([0, 0, 0, ED]))
def test_fast_path_equals_general_path(call: str, source_free: int, dest_free: int, amount: int, dest: bytes,
                                       reserve: int) -> None:
    if dest == ALICE:
        dest_free = 0
    if reserve and source_free - reserve < ED:  # keep the reserving account alive
        reserve = 0
    fast = _run(call, source_free, dest_free, amount, dest, reserve)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fungible, "_plain_transfer", lambda *a, **k: False)
        general = _run(call, source_free, dest_free, amount, dest, reserve)
    assert fast == general


def test_fast_path_is_taken_for_a_plain_transfer(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    original = fungible._plain_transfer

    def spy(*args: Any) -> bool:
        taken.append(original(*args))
        return taken[-1]

    monkeypatch.setattr(fungible, "_plain_transfer", spy)
    ext = new_ext()
    ext.call(Signed(ALICE), "Balances", "transfer_keep_alive", dest=("Id", BOB), value=10**12)
    assert taken == [True]


@settings(max_examples=100, deadline=None)
@given(free=st.one_of(st.integers(ED, 1 << 61), st.sampled_from([ED, ED + 1, 2 * ED])), fee=amounts,
       reserve=st.sampled_from([0, 0, ED]))
def test_fee_withdrawal_fast_path_equals_general_path(free: int, fee: int, reserve: int) -> None:
    if reserve and free - reserve < ED:
        reserve = 0

    def run() -> tuple[Any, ...]:
        ext = new_ext({ALICE: free})
        if reserve:
            ext.rt.Balances.reserve(ALICE, reserve)
            ext.commit()
            ext.clear_events()
        try:
            outcome: Any = ext.rt.Balances.withdraw_fee(ALICE, fee)
        except Exception as err:  # FeePaymentError: compare its text
            outcome = (type(err).__name__, str(err))
        return outcome, dict(ext.overlay.changes()), [(e.name, e.encoded) for e in ext.events()]

    fast = run()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fungible, "_plain", lambda *a: False)
        general = run()
    assert fast == general
