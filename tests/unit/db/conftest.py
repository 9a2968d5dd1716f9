"""Fixtures for the chain-database tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from node.db import ChainDB


@pytest.fixture
def db() -> Iterator[ChainDB]:
    """A fresh temporary ChainDB, closed and deleted after the test."""
    with ChainDB.memory() as chain_db:
        yield chain_db
