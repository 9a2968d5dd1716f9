"""Pure logic behind the node RPC `pha_getMqNextSequence(sender_hex)` (Phala docs/rpc.md).

The answer is the on-chain `OffchainIngress[sender]` plus the run of consecutive sequences that ready
pool transactions already provide: pherry uses it to skip messages it has submitted but that are not yet
in a block. The node collects the `provides` tags of ready transactions and calls `next_sequence`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .check_seq import tag
from .types import MessageOrigin


def next_sequence(onchain: int, sender: Any, pool_tags: Iterable[bytes]) -> int:
    """`onchain` advanced past every consecutive `tag(sender, seq)` present in `pool_tags`."""
    provided = set(pool_tags)
    seq = onchain
    while tag(sender, seq) in provided:
        seq += 1
    return seq


def sender_from_hex(sender_hex: str) -> Any:
    """Decode the RPC's `sender_hex` (0x-prefixed or bare hex SCALE of a MessageOrigin); ValueError if bad."""
    text = sender_hex[2:] if sender_hex.startswith(("0x", "0X")) else sender_hex
    try:
        raw = bytes.fromhex(text)
        return MessageOrigin.decode(raw)
    except Exception as exc:  # hex or SCALE error: both are a bad argument to the RPC
        raise ValueError(f"pha_getMqNextSequence: sender is not a hex SCALE MessageOrigin: {exc}") from None
