"""PhalaPhatTokenomic constants and the deposit → weight rule shared by the chain and the workers.

The escrow is `PalletId(*b"phat/tok").into_account_truncating()` = `b"modl" ++ b"phat/tok"` zero-padded
to 32 bytes. A stake change reaches the workers as Phala sends it: an ink message to the cluster's
system contract, `ContractDeposit::change_deposit` (selector 0xa24bcb44) with SCALE(contract, total),
which the worker's system contract turns into the contract's scheduling weight with `weight_of`.
"""

from __future__ import annotations

from runtime.scale import U128

PALLET_ID = b"phat/tok"
ESCROW_ACCOUNT = (b"modl" + PALLET_ID).ljust(32, b"\x00")
"""The escrow holding every contract stake."""

CENTS = 10**10
"""0.01 PHA (1 PHA = 10^12)."""

U32_MAX = (1 << 32) - 1

CHANGE_DEPOSIT_SELECTOR = bytes.fromhex("a24bcb44")
"""`ContractDeposit::change_deposit(contract_id, deposit)` on the system contract."""


def weight_of(deposit: int) -> int:
    """A contract's scheduling weight: `min(u32::MAX, deposit / CENTS)` (pink-drivers tokenomic)."""
    return min(U32_MAX, deposit // CENTS)


def change_deposit_message(contract: bytes, total: int) -> bytes:
    """The ink message: selector (big-endian u32) ++ contract H256 ++ total as u128 LE."""
    if len(contract) != 32:
        raise ValueError("change_deposit: contract id must be 32 bytes")
    return CHANGE_DEPOSIT_SELECTOR + bytes(contract) + U128.encode(total)


def decode_change_deposit(message: bytes) -> tuple[bytes, int]:
    """(contract, total deposit) from a change_deposit message; ValueError when it is not one."""
    if len(message) != 52 or message[:4] != CHANGE_DEPOSIT_SELECTOR:
        raise ValueError("not a ContractDeposit::change_deposit message")
    return bytes(message[4:36]), int.from_bytes(message[36:52], "little")
