"""Fixtures of the live-node tests: one node per module (instant or manual sealing) and a log directory.

Every test here starts the real node process (``python -m node --dev``), so the whole directory is
marked `integration`. A node that fails to start fails the test with its log tail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_node import LiveNode, NodeError, spawn


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory `integration`."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def node_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the node processes of this session write their logs."""
    return tmp_path_factory.mktemp("live-node-logs")


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
def instant_node(node_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp` node with instant sealing, shared by a module."""
    yield from _start(node_log_dir, [])


@pytest.fixture(scope="module")
def manual_node(node_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp --sealing manual` node, shared by a module (blocks only via engine_createBlock)."""
    yield from _start(node_log_dir, ["--sealing", "manual"])
