"""The balance record of one account and the one place that writes it (FRAME's `try_mutate_account`).

Balances live in `System.Account` (the runtime's `AccountStore = System`), so every balance change
goes through `try_mutate_account`: it upgrades old-logic accounts, runs the mutation on a copy, keeps
the provider/consumer references in step with the existential-deposit law, reaps dust, writes the
record back (or removes the account) and emits `Endowed` / `DustLost`. A mutation that raises leaves
storage untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from runtime.support.errors import NoProviders

from .errors import TooManyConsumers
from .types import NEW_LOGIC_FLAG

if TYPE_CHECKING:  # pallets.system.types imports our types module: no import cycle at run time
    from pallets.system.types import AccountInfo

    from .pallet import Balances

R = TypeVar("R")

MAX_CONSUMERS = 16
"""frame_system MaxConsumers of the solochain template (`ConstU32<16>`)."""


@dataclass(slots=True)
class AccountData:
    """pallet_balances::AccountData<u128>: free, reserved, frozen and the ExtraFlags word."""

    free: int = 0
    reserved: int = 0
    frozen: int = 0
    flags: int = NEW_LOGIC_FLAG  # ExtraFlags::default() is IS_NEW_LOGIC

    @property
    def total(self) -> int:
        """free + reserved."""
        return self.free + self.reserved

    def is_default(self) -> bool:
        """True for AccountData::default() (what an account without balance data holds)."""
        return self.free == 0 and self.reserved == 0 and self.frozen == 0 and self.flags == NEW_LOGIC_FLAG


def read_data(info: AccountInfo) -> AccountData:
    """The balance part of an AccountInfo.

    An all-zero record (what `System.account` returns for an absent account: our System default
    has flags 0, FRAME's has IS_NEW_LOGIC) reads as the FRAME default.
    """
    if info.free == 0 and info.reserved == 0 and info.frozen == 0 and info.flags == 0:
        return AccountData()
    return AccountData(info.free, info.reserved, info.frozen, info.flags)


def load_info(pallet: Balances, who: bytes) -> AccountInfo:
    """A private copy of `who`'s AccountInfo, safe to mutate.

    `System.account` decodes a new object on every read (the absent account's default too), so the
    value it returns is already private.
    """
    info: AccountInfo = pallet.rt.System.account(who)
    return info


def copy_info(info: AccountInfo) -> AccountInfo:
    """A private copy of `info` (cheaper than `dataclasses.replace`)."""
    return type(info)(info.nonce, info.consumers, info.providers, info.sufficients,
                      info.free, info.reserved, info.frozen, info.flags)


def is_upgraded(info: AccountInfo) -> bool:
    """True when `info`'s balance data carries the new-logic flag (the all-zero record reads as default)."""
    return bool(info.flags & NEW_LOGIC_FLAG) or (info.free == 0 and info.reserved == 0 and info.frozen == 0
                                                 and info.flags == 0)


def write_account(pallet: Balances, who: bytes, info: AccountInfo, data: AccountData | None) -> None:
    """System's `StoredMap::try_mutate_exists` tail: keep the record while referenced, else remove it."""
    if info.providers > 0 or info.sufficients > 0:
        if data is None:
            info.free, info.reserved, info.frozen, info.flags = 0, 0, 0, NEW_LOGIC_FLAG  # AccountData()
        else:
            info.free, info.reserved, info.frozen, info.flags = data.free, data.reserved, data.frozen, data.flags
        pallet.rt.System.store_account(who, info)
    else:
        pallet.rt.System.Account.remove(who)


def inc_consumers(info: AccountInfo, *, limit: bool = True) -> None:
    """frame_system::inc_consumers on `info` (in place): NoProviders / TooManyConsumers."""
    if info.providers == 0:
        raise NoProviders("inc_consumers: account has no providers")
    if limit and info.consumers >= MAX_CONSUMERS:
        raise TooManyConsumers(f"inc_consumers: consumers already at {MAX_CONSUMERS}")
    info.consumers += 1


def can_dec_provider(info: AccountInfo) -> bool:
    """frame_system::can_dec_provider: no consumers, or another provider remains."""
    return info.consumers == 0 or info.providers > 1


def ensure_upgraded(pallet: Balances, who: bytes, info: AccountInfo | None = None) -> bool:
    """Set the new-logic flag on an old-logic account (emits `Upgraded`); True when it was needed.

    `info`, when given, is `who`'s current stored record (it is copied, never changed).
    """
    system = pallet.rt.System
    if info is not None and is_upgraded(info):
        return False
    info = load_info(pallet, who) if info is None else copy_info(info)
    data = read_data(info)
    if data.flags & NEW_LOGIC_FLAG:
        return False
    data.flags |= NEW_LOGIC_FLAG
    if data.reserved and not data.frozen:
        if info.providers == 0:
            data.free = max(data.free, pallet.ExistentialDeposit)
            system.inc_providers(who, info)
        inc_consumers(info, limit=False)
    write_account(pallet, who, info, data)
    pallet.deposit_event(pallet.Event.Upgraded(who=who))
    return True


def try_mutate_account(pallet: Balances, who: bytes, f: Callable[[AccountData, bool], R],
                       info: AccountInfo | None = None) -> tuple[R, int | None]:
    """Run `f(account, is_new)` on `who`'s balance and write it back under the ED law.

    Returns f's result and the dust (a non-zero free balance below ED that was dropped), which the
    caller must handle (reduce total issuance). Emits `Endowed` for a new account and `DustLost`.
    `info`, when given, is `who`'s current stored record, read by the caller (copied, never changed).
    """
    system = pallet.rt.System
    info = system.account(who) if info is None else copy_info(info)
    free, reserved, frozen, flags = info.free, info.reserved, info.frozen, info.flags
    if not flags & NEW_LOGIC_FLAG:
        if free == 0 and reserved == 0 and frozen == 0 and flags == 0:
            flags = NEW_LOGIC_FLAG  # read_data: the all-zero record is AccountData::default()
        else:
            ensure_upgraded(pallet, who, info)
            info = system.account(who)
            free, reserved, frozen, flags = info.free, info.reserved, info.frozen, info.flags
    ed = pallet.ExistentialDeposit
    account = AccountData(free, reserved, frozen, flags)
    is_new = free == 0 and reserved == 0 and frozen == 0 and flags == NEW_LOGIC_FLAG  # is_default()
    did_provide = free >= ed
    did_consume = not is_new and (reserved != 0 or frozen != 0)

    result = f(account, is_new)

    free = account.free
    does_provide = free >= ed
    does_consume = account.reserved != 0 or account.frozen != 0
    if not did_provide and does_provide:
        system.inc_providers(who, info)
    if did_consume and not does_consume:
        info.consumers = max(info.consumers - 1, 0)
    if not did_consume and does_consume:
        inc_consumers(info)
    if does_consume and info.consumers == 0:
        inc_consumers(info)
    if did_provide and not does_provide:
        system.dec_providers(who, info)  # may reap the account, so it goes last

    dust: int | None = None
    stored: AccountData | None = account
    if free < ed and account.reserved == 0:
        dust = free or None
        stored = None
    write_account(pallet, who, info, stored)
    if is_new:
        pallet.deposit_event(pallet.Event.Endowed(account=who, free_balance=free))
    if dust is not None:
        pallet.deposit_event(pallet.Event.DustLost(account=who, amount=dust))
    return result, dust


def mutate_account_handling_dust(pallet: Balances, who: bytes, f: Callable[[AccountData, bool], R]) -> R:
    """try_mutate_account, then burn the dust (DustRemoval = (): the credit is dropped)."""
    result, dust = try_mutate_account(pallet, who, f)
    if dust is not None:
        handle_dust(pallet, min(dust, pallet.ExistentialDeposit - 1))
    return result


def handle_dust(pallet: Balances, dust: int) -> None:
    """Drop dust: the runtime's DustRemoval is `()`, so total issuance shrinks and no event is emitted."""
    pallet.TotalIssuance.put(max(pallet.TotalIssuance.get() - dust, 0))
