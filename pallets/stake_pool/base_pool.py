"""BasePool accounting folded into PhalaStakePoolv2: share price, contributions, the FIFO withdraw queue.

`share_price = total_value / total_shares` (U64F64, via `balance_convert`), contributions mint
`amount / price` shares into the `PoolStakers` ledger, rewards only raise `total_value`. Withdrawals
move shares into a queue entry (one per user, re-queued at the back) that is paid out of the pool
account's free PHA, oldest first, whenever free stake appears. The methods take the decoded
`StakePool` dict and mutate it in place; the caller stores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pallets.computation import fixed as fp
from runtime.support.errors import DispatchError

from .accounts import extract_dust, is_dust

if TYPE_CHECKING:
    from .pallet import PhalaStakePoolv2


def share_price(base: dict[str, Any]) -> int | None:
    """`BasePool::share_price`: to_fixed(total_value) / to_fixed(total_shares), None without shares."""
    return fp.checked_div(fp.to_fixed(base["total_value"]), fp.to_fixed(base["total_shares"]))


class BasePoolOps:
    """Share ledger and withdraw-queue operations (mixed into the pallet class)."""

    @property
    def _sp(self) -> PhalaStakePoolv2:
        return cast("PhalaStakePoolv2", self)

    def free_stake(self, base: dict[str, Any]) -> int:
        """`get_free_stakes`: the free PHA of the pool account."""
        return int(self._sp.rt.Balances.free_balance(base["pool_account_id"]))

    def min_balance(self) -> int:
        """The smallest balance an account may hold (W-PHA's `min_balance` in Phala; our ED)."""
        return int(self._sp.rt.Balances.ExistentialDeposit)

    def shares_of(self, pid: int, who: bytes) -> int:
        """PoolStakers[pid, who] (0 when absent)."""
        return int(self._sp.PoolStakers.get(pid, who) or 0)

    def _set_shares(self, pid: int, who: bytes, shares: int) -> None:
        if shares:
            self._sp.PoolStakers.insert(pid, who, shares)
        else:
            self._sp.PoolStakers.remove(pid, who)

    def base_contribute(self, pool: dict[str, Any], who: bytes, amount: int) -> int:
        """Mint `amount / price` shares to `who` and move `amount` PHA into the pool account."""
        base = pool["basepool"]
        if base["total_shares"] != 0 and base["total_value"] == 0:
            raise self._sp.Error.PoolBankrupt()
        price = share_price(base)
        shares = fp.bdiv(amount, price) if price else amount
        self._sp.rt.Balances.transfer(who, base["pool_account_id"], amount, False)
        base["total_shares"] += shares
        base["total_value"] += amount
        self._set_shares(base["pid"], who, self.shares_of(base["pid"], who) + shares)
        return shares

    def queued_shares(self, base: dict[str, Any], who: bytes) -> int:
        """Shares `who` has waiting in the withdraw queue."""
        return sum(int(w["shares"]) for w in base["withdraw_queue"] if w["user"] == who)

    def push_withdraw_in_queue(self, pool: dict[str, Any], who: bytes, shares: int) -> bool:
        """Move `shares` into a fresh queue entry at the back (merging `who`'s older entry); False if bankrupt."""
        base = pool["basepool"]
        pid = base["pid"]
        owned = self.shares_of(pid, who)
        if share_price(base) is None:
            if shares > owned:
                raise self._sp.Error.InvalidWithdrawalAmount()
            self._set_shares(pid, who, owned - shares)
            return False
        owned += self.queued_shares(base, who)
        base["withdraw_queue"] = [w for w in base["withdraw_queue"] if w["user"] != who]
        if shares > owned:
            raise self._sp.Error.InvalidWithdrawalAmount()
        self._set_shares(pid, who, owned - shares)
        base["withdraw_queue"].append({"user": who, "start_time": self._sp.now_sec(), "shares": shares})
        return True

    def _maybe_remove_dust(self, base: dict[str, Any], entry: dict[str, Any], price: int) -> bool:
        if fp.bmul(entry["shares"], price) > self.min_balance():
            return False
        base["total_shares"] -= entry["shares"]
        return True

    def try_process_withdraw_queue(self, pool: dict[str, Any]) -> None:
        """Pay queued withdrawals from the pool's free stake, oldest first; emits one Withdrawal per user."""
        base = pool["basepool"]
        price = share_price(base)
        if price is None:
            return
        minimum = self.min_balance()
        stats: dict[bytes, list[int]] = {}  # user → [amount, shares, burnt_shares]
        queue = list(base["withdraw_queue"])
        while queue and self.free_stake(base) > minimum:
            entry = dict(queue[0])
            user = bytes(entry["user"])
            acc = stats.setdefault(user, [0, 0, 0])
            if self._maybe_remove_dust(base, entry, price):
                acc[2] += entry["shares"]
                queue.pop(0)
                continue
            free = self.free_stake(base)
            free_shares = entry["shares"] if price == 0 else fp.bdiv(free, price)
            withdrawing = min(free_shares, entry["shares"])
            amount = min(fp.bmul(withdrawing, price), free)
            remaining, shares_dust = extract_dust(entry["shares"] - withdrawing)
            try:
                self._sp.rt.Balances.transfer(base["pool_account_id"], user, amount, False)
            except DispatchError:
                break  # the payout cannot land (e.g. below the recipient's existential deposit)
            removed = withdrawing + shares_dust
            base["total_shares"] -= removed
            left, _ = extract_dust(base["total_value"] - amount)
            base["total_value"] = base["total_value"] - amount if left > 0 else 0
            entry["shares"] = remaining
            acc[0] += amount
            acc[1] += removed
            if remaining == 0 or self._maybe_remove_dust(base, entry, price):
                if remaining:
                    acc[2] += remaining
                queue.pop(0)
            else:
                queue[0] = entry
                break  # partially filled: the free stake is used up
        base["withdraw_queue"] = queue
        sp = self._sp
        for user in sorted(stats):
            amount, shares, burnt = stats[user]
            sp.deposit_event(sp.Event.Withdrawal(pid=base["pid"], user=user, amount=amount, shares=shares,
                                                 burnt_shares=burnt))

    def has_expired_withdrawal(self, pool: dict[str, Any], now: int, grace_period: int, releasing: int) -> bool:
        """True when a queued request that free + releasing stake cannot cover has waited > grace_period."""
        base = pool["basepool"]
        price = share_price(base)
        if not price:
            return False
        budget = self.free_stake(base) + releasing
        for request in base["withdraw_queue"]:
            amount = fp.bmul(request["shares"], price)
            if amount > budget:
                return bool(now - request["start_time"] > grace_period)
            budget -= amount
        return False

    def distribute_reward(self, pool: dict[str, Any], rewards: int) -> None:
        """Raise the pool's value (and so the share price) by `rewards`; no shares are minted."""
        pool["basepool"]["total_value"] += rewards


__all__ = ["BasePoolOps", "is_dust", "share_price"]
