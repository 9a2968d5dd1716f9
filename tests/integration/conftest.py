"""Fixtures shared by every integration test directory: the live-node helpers and one node per module.

Every test under tests/integration starts real processes (the node, the reference chain, client
toolchains), so each is marked `integration`. `instant_node` / `manual_node` are `python -m node --dev
--tmp` processes (instant sealing, or blocks only through `engine_createBlock`) shared by a test module;
a node that fails to start fails the test with its log tail. The process helpers live in
`tests/integration/node/live_node.py`, put on `sys.path` here for every directory.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE / "node") not in sys.path:
    sys.path.insert(0, str(HERE / "node"))

from live_node import LiveNode, NodeError, spawn  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test below tests/integration `integration`."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
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
