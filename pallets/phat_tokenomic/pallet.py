"""PhalaPhatTokenomic (phala_pallets::phat_tokenomic): stake PHA on a contract to buy it compute weight.

`adjust_stake(contract, amount)` sets the caller's **absolute** stake on `contract`: an increase moves
the difference from the caller (keep-alive) to the escrow account `modl phat/tok`; a decrease pays
the difference back at once and in full. Both stake maps are updated, both events emitted, and when
the contract's cluster is known the new total goes to the cluster's system contract as an ink
`change_deposit` command, which the workers turn into the contract's weight (`types.weight_of`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.phat_contracts.bridge import push
from pallets.phat_contracts.messages import plain_ink_message
from pallets.phat_contracts.types import command_topic
from runtime.primitives.types import H256, AccountId
from runtime.scale import U128, Option
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageDoubleMap,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support.origin import Origin

from . import weights
from .types import ESCROW_ACCOUNT, change_deposit_message

ContractIdParam = Annotated[bytes, H256, "ContractId"]
BalanceOf = Annotated[int, U128, "BalanceOf<T>"]
_CLUSTER = (Option(H256), "Option<ContractClusterId>")
_CONTRACT = (H256, "ContractId")
_BALANCE = (U128, "BalanceOf<T>")
PALLET_ORIGIN = ("Pallet", b"PhalaPhatTokenomic")
"""`MessageOrigin::Pallet(b"PhalaPhatTokenomic")`: the sender of the change_deposit commands."""


class PhalaPhatTokenomic(Pallet, name="PhalaPhatTokenomic", rust_module="phala_pallets::phat_tokenomic",
                         storage_version=7):
    """The Phat Contract tokenomic module"""

    ContractUserStakes = StorageDoubleMap(Twox64Concat, AccountId, Twox64Concat, H256, U128, default=0,
                                          doc="Stake of user to contract")
    ContractTotalStakes = StorageMap(Twox64Concat, H256, U128, default=0,
                                     doc="Map of contracts to their total stakes received")
    MinStake = StorageValue(U128, default=0, doc="Minimum allowed stake")

    class Event(_Events):
        ContractDepositChanged = event(cluster=_CLUSTER, contract=_CONTRACT, deposit=_BALANCE)
        UserStakeChanged = event(cluster=_CLUSTER, account=(AccountId, "T::AccountId"), contract=_CONTRACT,
                                 stake=_BALANCE)

    class Error(_Errors):
        InvalidAmountOfStake: Any = ""

    @call(index=0, weight=weights.ADJUST_STAKE)
    def adjust_stake(self, origin: Origin, contract: ContractIdParam, amount: BalanceOf) -> None:
        """Adjust stake to given contract.

        Phat contracts accept depoits from accounts. The deposit info would be sent the cluster's
        system contract. Then the system contract would invoke the driver contract (if installed)
        to process the deposit info. A public good cluster usually would set the contracts' scheduling
        weights according to the total depoit on contracts. More weights means it would get more
        compute resource to run the contract. The weights are applied on contract query and Sidevm
        CPU round scheduling.

        If users stake on a contract doesn't deployed yet. The deposit would send to the cluster
        even if the contract is deployed later. User can re-stake with or without changing the amount
        to sync the depoit the cluster after the contract is actually deployed.
        """
        user = ensure_signed(origin)
        if amount != 0 and amount < self.MinStake.get():
            raise self.Error.InvalidAmountOfStake()
        total = self.ContractTotalStakes.get(contract)
        orig = self.ContractUserStakes.get(user, contract)
        if amount > orig:
            total += amount - orig
            self.rt.Balances.transfer(user, ESCROW_ACCOUNT, amount - orig, True)
        elif orig > amount:
            total -= orig - amount
            self.rt.Balances.transfer(ESCROW_ACCOUNT, user, orig - amount, False)
        self.ContractUserStakes.insert(user, contract, amount)
        self.ContractTotalStakes.insert(contract, total)

        contracts = self.rt.PhalaPhatContracts
        info = contracts.get_contract_info(contract)
        cluster = None if info is None else bytes(info["cluster"])
        self.deposit_event(self.Event.ContractDepositChanged(cluster=cluster, contract=contract, deposit=total))
        self.deposit_event(self.Event.UserStakeChanged(cluster=cluster, account=user, contract=contract,
                                                       stake=amount))
        system_contract = contracts.get_system_contract(contract)
        if system_contract is not None:
            push(self.rt, PALLET_ORIGIN, command_topic(system_contract),
                 plain_ink_message(change_deposit_message(contract, total)))

    @call(index=1, weight=weights.SET_MIN_STAKE)
    def set_min_stake(self, origin: Origin, amount: BalanceOf) -> None:
        """Set the minimum non-zero stake (root). Extension of this node: Phala sets MinStake only by migration."""
        ensure_root(origin)
        self.MinStake.put(amount)

    # -- API and genesis ------------------------------------------------------------------------------

    def escrow_account(self) -> bytes:
        """The account holding every stake (`modl` ++ `phat/tok`, zero-padded)."""
        return ESCROW_ACCOUNT

    def stake_of(self, who: bytes, contract: bytes) -> int:
        """ContractUserStakes[(who, contract)]."""
        return int(self.ContractUserStakes.get(who, contract))

    def total_stake_of(self, contract: bytes) -> int:
        """ContractTotalStakes[contract]."""
        return int(self.ContractTotalStakes.get(contract))

    def genesis_build(self, config: dict[str, Any]) -> None:
        """Genesis: `{"minStake": n}`; also endows the escrow with the existential deposit (see the README's Simplifications)."""
        min_stake = int(config.get("minStake", 0))
        if not 0 <= min_stake < 1 << 128:
            raise ValueError("minStake out of u128 range")
        if min_stake:
            self.MinStake.put(min_stake)
        balances = self.rt.Balances
        ed = int(balances.ExistentialDeposit)
        have = balances.free_balance(ESCROW_ACCOUNT)
        if have < ed:
            balances.mint_into(ESCROW_ACCOUNT, ed - have)
