"""Transaction-pool errors: why the pool refused a transaction, with Substrate's JSON-RPC code for each.

Each error is an `RpcError` (root `PoolError`) carrying the exact `code`, `message` and `data` that
Substrate's `author_*` methods answer with (sc-rpc-api `author/error.rs`), so the RPC layer can let a pool
error propagate unchanged and clients (polkadot.js renders `"1010: Invalid Transaction: …"`) see the same
thing as against a Substrate node.
"""

from __future__ import annotations

from node.rpc.errors import (
    AUTHOR_POOL_ALREADY_IMPORTED,
    AUTHOR_POOL_CYCLE_DETECTED,
    AUTHOR_POOL_IMMEDIATELY_DROPPED,
    AUTHOR_POOL_INVALID_TX,
    AUTHOR_POOL_TEMPORARILY_BANNED,
    AUTHOR_POOL_TOO_LOW_PRIORITY,
    AUTHOR_POOL_UNKNOWN_VALIDITY,
    RpcError,
)
from runtime.validity import InvalidTransaction, UnknownTransaction

# POOL_INVALID_TX + 9 in author/error.rs (not named in node.rpc.errors).
AUTHOR_POOL_NO_TAGS = AUTHOR_POOL_INVALID_TX + 9


class PoolError(RpcError):
    """Root of every error the transaction pool raises; `code`/`message`/`data` are Substrate's."""


class PoolInvalidTransaction(PoolError):
    """1010: the runtime declared the transaction invalid; `data` is the runtime's message."""

    def __init__(self, error: InvalidTransaction) -> None:
        super().__init__(AUTHOR_POOL_INVALID_TX, "Invalid Transaction", error.message)
        self.error = error


class PoolUnknownTransaction(PoolError):
    """1011: the runtime could not determine validity; `data` is the Rust Debug of the variant."""

    def __init__(self, error: UnknownTransaction) -> None:
        super().__init__(AUTHOR_POOL_UNKNOWN_VALIDITY, "Unknown Transaction Validity", unknown_debug(error))
        self.error = error


class TemporarilyBanned(PoolError):
    """1012: the transaction was recently removed as invalid (or dropped) and is banned for a while."""

    def __init__(self) -> None:
        super().__init__(AUTHOR_POOL_TEMPORARILY_BANNED, "Transaction is temporarily banned")


class AlreadyImported(PoolError):
    """1013: a transaction with this hash is already in the pool; `data` is the hash as `0x…`."""

    def __init__(self, tx_hash: bytes) -> None:
        super().__init__(AUTHOR_POOL_ALREADY_IMPORTED, "Transaction Already Imported", "0x" + tx_hash.hex())
        self.tx_hash = tx_hash


class TooLowPriority(PoolError):
    """1014: the transaction provides a tag already provided by transactions of priority ≥ its own."""

    def __init__(self, old: int, new: int) -> None:
        super().__init__(
            AUTHOR_POOL_TOO_LOW_PRIORITY,
            f"Priority is too low: ({old} vs {new})",
            "The transaction has too low priority to replace another transaction already in the pool.",
        )
        self.old = old
        self.new = new


class CycleDetected(PoolError):
    """1015: importing the transaction would create a dependency cycle in the ready queue."""

    def __init__(self) -> None:
        super().__init__(AUTHOR_POOL_CYCLE_DETECTED, "Cycle Detected")


class ImmediatelyDropped(PoolError):
    """1016: the transaction was evicted by the pool limits as soon as it was imported."""

    def __init__(self) -> None:
        super().__init__(
            AUTHOR_POOL_IMMEDIATELY_DROPPED,
            "Immediately Dropped",
            "The transaction couldn't enter the pool because of the limit",
        )


class NoTagsProvided(PoolError):
    """1019: the runtime returned a validity with no `provides` tags, so the pool cannot track it."""

    def __init__(self) -> None:
        super().__init__(
            AUTHOR_POOL_NO_TAGS,
            "No tags provided",
            "Transaction does not provide any tags, so the pool can't identify it",
        )


def unknown_debug(error: UnknownTransaction) -> str:
    """Rust `{:?}` of an `UnknownTransaction` (`CannotLookup`, `NoUnsignedValidator`, `Custom(3)`)."""
    name = error.kind.name
    return f"{name}({error.custom})" if name == "Custom" else name
