"""Temporary bans of transaction hashes (sc-transaction-pool `graph/rotator.rs`).

A hash is banned when the runtime declared it invalid, when it went stale, when the limits evicted it or
when it was included in a block; a banned hash is refused with 1012 until its ban expires. Time comes from
an injected clock (the node passes `time.monotonic`) so tests control it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

EXPECTED_SIZE = 2048


class Rotator:
    """Hash → ban expiry, bounded in size like Substrate's (drops the oldest bans past 2 × 2048)."""

    def __init__(self, ban_seconds: float, clock: Callable[[], float]) -> None:
        self._ban_seconds = ban_seconds
        self._clock = clock
        self._banned_until: dict[bytes, float] = {}

    def __len__(self) -> int:
        return len(self._banned_until)

    def now(self) -> float:
        """The current clock reading."""
        return self._clock()

    def is_banned(self, tx_hash: bytes) -> bool:
        """True while the hash's ban has not expired."""
        until = self._banned_until.get(tx_hash)
        return until is not None and self._clock() <= until

    def ban(self, hashes: Iterable[bytes]) -> None:
        """Ban the hashes for `ban_seconds` from now (re-banning extends the ban)."""
        until = self._clock() + self._ban_seconds
        banned = self._banned_until
        for tx_hash in hashes:
            banned.pop(tx_hash, None)  # re-insert so dict order stays "oldest ban first"
            banned[tx_hash] = until
        if len(banned) > 2 * EXPECTED_SIZE:
            for stale in list(banned)[: len(banned) - EXPECTED_SIZE]:
                del banned[stale]

    def clear_timeouts(self) -> None:
        """Forget expired bans."""
        now = self._clock()
        self._banned_until = {h: t for h, t in self._banned_until.items() if t >= now}
