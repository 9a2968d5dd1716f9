"""async-substrate-interface (2.2.1) client flow against a Substrate-compatible WS endpoint.

Owns the asyncio-client half of the interop harness (the client bittensor tooling uses). It must run in
its own virtualenv (``tests/interop/py/requirements-async.txt``): its ``cyscale`` dependency installs the
``scalecodec`` import package and refuses to import next to py-scale-codec, which substrate-interface
1.8.1 needs. The library ships no keypair, so //Alice and //Bob are built here from their well-known
sr25519 mini-secrets with py-sr25519-bindings.

Run as a script to print the observations as one JSON object::

    <venv-async>/bin/python tests/integration/clients/flows_async.py ws://127.0.0.1:9944
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import sr25519
from async_substrate_interface import AsyncSubstrateInterface
from scalecodec.utils.ss58 import ss58_encode

TRANSFER_AMOUNT = 10**12
# `subkey inspect //Alice` / `//Bob`: secret seeds of the dev accounts (public, well known).
ALICE_SEED = "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
BOB_SEED = "398f0c28f98885e046333d4a41c19cee4c37368a9832c6502f6cfd182e2aef89"


class DevKeypair:
    """A minimal sr25519 keypair satisfying async-substrate-interface's ``Keypair`` protocol."""

    def __init__(self, seed_hex: str, ss58_format: int = 42) -> None:
        """Derive the keypair from a 32-byte mini-secret given as hex."""
        self._public, self._secret = sr25519.pair_from_seed(bytes.fromhex(seed_hex))
        self._ss58_format = ss58_format

    @property
    def crypto_type(self) -> int:
        """1 = sr25519."""
        return 1

    @property
    def public_key(self) -> bytes:
        """The 32-byte public key."""
        key: bytes = self._public
        return key

    @property
    def ss58_address(self) -> str:
        """The SS58 address under ``ss58_format``."""
        address: str = ss58_encode(self._public, self._ss58_format)
        return address

    @property
    def ss58_format(self) -> int:
        """The SS58 prefix used for the address."""
        return self._ss58_format

    def sign(self, data: bytes | str) -> bytes:
        """Sign ``data`` (bytes, bytearray, ScaleBytes or 0x-hex) with sr25519."""
        message: Any = data
        if isinstance(message, str):
            message = bytes.fromhex(message.removeprefix("0x"))
        elif hasattr(message, "data"):  # ScaleBytes
            message = message.data
        signature: bytes = sr25519.sign((self._public, self._secret), bytes(message))
        return signature


def event_name(record: dict[str, Any]) -> str:
    """Return ``Module.Event`` of one event record as this library decodes it."""
    event = record["event"]
    return f"{event['module_id']}.{event['event_id']}"


async def next_nonce(substrate: AsyncSubstrateInterface, sender: DevKeypair) -> tuple[int | None, str]:
    """Return ``(None, "account_nextIndex")`` when the library can fetch the nonce itself, else the nonce
    from ``AccountNonceApi_account_nonce`` and a note that ``account_nextIndex`` is not advertised."""
    if await substrate.supports_rpc_method("account_nextIndex"):
        return None, "account_nextIndex"
    nonce = await substrate.get_account_nonce(sender.ss58_address)
    return nonce, "AccountNonceApi (account_nextIndex not in rpc_methods)"


async def submit_transfer(
    substrate: AsyncSubstrateInterface, sender: DevKeypair, dest: str, *, wait_for_finalization: bool
) -> dict[str, Any]:
    """Sign and submit ``Balances.transfer_keep_alive(dest, 10^12)`` and summarise the receipt.

    The library takes the nonce from the ``account_nextIndex`` RPC and refuses to sign when the server
    does not list it in ``rpc_methods`` (chopsticks lists only ``system_accountNextIndex``); then the
    nonce comes from ``AccountNonceApi_account_nonce`` instead, and ``nonce_source`` says so.
    """
    call = await substrate.compose_call("Balances", "transfer_keep_alive", {"dest": dest, "value": TRANSFER_AMOUNT})
    nonce, nonce_source = await next_nonce(substrate, sender)
    extrinsic = await substrate.create_signed_extrinsic(call=call, keypair=sender, nonce=nonce)
    data = extrinsic.data
    length = len(data) if data is not None else -1
    started = time.monotonic()
    receipt = await substrate.submit_extrinsic(
        extrinsic, wait_for_inclusion=not wait_for_finalization, wait_for_finalization=wait_for_finalization
    )
    elapsed = time.monotonic() - started
    events = await receipt.triggered_events
    return {
        "length": length,
        "nonce_source": nonce_source,
        "block_hash": receipt.block_hash,
        "is_success": await receipt.is_success,
        "events": [event_name(e) for e in events],
        "event_attributes": [e["event"]["attributes"] for e in events],
        "total_fee_amount": await receipt.total_fee_amount,
        "weight": await receipt.weight,
        "submit_seconds": round(elapsed, 3),
    }


def add_chopsticks_shim(substrate: AsyncSubstrateInterface) -> None:
    """Prefix ``state_call`` data with ``0x`` on chopsticks, whose RPC rejects unprefixed hex.

    async-substrate-interface sends ``state_call`` data as bare hex (``bytes.hex()``). Substrate's
    ``Bytes`` deserializer (impl-serde) accepts it with or without ``0x``; chopsticks answers
    "hexadecimal string doesn't start with 0x". Only applied when ``system_version`` says chopsticks;
    phala-node must accept the library as it is.
    """
    original = substrate.rpc_request

    async def rpc_request(method: str, params: list[Any] | None, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if method == "state_call" and params and isinstance(params[1], str) and not params[1].startswith("0x"):
            params = [params[0], "0x" + params[1], *params[2:]]
        result: dict[str, Any] = await original(method, params, *args, **kwargs)
        return result

    substrate.rpc_request = rpc_request  # type: ignore[method-assign]


async def run_transfer_flow(url: str) -> dict[str, Any]:
    """Run the full async-substrate-interface flow against ``url`` and return every observation."""
    t0 = time.monotonic()
    alice, bob = DevKeypair(ALICE_SEED), DevKeypair(BOB_SEED)
    obs: dict[str, Any] = {"alice": alice.ss58_address}
    async with AsyncSubstrateInterface(url, ss58_format=42) as substrate:
        obs["connect_seconds"] = round(time.monotonic() - t0, 3)
        obs["chain"] = (await substrate.rpc_request("system_chain", []))["result"]
        obs["system_version"] = (await substrate.rpc_request("system_version", []))["result"]
        obs["shims"] = []
        if str(obs["system_version"]).startswith("chopsticks"):
            add_chopsticks_shim(substrate)
            obs["shims"].append("state_call data 0x-prefixed (chopsticks rejects bare hex)")
        account = await substrate.query("System", "Account", [alice.ss58_address])
        obs["alice_before"] = account.value if account is not None else None
        count = 0
        async for _key, _value in await substrate.query_map("System", "Account", page_size=100):
            count += 1
        obs["query_map_accounts"] = count
        call = await substrate.compose_call(
            "Balances", "transfer_keep_alive", {"dest": bob.ss58_address, "value": TRANSFER_AMOUNT}
        )
        nonce, obs["nonce_source"] = await next_nonce(substrate, alice)
        obs["payment_info"] = await substrate.get_payment_info(call=call, keypair=alice, nonce=nonce)
        obs["inclusion"] = await submit_transfer(substrate, alice, bob.ss58_address, wait_for_finalization=False)
        block = await substrate.get_block(block_hash=obs["inclusion"]["block_hash"])
        obs["inclusion_block_extrinsics"] = len(block["extrinsics"]) if block else None
        events = await substrate.get_events(block_hash=obs["inclusion"]["block_hash"])
        obs["inclusion_block_events"] = [event_name(e) for e in events]
        obs["finalization"] = await submit_transfer(substrate, alice, bob.ss58_address, wait_for_finalization=True)
    obs["total_seconds"] = round(time.monotonic() - t0, 3)
    return obs


def main(argv: list[str]) -> int:
    """Script entry point: run the flow against ``argv[1]`` and print one JSON object."""
    if len(argv) != 2:
        print(json.dumps({"ok": False, "error": "usage: flows_async.py ws://HOST:PORT"}))
        return 2
    try:
        obs = asyncio.run(run_transfer_flow(argv[1]))
    except Exception as exc:  # noqa: BLE001 - the script reports any failure as JSON
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps({"ok": True, **obs}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
