"""PhalaPhatTokenomic: adjust_stake (absolute, escrowed, refunded in full), set_min_stake, genesis, weights."""

from __future__ import annotations

import pytest

from pallets.phat_contracts.messages import CommandPayload
from pallets.phat_contracts.tests.mock import (
    ALICE,
    BOB,
    CHARLIE,
    ED,
    ENDOWMENT,
    PHA,
    add_cluster,
    call,
    events,
    fails,
    free,
    new_ext,
    outbound,
)
from pallets.phat_contracts.types import command_topic, contract_id
from pallets.phat_tokenomic.pallet import PhalaPhatTokenomic as T
from pallets.phat_tokenomic.types import (
    CENTS,
    ESCROW_ACCOUNT,
    U32_MAX,
    change_deposit_message,
    decode_change_deposit,
    weight_of,
)
from runtime.primitives.hashing import blake2_256
from runtime.support import ROOT, BadOrigin, TokenError
from runtime.support.testing import TestExt

PT = "PhalaPhatTokenomic"
C1 = b"\xc1" * 32


def stake(ext: TestExt, who: bytes, contract: bytes, amount: int) -> None:
    call(ext, who, PT, "adjust_stake", contract=contract, amount=amount)


def test_escrow_account_is_the_pallet_id_account() -> None:
    assert ESCROW_ACCOUNT == b"modlphat/tok" + bytes(20)
    ext = new_ext()
    assert free(ext, ESCROW_ACCOUNT) == ED  # endowed at genesis so it can never be reaped


def test_increase_moves_the_difference_to_escrow() -> None:
    ext = new_ext()
    stake(ext, ALICE, C1, 3 * PHA)
    stake(ext, ALICE, C1, 5 * PHA)
    stake(ext, BOB, C1, PHA)
    p = ext.rt.PhalaPhatTokenomic
    assert p.ContractUserStakes.get(ALICE, C1) == 5 * PHA
    assert p.ContractUserStakes.get(BOB, C1) == PHA
    assert p.ContractTotalStakes.get(C1) == 6 * PHA
    assert free(ext, ALICE) == ENDOWMENT - 5 * PHA
    assert free(ext, ESCROW_ACCOUNT) == ED + 6 * PHA
    assert events(ext, PT)[-2:] == [
        ("ContractDepositChanged", {"cluster": None, "contract": C1, "deposit": 6 * PHA}),
        ("UserStakeChanged", {"cluster": None, "account": BOB, "contract": C1, "stake": PHA})]
    assert ("Transfer", {"from": BOB, "to": ESCROW_ACCOUNT, "amount": PHA}) in events(ext, "Balances")


def test_decrease_is_refunded_at_once_and_in_full() -> None:
    ext = new_ext()
    stake(ext, ALICE, C1, 5 * PHA)
    stake(ext, ALICE, C1, 2 * PHA)
    assert free(ext, ALICE) == ENDOWMENT - 2 * PHA
    stake(ext, ALICE, C1, 0)
    assert free(ext, ALICE) == ENDOWMENT
    assert free(ext, ESCROW_ACCOUNT) == ED
    assert ext.rt.PhalaPhatTokenomic.ContractTotalStakes.get(C1) == 0
    assert events(ext, PT)[-1] == ("UserStakeChanged", {"cluster": None, "account": ALICE, "contract": C1,
                                                         "stake": 0})


def test_unchanged_amount_moves_nothing_but_resyncs() -> None:
    ext = new_ext()
    stake(ext, ALICE, C1, PHA)
    n_transfers = len(events(ext, "Balances"))
    stake(ext, ALICE, C1, PHA)
    assert len(events(ext, "Balances")) == n_transfers
    assert [n for n, _ in events(ext, PT)][-2:] == ["ContractDepositChanged", "UserStakeChanged"]


def test_stake_on_a_deployed_contract_reaches_the_system_contract() -> None:
    ext = new_ext()
    cluster = add_cluster(ext)
    code_hash = blake2_256(b"code")
    call(ext, BOB, "PhalaPhatContracts", "instantiate_contract", code_index=("WasmCode", code_hash), data=b"",
         salt=b"", cluster_id=cluster, transfer=0, gas_limit=1, storage_deposit_limit=None, deposit=0)
    contract = contract_id(BOB, code_hash, cluster, b"")
    system_contract = ext.rt.PhalaPhatContracts.Clusters.get(cluster)["system_contract"]
    ext.rt.PhalaMq.OutboundMessages.kill()
    stake(ext, CHARLIE, contract, 123 * CENTS + 7)
    (msg,) = outbound(ext)
    assert msg["sender"] == ("Pallet", b"PhalaPhatTokenomic")
    assert msg["destination"] == command_topic(system_contract)
    _, (_, cmd) = CommandPayload.decode(msg["payload"])
    assert cmd == {"nonce": b"", "message": change_deposit_message(contract, 123 * CENTS + 7), "transfer": 0,
                   "gas_limit": (1 << 64) - 1, "storage_deposit_limit": None}
    assert decode_change_deposit(cmd["message"]) == (contract, 123 * CENTS + 7)
    assert weight_of(123 * CENTS + 7) == 123
    assert events(ext, PT)[-2][1]["cluster"] == cluster


def test_errors() -> None:
    ext = new_ext()
    fails(ext, BadOrigin, ROOT, PT, "adjust_stake", contract=C1, amount=PHA)
    fails(ext, TokenError, CHARLIE, PT, "adjust_stake", contract=C1, amount=ENDOWMENT)  # keep-alive
    fails(ext, BadOrigin, ALICE, PT, "set_min_stake", amount=PHA)
    call(ext, ROOT, PT, "set_min_stake", amount=PHA)
    assert ext.rt.PhalaPhatTokenomic.MinStake.get() == PHA
    fails(ext, T.Error.InvalidAmountOfStake, ALICE, PT, "adjust_stake", contract=C1, amount=PHA - 1)
    stake(ext, ALICE, C1, PHA)
    stake(ext, ALICE, C1, 0)  # zero is always allowed: full withdrawal


def test_genesis_min_stake_and_idempotent_escrow() -> None:
    ext = new_ext()
    p = ext.rt.PhalaPhatTokenomic
    p.genesis_build({"minStake": 7})
    assert p.MinStake.get() == 7
    assert free(ext, ESCROW_ACCOUNT) == ED
    with pytest.raises(ValueError, match="minStake"):
        p.genesis_build({"minStake": -1})


def test_weight_rule() -> None:
    assert [weight_of(x) for x in (0, CENTS - 1, CENTS, 5 * PHA)] == [0, 0, 1, 500]
    assert weight_of(U32_MAX * CENTS + CENTS) == U32_MAX
    assert change_deposit_message(C1, 1).hex() == "a24bcb44" + "c1" * 32 + "01" + "00" * 15
    with pytest.raises(ValueError, match="change_deposit"):
        decode_change_deposit(b"\x00" * 52)
