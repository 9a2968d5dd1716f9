"""PhalaStakePoolv2 calls: success paths, every error (storage unchanged) and the account derivations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pallets.computation.tests.mock import (
    ALICE,
    BOB,
    CHARLIE,
    PHA,
    new_ext,
    register_worker,
    signed,
    state,
    worker_pubkey,
)
from pallets.stake_pool import PhalaStakePoolv2, lock_account, owner_reward_account, pool_account
from runtime.primitives.hashing import blake2_256
from runtime.support.testing import TestExt

from .helpers import create_pool_with_worker, pool, session_of, sp

E = PhalaStakePoolv2.Error


def assert_noop(ext: TestExt, fn: Callable[[], object], error: type[Exception]) -> None:
    """fn raises `error` and leaves storage untouched."""
    before = state(ext)
    with pytest.raises(error):
        fn()
    assert state(ext) == before


def test_indices_match_phala() -> None:
    calls = {c.name: c.index for c in PhalaStakePoolv2.spec.calls}
    assert calls == {"create": 0, "add_worker": 1, "remove_worker": 2, "set_cap": 3, "set_payout_pref": 4,
                     "claim_owner_rewards": 7, "check_and_maybe_force_withdraw": 8, "contribute": 9, "withdraw": 10,
                     "start_computing": 13, "stop_computing": 14, "reclaim_pool_worker": 15,
                     "restart_computing": 17}
    errors = {e.__name__: e.index for e in PhalaStakePoolv2.spec.errors}
    assert errors["InsufficientContribution"] == 12
    assert errors["InsufficientFreeStake"] == 16
    consts = {c.name: c.value for c in PhalaStakePoolv2.spec.constants}
    assert consts == {"MinContribution": 10**10, "GracePeriod": 604800, "MaxPoolWorkers": 200}


def test_account_derivation_matches_phala_encoding() -> None:
    h = blake2_256((7).to_bytes(8, "little") + ALICE)
    assert pool_account(7, ALICE) == b"bp/" + h[:29]
    assert owner_reward_account(7, ALICE) == b"so/" + h[:29]
    assert lock_account(7, ALICE) == b"sl/" + h[:29]
    assert session_of(7, ALICE) == b"spm/" + h[:28]


def test_create() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    ext.call(signed(BOB), "PhalaStakePoolv2", "create")
    assert sp(ext).PoolCount.get() == 2
    assert ext.last_event().fields == {"owner": BOB, "pid": 1, "pool_account_id": pool_account(1, BOB)}
    p = pool(ext, 0)
    assert p["basepool"]["owner"] == ALICE
    assert p["lock_account"] == lock_account(0, ALICE)


def test_add_worker_and_errors() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    def add(who: bytes, key: bytes, pid: int = 0) -> Callable[[], object]:
        return lambda: ext.call(signed(who), "PhalaStakePoolv2", "add_worker", pid=pid, pubkey=key)
    assert_noop(ext, add(ALICE, worker_pubkey(1)), E.WorkerNotRegistered)
    w1 = register_worker(ext, 1, operator=ALICE)
    assert_noop(ext, add(BOB, w1), E.UnauthorizedOperator)
    w2 = register_worker(ext, 2, operator=ALICE, score=None)
    assert_noop(ext, add(ALICE, w2), E.BenchmarkMissing)
    assert_noop(ext, add(ALICE, w1, 5), E.PoolDoesNotExist)
    wb = register_worker(ext, 3, operator=BOB)
    assert_noop(ext, add(BOB, wb), E.UnauthorizedPoolOwner)
    add(ALICE, w1)()
    assert ext.last_event().fields == {"pid": 0, "worker": w1, "session": session_of(0, w1)}
    assert sp(ext).WorkerAssignments.get(w1) == 0
    assert ext.rt.PhalaComputation.WorkerBindings.get(w1) == session_of(0, w1)
    assert_noop(ext, add(ALICE, w1), E.WorkerExists)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    assert_noop(ext, add(ALICE, w1, 1), E.FailedToBindSessionAndWorker)  # already bound through pool 0
    p = pool(ext)
    p["workers"] = [i.to_bytes(32, "big") for i in range(1000, 1200)]
    sp(ext).save_pool(0, p)
    w4 = register_worker(ext, 4, operator=ALICE)
    assert_noop(ext, add(ALICE, w4), E.WorkersExceedLimit)


def test_remove_worker_and_errors() -> None:
    ext = new_ext()
    w1 = create_pool_with_worker(ext)
    def rm(who: bytes, key: bytes, pid: int = 0) -> Callable[[], object]:
        return lambda: ext.call(signed(who), "PhalaStakePoolv2", "remove_worker", pid=pid, worker=key)
    assert_noop(ext, rm(BOB, w1), E.UnauthorizedPoolOwner)
    assert_noop(ext, rm(ALICE, worker_pubkey(9)), E.WorkerDoesNotExist)
    ext.call(signed(BOB), "PhalaStakePoolv2", "create")
    assert_noop(ext, rm(BOB, w1, 1), E.WorkerInAnotherPool)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "contribute", pid=0, amount=10_000 * PHA, as_vault=None)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "start_computing", pid=0, worker=w1, stake=5000 * PHA)
    assert_noop(ext, rm(ALICE, w1), E.WorkerIsNotReady)
    ext.rt.PhalaComputation.Sessions.remove(session_of(0, w1))
    assert_noop(ext, rm(ALICE, w1), E.SessionDoesNotExist)


def test_remove_ready_worker() -> None:
    ext = new_ext()
    w1 = create_pool_with_worker(ext)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "remove_worker", pid=0, worker=w1)
    assert pool(ext)["workers"] == ()
    assert not sp(ext).WorkerAssignments.contains(w1)
    assert not ext.rt.PhalaComputation.WorkerBindings.contains(w1)
    assert ext.event_names()[-2:] == ["PhalaComputation.SessionUnbound", "PhalaStakePoolv2.PoolWorkerRemoved"]


def test_operator_unbind_removes_worker_from_pool() -> None:
    ext = new_ext()
    w1 = create_pool_with_worker(ext)
    ext.call(signed(ALICE), "PhalaComputation", "unbind", session=session_of(0, w1))
    assert pool(ext)["workers"] == ()
    assert ext.last_event().name == "PoolWorkerRemoved"


def test_cap_commission_and_contribution_checks() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    def contribute(who: bytes, amount: int, vault: int | None = None) -> Callable[[], object]:
        return lambda: ext.call( signed(who), "PhalaStakePoolv2", "contribute", pid=0, amount=amount, as_vault=vault)
    assert_noop(ext, contribute(BOB, 10**10 - 1), E.InsufficientContribution)
    assert_noop(ext, contribute(BOB, 2_000_000 * PHA), E.InsufficientBalance)
    assert_noop(ext, contribute(BOB, PHA, 3), E.PoolDoesNotExist)
    contribute(BOB, 100 * PHA)()
    assert ext.last_event().fields == {"pid": 0, "user": BOB, "amount": 100 * PHA, "shares": 100 * PHA,
                                       "as_vault": None}
    assert sp(ext).PoolStakers.get(0, BOB) == 100 * PHA
    assert ext.rt.Balances.free_balance(pool_account(0, ALICE)) == 100 * PHA
    assert_noop(ext, lambda: ext.call(signed(BOB), "PhalaStakePoolv2", "set_cap", pid=0, cap=PHA),
                E.UnauthorizedPoolOwner)
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaStakePoolv2", "set_cap", pid=0, cap=99 * PHA),
                E.InadequateCapacity)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "set_cap", pid=0, cap=150 * PHA)
    assert ext.last_event().fields == {"pid": 0, "cap": 150 * PHA}
    assert_noop(ext, contribute(CHARLIE, 51 * PHA), E.StakeExceedsCapacity)
    ext.call(signed(ALICE), "PhalaStakePoolv2", "set_payout_pref", pid=0, payout_commission=250_000)
    assert ext.last_event().fields == {"pid": 0, "commission": 250_000}
    assert pool(ext)["payout_commission"] == 250_000
    assert_noop(ext, lambda: ext.call(signed(BOB), "PhalaStakePoolv2", "set_payout_pref", pid=0,
                                      payout_commission=None), E.UnauthorizedPoolOwner)


def test_withdraw_errors() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    def wd(who: bytes, shares: int, vault: int | None = None) -> Callable[[], object]:
        return lambda: ext.call( signed(who), "PhalaStakePoolv2", "withdraw", pid=0, shares=shares, as_vault=vault)
    assert_noop(ext, wd(BOB, PHA), E.NoNftToWithdraw)
    ext.call(signed(BOB), "PhalaStakePoolv2", "contribute", pid=0, amount=100 * PHA, as_vault=None)
    assert_noop(ext, wd(BOB, 1000), E.InvalidWithdrawalAmount)
    assert_noop(ext, wd(BOB, 101 * PHA), E.InvalidWithdrawalAmount)
    assert_noop(ext, wd(BOB, PHA, 1), E.PoolDoesNotExist)


def test_immediate_withdrawal_from_free_stake() -> None:
    ext = new_ext()
    ext.call(signed(ALICE), "PhalaStakePoolv2", "create")
    ext.call(signed(BOB), "PhalaStakePoolv2", "contribute", pid=0, amount=100 * PHA, as_vault=None)
    before = ext.rt.Balances.free_balance(BOB)
    ext.call(signed(BOB), "PhalaStakePoolv2", "withdraw", pid=0, shares=40 * PHA, as_vault=None)
    assert ext.rt.Balances.free_balance(BOB) == before + 40 * PHA
    assert ext.event_names()[-3:] == ["PhalaStakePoolv2.WithdrawalQueued", "Balances.Transfer",
                                      "PhalaStakePoolv2.Withdrawal"]
    assert ext.last_event().fields == {"pid": 0, "user": BOB, "amount": 40 * PHA, "shares": 40 * PHA,
                                       "burnt_shares": 0}
    base = pool(ext)["basepool"]
    assert (base["total_shares"], base["total_value"], base["withdraw_queue"]) == (60 * PHA, 60 * PHA, ())


def test_metadata_registers_both_pallets() -> None:
    from pallets.computation import PhalaComputation
    from runtime.metadata.common import encode_constants, encode_storage
    from runtime.scale import TypeRegistry

    for pallet in (PhalaComputation, PhalaStakePoolv2):
        registry = TypeRegistry()
        assert encode_storage(registry, pallet.spec)
        encode_constants(registry, pallet.spec)
        for ty in (pallet.spec.call_type, pallet.spec.event_type, pallet.spec.error_type):
            assert ty is not None
            registry.register(ty)
        assert registry.encode()
    assert PhalaStakePoolv2.spec.call_type is not None
    assert PhalaStakePoolv2.spec.call_type.path == ("phala_pallets", "compute", "stake_pool_v2", "pallet", "Call")
