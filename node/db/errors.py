"""Typed errors of the chain database, all rooted at `ChainDBError`.

Each message names the check that failed, so a log line is enough to tell what went wrong.
"""

from __future__ import annotations


class ChainDBError(Exception):
    """Root of every chain-database failure."""


class UnknownBlock(ChainDBError):
    """A block hash (or number) that the database does not hold."""

    def __init__(self, what: str) -> None:
        super().__init__(f"unknown block: {what}")
        self.what = what


class NotCanonical(ChainDBError):
    """An operation that needs a block on the canonical (best) chain was given a fork block."""

    def __init__(self, block_hash: bytes, reason: str) -> None:
        super().__init__(f"block 0x{block_hash.hex()} is not canonical: {reason}")
        self.block_hash = block_hash


class FinalityReversal(ChainDBError):
    """A commit, reorg or set_finalized would move finality backwards or revert a finalized block."""


class GenesisMismatch(ChainDBError):
    """The database already holds a different genesis block than the one being initialised."""

    def __init__(self, stored: bytes, given: bytes) -> None:
        super().__init__(
            f"genesis mismatch: database holds genesis 0x{stored.hex()}, chain spec gives 0x{given.hex()}"
        )
        self.stored = stored
        self.given = given


class NoGenesis(ChainDBError):
    """The database has not been initialised with a genesis block yet."""


class InvalidCommit(ChainDBError):
    """A BlockCommit or GenesisCommit is internally inconsistent (hash, parent, number, key size)."""


class BlockExists(ChainDBError):
    """A block with this hash is already stored."""

    def __init__(self, block_hash: bytes) -> None:
        super().__init__(f"block 0x{block_hash.hex()} is already stored")
        self.block_hash = block_hash


class Corruption(ChainDBError):
    """Stored bytes do not decode, or stored records contradict each other."""


class SchemaVersionMismatch(ChainDBError):
    """The database was written with an on-disk schema version this code does not read."""
