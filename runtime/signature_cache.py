"""A bounded memo of signatures already found valid, so a transaction is verified once, not twice.

The pool verifies a transaction's signature when it is submitted and the block builder would verify it
again when it is applied. Verification is a pure function of the extrinsic bytes and the signing
context (genesis hash, birth-block hash, spec and transaction versions, which are fixed per executive),
so remembering a positive answer keyed by all of them cannot change any result; only successes are
remembered, and the oldest entries go first once the memo is full.
"""

from __future__ import annotations


class VerifiedSignatures:
    """Keys (extrinsic hash ++ genesis ++ birth hash) whose signatures verified."""

    def __init__(self, capacity: int = 32_768) -> None:
        self.capacity = capacity
        self._seen: dict[bytes, None] = {}

    def __contains__(self, key: bytes) -> bool:
        return key in self._seen

    def add(self, key: bytes) -> None:
        """Remember a verified key, evicting the oldest when full."""
        seen = self._seen
        if len(seen) >= self.capacity:
            del seen[next(iter(seen))]
        seen[key] = None

    def clear(self) -> None:
        """Forget everything (benchmarks measure full verification this way)."""
        self._seen.clear()

    def __len__(self) -> int:
        return len(self._seen)
