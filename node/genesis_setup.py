"""Writing block 0: in process for ordinary specs, in a short-lived child process for very large ones.

Building the genesis storage of a spec with 100k endowed accounts allocates hundreds of megabytes of
short-lived objects (JSON, storage map, trie nodes); CPython keeps most of that heap after it is freed.
Doing the work in a child that exits hands the memory back to the system, so a node's resident size
reflects the chain it serves, not the spec it was born from. The child writes genesis into the same
database (or checks that the stored genesis matches) and returns the genesis hash.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from chain_spec import ChainSpec, runnable_genesis_storage
from chain_spec.spec import RawGenesis
from node.client.client import Client
from node.db import ChainDB
from runtime.assembly import Assembly, build_assembly

LARGE_GENESIS_ENTRIES = 5_000
"""Genesis storage entries (or endowed accounts) above which genesis is built in a child process."""


def genesis_size(spec: ChainSpec) -> int:
    """A cheap estimate of how many storage entries the spec's genesis holds."""
    genesis = spec.genesis
    if isinstance(genesis, RawGenesis):
        return len(genesis.top)
    balances = genesis.patch.get("balances", {}).get("balances", [])
    return len(balances) if isinstance(balances, list) else 0


def ensure_genesis(spec: ChainSpec, assembly: Assembly, database: Path) -> bytes:
    """Make sure the database at `database` holds `spec`'s block 0; returns the genesis hash."""
    if genesis_size(spec) <= LARGE_GENESIS_ENTRIES:
        return _write_genesis(spec, assembly, database)
    text = spec.to_json(raw=spec.is_raw, assembly=assembly)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        genesis_hash: bytes = pool.apply(_child, (text, str(database)))
    return genesis_hash


def _write_genesis(spec: ChainSpec, assembly: Assembly, database: Path) -> bytes:
    db = ChainDB.open(database)
    try:
        return Client(db, assembly).ensure_genesis(runnable_genesis_storage(spec, assembly))
    finally:
        db.close()


def _child(spec_json: str, database: str) -> bytes:
    """Runs in the child process: parse the spec, build and write genesis, exit."""
    from chain_spec import from_json

    return _write_genesis(from_json(spec_json), build_assembly(), Path(database))
