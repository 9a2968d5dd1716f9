"""pallet_balances: the native currency, declared with FRAME's names, indices, events, errors and storage.

Balances are stored in `System.Account` (the template's `AccountStore = System`); the `Account` map
here is declared only so the metadata matches FRAME's. The token rules (existential deposit,
keep-alive, dust) live in `fungible.py` and `account.py`; this module holds the declaration, the
dispatchable calls and the public API other pallets and the executive use (`api.py`).
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.primitives.types import AccountId
from runtime.scale import U32, U128, Vec
from runtime.support import (
    Blake2_128Concat,
    Pallet,
    StorageMap,
    StorageValue,
    call,
    constant,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support.errors import CannotLookup
from runtime.support.origin import Origin
from runtime.support.params import AccountIdLookup, Balance, BoolParam, CompactBalance
from runtime.support.weights import DispatchClass, DispatchInfo, Pays

from . import weights
from .account import AccountData, ensure_upgraded, mutate_account_handling_dust
from .api import BalancesApi
from .errors import module_error
from .fungible import Fortitude, Precision, Preservation, burn_from, reducible_balance, transfer
from .types import (
    NEW_LOGIC_FLAG,
    AdjustmentDirection,
    BalanceStatus,
    BoundedFreezes,
    BoundedHolds,
    BoundedLocks,
    BoundedReserves,
)
from .types import (
    AccountData as AccountDataType,
)

AccountIds = Annotated[Any, Vec(AccountId), "Vec<T::AccountId>"]
Direction = Annotated[Any, AdjustmentDirection, "AdjustmentDirection"]
U128_MAX = (1 << 128) - 1
_WHO = (AccountId, "T::AccountId")
_AMOUNT = (U128, "T::Balance")


def lookup(address: Any) -> bytes:
    """AccountIdLookup: only `MultiAddress::Id` resolves; anything else is CannotLookup."""
    if isinstance(address, tuple) and len(address) == 2 and address[0] == "Id":
        return bytes(address[1])
    raise CannotLookup("address is not a MultiAddress::Id")


class Balances(BalancesApi, Pallet, name="Balances", rust_module="pallet_balances", instanced=True,
               storage_version=1):
    """The native currency: balances, transfers, existential deposit and total issuance."""

    TotalIssuance = StorageValue(U128, default=0, doc="The total units issued in the system.")
    InactiveIssuance = StorageValue(U128, default=0, doc="The total units of outstanding deactivated balance in the system.")
    Account = StorageMap(
        Blake2_128Concat, AccountId, AccountDataType,
        default={"free": 0, "reserved": 0, "frozen": 0, "flags": {"0": NEW_LOGIC_FLAG}},
        doc="The Balances pallet example of storing the balance of an account.\n\n# Example\n\n```nocompile\n"
            " impl pallet_balances::Config for Runtime {\n   type AccountStore = StorageMapShim<Self::Account<Runtime>,"
            " frame_system::Provider<Runtime>, AccountId, Self::AccountData<Balance>>\n }\n```\n\nYou can also store"
            " the balance of an account in the `System` pallet.\n\n# Example\n\n```nocompile\n impl"
            " pallet_balances::Config for Runtime {\n  type AccountStore = System\n }\n```\n\nBut this comes with"
            " tradeoffs, storing account balances in the system pallet stores\n`frame_system` data alongside the"
            " account data contrary to storing account balances in the\n`Balances` pallet, which uses a `StorageMap`"
            " to store balances data only.\nNOTE: This is only used in the case that this pallet is used to store"
            " balances.")
    Locks = StorageMap(Blake2_128Concat, AccountId, BoundedLocks, default={"0": ()},
                       doc="Any liquidity locks on some account balances.\nNOTE: Should only be accessed when setting,"
                           " changing and freeing a lock.\n\nUse of locks is deprecated in favour of freezes. See"
                           " `https://github.com/paritytech/substrate/pull/12951/`")
    Reserves = StorageMap(Blake2_128Concat, AccountId, BoundedReserves, default={"0": ()},
                          doc="Named reserves on some account balances.\n\nUse of reserves is deprecated in favour of"
                              " holds. See `https://github.com/paritytech/substrate/pull/12951/`")
    Holds = StorageMap(Blake2_128Concat, AccountId, BoundedHolds, default={"0": ()},
                       doc="Holds on account balances.")
    Freezes = StorageMap(Blake2_128Concat, AccountId, BoundedFreezes, default={"0": ()},
                         doc="Freeze locks on account balances.")

    ExistentialDeposit = constant(
        U128, 500,
        "The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!\n\nIf you *really* need it"
        " to be zero, you can enable the feature `insecure_zero_ed` for\nthis pallet. However, you do so at your own"
        " risk: this will open up a major DoS vector.\nIn case you have multiple sources of provider references, you"
        " may also get unexpected\nbehaviour if you set this to zero.\n\nBottom line: Do yourself a favour and make"
        " it at least one!")
    MaxLocks = constant(U32, 50, "The maximum number of locks that should exist on an account.\nNot strictly"
                        " enforced, but used for weight estimation.\n\nUse of locks is deprecated in favour of"
                        " freezes. See `https://github.com/paritytech/substrate/pull/12951/`")
    MaxReserves = constant(U32, 0, "The maximum number of named reserves that can exist on an account.\n\nUse of"
                           " reserves is deprecated in favour of holds. See"
                           " `https://github.com/paritytech/substrate/pull/12951/`")
    MaxFreezes = constant(U32, 0, "The maximum number of individual freeze locks that can exist on an account at"
                          " any time.")

    class Event(_Events):
        Endowed = event("An account was created with some free balance.", account=_WHO, free_balance=_AMOUNT)
        DustLost = event("An account was removed whose balance was non-zero but below ExistentialDeposit,\n"
                         "resulting in an outright loss.", account=_WHO, amount=_AMOUNT)
        Transfer = event("Transfer succeeded.", from_=_WHO, to=_WHO, amount=_AMOUNT)
        BalanceSet = event("A balance was set by root.", who=_WHO, free=_AMOUNT)
        Reserved = event("Some balance was reserved (moved from free to reserved).", who=_WHO, amount=_AMOUNT)
        Unreserved = event("Some balance was unreserved (moved from reserved to free).", who=_WHO, amount=_AMOUNT)
        ReserveRepatriated = event(
            "Some balance was moved from the reserve of the first account to the second account.\n"
            "Final argument indicates the destination balance type.",
            from_=_WHO, to=_WHO, amount=_AMOUNT, destination_status=(BalanceStatus, "Status"))
        Deposit = event("Some amount was deposited (e.g. for transaction fees).", who=_WHO, amount=_AMOUNT)
        Withdraw = event("Some amount was withdrawn from the account (e.g. for transaction fees).",
                         who=_WHO, amount=_AMOUNT)
        Slashed = event("Some amount was removed from the account (e.g. for misbehavior).", who=_WHO, amount=_AMOUNT)
        Minted = event("Some amount was minted into an account.", who=_WHO, amount=_AMOUNT)
        Burned = event("Some amount was burned from an account.", who=_WHO, amount=_AMOUNT)
        Suspended = event("Some amount was suspended from an account (it can be restored later).",
                          who=_WHO, amount=_AMOUNT)
        Restored = event("Some amount was restored into an account.", who=_WHO, amount=_AMOUNT)
        Upgraded = event("An account was upgraded.", who=_WHO)
        Issued = event("Total issuance was increased by `amount`, creating a credit to be balanced.", amount=_AMOUNT)
        Rescinded = event("Total issuance was decreased by `amount`, creating a debt to be balanced.", amount=_AMOUNT)
        Locked = event("Some balance was locked.", who=_WHO, amount=_AMOUNT)
        Unlocked = event("Some balance was unlocked.", who=_WHO, amount=_AMOUNT)
        Frozen = event("Some balance was frozen.", who=_WHO, amount=_AMOUNT)
        Thawed = event("Some balance was thawed.", who=_WHO, amount=_AMOUNT)
        TotalIssuanceForced = event("The `TotalIssuance` was forcefully changed.", old=_AMOUNT, new=_AMOUNT)

    class Error(_Errors):
        VestingBalance = "Vesting balance too high to send value."
        LiquidityRestrictions = "Account liquidity restrictions prevent withdrawal."
        InsufficientBalance = "Balance too low to send value."
        ExistentialDeposit = "Value too low to create account due to existential deposit."
        Expendability = "Transfer/payment would kill account."
        ExistingVestingSchedule = "A vesting schedule already exists for this account."
        DeadAccount = "Beneficiary account must pre-exist."
        TooManyReserves = "Number of named reserves exceed `MaxReserves`."
        TooManyHolds = "Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`."
        TooManyFreezes = "Number of freezes exceed `MaxFreezes`."
        IssuanceDeactivated = "The issuance cannot be modified since it is already deactivated."
        DeltaZero = "The delta cannot be zero."

    # -- calls (docstrings are FRAME's call docs, byte for byte) -----------------------------------

    @call(index=0, weight=weights.TRANSFER_ALLOW_DEATH)
    def transfer_allow_death(self, origin: Origin, dest: AccountIdLookup, value: CompactBalance) -> None:
        """Transfer some liquid free balance to another account.

        `transfer_allow_death` will set the `FreeBalance` of the sender and receiver.
        If the sender's account is below the existential deposit as a result
        of the transfer, the account will be reaped.

        The dispatch origin for this call must be `Signed` by the transactor.
        """
        source = ensure_signed(origin)
        transfer(self, source, lookup(dest), value, Preservation.Expendable)

    @call(index=2, weight=weights.FORCE_TRANSFER)
    def force_transfer(self, origin: Origin, source: AccountIdLookup, dest: AccountIdLookup,
                       value: CompactBalance) -> None:
        """Exactly as `transfer_allow_death`, except the origin must be root and the source account
        may be specified.
        """
        ensure_root(origin)
        src = lookup(source)
        transfer(self, src, lookup(dest), value, Preservation.Expendable)

    @call(index=3, weight=weights.TRANSFER_KEEP_ALIVE)
    def transfer_keep_alive(self, origin: Origin, dest: AccountIdLookup, value: CompactBalance) -> None:
        """Same as the [`transfer_allow_death`] call, but with a check that the transfer will not
        kill the origin account.

        99% of the time you want [`transfer_allow_death`] instead.

        [`transfer_allow_death`]: struct.Pallet.html#method.transfer
        """
        source = ensure_signed(origin)
        transfer(self, source, lookup(dest), value, Preservation.Preserve)

    @call(index=4, weight=weights.TRANSFER_ALL)
    def transfer_all(self, origin: Origin, dest: AccountIdLookup, keep_alive: BoolParam) -> None:
        """Transfer the entire transferable balance from the caller account.

        NOTE: This function only attempts to transfer _transferable_ balances. This means that
        any locked, reserved, or existential deposits (when `keep_alive` is `true`), will not be
        transferred by this function. To ensure that this function results in a killed account,
        you might need to prepare the account by removing any reference counters, storage
        deposits, etc...

        The dispatch origin of this call must be Signed.

        - `dest`: The recipient of the transfer.
        - `keep_alive`: A boolean to determine if the `transfer_all` operation should send all
          of the funds the account has, causing the sender account to be killed (false), or
          transfer everything except at least the existential deposit, which will guarantee to
          keep the sender account alive (true).
        """
        transactor = ensure_signed(origin)
        preservation = Preservation.Preserve if keep_alive else Preservation.Expendable
        amount = reducible_balance(self, transactor, preservation, Fortitude.Polite)
        transfer(self, transactor, lookup(dest), amount, preservation)

    @call(index=5, weight=weights.FORCE_UNRESERVE)
    def force_unreserve(self, origin: Origin, who: AccountIdLookup, amount: Balance) -> None:
        """Unreserve some balance from a user by force.

        Can only be called by ROOT.
        """
        ensure_root(origin)
        self.unreserve(lookup(who), amount)

    @call(index=6, weight=lambda a: weights.upgrade_accounts(len(a["who"])))
    def upgrade_accounts(self, origin: Origin, who: AccountIds) -> DispatchInfo:
        """Upgrade a specified account.

        - `origin`: Must be `Signed`.
        - `who`: The account to be upgraded.

        This will waive the transaction fee if at least all but 10% of the accounts needed to
        be upgraded. (We let some not have to be upgraded just in order to allow for the
        possibility of churn).
        """
        ensure_signed(origin)
        weight = weights.upgrade_accounts(len(who))
        if not who:
            return DispatchInfo(weight, DispatchClass.Normal, Pays.Yes)
        upgraded = sum(1 for account in who if ensure_upgraded(self, bytes(account)))
        proportion = upgraded * 1_000_000_000 // len(who)  # Perbill::from_rational, rounding down
        pays = Pays.No if proportion >= 900_000_000 else Pays.Yes
        return DispatchInfo(weight, DispatchClass.Normal, pays)

    @call(index=8, weight=weights.FORCE_SET_BALANCE)
    def force_set_balance(self, origin: Origin, who: AccountIdLookup, new_free: CompactBalance) -> None:
        """Set the regular balance of a given account.

        The dispatch origin for this call is `root`.
        """
        ensure_root(origin)
        account = lookup(who)
        free = 0 if new_free < self.ExistentialDeposit else new_free

        def set_free(a: AccountData, _is_new: bool) -> int:
            old = a.free
            a.free = free
            return old

        old_free = mutate_account_handling_dust(self, account, set_free)
        issuance = self.TotalIssuance.get()
        if free > old_free:
            self.TotalIssuance.put(min(issuance + free - old_free, U128_MAX))
        elif free < old_free:
            self.TotalIssuance.put(max(issuance - (old_free - free), 0))
        self.deposit_event(self.Event.BalanceSet(who=account, free=free))

    @call(index=9, weight=weights.FORCE_ADJUST_TOTAL_ISSUANCE)
    def force_adjust_total_issuance(self, origin: Origin, direction: Direction, delta: CompactBalance) -> None:
        """Adjust the total issuance in a saturating way.

        Can only be called by root and always needs a positive `delta`.

        # Example
        """
        ensure_root(origin)
        if delta <= 0:
            raise module_error(self.Error.DeltaZero)
        old = self.TotalIssuance.get()
        name = direction if isinstance(direction, str) else direction[0]
        new = min(old + delta, U128_MAX) if name == "Increase" else max(old - delta, 0)
        if self.InactiveIssuance.get() > new:
            raise module_error(self.Error.IssuanceDeactivated)
        self.TotalIssuance.put(new)
        self.deposit_event(self.Event.TotalIssuanceForced(old=old, new=new))

    @call(index=10, weight=lambda a: weights.burn(bool(a["keep_alive"])))
    def burn(self, origin: Origin, value: CompactBalance, keep_alive: BoolParam) -> None:
        """Burn the specified liquid free balance from the origin account.

        If the origin's account ends up below the existential deposit as a result
        of the burn and `keep_alive` is false, the account will be reaped.

        Unlike sending funds to a _burn_ address, which merely makes the funds inaccessible,
        this `burn` operation will reduce total issuance by the amount _burned_.
        """
        source = ensure_signed(origin)
        preservation = Preservation.Preserve if keep_alive else Preservation.Expendable
        burn_from(self, source, value, preservation, Precision.Exact, Fortitude.Polite)
