"""Real clients on the Phala pallets: polkadot.js decoration and staking flows in polkadot.js and py-substrate-interface.

One instant-seal node for the module. Proves:

* polkadot.js decorates every call, storage item, event, error and constant of the six Phala pallets
  under the camelCase names it derives from our metadata (metadata decoded here by scalecodec, names
  converted with a port of `@polkadot/util` `stringCamelCase`), with nothing missing and nothing extra;
  `api.tx.phalaPhatTokenomic.adjustStake` has Phala's arguments and builds the call bytes our runtime
  decodes, `api.query.phalaRegistry.workers` builds the Twox64Concat key of Phala's storage;
* `adjustStake` 100 → 40 → 0 PHA moves exactly the difference between the staker and the escrow
  (`modl phat/tok`), fee apart, and both stake maps and both events follow; a pool is created, two
  contributions mint shares 1:1 (price 1), a withdrawal with free stake queues and pays at once;
  contributions below `MinContribution` and withdrawals above the owned shares fail with the named
  errors. The same flow runs in polkadot.js (`phala_stake_flow.mjs`) and in py-substrate-interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from live_node import LiveNode
from phala_live import Live, Receipt, hx
from runners import run_js
from substrateinterface import Keypair, SubstrateInterface

from pallets.phat_tokenomic.types import ESCROW_ACCOUNT
from runtime.primitives.hashing import twox_64_concat, twox_128

PHA = 10**12
PHALA_PALLETS = {"PhalaMq": 8, "PhalaRegistry": 9, "PhalaComputation": 10, "PhalaStakePoolv2": 11,
                 "PhalaPhatContracts": 12, "PhalaPhatTokenomic": 13}


def camel_case(value: str) -> str:
    """`@polkadot/util` stringCamelCase (the name polkadot.js decorates a call/storage/constant under)."""
    words = re.sub(r"[-_., ]+", " ", value).strip().split(" ")
    out = ""
    for i, word in enumerate(words):
        if re.fullmatch(r"[\dA-Z]+", word):
            word = word.lower()
        else:
            word = re.sub(r"^[\dA-Z]{2,}[^a-z]", lambda m: m.group(0)[:-1].lower() + m.group(0)[-1].upper(), word)
        out += (word[0].upper() if i else word[0].lower()) + word[1:]
    return out


def test_camel_case_port_matches_polkadot_util() -> None:
    cases = {"sync_offchain_message": "syncOffchainMessage", "PRuntimeAllowList": "pRuntimeAllowList",
             "OffchainIngress": "offchainIngress", "NFTOrder": "nftOrder", "UUID64": "uuid64",
             "register_worker_v2": "registerWorkerV2", "MinContribution": "minContribution"}
    assert {k: camel_case(k) for k in cases} == cases


@pytest.fixture(scope="module")
def substrate(phala_instant_node: LiveNode) -> Iterator[SubstrateInterface]:
    """py-substrate-interface on this module's node, metadata loaded."""
    si = SubstrateInterface(url=phala_instant_node.url, ss58_format=42)
    si.init_runtime()
    try:
        yield si
    finally:
        si.close()


def _expected(si: SubstrateInterface, name: str) -> dict[str, list[str]]:
    pallet = si.metadata.get_metadata_pallet(name)
    # scalecodec adds a synthetic ':__STORAGE_VERSION__:' entry (not in the metadata): skip ':'-names.
    storage = [camel_case(s.name) for s in (pallet.storage or []) if not s.name.startswith(":")]
    return {
        "tx": sorted(camel_case(c.name) for c in (pallet.calls or [])),
        "query": sorted(storage + ["palletVersion"]) if storage else [],  # polkadot.js adds palletVersion
        "events": sorted(e.name for e in (pallet.events or [])),
        "errors": sorted(e.name for e in (pallet.errors or [])),
        "consts": sorted(camel_case(c.name) for c in (pallet.constants or [])),
    }


def test_polkadot_js_decorates_every_phala_item(phala_instant_node: LiveNode, substrate: SubstrateInterface,
                                                 phala_js: float) -> None:
    got = run_js("phala_decorate.mjs", phala_instant_node.url)
    assert {p.name: p["index"].value for p in substrate.metadata.pallets if p.name in PHALA_PALLETS} == PHALA_PALLETS
    totals = {}
    for name in PHALA_PALLETS:
        want = _expected(substrate, name)
        have = {kind: sorted(v or []) for kind, v in got["pallets"][camel_case(name)].items()}
        assert have == want, f"{name}: polkadot.js decorated {have}, metadata declares {want}"
        totals[name] = {kind: len(v) for kind, v in want.items()}
    assert totals["PhalaPhatTokenomic"]["tx"] >= 1
    assert totals["PhalaRegistry"]["query"] >= 10
    spot = got["spot"]
    assert spot["adjustStakeIsFunction"]
    assert spot["workersIsFunction"]
    assert spot["adjustStakeArgs"] == [["contract", "ContractId"], ["amount", "BalanceOf"]]  # polkadot.js drops <T>
    assert spot["adjustStakeCallHex"] == hx(bytes([13, 0]) + b"\x11" * 32 + (5 * PHA).to_bytes(16, "little"))
    prefix = twox_128(b"PhalaRegistry") + twox_128(b"Workers")
    assert spot["workersPrefix"] == hx(prefix)
    assert spot["workersKey"] == hx(prefix + twox_64_concat(b"\x22" * 32))
    assert spot["workersValueOfUnknown"] is None
    assert spot["minContribution"] == str(10**10)
    assert spot["errorMeta"] == 1  # PhalaMq.BadSequence is error 1


def _delta(step: dict[str, Any], who: str) -> int:
    return int(step["after"][who]) - int(step["before"][who])


def _event(step: dict[str, Any], name: str) -> Any:
    found = [e["data"] for e in step["events"] if e["name"] == name]
    assert len(found) == 1, f"{name} in {[e['name'] for e in step['events']]}"
    return found[0]


def test_polkadot_js_stakes_and_uses_a_pool(phala_instant_node: LiveNode, phala_js: float) -> None:
    contract = "0x" + "a1" * 32
    got = run_js("phala_stake_flow.mjs", phala_instant_node.url, contract)
    assert got["escrow"] == hx(ESCROW_ACCOUNT)
    previous = 0
    for step, amount in zip(got["stakes"], (100 * PHA, 40 * PHA, 0), strict=True):
        assert step["error"] is None
        fee = int(step["fee"])
        assert _delta(step, "user") == previous - amount - fee
        assert _delta(step, "escrow") == amount - previous
        assert (int(step["userStake"]), int(step["totalStake"])) == (amount, amount)
        assert _event(step, "phalaPhatTokenomic.ContractDepositChanged") == [None, contract, amount]
        assert _event(step, "phalaPhatTokenomic.UserStakeChanged") == [None, got["eve"], contract, amount]
        previous = amount
    assert got["stakes"][-1]["after"]["escrow"] == got["stakes"][0]["before"]["escrow"]

    assert _event(got["created"], "phalaStakePoolv2.PoolCreated")[0] == got["ferdie"]
    total = 0
    for step, amount in zip(got["flow"][:2], (1000 * PHA, 500 * PHA), strict=True):
        total += amount
        assert _delta(step, "user") == -amount - int(step["fee"])
        assert _delta(step, "pool") == amount
        assert _event(step, "phalaStakePoolv2.Contribution") == [int(got["pid"]), got["eve"], amount, amount, None]
        base = step["state"]["proxy"]["stakePool"]["basepool"]
        assert (int(base["totalShares"]), int(base["totalValue"]), int(step["state"]["shares"])) == (total,) * 3
    withdraw = got["flow"][2]
    assert _event(withdraw, "phalaStakePoolv2.WithdrawalQueued") == [int(got["pid"]), got["eve"], 600 * PHA, None]
    assert _event(withdraw, "phalaStakePoolv2.Withdrawal") == [int(got["pid"]), got["eve"], 600 * PHA, 600 * PHA, 0]
    assert _delta(withdraw, "user") == 600 * PHA - int(withdraw["fee"])
    assert _delta(withdraw, "pool") == -600 * PHA
    base = withdraw["state"]["proxy"]["stakePool"]["basepool"]
    assert (int(base["totalShares"]), int(base["totalValue"]), base["withdrawQueue"]) == (900 * PHA, 900 * PHA, [])
    for key, error in (("tooSmall", "InsufficientContribution"), ("tooMany", "InvalidWithdrawalAmount")):
        step = got["errors"][key]
        assert step["error"] == f"phalaStakePoolv2.{error}"
        assert _delta(step, "user") == -int(step["fee"])  # nothing but the fee


def _fee(receipt: Receipt) -> int:
    return int(receipt.one("TransactionPayment", "TransactionFeePaid")["actual_fee"])


def test_py_substrate_interface_stakes_and_uses_a_pool(phala_instant_node: LiveNode) -> None:
    live = Live(phala_instant_node.url)
    try:
        _py_flow(live)
    finally:
        live.close()


def _py_flow(live: Live) -> None:
    staker, owner = Keypair.create_from_uri("//Charlie"), Keypair.create_from_uri("//Dave")
    contract, escrow = "0x" + "b2" * 32, hx(ESCROW_ACCOUNT)
    previous = 0
    for amount in (100 * PHA, 40 * PHA, 0):
        stake_before = (live.free(staker.ss58_address), live.free(escrow))
        receipt = live.run_included(live.call("PhalaPhatTokenomic", "adjust_stake", contract=contract,
                                              amount=amount), staker)
        assert receipt.ok, receipt.error
        after = (live.free(staker.ss58_address, receipt.block), live.free(escrow, receipt.block))
        assert after[0] - stake_before[0] == previous - amount - _fee(receipt)
        assert after[1] - stake_before[1] == amount - previous
        assert receipt.one("PhalaPhatTokenomic", "UserStakeChanged") == {
            "cluster": None, "account": staker.ss58_address, "contract": contract, "stake": amount}
        assert receipt.one("PhalaPhatTokenomic", "ContractDepositChanged")["deposit"] == amount
        assert live.query("PhalaPhatTokenomic", "ContractUserStakes", [staker.ss58_address, contract]) == amount
        assert live.query("PhalaPhatTokenomic", "ContractTotalStakes", [contract]) == amount
        previous = amount

    created = live.run_included(live.call("PhalaStakePoolv2", "create"), owner)
    pid, pool_account = (created.one("PhalaStakePoolv2", "PoolCreated")[k] for k in ("pid", "pool_account_id"))
    assert live.query("PhalaStakePoolv2", "PoolCount") == pid + 1
    total = 0
    for amount in (1000 * PHA, 500 * PHA):
        before = live.free(staker.ss58_address)
        receipt = live.run_included(live.call("PhalaStakePoolv2", "contribute", pid=pid, amount=amount,
                                              as_vault=None), staker)
        total += amount
        assert receipt.one("PhalaStakePoolv2", "Contribution") == {
            "pid": pid, "user": staker.ss58_address, "amount": amount, "shares": amount, "as_vault": None}
        assert live.free(staker.ss58_address, receipt.block) == before - amount - _fee(receipt)
        assert live.free(pool_account, receipt.block) == total
        assert live.query("PhalaStakePoolv2", "PoolStakers", [pid, staker.ss58_address]) == total
    before = live.free(staker.ss58_address)
    out = live.run_included(live.call("PhalaStakePoolv2", "withdraw", pid=pid, shares=600 * PHA, as_vault=None),
                            staker)
    assert out.one("PhalaStakePoolv2", "Withdrawal") == {"pid": pid, "user": staker.ss58_address,
                                                         "amount": 600 * PHA, "shares": 600 * PHA, "burnt_shares": 0}
    assert live.free(staker.ss58_address, out.block) == before + 600 * PHA - _fee(out)
    base = live.query("PhalaStakePoolv2", "Pools", [pid])["StakePool"]["basepool"]
    assert (base["total_shares"], base["total_value"], base["withdraw_queue"]) == (900 * PHA, 900 * PHA, [])
    bad = live.run_included(live.call("PhalaStakePoolv2", "contribute", pid=pid, amount=1, as_vault=None), staker)
    assert bad.error == "PhalaStakePoolv2.InsufficientContribution"
    bad = live.run_included(live.call("PhalaStakePoolv2", "withdraw", pid=pid, shares=10_000 * PHA, as_vault=None),
                            staker)
    assert bad.error == "PhalaStakePoolv2.InvalidWithdrawalAmount"
