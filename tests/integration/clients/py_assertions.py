"""Assertions over the Python clients' flow observations, shared by the reference and phala-node tests.

Owns the "what must hold" side for ``flows_py`` and ``flows_async`` output, so that the reference chain
and phala-node are held to literally the same checks. All checks are relative to the account state seen
at the start of the flow, so they hold however many flows ran before on the same chain.
"""

from __future__ import annotations

from typing import Any

from expected import (
    DEV_ENDOWMENT,
    IMMORTAL_TRANSFER_LENGTH,
    TRANSFER_AMOUNT,
    TRANSFER_EVENTS,
    ObservationMismatch,
    check,
    check_payment_info,
    check_py_transfer,
    fee_for_length,
)

SIGNED_EXTENSIONS = [
    "CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis",
    "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment",
]
PHALA_EXTENSIONS = ["CheckMqSequence"]
"""Phala's extra signed extension: empty explicit and implicit data, so clients sign the template payload."""
TEMPLATE_PALLETS = ["System", "Timestamp", "Aura", "Grandpa", "Balances", "TransactionPayment", "Sudo"]


def check_metadata_and_accounts(obs: dict[str, Any], *, fresh: bool = False) -> None:
    """Metadata exposes the template pallets and the transfer call; query agrees with query_map."""
    meta = obs["metadata"]
    check("metadata version (state_getMetadata)", meta["metadata_version"], 14)
    exts = meta["signed_extensions"]
    check("signed extensions (template order)", exts[: len(SIGNED_EXTENSIONS)], SIGNED_EXTENSIONS)
    check("extra signed extensions", [e for e in exts[len(SIGNED_EXTENSIONS):] if e not in PHALA_EXTENSIONS], [])
    names = [name for name, _index in meta["pallets"]]
    missing = [p for p in TEMPLATE_PALLETS if p not in names]
    check("metadata pallets missing", missing, [])
    check("Balances.transfer_keep_alive args", meta["transfer_keep_alive_args"], ["dest", "value"])
    check("Balances.ExistentialDeposit", meta["existential_deposit"], 500)
    before = obs["alice_before"]
    check("query_map alice free == query alice free", obs["query_map_alice_free"], before["data"]["free"])
    if obs["query_map_accounts"] < 12:
        raise ObservationMismatch(f"query_map System.Account: {obs['query_map_accounts']} accounts, expected >= 12")
    if fresh:
        check("alice free at genesis", before["data"]["free"], DEV_ENDOWMENT)
        check("alice nonce at genesis", before["nonce"], 0)


def check_inclusion(obs: dict[str, Any]) -> None:
    """The wait_for_inclusion transfer: events in order, fee, weight, and receipt fields."""
    inc = obs["inclusion"]
    check_py_transfer(inc, label="inclusion")
    check("inclusion extrinsic_idx", inc["extrinsic_idx"], 1)
    fee_paid = inc["event_attributes"][3]
    check("TransactionFeePaid attributes", fee_paid,
          {"who": obs["alice"], "actual_fee": fee_for_length(IMMORTAL_TRANSFER_LENGTH), "tip": 0})


def check_inclusion_block(obs: dict[str, Any]) -> None:
    """get_block / get_events of the inclusion block: timestamp inherent then the transfer."""
    block = obs["inclusion_block"]
    check("block extrinsics", block["extrinsics"], ["Timestamp.set", "Balances.transfer_keep_alive"])
    events = block["events"]
    # The inherent's ExtrinsicSuccess comes first, then the transfer's five events.
    check("block events", events, ["System.ExtrinsicSuccess", *TRANSFER_EVENTS])


def check_finalization(obs: dict[str, Any]) -> None:
    """The wait_for_finalization transfer matches, and Alice paid exactly two transfers plus fees."""
    fin = obs["finalization"]
    check_py_transfer(fin, label="finalization")
    before, after = obs["alice_before"], obs["alice_after"]
    check("alice nonce advanced by 2", after["nonce"] - before["nonce"], 2)
    spent = before["data"]["free"] - after["data"]["free"]
    check("alice spent", spent, 2 * (TRANSFER_AMOUNT + fee_for_length(IMMORTAL_TRANSFER_LENGTH)))


def check_async_flow(obs: dict[str, Any], *, allow_shims: bool) -> None:
    """async-substrate-interface: the same transfer figures through its own decoding stack.

    ``allow_shims`` is for chopsticks only (no ``account_nextIndex``, no bare-hex ``state_call``); a
    real node must serve the library unaided.
    """
    if not allow_shims:
        check("async shims needed", obs["shims"], [])
        check("async nonce source", obs["nonce_source"], "account_nextIndex")
    if obs["query_map_accounts"] < 12:
        raise ObservationMismatch(f"async query_map: {obs['query_map_accounts']} accounts, expected >= 12")
    check_payment_info(obs["payment_info"], label="async get_payment_info")
    check_py_transfer(obs["inclusion"], label="async inclusion")
    check_py_transfer(obs["finalization"], label="async finalization")
    check("async inclusion block events", obs["inclusion_block_events"], ["System.ExtrinsicSuccess", *TRANSFER_EVENTS])
