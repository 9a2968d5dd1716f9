"""Transactions and storage reads for the live-node tests: signed transfers, account keys, AccountInfo.

Signing uses the repository's own primitives (`sign_extrinsic`, `dev_keypair`, the runtime's call
encoder), so a test can build exactly the bad transaction it needs: a wrong signature, a stale nonce,
another genesis hash, a mortal era that has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from runtime.assembly import build_assembly
from runtime.primitives.era import Era
from runtime.primitives.extrinsic import sign_extrinsic
from runtime.primitives.hashing import blake2_128_concat, twox_128
from runtime.primitives.keyring import dev_keypair

UNIT = 10**12
ACCOUNT_PREFIX = twox_128(b"System") + twox_128(b"Account")


@dataclass(frozen=True)
class ChainFacts:
    """What signing needs from the chain: genesis hash and the runtime's versions."""

    genesis: bytes
    spec_version: int
    tx_version: int


@cache
def _runtime() -> Any:
    return build_assembly().runtime


def facts(rpc: Any) -> ChainFacts:
    """Read genesis hash and versions from a node (`rpc.call(method, params)`)."""
    genesis = bytes.fromhex(rpc.call("chain_getBlockHash", [0])[2:])
    version = rpc.call("state_getRuntimeVersion")
    return ChainFacts(genesis, version["specVersion"], version["transactionVersion"])


def public(name: str) -> bytes:
    """The 32-byte account id of dev account `name` ("Alice", "Bob", ...)."""
    key: bytes = dev_keypair(name).public
    return key


def transfer_call(dest: bytes, value: int) -> bytes:
    """`Balances.transfer_keep_alive(dest, value)` encoded by the runtime."""
    runtime = _runtime()
    call: bytes = runtime.encode_call(runtime.make_call("Balances", "transfer_keep_alive", dest=("Id", dest),
                                                        value=value))
    return call


def remark_call(payload: bytes) -> bytes:
    """`System.remark(payload)` encoded by the runtime."""
    runtime = _runtime()
    call: bytes = runtime.encode_call(runtime.make_call("System", "remark", remark=payload))
    return call


def signed(chain: ChainFacts, sender: str, call: bytes, nonce: int, *, era: Era | None = None,
           birth: bytes | None = None, genesis: bytes | None = None, tip: int = 0) -> bytes:
    """A signed extrinsic from dev account `sender` (immortal unless `era`; `genesis` overrides the chain's)."""
    xt: bytes = sign_extrinsic(dev_keypair(sender), call, era=era or Era(), nonce=nonce, tip=tip,
                               spec_version=chain.spec_version, tx_version=chain.tx_version,
                               genesis_hash=genesis or chain.genesis, birth_hash=birth)
    return xt


def transfer(chain: ChainFacts, sender: str, dest: str, value: int, nonce: int, **kw: Any) -> bytes:
    """A signed transfer_keep_alive of `value` from `sender` to `dest` (dev account names)."""
    return signed(chain, sender, transfer_call(public(dest), value), nonce, **kw)


def hx(data: bytes) -> str:
    """0x-prefixed hex."""
    return "0x" + data.hex()


def account_key(name: str) -> str:
    """The System.Account storage key of dev account `name`, as hex."""
    return hx(ACCOUNT_PREFIX + blake2_128_concat(public(name)))


@dataclass(frozen=True)
class AccountInfo:
    """The fields of frame_system::AccountInfo<u32, AccountData<u128>> the tests look at."""

    nonce: int
    free: int
    reserved: int


def decode_account(value_hex: str | None) -> AccountInfo:
    """Decode a System.Account value (None = the default, empty account)."""
    if value_hex is None:
        return AccountInfo(0, 0, 0)
    raw = bytes.fromhex(value_hex[2:])
    if len(raw) < 16 + 32:
        raise ValueError(f"AccountInfo: {len(raw)} bytes is too short")
    return AccountInfo(int.from_bytes(raw[0:4], "little"), int.from_bytes(raw[16:32], "little"),
                       int.from_bytes(raw[32:48], "little"))


def account(rpc: Any, name: str, at: str | None = None) -> AccountInfo:
    """Read dev account `name` (optionally at block hash `at`)."""
    params: list[Any] = [account_key(name)] + ([at] if at is not None else [])
    return decode_account(rpc.call("state_getStorage", params))
