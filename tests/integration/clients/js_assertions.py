"""Assertions over the polkadot.js flow observations, shared by the reference and phala-node tests.

Owns the checks on ``tests/interop/js/flow_transfer.mjs`` and ``decorate_check.mjs`` output: decorated
metadata, the status sequence of ``signAndSend``, the extrinsic's events (names and data shapes), its
fee and weight, ``TransactionPaymentApi.query_info``, and the new-heads subscription.
"""

from __future__ import annotations

from typing import Any

from expected import (
    CALL_REF_TIME,
    EXTRINSIC_PROOF_SIZE,
    EXTRINSIC_REF_TIME,
    MORTAL_TRANSFER_LENGTH,
    TRANSFER_AMOUNT,
    TRANSFER_EVENTS_JS,
    ObservationMismatch,
    check,
    fee_for_length,
)

EXPECTED_STATUSES = ["Ready", "InBlock", "Finalized"]


def check_js_metadata(obs: dict[str, Any]) -> None:
    """ApiPromise decorated System/Balances/TransactionPaymentApi from metadata V14."""
    meta = obs["metadata"]
    # polkadot.js asks Metadata_metadata_at_version(15) first and gets V15 from a modern runtime.
    check("js metadata version", meta["version"], 15)
    check("js decorated", meta["decorated"], {
        "systemAccount": True,
        "balancesTransferKeepAlive": True,
        "balancesTransferEvent": True,
        "existentialDeposit": "500",
        "transactionPaymentApi": True,
    })
    for pallet in ("System", "Balances", "TransactionPayment"):
        if pallet not in meta["pallets"]:
            raise ObservationMismatch(f"js metadata pallets: {pallet} missing from {meta['pallets']}")


def check_js_query_info(obs: dict[str, Any]) -> None:
    """queryInfo of the signed (mortal, 146-byte) transfer: fee 270,233,146, class normal."""
    info = obs["queryInfo"]
    check("js queryInfo length", info["length"], MORTAL_TRANSFER_LENGTH)
    check("js queryInfo partialFee", int(info["partialFee"]), fee_for_length(MORTAL_TRANSFER_LENGTH))
    check("js queryInfo class", info["class"], "Normal")
    check("js queryInfo weight.refTime", info["weight"]["refTime"], CALL_REF_TIME)


def check_js_transfer(obs: dict[str, Any]) -> None:
    """signAndSend: statuses Ready, InBlock, Finalized; the five events with their data; fee; weight."""
    tx = obs["transfer"]
    # chopsticks also reports Broadcast (between Ready and InBlock); a peerless dev node need not.
    check("js statuses (Broadcast ignored)", [s for s in tx["statuses"] if s != "Broadcast"], EXPECTED_STATUSES)
    check("js dispatchError", tx["dispatchError"], None)
    check("js InBlock == Finalized hash", tx["finalized"], tx["inBlock"])
    check("js transfer length", tx["length"], MORTAL_TRANSFER_LENGTH)
    names = [e["name"] for e in tx["events"]]
    check("js events", names, TRANSFER_EVENTS_JS)
    fee = fee_for_length(MORTAL_TRANSFER_LENGTH)
    check("js fee (TransactionFeePaid.actual_fee)", int(tx["fee"]), fee)
    check("js ExtrinsicSuccess weight", tx["weight"], {"refTime": EXTRINSIC_REF_TIME, "proofSize": EXTRINSIC_PROOF_SIZE})
    by_name = {e["name"]: e for e in tx["events"]}
    check("js Transfer fields", by_name["balances.Transfer"]["fields"], ["from", "to", "amount"])
    check("js Transfer amount", int(by_name["balances.Transfer"]["data"][2]), TRANSFER_AMOUNT)
    check("js Withdraw amount", int(by_name["balances.Withdraw"]["data"][1]), fee)
    check("js TransactionFeePaid fields", by_name["transactionPayment.TransactionFeePaid"]["fields"],
          ["who", "actualFee", "tip"])
    phases = [e["phase"] for e in tx["events"]]
    if len({str(p) for p in phases}) != 1 or "applyExtrinsic" not in phases[0]:
        raise ObservationMismatch(f"js event phases: expected one ApplyExtrinsic phase, got {phases}")


def check_js_heads_and_balance(obs: dict[str, Any]) -> None:
    """>= 2 headers arrive, consecutive; Alice paid amount + fee for every transfer the flow sent."""
    heads = obs["heads"]
    if len(heads) < 2:
        raise ObservationMismatch(f"js subscribeNewHeads: {len(heads)} headers, expected >= 2")
    numbers = [h["number"] for h in heads]
    check("js head numbers consecutive", numbers, list(range(numbers[0], numbers[0] + len(numbers))))
    for prev, cur in zip(heads, heads[1:], strict=False):
        check(f"js head {cur['number']} parentHash", cur["parentHash"], prev["hash"])
    sent = 1 + obs["extraTransfers"]
    check("js alice spent", int(obs["aliceSpentTotal"]),
          sent * (TRANSFER_AMOUNT + fee_for_length(MORTAL_TRANSFER_LENGTH)))
    check("js alice nonce", obs["accountAfter"]["nonce"] - obs["accountBefore"]["nonce"], sent)


def check_decorations(obs: dict[str, Any], pallets: list[str]) -> None:
    """decorate_check: every named pallet found, every kind decorated as declared."""
    check("decorate missing", obs["missing"], [])
    check("decorate mismatched", obs["mismatched"], [])
    for name in pallets:
        if not obs["pallets"][name]["found"]:
            raise ObservationMismatch(f"decorate: pallet {name} not found")
