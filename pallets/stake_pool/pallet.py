"""PhalaStakePoolv2: worker stake pools with a share ledger, native PHA and a FIFO withdraw queue.

Phala's BasePool + StakePoolv2 folded into one pallet (spec §13.1 "Pools"): `Pools` holds each pool,
`PoolStakers` the shares per (pid, account) instead of RMRK NFTs, and stake is native PHA on the
pool's derived accounts instead of W-PHA. Declaration and calls here; accounting in `base_pool.py`,
the worker lifecycle and computation callbacks in `hooks.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.computation.reserved import insert_reserved_errors
from pallets.computation.types import WorkerPublicKey
from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.types import AccountId
from runtime.scale import U32, U64, U128, Option, Tuple
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageDoubleMap,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    constant,
    ensure_signed,
    event,
)
from runtime.support.errors import DispatchError
from runtime.support.origin import Origin
from runtime.support.params import AccountIdParam

from . import weights
from .accounts import is_dust, lock_account, owner_reward_account, pool_account, pool_sub_account
from .base_pool import BasePoolOps
from .hooks import ComputingOps
from .types import RUST_MODULE, Permill, PoolProxy

Pid = Annotated[int, U64, "u64"]
Worker = Annotated[bytes, WorkerPublicKey, "WorkerPublicKey"]
BalanceOf = Annotated[int, U128, "BalanceOf<T>"]
Commission = Annotated[int | None, Option(Permill), "Option<Permill>"]
AsVault = Annotated[int | None, Option(U64), "Option<u64>"]
_PID = (U64, "u64")
_WHO = (AccountId, "T::AccountId")
_WORKER = (WorkerPublicKey, "WorkerPublicKey")
_BAL = (U128, "BalanceOf<T>")
CENTS = 10_000_000_000


class PhalaStakePoolv2(BasePoolOps, ComputingOps, Pallet, name="PhalaStakePoolv2", rust_module=RUST_MODULE,
                       storage_version=7):
    """Pool for collaboratively computing staking"""

    PoolCount = StorageValue(U64, default=0, doc="The number of total pools")
    Pools = StorageMap(Twox64Concat, U64, PoolProxy, doc="Mapping from pids to pools (stake pools only; vaults are not modelled)")
    PoolStakers = StorageDoubleMap(Twox64Concat, U64, Twox64Concat, AccountId, U128,
                                   doc="The shares each account holds in a pool (replaces Phala's share NFTs)")
    WorkerAssignments = StorageMap(Twox64Concat, WorkerPublicKey, U64, doc="Mapping from workers to the pool they belong to\n\nThe map entry lasts from `add_worker()` to `remove_worker()` or force unbinding.")
    SubAccountPreimages = StorageMap(Twox64Concat, AccountId, Tuple((U64, WorkerPublicKey)), doc="Helper storage to track the preimage of the computing sub-accounts. Not used in consensus.")

    MinContribution = constant(U128, CENTS, "")
    GracePeriod = constant(U64, 7 * 24 * 3600, "The grace period for force withdraw request, in seconds.")
    MaxPoolWorkers = constant(U32, 200, "The max allowed workers in a pool")

    class Event(_Events):
        PoolCreated = event("A stake pool is created by `owner`", owner=_WHO, pid=_PID, pool_account_id=_WHO)
        PoolCommissionSet = event("The commission of a pool is updated\n\nThe commission ratio is represented by an integer. The real value is\n`commission / 1_000_000u32`.", pid=_PID, commission=(U32, "u32"))
        PoolCapacitySet = event("The stake capacity of the pool is updated", pid=_PID, cap=_BAL)
        PoolWorkerAdded = event("A worker is added to the pool", pid=_PID, worker=_WORKER, session=_WHO)
        Contribution = event("Someone contributed to a pool", pid=_PID, user=_WHO, amount=_BAL, shares=_BAL, as_vault=(Option(U64), "Option<u64>"))
        OwnerRewardsWithdrawn = event("Owner rewards were withdrawn by pool owner", pid=_PID, user=_WHO, amount=_BAL)
        PoolSlashed = event("The pool received a slash event from one of its workers (currently disabled)", pid=_PID, amount=_BAL)
        SlashSettled = event("Some slash is actually settled to a contributor (currently disabled)", pid=_PID, user=_WHO, amount=_BAL)
        RewardDismissedNotInPool = event("Some reward is dismissed because the worker is no longer bound to a pool", worker=_WORKER, amount=_BAL)
        RewardDismissedNoShare = event("Some reward is dismissed because the pool doesn't have any share", pid=_PID, amount=_BAL)
        RewardDismissedDust = event("Some reward is dismissed because the amount is too tiny (dust)", pid=_PID, amount=_BAL)
        PoolWorkerRemoved = event("A worker is removed from a pool.", pid=_PID, worker=_WORKER)
        WorkerReclaimed = event("A worker is reclaimed from the pool", pid=_PID, worker=_WORKER)
        RewardReceived = event("The amount of reward that distributed to owner and stakers", pid=_PID, to_owner=_BAL, to_stakers=_BAL)
        WorkingStarted = event("The amount of stakes for a worker to start computing", pid=_PID, worker=_WORKER, amount=_BAL)
        RewardToOwnerDismissedDust = event("Some to-distribute reward is dismissed because the amount is too tiny (dust)", pid=_PID, amount=_BAL)
        RewardToDistributionDismissedDust = event("Some to-distribute reward is dismissed because the amount is too tiny (dust)", pid=_PID, amount=_BAL)
        WithdrawalQueued = event("A withdrawal request is inserted to a queue", pid=_PID, user=_WHO, shares=_BAL, as_vault=(Option(U64), "Option<u64>"))
        Withdrawal = event("Some stake was withdrawn from a pool", pid=_PID, user=_WHO, amount=_BAL, shares=_BAL, burnt_shares=_BAL)

    class Error(_Errors):
        WorkerNotRegistered: Any = "The worker is not registered in the registry when adding to the pool"
        BenchmarkMissing: Any = "The worker doesn't have a valid benchmark when adding to the pool"
        WorkerExists: Any = "The worker is already added to the pool"
        WorkerAlreadyStopped: Any = "The worker is already in cd_workers"
        WorkerDoesNotExist: Any = "The target worker is not in the pool"
        WorkerInAnotherPool: Any = "The worker is already added to another pool"
        UnauthorizedOperator: Any = "The owner of the pool doesn't have the access to the worker"
        UnauthorizedPoolOwner: Any = "The caller is not the owner of the pool"
        InadequateCapacity: Any = "The stake capacity is set too low to cover the existing stake"
        StakeExceedsCapacity: Any = "The stake added to a pool exceeds its capacity"
        PoolDoesNotExist: Any = "The specified pool doesn't exist"
        InsufficientContribution: Any = "The contributed stake is smaller than the minimum threshold"
        NoNftToWithdraw: Any = "The caller has no nft to withdraw"
        InsufficientBalance: Any = "Trying to contribute more than the available balance"
        PoolStakeNotFound: Any = "The user doesn't have stake in a pool"
        InsufficientFreeStake: Any = "Cannot start computing because there's no enough free stake"
        InvalidWithdrawalAmount: Any = "The withdrawal amount is too small (considered as dust)"
        FailedToBindSessionAndWorker: Any = "Couldn't bind worker and the pool computing subaccount"
        InternalSubsidyPoolCannotWithdraw: Any = "Internal error: Cannot withdraw from the subsidy pool. This should never happen."
        PoolBankrupt: Any = "The pool has already got all the stake completely slashed."
        NoRewardToClaim: Any = "There's no pending reward to claim"
        FeatureNotEnabled: Any = "The StakePool is not enabled yet."
        WorkersExceedLimit: Any = "Failed to add a worker because the number of the workers exceeds the upper limit."
        CannotRestartWithLessStake: Any = "Restarted with a less stake is not allowed in the tokenomic."
        InvalidForceRewardAmount: Any = "Invalid amount of balance input when force reward."
        WithdrawQueueNotEmpty: Any = "Withdraw queue is not empty so that we can't restart computing"
        MissingCollectionId: Any = "Stakepool's collection_id isn't founded"
        VaultIsLocked: Any = "Vault is forced locked for it has some expired withdrawal"
        SessionDoesNotExist: Any = "The target miner is not in the \t`miner` storage"
        WorkerIsNotReady: Any = "The target worker is not reclaimed and can not be removed from a pool."
        LockAccountStakeError: Any = ""
        NoLegacyRewardToClaim: Any = ""

    # -- storage helpers ---------------------------------------------------------------------------------

    def now_sec(self) -> int:
        """Block time in seconds."""
        return int(self.rt.Timestamp.now()) // 1000

    def load_pool(self, pid: int) -> dict[str, Any] | None:
        """The StakePool record of `pid`, or None."""
        proxy = self.Pools.get(pid)
        return None if proxy is None else dict(proxy[1])

    def ensure_stake_pool(self, pid: int) -> dict[str, Any]:
        """The StakePool record of `pid`, else PoolDoesNotExist."""
        pool = self.load_pool(pid)
        if pool is None:
            raise self.Error.PoolDoesNotExist()
        return pool

    def save_pool(self, pid: int, pool: dict[str, Any]) -> None:
        """Store `pool` under `pid` as `PoolProxy::StakePool`."""
        self.Pools.insert(pid, ("StakePool", pool))

    def _owned_pool(self, origin: Origin, pid: int) -> tuple[bytes, dict[str, Any]]:
        who = ensure_signed(origin)
        pool = self.ensure_stake_pool(pid)
        if pool["basepool"]["owner"] != who:
            raise self.Error.UnauthorizedPoolOwner()
        return who, pool

    def _no_vault(self, as_vault: int | None) -> None:
        if as_vault is not None:
            raise self.Error.PoolDoesNotExist()  # vaults are not modelled: no vault pid exists

    # -- calls ------------------------------------------------------------------------------------------

    @call(index=0, weight=weights.ZERO)
    def create(self, origin: Origin) -> None:
        """Creates a new stake pool"""
        owner = ensure_signed(origin)
        pid = self.PoolCount.get()
        self.PoolCount.put(pid + 1)
        account = pool_account(pid, owner)
        self.save_pool(pid, {
            "basepool": {"pid": pid, "owner": owner, "total_shares": 0, "total_value": 0, "withdraw_queue": [],
                         "pool_account_id": account},
            "payout_commission": None, "cap": None, "workers": [], "cd_workers": [],
            "lock_account": lock_account(pid, owner), "owner_reward_account": owner_reward_account(pid, owner),
        })
        self.deposit_event(self.Event.PoolCreated(owner=owner, pid=pid, pool_account_id=account))

    @call(index=1, weight=weights.ZERO)
    def add_worker(self, origin: Origin, pid: Pid, pubkey: Worker) -> None:
        """Adds a worker to a pool

        This will bind a worker to the corresponding pool sub-account. The binding will not be
        released until the worker is removed gracefully by `remove_worker()`, or a force unbind
        by the worker operator via `Computation::unbind()`.
        """
        owner = ensure_signed(origin)
        info = self.rt.PhalaComputation.registry_worker(pubkey)
        if info is None:
            raise self.Error.WorkerNotRegistered()
        if info.get("operator") != owner:
            raise self.Error.UnauthorizedOperator()
        if info.get("initial_score") is None:
            raise self.Error.BenchmarkMissing()
        pool = self.ensure_stake_pool(pid)
        if pool["basepool"]["owner"] != owner:
            raise self.Error.UnauthorizedPoolOwner()
        if pubkey in pool["workers"]:
            raise self.Error.WorkerExists()
        if len(pool["workers"]) >= self.MaxPoolWorkers:
            raise self.Error.WorkersExceedLimit()
        session = pool_sub_account(pid, pubkey)
        try:
            self.rt.PhalaComputation.bind(session, pubkey)
        except DispatchError:  # Phala maps every bind failure to this one error
            raise self.Error.FailedToBindSessionAndWorker() from None
        self.SubAccountPreimages.insert(session, (pid, pubkey))
        pool["workers"] = list(pool["workers"]) + [pubkey]
        self.save_pool(pid, pool)
        self.WorkerAssignments.insert(pubkey, pid)
        self.deposit_event(self.Event.PoolWorkerAdded(pid=pid, worker=pubkey, session=session))

    @call(index=2, weight=weights.ZERO)
    def remove_worker(self, origin: Origin, pid: Pid, worker: Worker) -> None:
        """Removes a worker from a pool"""
        self._owned_pool(origin, pid)
        assigned = self.WorkerAssignments.get(worker)
        if assigned is None:
            raise self.Error.WorkerDoesNotExist()
        if assigned != pid:
            raise self.Error.WorkerInAnotherPool()
        session = pool_sub_account(pid, worker)
        info = self.rt.PhalaComputation.Sessions.get(session)
        if info is None:
            raise self.Error.SessionDoesNotExist()
        if (info["state"] if isinstance(info["state"], str) else info["state"][0]) != "Ready":
            raise self.Error.WorkerIsNotReady()
        self.rt.PhalaComputation.unbind_session(session, False)
        self.remove_worker_from_pool(worker)

    @call(index=3, weight=weights.ZERO)
    def set_cap(self, origin: Origin, pid: Pid, cap: BalanceOf) -> None:
        """Sets the hard cap of the pool

        Note: a smaller cap than current total_value if not allowed.
        """
        _, pool = self._owned_pool(origin, pid)
        if pool["basepool"]["total_value"] > cap:
            raise self.Error.InadequateCapacity()
        pool["cap"] = cap
        self.save_pool(pid, pool)
        self.deposit_event(self.Event.PoolCapacitySet(pid=pid, cap=cap))

    @call(index=4, weight=weights.ZERO)
    def set_payout_pref(self, origin: Origin, pid: Pid, payout_commission: Commission) -> None:
        """Changes the pool commission rate"""
        _, pool = self._owned_pool(origin, pid)
        pool["payout_commission"] = payout_commission
        self.save_pool(pid, pool)
        self.deposit_event(self.Event.PoolCommissionSet(pid=pid, commission=payout_commission or 0))

    @call(index=7, weight=weights.ZERO)
    def claim_owner_rewards(self, origin: Origin, pid: Pid, target: AccountIdParam) -> None:
        """Claims pool-owner's pending rewards of the sender and send to the `target`"""
        who, pool = self._owned_pool(origin, pid)
        rewards = int(self.rt.Balances.free_balance(pool["owner_reward_account"]))
        if rewards == 0:
            raise self.Error.NoRewardToClaim()
        self.rt.Balances.transfer(pool["owner_reward_account"], target, rewards, False)
        self.deposit_event(self.Event.OwnerRewardsWithdrawn(pid=pid, user=who, amount=rewards))

    @call(index=8, weight=weights.ZERO)
    def check_and_maybe_force_withdraw(self, origin: Origin, pid: Pid) -> None:
        """Let any user to launch a stakepool withdraw. Then check if the pool need to be forced shutdown.

        If the shutdown condition is met, all workers in the pool will be forced shutdown.
        """
        ensure_signed(origin)
        now = self.now_sec()
        pool = self.ensure_stake_pool(pid)
        self.try_process_withdraw_queue(pool)
        stakes = self.rt.PhalaComputation.Stakes
        releasing = sum(int(stakes.get(pool_sub_account(pid, w)) or 0) for w in pool["cd_workers"])
        self.save_pool(pid, pool)
        if not self.has_expired_withdrawal(pool, now, self.GracePeriod, releasing):
            return
        sessions = self.rt.PhalaComputation.Sessions
        for worker in pool["workers"]:
            info = sessions.get(pool_sub_account(pid, worker))
            state = None if info is None else (info["state"] if isinstance(info["state"], str) else info["state"][0])
            if state in ("WorkerIdle", "WorkerUnresponsive") and worker not in pool["cd_workers"]:
                self.do_stop_computing(pool["basepool"]["owner"], pid, bytes(worker))

    @call(index=9, weight=weights.ZERO)
    def contribute(self, origin: Origin, pid: Pid, amount: BalanceOf, as_vault: AsVault) -> None:
        """Contributes some stake to a stakepool

        Requires:
        1. The pool exists
        2. After the deposit, the pool doesn't reach the cap
        """
        who = ensure_signed(origin)
        self._no_vault(as_vault)
        pool = self.ensure_stake_pool(pid)
        if amount < self.MinContribution:
            raise self.Error.InsufficientContribution()
        if int(self.rt.Balances.free_balance(who)) < amount:
            raise self.Error.InsufficientBalance()
        shares = self.base_contribute(pool, who, amount)
        self.try_process_withdraw_queue(pool)
        if pool["cap"] is not None and pool["basepool"]["total_value"] > pool["cap"]:
            raise self.Error.StakeExceedsCapacity()
        self.save_pool(pid, pool)
        self.deposit_event(self.Event.Contribution(pid=pid, user=who, amount=amount, shares=shares, as_vault=None))

    @call(index=10, weight=weights.ZERO)
    def withdraw(self, origin: Origin, pid: Pid, shares: BalanceOf, as_vault: AsVault) -> None:
        """Demands the return of some stake from a pool.

        Once a withdraw request is proceeded successfully, The withdrawal would be queued and waiting to be dealed.
        Afer the withdrawal is queued, The withdraw queue will be automaticly consumed util there are not enough free stakes to fullfill withdrawals.
        """
        who = ensure_signed(origin)
        self._no_vault(as_vault)
        pool = self.ensure_stake_pool(pid)
        base = pool["basepool"]
        queued = self.queued_shares(base, who)
        if not self.PoolStakers.contains(pid, who) and queued == 0:
            raise self.Error.NoNftToWithdraw()
        if is_dust(shares) or shares > self.shares_of(pid, who) + queued:
            raise self.Error.InvalidWithdrawalAmount()
        if self.push_withdraw_in_queue(pool, who, shares):
            self.deposit_event(self.Event.WithdrawalQueued(pid=pid, user=who, shares=shares, as_vault=None))
            self.try_process_withdraw_queue(pool)
        self.save_pool(pid, pool)

    @call(index=13, weight=weights.ZERO)
    def start_computing(self, origin: Origin, pid: Pid, worker: Worker, stake: BalanceOf) -> None:
        """Starts a worker on behalf of the stake pool"""
        self.do_start_computing(ensure_signed(origin), pid, worker, stake)

    @call(index=14, weight=weights.ZERO)
    def stop_computing(self, origin: Origin, pid: Pid, worker: Worker) -> None:
        """Stops a worker on behalf of the stake pool
        Note: this would let worker enter CoolingDown if everything is good
        """
        self.do_stop_computing(ensure_signed(origin), pid, worker)

    @call(index=15, weight=weights.ZERO)
    def reclaim_pool_worker(self, origin: Origin, pid: Pid, worker: Worker) -> None:
        """Reclaims the releasing stake of a worker in a pool."""
        ensure_signed(origin)
        self.ensure_stake_pool(pid)
        self.do_reclaim(pid, worker, True)

    @call(index=17, weight=weights.RESTART_COMPUTING)
    def restart_computing(self, origin: Origin, pid: Pid, worker: Worker, stake: BalanceOf) -> None:
        """Restarts the worker with a higher stake"""
        owner = ensure_signed(origin)
        pool = self.ensure_stake_pool(pid)
        if pool["basepool"]["withdraw_queue"]:
            raise self.Error.WithdrawQueueNotEmpty()
        self.do_stop_computing(owner, pid, worker)
        orig_stake, slashed = self.do_reclaim(pid, worker, False)
        if stake <= orig_stake - slashed:
            raise self.Error.CannotRestartWithLessStake()
        self.do_start_computing(owner, pid, worker, stake)

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """No genesis config; writes the storage version."""
        write_storage_version(self, self.spec.storage_version)


insert_reserved_errors(PhalaStakePoolv2, {11: ("_PoolIsBusy", "")})

__all__ = ["PhalaStakePoolv2"]
