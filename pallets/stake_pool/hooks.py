"""Pool ↔ PhalaComputation glue: starting, stopping and reclaiming pool workers, and the computation
pallet's callbacks (`on_reward`, `on_unbound`, `on_stopped`) as plain methods.

Stake moves in native PHA: pool account → lock account on start, lock account → pool account on
reclaim (always the full original stake: `slashed` is 0). Rewards are paid from the computation
subsidy account: the commission to the owner reward account, the rest to the pool account, where
it raises `total_value` (the share price) without minting shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pallets.computation import SUBSIDY_ACCOUNT
from pallets.computation import fixed as fp
from runtime.support.errors import DispatchError

from .accounts import is_dust, permill_of, pool_sub_account

if TYPE_CHECKING:
    from .pallet import PhalaStakePoolv2


class ComputingOps:
    """Worker lifecycle on behalf of a pool, plus the computation callbacks (mixed into the pallet)."""

    @property
    def _cp(self) -> PhalaStakePoolv2:
        return cast("PhalaStakePoolv2", self)

    def do_start_computing(self, owner: bytes, pid: int, worker: bytes, stake: int) -> None:
        """Start `worker` with `stake` from the pool's free stake (moved to the lock account)."""
        sp = self._cp
        pool = sp.ensure_stake_pool(pid)
        base = pool["basepool"]
        if base["owner"] != owner:
            raise sp.Error.UnauthorizedPoolOwner()
        if sp.free_stake(base) < stake:
            raise sp.Error.InsufficientFreeStake()
        if worker not in pool["workers"]:
            raise sp.Error.WorkerDoesNotExist()
        sp.rt.PhalaComputation.start_computing(pool_sub_account(pid, worker), stake)
        sp.rt.Balances.transfer(base["pool_account_id"], pool["lock_account"], stake, False)
        sp.save_pool(pid, pool)
        sp.deposit_event(sp.Event.WorkingStarted(pid=pid, worker=worker, amount=stake))

    def do_stop_computing(self, owner: bytes, pid: int, worker: bytes) -> None:
        """Stop `worker` (it enters cool down) and track it in `cd_workers`."""
        sp = self._cp
        pool = sp.ensure_stake_pool(pid)
        if pool["basepool"]["owner"] != owner:
            raise sp.Error.UnauthorizedPoolOwner()
        if worker not in pool["workers"]:
            raise sp.Error.WorkerDoesNotExist()
        if worker in pool["cd_workers"]:
            raise sp.Error.WorkerAlreadyStopped()
        sp.rt.PhalaComputation.stop_computing(pool_sub_account(pid, worker))
        pool = sp.ensure_stake_pool(pid)
        pool["cd_workers"] = list(pool["cd_workers"]) + [worker]
        sp.save_pool(pid, pool)

    def do_reclaim(self, pid: int, worker: bytes, check_cooldown: bool) -> tuple[int, int]:
        """Reclaim a cooled-down worker: its whole stake returns to the pool account; the queue is served."""
        sp = self._cp
        orig_stake, slashed = sp.rt.PhalaComputation.reclaim(pool_sub_account(pid, worker), check_cooldown)
        pool = sp.ensure_stake_pool(pid)
        returned = orig_stake - slashed
        if returned:
            sp.rt.Balances.transfer(pool["lock_account"], pool["basepool"]["pool_account_id"], returned, False)
        sp.try_process_withdraw_queue(pool)
        sp.deposit_event(sp.Event.WorkerReclaimed(pid=pid, worker=worker))
        pool["cd_workers"] = [w for w in pool["cd_workers"] if w != worker]
        sp.save_pool(pid, pool)
        return orig_stake, slashed

    def remove_worker_from_pool(self, worker: bytes) -> None:
        """Drop `worker` from its pool's list and from `WorkerAssignments` (no-op if unassigned)."""
        sp = self._cp
        pid = sp.WorkerAssignments.take(worker)
        if pid is None:
            return
        pool = sp.load_pool(pid)
        if pool is not None:
            pool["workers"] = [w for w in pool["workers"] if w != worker]
            sp.save_pool(pid, pool)
            sp.deposit_event(sp.Event.PoolWorkerRemoved(pid=pid, worker=worker))

    # -- PhalaComputation callbacks --------------------------------------------------------------------

    def on_unbound(self, worker: bytes, force: bool) -> None:
        """`OnUnbound`: a worker was unbound from its session (possibly by its operator)."""
        self.remove_worker_from_pool(worker)

    def on_stopped(self, worker: bytes, orig_stake: int, slashed: int) -> None:
        """`OnStopped`: nothing to do (no slashing)."""

    def on_reward(self, settle: list[dict[str, Any]]) -> None:
        """`OnReward`: distribute each settled payout to its worker's pool."""
        sp = self._cp
        for info in settle:
            worker = bytes(info["pubkey"])
            reward = fp.balance_from_bits(info["payout"])
            pid = sp.WorkerAssignments.get(worker)
            if pid is None:
                sp.deposit_event(sp.Event.RewardDismissedNotInPool(worker=worker, amount=reward))
                continue
            pool = sp.load_pool(pid)
            if pool is None:
                continue
            self.handle_pool_new_reward(pool, worker, reward)
            sp.save_pool(pid, pool)

    def _pay(self, dest: bytes, amount: int) -> bool:
        try:
            self._cp.rt.Balances.transfer(SUBSIDY_ACCOUNT, dest, amount, True)
        except DispatchError:
            return False
        return True

    def handle_pool_new_reward(self, pool: dict[str, Any], worker: bytes, rewards: int) -> None:
        """Pay `rewards` from the subsidy pool: commission to the owner, the rest raises the share price."""
        sp = self._cp
        base = pool["basepool"]
        pid = base["pid"]
        if rewards == 0:
            return
        if is_dust(rewards):
            sp.deposit_event(sp.Event.RewardDismissedDust(pid=pid, amount=rewards))
            return
        if is_dust(base["total_shares"]):
            sp.deposit_event(sp.Event.RewardDismissedNoShare(pid=pid, amount=rewards))
            return
        subsidy_free = int(sp.rt.Balances.free_balance(SUBSIDY_ACCOUNT))
        if subsidy_free < rewards + sp.min_balance():
            comp = sp.rt.PhalaComputation
            comp.deposit_event(comp.Event.InternalErrorWorkerSettleFailed(worker=worker))
            return
        commission_parts = pool["payout_commission"] or 0
        commission = permill_of(commission_parts, rewards)
        owner_minted = commission == 0 or self._pay(pool["owner_reward_account"], commission)
        if not owner_minted:
            sp.deposit_event(sp.Event.RewardToOwnerDismissedDust(pid=pid, amount=commission))
        to_distribute = rewards - commission
        distributed = False
        if not is_dust(to_distribute) and self._pay(base["pool_account_id"], to_distribute):
            self._cp.distribute_reward(pool, to_distribute)
            distributed = True
        elif to_distribute > 0:
            sp.deposit_event(sp.Event.RewardToDistributionDismissedDust(pid=pid, amount=to_distribute))
        if distributed or owner_minted:
            sp.deposit_event(sp.Event.RewardReceived(pid=pid, to_owner=commission, to_stakers=to_distribute))
