"""The fungible-token operations Balances implements (frame_support's fungible::{Inspect, Unbalanced, Mutate,
Balanced}), with the exact checks and error choices of polkadot-sdk.

Every transfer, burn, mint and fee withdrawal in the runtime is built from these, so the errors a
client sees (`Token(FundsUnavailable)`, `Token(NotExpendable)`, `Token(BelowMinimum)`, ...) and the
events (`Transfer`, `Burned`, `Minted`, `Withdraw`, `Deposit`) are decided here.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from runtime.support.errors import ArithmeticError, DispatchError, TokenError
from runtime.support.events import EventDef, PalletEvent

from .account import AccountData, can_dec_provider, handle_dust, read_data, try_mutate_account
from .errors import module_error
from .types import NEW_LOGIC_FLAG

if TYPE_CHECKING:
    from pallets.system.types import AccountInfo

    from .pallet import Balances

U128_MAX = (1 << 128) - 1


class Preservation(Enum):
    """frame_support::traits::tokens::Preservation."""

    Expendable = 0
    Protect = 1
    Preserve = 2


class Fortitude(Enum):
    """frame_support::traits::tokens::Fortitude: Polite respects freezes, Force ignores them."""

    Polite = 0
    Force = 1


class Precision(Enum):
    """frame_support::traits::tokens::Precision."""

    Exact = 0
    BestEffort = 1


def _is_id(who: object) -> bool:
    return type(who) is bytes and len(who) == 32


def _is_u128(amount: object) -> bool:
    return type(amount) is int and 0 <= amount <= U128_MAX


def who_amount_event(ev: EventDef, who: bytes, amount: int) -> PalletEvent:
    """`ev(who=who, amount=amount)` for an `(AccountId, u128)` event, encoded by hand when the values fit."""
    if _is_id(who) and _is_u128(amount):
        return ev.from_encoded(None, who + amount.to_bytes(16, "little"))
    return ev(who=who, amount=amount)


def deposit_who_amount(pallet: Balances, ev: EventDef, who: bytes, amount: int) -> None:
    """`pallet.deposit_event(who_amount_event(ev, who, amount))`, without an event object when encoded by hand."""
    if type(who) is bytes and len(who) == 32 and type(amount) is int and 0 <= amount <= U128_MAX:
        pallet.rt.deposit_encoded(ev, who + amount.to_bytes(16, "little"))
    else:
        pallet.deposit_event(ev(who=who, amount=amount))


def account(pallet: Balances, who: bytes) -> AccountData:
    """The balance record of `who` (default when absent)."""
    return read_data(pallet.rt.System.account(who))


def reducible_balance(pallet: Balances, who: bytes, preservation: Preservation, force: Fortitude,
                      info: AccountInfo | None = None) -> int:
    """fungible::Inspect::reducible_balance: what can leave the free balance under these rules.

    Here and below, `info` (when given) is `who`'s current stored AccountInfo, already read by the
    caller, so the record is not read again; it is never changed.
    """
    if info is None:
        info = pallet.rt.System.account(who)
    free = info.free  # read_data's all-zero → default mapping changes only the flags, not read here
    untouchable = max(info.frozen - info.reserved, 0) if force is Fortitude.Polite else 0
    if (preservation is Preservation.Preserve
            or (preservation is Preservation.Protect and free != 0 and info.providers == 1)
            or (preservation is Preservation.Expendable and free != 0 and not can_dec_provider(info))):
        untouchable = max(untouchable, pallet.ExistentialDeposit)
    return max(free - untouchable, 0)


def check_deposit(pallet: Balances, who: bytes, amount: int, minted: bool, info: AccountInfo | None = None) -> None:
    """fungible::Inspect::can_deposit(..).into_result(): raise unless `amount` can be credited."""
    if amount == 0:
        return
    if minted and pallet.TotalIssuance.get() + amount > U128_MAX:
        raise ArithmeticError("Overflow")
    a = account(pallet, who) if info is None else read_data(info)
    new_free = a.free + amount
    if new_free > U128_MAX:
        raise ArithmeticError("Overflow")
    if new_free < pallet.ExistentialDeposit:
        raise TokenError("BelowMinimum")
    if a.reserved + new_free > U128_MAX:
        raise ArithmeticError("Overflow")


def check_withdraw(pallet: Balances, who: bytes, amount: int, keep_nonzero: bool,
                   info: AccountInfo | None = None) -> None:
    """fungible::Inspect::can_withdraw(..).into_result(keep_nonzero): raise unless `amount` can leave."""
    consequence = withdraw_consequence(pallet, who, amount, info)
    if consequence == "ReducedToZero" and not keep_nonzero:
        return
    if consequence != "Success":
        raise _withdraw_error("NotExpendable" if consequence == "ReducedToZero" else consequence)


def withdraw_consequence(pallet: Balances, who: bytes, amount: int, info: AccountInfo | None = None) -> str:
    """fungible::Inspect::can_withdraw: the WithdrawConsequence variant name."""
    if amount == 0:
        return "Success"
    if pallet.TotalIssuance.get() < amount:
        return "Underflow"
    if info is None:
        info = pallet.rt.System.account(who)
    a = read_data(info)
    if a.free < amount:
        return "BalanceLow"
    new_free = a.free - amount
    if amount > reducible_balance(pallet, who, Preservation.Expendable, Fortitude.Polite, info):
        return "Frozen"
    success = "Success"
    if new_free < pallet.ExistentialDeposit:
        if not can_dec_provider(info):
            return "WouldDie"
        success = "ReducedToZero"
    if new_free + a.reserved < a.frozen:
        return "Frozen"
    return success


_WITHDRAW_ERRORS = {
    "BalanceLow": ("Token", "FundsUnavailable"),
    "WouldDie": ("Token", "OnlyProvider"),
    "Underflow": ("Arithmetic", "Underflow"),
    "Frozen": ("Token", "Frozen"),
    "NotExpendable": ("Token", "NotExpendable"),
}


def _withdraw_error(consequence: str) -> TokenError | ArithmeticError:
    kind, name = _WITHDRAW_ERRORS[consequence]
    return TokenError(name) if kind == "Token" else ArithmeticError(name)


def write_balance(pallet: Balances, who: bytes, amount: int, info: AccountInfo | None = None) -> int | None:
    """fungible::Unbalanced::write_balance: set free to `amount`; returns dust (not yet handled)."""
    if info is None:
        info = pallet.rt.System.account(who)
    max_reduction = reducible_balance(pallet, who, Preservation.Expendable, Fortitude.Force, info)

    def set_free(a: AccountData, _is_new: bool) -> None:
        if a.free - amount > max_reduction:
            raise module_error(pallet.Error.InsufficientBalance)
        a.free = amount

    return try_mutate_account(pallet, who, set_free, info)[1]


def decrease_balance(pallet: Balances, who: bytes, amount: int, precision: Precision,
                     preservation: Preservation, force: Fortitude, info: AccountInfo | None = None) -> int:
    """fungible::Unbalanced::decrease_balance; returns the amount by which free went down."""
    if info is None:
        info = pallet.rt.System.account(who)
    old = read_data(info).free
    free = reducible_balance(pallet, who, preservation, force, info)
    if precision is Precision.BestEffort:
        amount = min(amount, free)
    elif free < amount:
        raise TokenError("FundsUnavailable")
    if amount > old:
        raise TokenError("FundsUnavailable")
    new = old - amount
    dust = write_balance(pallet, who, new, info)
    if dust is not None:
        handle_dust(pallet, dust)
    return old - new


def increase_balance(pallet: Balances, who: bytes, amount: int, precision: Precision,
                     info: AccountInfo | None = None) -> int:
    """fungible::Unbalanced::increase_balance; returns the amount by which free went up."""
    if info is None:
        info = pallet.rt.System.account(who)
    old = read_data(info).free
    new = old + amount
    if new > U128_MAX:
        if precision is Precision.Exact:
            raise ArithmeticError("Overflow")
        new = U128_MAX
    if new < pallet.ExistentialDeposit:
        if precision is Precision.Exact:
            raise TokenError("BelowMinimum")
        return 0
    if new == old:
        return 0
    dust = write_balance(pallet, who, new, info)
    if dust is not None:
        handle_dust(pallet, dust)
    return new - old


def _plain(info: AccountInfo, ed: int) -> bool:
    """An upgraded account above ED with no reserve and no freeze: the balance laws reduce to `free ≥ ED`."""
    return not info.reserved and not info.frozen and bool(info.flags & NEW_LOGIC_FLAG) and info.free >= ed


def _set_plain_free(pallet: Balances, who: bytes, info: AccountInfo, free: int) -> None:
    """Store `info` with a new free balance (for a `_plain` account whose new free stays ≥ ED)."""
    pallet.rt.System.store_account_record(who, (info.nonce, info.consumers, info.providers, info.sufficients,
                                                free, 0, 0, info.flags))


def _plain_transfer(pallet: Balances, source: bytes, dest: bytes, amount: int) -> bool:
    """The common case of `transfer`, in one step: both accounts `_plain`, the source keeping at least
    ED, the destination already above it.

    Under those conditions every check of the general path passes, no provider or consumer count
    moves, nothing is dusted and no event but `Transfer` is due, so writing the two balances directly
    stores exactly the bytes the general path stores. Works on the stored records' field tuples
    (nonce, consumers, providers, sufficients, free, reserved, frozen, flags) as System memoises them.
    Returns False (touching nothing) otherwise.
    """
    system = pallet.rt.System
    s = system.account_record(source)
    d = system.account_record(dest)
    if s is None or d is None or amount <= 0 or source == dest:  # an absent account is not plain (free 0 < ED)
        return False
    ed = pallet.ExistentialDeposit
    s_free = s[4]
    d_free = d[4]
    if (s[5] or s[6] or not s[7] & NEW_LOGIC_FLAG or d[5] or d[6] or not d[7] & NEW_LOGIC_FLAG  # _plain
            or d_free < ed or s_free - amount < ed or d_free + amount > U128_MAX
            or pallet.TotalIssuance.get() < amount):
        return False
    system.store_account_record(source, (s[0], s[1], s[2], s[3], s_free - amount, 0, 0, s[7]))
    system.store_account_record(dest, (d[0], d[1], d[2], d[3], d_free + amount, 0, 0, d[7]))
    return True


def transfer(pallet: Balances, source: bytes, dest: bytes, amount: int, preservation: Preservation) -> int:
    """fungible::Mutate::transfer: check both sides, move `amount`, emit `Transfer`."""
    if _plain_transfer(pallet, source, dest, amount):
        _deposit_transfer_event(pallet, source, dest, amount)
        return amount
    system = pallet.rt.System
    source_info = system.account(source)
    dest_info = source_info if dest == source else system.account(dest)
    check_withdraw(pallet, source, amount, preservation is not Preservation.Expendable, source_info)
    check_deposit(pallet, dest, amount, False, dest_info)
    decrease_balance(pallet, source, amount, Precision.BestEffort, preservation, Fortitude.Polite, source_info)
    try:  # the source's write above changed the record when dest == source: read it again then
        increase_balance(pallet, dest, amount, Precision.BestEffort, None if dest == source else dest_info)
    except DispatchError:
        pass  # FRAME ignores this result (`let _ =`): can_deposit was checked above
    _deposit_transfer_event(pallet, source, dest, amount)
    return amount


def _deposit_transfer_event(pallet: Balances, source: bytes, dest: bytes, amount: int) -> None:
    if _is_id(source) and _is_id(dest) and _is_u128(amount):  # hand-encoded: the declared types' bytes
        pallet.rt.deposit_encoded(pallet.Event.Transfer, source + dest + amount.to_bytes(16, "little"))
    else:
        pallet.deposit_event(pallet.Event.Transfer(from_=source, to=dest, amount=amount))


def mint_into(pallet: Balances, who: bytes, amount: int) -> int:
    """fungible::Mutate::mint_into: create `amount` in `who`'s account, emit `Minted`."""
    if pallet.TotalIssuance.get() + amount > U128_MAX:
        raise ArithmeticError("Overflow")
    actual = increase_balance(pallet, who, amount, Precision.Exact)
    pallet.TotalIssuance.put(min(pallet.TotalIssuance.get() + actual, U128_MAX))
    pallet.deposit_event(pallet.Event.Minted(who=who, amount=amount))
    return actual


def burn_from(pallet: Balances, who: bytes, amount: int, preservation: Preservation, precision: Precision,
              force: Fortitude) -> int:
    """fungible::Mutate::burn_from: destroy up to `amount` of `who`'s free balance, emit `Burned`."""
    actual = min(reducible_balance(pallet, who, preservation, force), amount)
    if actual != amount and precision is not Precision.BestEffort:
        raise TokenError("FundsUnavailable")
    if pallet.TotalIssuance.get() < actual:
        raise ArithmeticError("Overflow")
    actual = decrease_balance(pallet, who, actual, Precision.BestEffort, preservation, force)
    pallet.TotalIssuance.put(max(pallet.TotalIssuance.get() - actual, 0))
    pallet.deposit_event(pallet.Event.Burned(who=who, amount=actual))
    return actual


def withdraw(pallet: Balances, who: bytes, amount: int, precision: Precision, preservation: Preservation,
             force: Fortitude, info: AccountInfo | None = None) -> int:
    """fungible::Balanced::withdraw: take `amount` out (a credit the caller must settle), emit `Withdraw`."""
    if info is None:
        info = pallet.rt.System.account(who)
    if precision is Precision.Exact and withdraw_plain(pallet, who, amount, info):
        return amount
    decrease = decrease_balance(pallet, who, amount, precision, preservation, force, info)
    deposit_who_amount(pallet, pallet.Event.Withdraw, who, decrease)
    return decrease


def withdraw_plain(pallet: Balances, who: bytes, amount: int, info: AccountInfo) -> bool:
    """`withdraw(.., Precision.Exact, ..)` in one step for a `_plain` account that keeps at least ED: store
    `info` with `amount` less free balance and emit `Withdraw`. False, touching nothing, in any other case.

    Under those conditions every preservation and fortitude passes the general path's checks and it stores
    exactly these bytes. `info` is stored as given apart from the balance, so a caller may hand over a
    record it changed and has not stored yet (the executive's incremented nonce).
    """
    ed = pallet.ExistentialDeposit
    if amount <= 0 or not _plain(info, ed) or info.free - amount < ed:
        return False
    _set_plain_free(pallet, who, info, info.free - amount)  # what decrease_balance stores in this case
    deposit_who_amount(pallet, pallet.Event.Withdraw, who, amount)
    return True


def deposit(pallet: Balances, who: bytes, amount: int, precision: Precision, info: AccountInfo | None = None) -> int:
    """fungible::Balanced::deposit: credit `amount` (a debt the caller must settle), emit `Deposit`."""
    increase = increase_balance(pallet, who, amount, precision, info)
    deposit_who_amount(pallet, pallet.Event.Deposit, who, increase)
    return increase
