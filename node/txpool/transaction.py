"""Values the transaction pool stores and is configured with: a validated transaction, limits, options, status.

`PoolTransaction` is sc-transaction-pool's `base_pool::Transaction`: the extrinsic bytes plus what the
runtime said about them (priority, requires/provides tags, propagate) and `valid_till`, the block
number after which the transaction is stale (`at + longevity`, saturating at u64::MAX).
`PoolOptions` holds Substrate's defaults (`graph::Options::default()` and the CLI derivation in
`TransactionPoolOptions::new_with_params`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runtime.validity import TRANSACTION_LONGEVITY_MAX, ValidTransaction

U64_MAX = TRANSACTION_LONGEVITY_MAX
DEFAULT_BAN_SECONDS = 30 * 60.0


@dataclass(frozen=True, slots=True)
class PoolTransaction:
    """A validated transaction as the pool keeps it (immutable; re-validation makes a new one)."""

    data: bytes
    hash: bytes
    priority: int
    valid_till: int
    requires: tuple[bytes, ...]
    provides: tuple[bytes, ...]
    propagate: bool = True

    @property
    def size(self) -> int:
        """Encoded size counted against the pool's byte limits."""
        return len(self.data)

    @classmethod
    def from_validity(cls, data: bytes, tx_hash: bytes, at_number: int, validity: ValidTransaction) -> PoolTransaction:
        """Build from the runtime's `ValidTransaction` obtained at block `at_number`."""
        return cls(
            data=data,
            hash=tx_hash,
            priority=validity.priority,
            valid_till=min(at_number + validity.longevity, U64_MAX),
            requires=tuple(validity.requires),
            provides=tuple(validity.provides),
            propagate=validity.propagate,
        )


@dataclass(frozen=True, slots=True)
class Limit:
    """A queue limit: at most `count` transactions and `total_bytes` bytes of extrinsics."""

    count: int
    total_bytes: int

    def is_exceeded(self, count: int, total_bytes: int) -> bool:
        """True if either value is over the limit."""
        return count > self.count or total_bytes > self.total_bytes


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """Pool configuration; the defaults are Substrate's `graph::Options::default()`."""

    ready: Limit = field(default_factory=lambda: Limit(8192, 20 * 1024 * 1024))
    future: Limit = field(default_factory=lambda: Limit(512, 1 * 1024 * 1024))
    ban_seconds: float = DEFAULT_BAN_SECONDS
    watcher_buffer: int = 32

    @classmethod
    def from_cli(
        cls, pool_limit: int = 8192, pool_kbytes: int = 20480, tx_ban_seconds: float | None = None, *, is_dev: bool = False
    ) -> PoolOptions:
        """Substrate's `--pool-limit/--pool-kbytes/--tx-ban-seconds` mapping: future = ready / 10; dev bans for 0 s."""
        pool_bytes = pool_kbytes * 1024
        if tx_ban_seconds is not None:
            ban = float(tx_ban_seconds)
        else:
            ban = 0.0 if is_dev else DEFAULT_BAN_SECONDS
        return cls(
            ready=Limit(pool_limit, pool_bytes),
            future=Limit(pool_limit // 10, pool_bytes // 10),
            ban_seconds=ban,
        )


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """Queue sizes (sc_transaction_pool_api::PoolStatus) for metrics and health reports."""

    ready: int
    ready_bytes: int
    future: int
    future_bytes: int

    @property
    def total(self) -> int:
        """Ready plus future transactions."""
        return self.ready + self.future
