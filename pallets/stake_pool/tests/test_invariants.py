"""Hypothesis property tests over random call sequences (spec §13.3 invariants 3, 4 and 6).

3: worker ↔ session bindings stay 1:1. 4: every stake locked by start_computing sits on the lock
account and comes back in full on reclaim. 6: rewards raise the share price and never mint shares;
shares are conserved (ledger + withdraw queue == total_shares); total PHA is conserved (only
Balances' existential-deposit dust may vanish, and it is accounted for).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pallets.computation import SUBSIDY_ACCOUNT, TREASURY_ACCOUNT
from pallets.computation.tests.mock import (
    ALICE,
    BOB,
    CHARLIE,
    COOL_DOWN,
    PHA,
    elapse,
    new_ext,
    signed,
)
from pallets.stake_pool import lock_account, owner_reward_account, pool_account
from runtime.support.errors import DispatchError
from runtime.support.testing import TestExt

from .helpers import create_pool_with_worker, pool, price, session_of, settle, sp

USERS = (BOB, CHARLIE)
ACCOUNTS = (ALICE, BOB, CHARLIE, SUBSIDY_ACCOUNT, TREASURY_ACCOUNT, pool_account(0, ALICE), lock_account(0, ALICE),
            owner_reward_account(0, ALICE))

amounts = st.integers(1, 20_000).map(lambda n: n * PHA // 10)
actions = st.lists(st.one_of(
    st.tuples(st.just("contribute"), st.sampled_from(USERS), amounts),
    st.tuples(st.just("withdraw"), st.sampled_from(USERS), st.integers(1, 100)),
    st.tuples(st.just("reward"), st.integers(1, 10_000).map(lambda n: n * PHA // 100)),
    st.tuples(st.just("start"), st.integers(5_000, 20_000).map(lambda n: n * PHA)),
    st.tuples(st.just("stop"),),
    st.tuples(st.just("reclaim"),),
    st.tuples(st.just("elapse"), st.integers(1, 2 * COOL_DOWN)),
    st.tuples(st.just("commission"), st.integers(0, 1_000_000)),
    st.tuples(st.just("force"),),
    st.tuples(st.just("cycle"),),  # stop, wait out the cool down, reclaim
), min_size=10, max_size=40)


def _total(ext: TestExt) -> int:
    return sum(int(ext.rt.Balances.free_balance(a)) for a in ACCOUNTS)


def _dust_lost(ext: TestExt) -> int:
    return sum(e.fields["amount"] for e in ext.events() if e.name == "DustLost")


def _apply(ext: TestExt, action: tuple[Any, ...], worker: bytes, now: list[int]) -> None:
    kind = action[0]
    call = {"contribute": lambda: ext.call(signed(action[1]), "PhalaStakePoolv2", "contribute", pid=0,
                                           amount=action[2], as_vault=None),
            "withdraw": lambda: ext.call(signed(action[1]), "PhalaStakePoolv2", "withdraw", pid=0,
                                         shares=(sp(ext).shares_of(0, action[1]) * action[2]) // 100, as_vault=None),
            "start": lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "start_computing", pid=0, worker=worker,
                                      stake=action[1]),
            "stop": lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "stop_computing", pid=0, worker=worker),
            "reclaim": lambda: ext.call(signed(BOB), "PhalaStakePoolv2", "reclaim_pool_worker", pid=0, worker=worker),
            "commission": lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "set_payout_pref", pid=0,
                                           payout_commission=action[1]),
            "force": lambda: ext.call(signed(BOB), "PhalaStakePoolv2", "check_and_maybe_force_withdraw", pid=0)}
    if kind == "cycle":
        for step in (("stop",), ("elapse", COOL_DOWN), ("reclaim",)):
            _apply(ext, step, worker, now)
        return
    if kind == "elapse":
        elapse(ext, action[1])
        return
    if kind == "reward":
        now[0] += 1000
        before_price, before_shares = price(ext), pool(ext)["basepool"]["total_shares"]
        settle(ext, worker, action[1], now[0] + ext.rt.Timestamp.now())
        base = pool(ext)["basepool"]
        assert base["total_shares"] == before_shares  # invariant 6: rewards never mint shares
        after = price(ext)
        assert before_price is None or after is None or after >= before_price  # price never decreases
        if after is not None and before_price is not None and after > before_price:
            event("reward raised the share price")
        return
    try:
        call[kind]()
    except DispatchError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_random_sequences_keep_invariants(seq: list[tuple[Any, ...]]) -> None:
    ext = new_ext()
    worker = create_pool_with_worker(ext)
    comp = ext.rt.PhalaComputation
    session = session_of(0, worker)
    total0 = _total(ext)
    now = [0]
    prefix: list[tuple[Any, ...]] = [("contribute", BOB, 6000 * PHA), ("contribute", CHARLIE, 6000 * PHA)]
    for action in prefix + seq:
        stake_before = comp.Stakes.get(session)
        lock_before = ext.rt.Balances.free_balance(lock_account(0, ALICE))
        mark = len(ext.events())
        _apply(ext, action, worker, now)
        step = ext.events()[mark:]
        # invariant 3: bindings are mutually inverse
        for (pubkey,), sess in comp.WorkerBindings.iter():
            assert comp.SessionBindings.get(sess) == pubkey
        for (sess,), pubkey in comp.SessionBindings.iter():
            assert comp.WorkerBindings.get(pubkey) == sess
        # invariant 4: the lock account holds exactly the locked stake; reclaim refunds it in full
        stake_after = comp.Stakes.get(session)
        assert ext.rt.Balances.free_balance(lock_account(0, ALICE)) == (stake_after or 0)
        if action[0] in ("reclaim", "cycle") and stake_before is not None and stake_after is None:
            assert lock_before == stake_before
            refunds = [e.fields for e in step if e.name == "Transfer" and e.fields["from"] == lock_account(0, ALICE)]
            assert refunds == [{"from": lock_account(0, ALICE), "to": pool_account(0, ALICE), "amount": stake_before}]
            assert not [e for e in step if e.name == "DustLost" and e.fields["account"] == lock_account(0, ALICE)]
            event("reclaimed a worker")
            assert ext.last_event().name in ("WorkerReclaimed", "Withdrawal")
        # invariant 6: shares are conserved between the ledger, the queue and total_shares
        base = pool(ext)["basepool"]
        ledger = sum(v for _, v in sp(ext).PoolStakers.iter(0))
        queued = sum(w["shares"] for w in base["withdraw_queue"])
        assert ledger + queued == base["total_shares"]
        # money is conserved (only existential-deposit dust may be destroyed, and is reported)
        assert _total(ext) + _dust_lost(ext) == total0
