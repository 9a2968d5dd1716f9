"""Pool-controlled accounts, derived exactly as Phala derives them (zero-padded `(prefix, hash)` encodings).

`(b"bp/", blake2_256(SCALE(pid, owner)))` encodes as the 3 prefix bytes followed by the 32-byte hash;
decoding an AccountId32 from it through `TrailingZeroInput` keeps the first 32 bytes.
"""

from __future__ import annotations

from runtime.primitives.hashing import blake2_256

DUST = 1000
"""`balance_close_to_zero`: anything ≤ 1000 raw units is dust."""


def _truncated(prefix: bytes, hash_: bytes) -> bytes:
    return (prefix + hash_).ljust(32, b"\x00")[:32]


def _pid_owner_hash(pid: int, who: bytes) -> bytes:
    return blake2_256(pid.to_bytes(8, "little") + who)


def pool_account(pid: int, owner: bytes) -> bytes:
    """`generate_staker_account(pid, owner)`: where the pool's free stake lives."""
    return _truncated(b"bp/", _pid_owner_hash(pid, owner))


def owner_reward_account(pid: int, owner: bytes) -> bytes:
    """The `so/` account collecting the owner's commission."""
    return _truncated(b"so/", _pid_owner_hash(pid, owner))


def lock_account(pid: int, owner: bytes) -> bytes:
    """The `sl/` account holding the stake of computing workers."""
    return _truncated(b"sl/", _pid_owner_hash(pid, owner))


def pool_sub_account(pid: int, worker: bytes) -> bytes:
    """`pool_sub_account(pid, worker)`: the computing session account of a pool worker."""
    return _truncated(b"spm/", _pid_owner_hash(pid, worker))


def is_dust(amount: int) -> bool:
    """`balance_close_to_zero`."""
    return amount <= DUST


def extract_dust(amount: int) -> tuple[int, int]:
    """(amount, 0) when non-dust, else (0, amount)."""
    return (0, amount) if is_dust(amount) else (amount, 0)


def permill_of(parts: int, amount: int) -> int:
    """`Permill * Balance`: rounded to nearest, ties down (Rounding::NearestPrefDown)."""
    q, r = divmod(amount * parts, 1_000_000)
    return q + 1 if 2 * r > 1_000_000 else q
