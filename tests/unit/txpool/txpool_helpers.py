"""Test helpers for the transaction pool: a fake chain whose validator mimics the runtime's nonce tags."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from node.txpool import Pool, PoolOptions
from runtime.validity import TRANSACTION_LONGEVITY_MAX, InvalidKind, InvalidTransaction, ValidTransaction


def account(n: int) -> bytes:
    """A 32-byte account id."""
    return bytes([n]) * 32


def tag(who: bytes, nonce: int) -> bytes:
    """The runtime's nonce tag: SCALE (AccountId32, u32)."""
    return who + struct.pack("<I", nonce)


def xt(who: bytes, nonce: int, priority: int = 0, longevity: int = TRANSACTION_LONGEVITY_MAX, salt: int = 0) -> bytes:
    """A fake extrinsic encoding what the fake validator needs (plus a salt to vary the hash)."""
    return b"\x84" + who + struct.pack("<IQQI", nonce, priority, longevity, salt)


def decode(data: bytes) -> tuple[bytes, int, int, int]:
    """(who, nonce, priority, longevity) of a fake extrinsic."""
    who = data[1:33]
    nonce, priority, longevity, _ = struct.unpack("<IQQI", data[33:])
    return who, nonce, priority, longevity


@dataclass
class FakeChain:
    """On-chain nonces plus a set of extrinsics the runtime will call invalid."""

    nonces: dict[bytes, int] = field(default_factory=dict)
    bad: set[bytes] = field(default_factory=set)
    calls: int = 0
    history: dict[int, dict[bytes, int]] = field(default_factory=dict)  # nonces at older blocks

    def validate(self, data: bytes, at_number: int) -> ValidTransaction:
        """Mimic CheckNonce: stale below the on-chain nonce, requires the previous nonce above it."""
        self.calls += 1
        if data in self.bad:
            raise InvalidTransaction(InvalidKind.BadProof)
        who, nonce, priority, longevity = decode(data)
        onchain = self.history.get(at_number, self.nonces).get(who, 0)
        if nonce < onchain:
            raise InvalidTransaction(InvalidKind.Stale)
        requires = (tag(who, nonce - 1),) if nonce > onchain else ()
        return ValidTransaction(priority=priority, requires=requires, provides=(tag(who, nonce),), longevity=longevity)

    def include(self, txs: list[bytes], parent: int | None = None) -> None:
        """Apply `txs` to the chain state (bump nonces), remembering the state at block `parent`."""
        if parent is not None:
            self.history[parent] = dict(self.nonces)
        for data in txs:
            who, nonce, _, _ = decode(data)
            self.nonces[who] = max(self.nonces.get(who, 0), nonce + 1)


class FakeClock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_pool(chain: FakeChain, clock: FakeClock | None = None, options: PoolOptions | None = None) -> Pool:
    """A pool over the fake chain."""
    return Pool(chain.validate, options=options, clock=clock or FakeClock())
