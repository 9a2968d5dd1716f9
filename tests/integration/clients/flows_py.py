"""py-substrate-interface (1.8.1) client flows against a Substrate-compatible WS endpoint.

Owns the Python-client half of the interop harness: each flow connects the way a real user of
py-substrate-interface would, performs the standard calls (metadata, ``query``, ``query_map``,
``compose_call`` + ``create_signed_extrinsic`` + ``submit_extrinsic``, ``get_events``, ``get_block``,
``get_payment_info``) and returns a plain, JSON-serialisable dict of what it observed, so tests can
assert known figures and compare the reference chain with phala-node side by side.

Run as a script to print the observations of the full flow as one JSON object::

    python tests/integration/clients/flows_py.py ws://127.0.0.1:9944
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.base import ExtrinsicReceipt

TRANSFER_AMOUNT = 10**12
DEV_ENDOWMENT = 2**60


class FlowError(Exception):
    """A client flow observed something that makes the remaining steps meaningless."""


def connect(url: str) -> SubstrateInterface:
    """Open a py-substrate-interface connection to ``url`` (ss58 prefix 42, metadata V14 decoding)."""
    return SubstrateInterface(url=url, ss58_format=42, auto_discover=True)


def event_name(record: Any) -> str:
    """Return ``Module.Event`` for one decoded event record (``EventRecord`` or its ``value`` dict)."""
    value = record.value if hasattr(record, "value") else record
    event = value["event"] if "event" in value else value
    return f"{event['module_id']}.{event['event_id']}"


def event_attributes(record: Any) -> Any:
    """Return the decoded attributes of one event record, as py-substrate-interface presents them."""
    value = record.value if hasattr(record, "value") else record
    event = value["event"] if "event" in value else value
    return event["attributes"]


def observe_metadata(substrate: SubstrateInterface) -> dict[str, Any]:
    """Load the runtime metadata and report its version, pallets and the transfer call's presence."""
    substrate.init_runtime()
    metadata = substrate.metadata
    pallets = [(p.name, p.value["index"]) for p in metadata.pallets]
    call = substrate.get_metadata_call_function("Balances", "transfer_keep_alive")
    if call is None:
        raise FlowError("metadata check failed: Balances.transfer_keep_alive not found")
    runtime_version = substrate.runtime_version
    return {
        "metadata_version": metadata.value_object[1].index,
        "pallets": pallets,
        "transfer_keep_alive_args": [a.value["name"] for a in call.args],
        "spec_version": runtime_version,
        "transaction_version": substrate.transaction_version,
        "chain": substrate.chain,
        "signed_extensions": [e["identifier"] for e in metadata[1][1]["extrinsic"]["signed_extensions"].value],
        "existential_deposit": substrate.get_constant("Balances", "ExistentialDeposit").value,
    }


def observe_account(substrate: SubstrateInterface, address: str) -> dict[str, Any]:
    """Return ``System.Account`` of ``address`` as a plain dict (nonce, providers, data.free, ...)."""
    result = substrate.query("System", "Account", [address])
    value: dict[str, Any] = result.value
    return value


def observe_accounts_map(substrate: SubstrateInterface) -> dict[str, int]:
    """Iterate ``System.Account`` with ``query_map`` and return ``{ss58: free}`` for every account."""
    out: dict[str, int] = {}
    for key, value in substrate.query_map("System", "Account", page_size=100):
        out[str(key.value)] = int(value.value["data"]["free"])
    return out


def transfer_extrinsic(substrate: SubstrateInterface, sender: Keypair, dest: str, amount: int) -> Any:
    """Compose and sign ``Balances.transfer_keep_alive(dest, amount)`` (immortal era, on-chain nonce)."""
    call = substrate.compose_call(
        call_module="Balances",
        call_function="transfer_keep_alive",
        call_params={"dest": dest, "value": amount},
    )
    return substrate.create_signed_extrinsic(call=call, keypair=sender)


def observe_payment_info(substrate: SubstrateInterface, sender: Keypair, dest: str) -> dict[str, Any]:
    """Return ``get_payment_info`` (TransactionPaymentApi.query_info) of a signed transfer."""
    call = substrate.compose_call(
        call_module="Balances",
        call_function="transfer_keep_alive",
        call_params={"dest": dest, "value": TRANSFER_AMOUNT},
    )
    info: dict[str, Any] = substrate.get_payment_info(call=call, keypair=sender)
    return info


def observe_receipt(receipt: ExtrinsicReceipt) -> dict[str, Any]:
    """Summarise an extrinsic receipt: success, events in order (name + attributes), fee and weight."""
    events = receipt.triggered_events
    return {
        "block_hash": receipt.block_hash,
        "extrinsic_idx": receipt.extrinsic_idx,
        "is_success": receipt.is_success,
        "error_message": receipt.error_message,
        "events": [event_name(e) for e in events],
        "event_attributes": [event_attributes(e) for e in events],
        "total_fee_amount": receipt.total_fee_amount,
        "weight": receipt.weight,
        "finalized": receipt.finalized,
    }


def submit_transfer(
    substrate: SubstrateInterface,
    sender: Keypair,
    dest: str,
    *,
    wait_for_finalization: bool,
) -> dict[str, Any]:
    """Sign and submit one transfer, waiting for inclusion (or finalization), and return observations."""
    extrinsic = transfer_extrinsic(substrate, sender, dest, TRANSFER_AMOUNT)
    length = len(extrinsic.data)
    started = time.monotonic()
    receipt = substrate.submit_extrinsic(
        extrinsic,
        wait_for_inclusion=not wait_for_finalization,
        wait_for_finalization=wait_for_finalization,
    )
    elapsed = time.monotonic() - started
    observed = observe_receipt(receipt)
    observed["length"] = length
    observed["extrinsic_hash"] = receipt.extrinsic_hash
    observed["submit_seconds"] = round(elapsed, 3)
    return observed


def observe_block(substrate: SubstrateInterface, block_hash: str) -> dict[str, Any]:
    """Return ``get_block`` (header number, extrinsic call names) and ``get_events`` names of a block."""
    block = substrate.get_block(block_hash=block_hash)
    if block is None:
        raise FlowError(f"get_block returned nothing for {block_hash}")
    extrinsics = [
        f"{x.value['call']['call_module']}.{x.value['call']['call_function']}" for x in block["extrinsics"]
    ]
    events = substrate.get_events(block_hash=block_hash)
    return {
        "number": block["header"]["number"],
        "extrinsics": extrinsics,
        "events": [event_name(e) for e in events],
        "event_phases": [e.value["phase"] if isinstance(e.value["phase"], str) else e.value["phase"] for e in events],
    }


def run_transfer_flow(url: str) -> dict[str, Any]:
    """Run the full py-substrate-interface flow against ``url`` and return every observation."""
    t0 = time.monotonic()
    alice = Keypair.create_from_uri("//Alice", ss58_format=42)
    bob = Keypair.create_from_uri("//Bob", ss58_format=42)
    substrate = connect(url)
    try:
        obs: dict[str, Any] = {"alice": alice.ss58_address, "connect_seconds": round(time.monotonic() - t0, 3)}
        obs["metadata"] = observe_metadata(substrate)
        obs["alice_before"] = observe_account(substrate, alice.ss58_address)
        accounts = observe_accounts_map(substrate)
        obs["query_map_accounts"] = len(accounts)
        obs["query_map_alice_free"] = accounts.get(alice.ss58_address)
        obs["payment_info"] = observe_payment_info(substrate, alice, bob.ss58_address)
        obs["inclusion"] = submit_transfer(substrate, alice, bob.ss58_address, wait_for_finalization=False)
        obs["inclusion_block"] = observe_block(substrate, obs["inclusion"]["block_hash"])
        obs["finalization"] = submit_transfer(substrate, alice, bob.ss58_address, wait_for_finalization=True)
        obs["alice_after"] = observe_account(substrate, alice.ss58_address)
        obs["total_seconds"] = round(time.monotonic() - t0, 3)
        return obs
    finally:
        substrate.close()


def main(argv: list[str]) -> int:
    """Script entry point: run the flow against ``argv[1]`` and print one JSON object."""
    if len(argv) != 2:
        print(json.dumps({"ok": False, "error": "usage: flows_py.py ws://HOST:PORT"}))
        return 2
    try:
        obs = run_transfer_flow(argv[1])
    except Exception as exc:  # noqa: BLE001 - the script reports any failure as JSON
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps({"ok": True, **obs}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
