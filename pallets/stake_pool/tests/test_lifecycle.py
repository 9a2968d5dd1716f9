"""The worker lifecycle through a pool: bind → start → heartbeat → settle (price rises) → stop →
cool down → reclaim (full stake back) → queued withdrawals paid; owner rewards; forced withdrawal."""

from __future__ import annotations

from collections.abc import Callable

from pallets.computation.messages import TOPIC_WORKING_REPORT, WorkingReportEvent
from pallets.computation.tests.mock import (
    ALICE,
    BOB,
    CHARLIE,
    COOL_DOWN,
    PHA,
    START_MS,
    deliver,
    elapse,
    new_ext,
    signed,
)
from pallets.stake_pool import PhalaStakePoolv2, lock_account, owner_reward_account, pool_account
from runtime.support.testing import TestExt

from .helpers import create_pool_with_worker, pool, price, session_of, settle, sp
from .test_pool_calls import assert_noop

E = PhalaStakePoolv2.Error
STAKE = 5000 * PHA


def _started(ext: TestExt) -> bytes:
    w1 = create_pool_with_worker(ext)
    ext.call(signed(BOB), "PhalaStakePoolv2", "contribute", pid=0, amount=STAKE, as_vault=None)
    ext.call(signed(CHARLIE), "PhalaStakePoolv2", "contribute", pid=0, amount=STAKE, as_vault=None)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "start_computing", pid=0, worker=w1, stake=2 * STAKE)
    return w1


def test_full_lifecycle() -> None:
    ext = new_ext()
    w1 = _started(ext)
    pool_acct, lock = pool_account(0, ALICE), lock_account(0, ALICE)
    assert ext.rt.Balances.free_balance(lock) == 2 * STAKE
    assert ext.rt.Balances.free_balance(pool_acct) == 0
    assert ext.last_event().fields == {"pid": 0, "worker": w1, "amount": 2 * STAKE}
    # heartbeat
    elapse(ext, 60)
    hb = WorkingReportEvent.encode(("HeartbeatV2", {"session_id": 0, "challenge_block": 1,
                                                    "challenge_time": (START_MS // 1000 + 30) * 1000,
                                                    "iterations": 1000, "n_clusters": 0, "n_contracts": 0}))
    assert deliver(ext, ("Worker", w1), TOPIC_WORKING_REPORT, hb) is None
    # settle: the reward raises the share price and mints no shares
    price0, shares0 = price(ext), pool(ext)["basepool"]["total_shares"]
    settle(ext, w1, 100 * PHA, START_MS + 60_000)
    base = pool(ext)["basepool"]
    assert base["total_shares"] == shares0
    assert base["total_value"] == 2 * STAKE + 100 * PHA
    p0, p1 = price0, price(ext)
    assert p0 is not None
    assert p1 is not None
    assert p1 > p0
    assert ext.rt.Balances.free_balance(pool_acct) == 100 * PHA
    assert ext.event_names()[-1] == "PhalaStakePoolv2.RewardReceived"
    # Bob asks for everything: the free reward pays part, the rest waits in the queue
    bob_before = ext.rt.Balances.free_balance(BOB)
    ext.call(signed(BOB), "PhalaStakePoolv2", "withdraw", pid=0, shares=STAKE, as_vault=None)
    paid = ext.rt.Balances.free_balance(BOB) - bob_before
    assert 99 * PHA < paid <= 100 * PHA
    [entry] = pool(ext)["basepool"]["withdraw_queue"]
    assert entry["user"] == BOB
    # stop, cool down, reclaim: the whole stake returns and the queue is served
    ext.call(signed(ALICE), "PhalaStakePoolv2", "stop_computing", pid=0, worker=w1)
    assert pool(ext)["cd_workers"] == (w1,)
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "stop_computing", pid=0, worker=w1),
                E.WorkerAlreadyStopped)
    def reclaim() -> object:
        return ext.call(signed(CHARLIE), "PhalaStakePoolv2", "reclaim_pool_worker", pid=0, worker=w1)
    assert_noop(ext, reclaim, ext.rt.PhalaComputation.Error.CoolDownNotReady)
    elapse(ext, COOL_DOWN)
    reclaim()
    assert ext.rt.Balances.free_balance(lock) == 0
    assert ext.rt.PhalaComputation.Stakes.get(session_of(0, w1)) is None
    comp_event = [e for e in ext.events() if e.name == "WorkerReclaimed" and e.pallet.spec.name == "PhalaComputation"]
    assert comp_event[-1].fields["original_stake"] == 2 * STAKE
    assert comp_event[-1].fields["slashed"] == 0
    base = pool(ext)["basepool"]
    assert base["withdraw_queue"] == ()
    assert pool(ext)["cd_workers"] == ()
    assert abs(ext.rt.Balances.free_balance(BOB) - bob_before - (STAKE + 50 * PHA)) < 10**4  # rounding only
    assert sp(ext).PoolStakers.get(0, BOB) is None
    assert abs(base["total_value"] - (STAKE + 50 * PHA)) < 10**4


def test_start_computing_errors() -> None:
    ext = new_ext()
    w1 = create_pool_with_worker(ext)
    def start(who: bytes, stake: int, worker: bytes = w1) -> Callable[[], object]:
        return lambda: ext.call(signed(who), "PhalaStakePoolv2", "start_computing", pid=0, worker=worker, stake=stake)
    ext.call(signed(BOB), "PhalaStakePoolv2", "contribute", pid=0, amount=STAKE, as_vault=None)
    assert_noop(ext, start(BOB, STAKE), E.UnauthorizedPoolOwner)
    assert_noop(ext, start(ALICE, STAKE + 1), E.InsufficientFreeStake)
    assert_noop(ext, start(ALICE, STAKE, b"\x09" * 32), E.WorkerDoesNotExist)
    assert_noop(ext, start(ALICE, STAKE - 1), ext.rt.PhalaComputation.Error.InsufficientStake)
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "stop_computing", pid=0, worker=w1),
                ext.rt.PhalaComputation.Error.WorkerNotComputing)


def test_commission_and_owner_rewards() -> None:
    ext = new_ext()
    w1 = _started(ext)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "set_payout_pref", pid=0, payout_commission=100_000)
    def claim(who: bytes) -> Callable[[], object]:
        return lambda: ext.call(signed(who), "PhalaStakePoolv2", "claim_owner_rewards", pid=0, target=CHARLIE)
    assert_noop(ext, claim(ALICE), E.NoRewardToClaim)
    settle(ext, w1, 10 * PHA, START_MS + 1000)
    assert ext.last_event().fields == {"pid": 0, "to_owner": PHA, "to_stakers": 9 * PHA}
    assert ext.rt.Balances.free_balance(owner_reward_account(0, ALICE)) == PHA
    assert_noop(ext, claim(BOB), E.UnauthorizedPoolOwner)
    before = ext.rt.Balances.free_balance(CHARLIE)
    claim(ALICE)()
    assert ext.rt.Balances.free_balance(CHARLIE) == before + PHA
    assert ext.last_event().fields == {"pid": 0, "user": ALICE, "amount": PHA}


def test_reward_dismissals() -> None:
    ext = new_ext()
    w1 = create_pool_with_worker(ext)
    settle(ext, b"\x09" * 32, 10 * PHA, START_MS + 1000)
    assert ext.last_event().name == "RewardDismissedNotInPool"
    settle(ext, w1, 10 * PHA, START_MS + 2000)
    assert ext.last_event().name == "RewardDismissedNoShare"
    ext.call(signed(BOB), "PhalaStakePoolv2", "contribute", pid=0, amount=STAKE, as_vault=None)
    settle(ext, w1, 1000, START_MS + 3000)
    assert ext.last_event().name == "RewardDismissedDust"


def test_force_withdraw_after_grace_period() -> None:
    ext = new_ext()
    w1 = _started(ext)
    ext.call(signed(BOB), "PhalaStakePoolv2", "withdraw", pid=0, shares=STAKE, as_vault=None)
    ext.call(signed(CHARLIE), "PhalaStakePoolv2", "check_and_maybe_force_withdraw", pid=0)
    assert ext.rt.PhalaComputation.Sessions.get(session_of(0, w1))["state"] == ("WorkerIdle", None)
    elapse(ext, PhalaStakePoolv2.GracePeriod + 1)
    ext.call(signed(CHARLIE), "PhalaStakePoolv2", "check_and_maybe_force_withdraw", pid=0)
    assert ext.rt.PhalaComputation.Sessions.get(session_of(0, w1))["state"] == ("WorkerCoolingDown", None)
    assert pool(ext)["cd_workers"] == (w1,)


def test_restart_computing() -> None:
    ext = new_ext()
    w1 = _started(ext)
    def restart(stake: int) -> Callable[[], object]:
        return lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "restart_computing", pid=0, worker=w1, stake=stake)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "contribute", pid=0, amount=STAKE, as_vault=None)
    assert_noop(ext, restart(2 * STAKE), E.CannotRestartWithLessStake)
    restart(3 * STAKE)()
    assert ext.rt.PhalaComputation.Stakes.get(session_of(0, w1)) == 3 * STAKE
    assert ext.rt.Balances.free_balance(lock_account(0, ALICE)) == 3 * STAKE
    ext.call(signed(BOB), "PhalaStakePoolv2", "withdraw", pid=0, shares=STAKE, as_vault=None)
    assert_noop(ext, restart(4 * STAKE), E.WithdrawQueueNotEmpty)
