"""Transaction pool (sc-transaction-pool semantics): ready/future queues by tags, bans, limits, watchers.

Public API re-exported here; see `pool.Pool` for the entry point.
"""

from __future__ import annotations

from node.txpool.errors import (
    AlreadyImported,
    CycleDetected,
    ImmediatelyDropped,
    NoTagsProvided,
    PoolError,
    PoolInvalidTransaction,
    PoolUnknownTransaction,
    TemporarilyBanned,
    TooLowPriority,
)
from node.txpool.pool import MaintenanceReport, Pool, Validator, hash_of
from node.txpool.ready import BestIterator
from node.txpool.transaction import Limit, PoolOptions, PoolStatus, PoolTransaction
from node.txpool.watch import TransactionStatus, Watcher

__all__ = [
    "AlreadyImported",
    "BestIterator",
    "CycleDetected",
    "ImmediatelyDropped",
    "Limit",
    "MaintenanceReport",
    "NoTagsProvided",
    "Pool",
    "PoolError",
    "PoolInvalidTransaction",
    "PoolOptions",
    "PoolStatus",
    "PoolTransaction",
    "PoolUnknownTransaction",
    "TemporarilyBanned",
    "TooLowPriority",
    "TransactionStatus",
    "Validator",
    "Watcher",
    "hash_of",
]
