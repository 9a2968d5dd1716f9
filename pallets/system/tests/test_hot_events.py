"""The hand-encoded hot events (Withdraw, Deposit, Transfer, TransactionFeePaid, ExtrinsicSuccess) equal the
events the declared types build: same bytes, and fields decoded on demand equal to the declared values."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from pallets.balances import fungible
from pallets.balances.tests.mock import ALICE, BOB, new_ext
from pallets.system.pallet import System
from runtime.support.events import PalletEvent, event_value
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight

accounts = st.binary(min_size=32, max_size=32)
u128 = st.one_of(st.integers(0, (1 << 128) - 1), st.sampled_from([0, 1, (1 << 128) - 1]))
u64 = st.one_of(st.integers(0, (1 << 64) - 1), st.sampled_from([0, (1 << 64) - 1]))


def _same(fast: PalletEvent, declared: PalletEvent) -> None:
    assert fast.encoded == declared.encoded
    assert fast.fields == declared.fields
    assert fast == declared
    assert hash(fast) == hash(declared)
    assert repr(fast) == repr(declared)
    assert pickle.loads(pickle.dumps(fast)) == declared


@given(who=accounts, other=accounts, amount=u128, tip=u128)
def test_balance_and_fee_events(who: bytes, other: bytes, amount: int, tip: int) -> None:
    ext = new_ext()
    events = ext.rt.Balances.Event
    for ev in (events.Withdraw, events.Deposit):
        _same(fungible.who_amount_event(ev, who, amount), ev(who=who, amount=amount))
        fungible.deposit_who_amount(ext.rt.Balances, ev, who, amount)
        _same(ext.last_event(), ev(who=who, amount=amount))
        declared = ev(who=who, amount=amount)
        ext.rt.deposit_event(declared)
        assert ext.overlay.events[-1][0] == ext.overlay.events[-2][0]  # the same EventRecord bytes
    fungible._deposit_transfer_event(ext.rt.Balances, who, other, amount)
    _same(ext.last_event(), events.Transfer(from_=who, to=other, amount=amount))
    ext.rt.TransactionPayment.deposit_fee_paid(who, amount, tip)
    _same(ext.last_event(), ext.rt.TransactionPayment.Event.TransactionFeePaid(who=who, actual_fee=amount, tip=tip))


@given(ref=u64, proof=u64, cls=st.sampled_from(list(DispatchClass)), pays=st.sampled_from(list(Pays)))
def test_extrinsic_success(ref: int, proof: int, cls: DispatchClass, pays: Pays) -> None:
    ext = new_ext()
    info = DispatchInfo(Weight(ref, proof), cls, pays)
    for _ in range(2):  # the second time from the encoding memo
        ext.rt.System.note_applied_extrinsic(None, info)
        _same(ext.last_event(), System.Event.ExtrinsicSuccess(dispatch_info=info.to_scale_value()))


def test_events_are_values_not_sequences() -> None:
    ext = new_ext()
    first = fungible.who_amount_event(ext.rt.Balances.Event.Withdraw, ALICE, 5)
    assert first != fungible.who_amount_event(ext.rt.Balances.Event.Withdraw, BOB, 5)
    assert first != fungible.who_amount_event(ext.rt.Balances.Event.Deposit, ALICE, 5)
    assert first != (first.pallet, first.name, first.fields, first.encoded, None)
    assert (first.pallet, first.name) == (type(ext.rt.Balances), "Withdraw")
    assert {first, fungible.who_amount_event(ext.rt.Balances.Event.Withdraw, ALICE, 5)} == {first}


def test_hot_events_are_left_to_the_garbage_collector() -> None:
    import gc

    ext = new_ext()
    ext.rt.TransactionPayment.deposit_fee_paid(ALICE, 5, 0)
    fungible._deposit_transfer_event(ext.rt.Balances, ALICE, BOB, 7)
    ext.rt.System.note_applied_extrinsic(None, DispatchInfo(Weight(1, 2)))
    gc.collect()
    gc.collect()  # a pass untracks a tuple whose items were untracked before it: the pair after the event
    hot = ext.overlay.events[-3:]
    assert [event_value(ev).name for _, ev in hot] == ["TransactionFeePaid", "Transfer", "ExtrinsicSuccess"]
    assert not any(gc.is_tracked(pair) or gc.is_tracked(pair[1]) for pair in hot)
    assert ext.last_event().pallet is System
    assert ext.last_event().fields == {"dispatch_info": DispatchInfo(Weight(1, 2)).to_scale_value()}
