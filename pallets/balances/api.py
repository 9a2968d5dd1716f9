"""The public API of Balances for the executive (fees), other pallets (transfers, mint, reserve) and genesis.

Fees follow pallet_transaction_payment's `FungibleAdapter<Balances, ()>`: `withdraw_fee` takes the fee
with keep-alive preservation (`Withdraw` event) and holds it as a credit; `refund_fee` pays the unused
part back (`Deposit`, even of 0, when the payer still exists) and drops the rest of the credit, which
burns it (total issuance falls, no event). Total issuance is untouched between the two, as in FRAME,
so a call that reads it during dispatch sees the same value as on the reference chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from runtime.primitives.account import account_id
from runtime.primitives.hashing import twox_128
from runtime.support.errors import DispatchError

from . import fungible
from .account import AccountData, load_info, mutate_account_handling_dust, read_data
from .errors import FeePaymentError, module_error
from .fungible import (
    Fortitude,
    Precision,
    Preservation,
    burn_from,
    deposit,
    mint_into,
    reducible_balance,
    transfer,
    withdraw,
    withdraw_consequence,
)

if TYPE_CHECKING:
    from pallets.system.types import AccountInfo
    from runtime.support.runtime import RuntimeInstance

    from .pallet import Balances

STORAGE_VERSION = 1
"""In-code storage version of pallet_balances, written at genesis under `:__STORAGE_VERSION__:`."""


class BalancesApi:
    """Methods of the Balances pallet view that are not dispatchable calls."""

    def __init__(self, rt: RuntimeInstance) -> None:
        super().__init__(rt)  # type: ignore[call-arg]  # Pallet.__init__ follows in the MRO
        self._pending_fees: dict[bytes, int] = {}

    @property
    def _p(self) -> Balances:
        return cast("Balances", self)

    # -- reads --------------------------------------------------------------------------------------

    def account_data(self, who: bytes) -> AccountData:
        """The balance record (free, reserved, frozen, flags) of `who`."""
        return read_data(self._p.rt.System.account(who))

    def free_balance(self, who: bytes) -> int:
        """Free balance of `who`."""
        return int(self._p.rt.System.account(who).free)

    def total_balance(self, who: bytes) -> int:
        """Free plus reserved balance of `who`."""
        info = self._p.rt.System.account(who)
        return int(info.free + info.reserved)

    def total_issuance(self) -> int:
        """Balances.TotalIssuance."""
        return int(self._p.TotalIssuance.get())

    def usable_balance(self, who: bytes) -> int:
        """What `who` can transfer when the account may die (Expendable, Polite)."""
        return reducible_balance(self._p, who, Preservation.Expendable, Fortitude.Polite)

    # -- transaction fees (called by the executive) -------------------------------------------------

    def can_withdraw_fee(self, who: bytes, amount: int, info: AccountInfo | None = None) -> bool:
        """FungibleAdapter::can_withdraw_fee for pool validation: `can_withdraw` must be exactly Success.

        `info`, when given, is `who`'s current AccountInfo as the caller just read it (not read again).
        """
        return amount == 0 or withdraw_consequence(self._p, who, amount, info) == "Success"

    def withdraw_fee(self, who: bytes, amount: int, info: AccountInfo | None = None) -> int:
        """Take `amount` for fees, keeping the account alive; emits `Withdraw`. Raises FeePaymentError.

        Returns the amount withdrawn (0 for a zero fee, which withdraws nothing and emits nothing).
        The credit is held until `refund_fee`. `info`, when given, is `who`'s current AccountInfo as
        the caller just read it (not read again, never changed).
        """
        if amount == 0:
            return 0
        try:
            withdrawn = withdraw(self._p, who, amount, Precision.Exact, Preservation.Preserve, Fortitude.Polite,
                                 info)
        except DispatchError as exc:
            raise FeePaymentError(who, amount, str(exc) or type(exc).__name__) from None
        self._pending_fees[who] = self._pending_fees.get(who, 0) + withdrawn
        return withdrawn

    def withdraw_fee_storing(self, who: bytes, amount: int, info: AccountInfo) -> int:
        """`withdraw_fee` for a caller holding `who`'s record with changes not stored yet (CheckNonce's
        incremented nonce): `info` is stored as well, in the same single write when the account is plain.

        Same result, storage and events as `System.store_account(who, info)` followed by
        `withdraw_fee(who, amount, info)`. Raises FeePaymentError.
        """
        if amount and fungible.withdraw_plain(self._p, who, amount, info):
            self._pending_fees[who] = self._pending_fees.get(who, 0) + amount
            return amount
        self._p.rt.System.store_account(who, info)
        return self.withdraw_fee(who, amount, info)

    def withdraw_fee_or_invalid(self, who: bytes, amount: int) -> int:
        """Alias of `withdraw_fee` (raises FeePaymentError, which the executive maps to Payment)."""
        return self.withdraw_fee(who, amount)

    def refund_fee(self, who: bytes, amount: int, withdrawn: int | None = None) -> int:
        """Settle a withdrawn fee: pay `amount` back and burn the rest of what was withdrawn.

        FRAME's `correct_and_deposit_fee`: the refund is deposited best-effort (a `Deposit` event,
        even of 0) only while `who` still has a balance; the part of the credit not refunded is
        dropped, reducing total issuance without an event. `withdrawn` defaults to what
        `withdraw_fee` took from `who` on this view. Returns the amount refunded.
        """
        pallet = self._p
        paid = self._pending_fees.pop(who, 0) if withdrawn is None else withdrawn
        if withdrawn is not None:
            self._pending_fees.pop(who, None)
        refund = min(amount, paid)
        refunded = 0
        record = pallet.rt.System.account_record(who)
        if record is not None and record[4] + record[5] > 0:  # total_balance (free + reserved; absent: 0)
            if refund == 0:  # deposit(.., 0, BestEffort) of a stored (≤ u128::MAX) balance: no write, Deposit(0)
                fungible.deposit_who_amount(pallet, pallet.Event.Deposit, who, 0)
            else:
                try:
                    refunded = deposit(pallet, who, refund, Precision.BestEffort, pallet.rt.System.account(who))
                except DispatchError:
                    refunded = 0  # FRAME: `unwrap_or_else(|_| Debt::zero())`
        burned = paid - refunded
        if burned:
            issuance = pallet.TotalIssuance
            issuance.put(max(issuance.get() - burned, 0))
        return refunded

    # -- for other pallets --------------------------------------------------------------------------

    def transfer(self, source: bytes, dest: bytes, amount: int, keep_alive: bool) -> int:
        """fungible::Mutate::transfer (Preserve when `keep_alive`, else Expendable); emits `Transfer`."""
        preservation = Preservation.Preserve if keep_alive else Preservation.Expendable
        return transfer(self._p, source, dest, amount, preservation)

    def mint_into(self, who: bytes, amount: int) -> int:
        """Create `amount` in `who`'s account (total issuance grows); emits `Minted`."""
        return mint_into(self._p, who, amount)

    def burn_from(self, who: bytes, amount: int, keep_alive: bool = False) -> int:
        """Destroy exactly `amount` of `who`'s free balance; emits `Burned`."""
        preservation = Preservation.Preserve if keep_alive else Preservation.Expendable
        return burn_from(self._p, who, amount, preservation, Precision.Exact, Fortitude.Polite)

    def reserve(self, who: bytes, amount: int) -> None:
        """ReservableCurrency::reserve: move `amount` from free to reserved; emits `Reserved`."""
        if amount == 0:
            return

        def move(a: AccountData, _is_new: bool) -> None:
            if a.free < amount:
                raise module_error(self._p.Error.InsufficientBalance)
            a.free -= amount
            a.reserved += amount
            if a.free < a.frozen:
                raise module_error(self._p.Error.LiquidityRestrictions)

        mutate_account_handling_dust(self._p, who, move)
        self._p.deposit_event(self._p.Event.Reserved(who=who, amount=amount))

    def unreserve(self, who: bytes, amount: int) -> int:
        """ReservableCurrency::unreserve: move up to `amount` back to free (emits `Unreserved`); returns the rest."""
        if amount == 0 or self.total_balance(who) == 0:
            return amount

        def move(a: AccountData, _is_new: bool) -> int:
            actual = min(a.reserved, amount)
            a.reserved -= actual
            a.free += actual
            return actual

        try:
            actual = mutate_account_handling_dust(self._p, who, move)
        except DispatchError:
            return amount
        self._p.deposit_event(self._p.Event.Unreserved(who=who, amount=actual))
        return amount - actual

    # -- genesis ------------------------------------------------------------------------------------

    def genesis_build(self, config: dict[str, Any]) -> None:
        """GenesisConfig::build: `{"balances": [[account (bytes or SS58), amount], ...]}`.

        Sets TotalIssuance to the sum, endows each account (one provider, new-logic flags) and
        writes the pallet's storage version. Duplicates or amounts below ED raise ValueError.
        """
        entries = [(account_id(who), int(amount)) for who, amount in config.get("balances", [])]
        if len({who for who, _ in entries}) != len(entries):
            raise ValueError("duplicate balances in genesis.")
        for _, amount in entries:
            if amount < self._p.ExistentialDeposit:
                raise ValueError("the balance of any account should always be at least the existential deposit.")
        self._p.TotalIssuance.put(sum(amount for _, amount in entries))
        system = self._p.rt.System
        for who, amount in entries:
            info = load_info(self._p, who)
            system.inc_providers(who, info)
            info.free, info.reserved, info.frozen, info.flags = amount, 0, 0, AccountData().flags
            system.Account.insert(who, info)
        prefix = twox_128(b"Balances") + twox_128(b":__STORAGE_VERSION__:")
        self._p.rt.storage.set(prefix, STORAGE_VERSION.to_bytes(2, "little"))


__all__ = ["BalancesApi", "FeePaymentError"]
