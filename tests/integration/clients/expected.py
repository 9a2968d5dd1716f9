"""The known figures a FRAME chain with the solochain-template runtime produces for a dev transfer.

Owns the expectations shared by every client test (reference chain and phala-node alike): the event
sequence of a signed ``Balances.transfer_keep_alive(Bob, 10^12)`` from //Alice, its fee and weight,
measured on the reference chain (``shared/reference-chain/SOURCE.md``), plus the checks that compare
an observation against them with messages that name the failed check.
"""

from __future__ import annotations

from typing import Any

TRANSFER_AMOUNT = 10**12
DEV_ENDOWMENT = 2**60
# Module.Event names as py-substrate-interface reports them, in emission order.
TRANSFER_EVENTS = [
    "Balances.Withdraw",
    "Balances.Transfer",
    "Balances.Deposit",
    "TransactionPayment.TransactionFeePaid",
    "System.ExtrinsicSuccess",
]
# polkadot.js spells sections camelCase.
TRANSFER_EVENTS_JS = [
    "balances.Withdraw",
    "balances.Transfer",
    "balances.Deposit",
    "transactionPayment.TransactionFeePaid",
    "system.ExtrinsicSuccess",
]
# Base extrinsic weight 107,074,000 + transfer_keep_alive 163,159,000; length fee 1 planck per byte.
CALL_REF_TIME = 163_159_000
EXTRINSIC_REF_TIME = 270_233_000
EXTRINSIC_PROOF_SIZE = 3593
IMMORTAL_TRANSFER_LENGTH = 145
MORTAL_TRANSFER_LENGTH = 146


def fee_for_length(length: int) -> int:
    """The fee of a transfer_keep_alive of ``length`` bytes under a fee multiplier of 1."""
    return EXTRINSIC_REF_TIME + length


class ObservationMismatch(Exception):
    """An observed client result differs from the known figure; the message names the check."""


def check(name: str, observed: Any, expected: Any) -> None:
    """Raise ObservationMismatch naming ``name`` unless ``observed == expected``."""
    if observed != expected:
        raise ObservationMismatch(f"{name}: observed {observed!r}, expected {expected!r}")


def check_py_transfer(obs: dict[str, Any], *, label: str) -> None:
    """Check a py-substrate-interface / async-substrate-interface transfer observation (immortal era)."""
    check(f"{label} length", obs["length"], IMMORTAL_TRANSFER_LENGTH)
    check(f"{label} is_success", obs["is_success"], True)
    check(f"{label} events", obs["events"], TRANSFER_EVENTS)
    check(f"{label} total_fee_amount", obs["total_fee_amount"], fee_for_length(IMMORTAL_TRANSFER_LENGTH))
    weight = obs["weight"]
    check(f"{label} weight", (weight["ref_time"], weight["proof_size"]), (EXTRINSIC_REF_TIME, EXTRINSIC_PROOF_SIZE))


def check_payment_info(info: dict[str, Any], *, label: str) -> None:
    """Check ``get_payment_info`` of the immortal transfer: partialFee, class and call weight."""
    check(f"{label} partial_fee", int(info["partial_fee"] if "partial_fee" in info else info["partialFee"]),
          fee_for_length(IMMORTAL_TRANSFER_LENGTH))
    check(f"{label} class", info["class"], "Normal")
    check(f"{label} weight.ref_time", info["weight"]["ref_time"], CALL_REF_TIME)
