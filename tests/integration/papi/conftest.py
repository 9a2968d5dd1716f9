"""Fixtures of the new-JSON-RPC-spec tests: one live node per module and the pinned polkadot-api install.

The raw protocol tests drive a `--sealing manual` node block by block (`engine_createBlock`,
`engine_finalizeBlock`); the polkadot-api flow runs against an instant-sealing node. The node process
helpers are the live-node tests' own (`tests/integration/node/live_node.py`, `live_tx.py`). Every test
of this directory is marked `integration`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "node"))

from live_node import LiveNode, NodeError, spawn  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory `integration`."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def papi_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the node processes of these tests write their logs."""
    return tmp_path_factory.mktemp("papi-node-logs")


def _start(log_dir: Path, extra: list[str]) -> Iterator[LiveNode]:
    try:
        node = spawn(log_dir, extra)
    except NodeError as exc:
        pytest.fail(f"node did not start: {exc}", pytrace=False)
    try:
        yield node
    finally:
        node.terminate()


@pytest.fixture(scope="module")
def manual_node(papi_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp --sealing manual` node shared by a module (blocks only via engine_createBlock)."""
    yield from _start(papi_log_dir, ["--sealing", "manual"])


@pytest.fixture(scope="module")
def instant_node(papi_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp` node with instant sealing shared by a module."""
    yield from _start(papi_log_dir, [])
