"""Fixtures of the live Phala tests: one real node per module (instant or manual sealing), the JS toolchain.

The node helpers live beside the other live tests (`tests/integration/node/live_node.py`) and the
polkadot.js runner in `tests/integration/clients/runners.py`; both directories are put on `sys.path`
here, as their own conftests do for their modules. Every test of this directory is marked `integration`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _extra in (HERE, HERE.parent / "node", HERE.parent / "clients"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

from live_node import LiveNode, NodeError, spawn  # noqa: E402
from runners import ClientUnavailable, npm_install  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory `integration`."""
    for item in items:
        if Path(str(item.fspath)).parent == HERE:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def phala_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this session's node processes write their logs."""
    return tmp_path_factory.mktemp("phala-live-logs")


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
def phala_instant_node(phala_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp` node with instant sealing (one block per transaction), shared by a module."""
    yield from _start(phala_log_dir, [])


@pytest.fixture(scope="module")
def phala_manual_node(phala_log_dir: Path) -> Iterator[LiveNode]:
    """A `--dev --tmp --sealing manual` node (blocks only from engine_createBlock), shared by a module."""
    yield from _start(phala_log_dir, ["--sealing", "manual"])


@pytest.fixture(scope="session")
def phala_js() -> float:
    """`npm ci` of tests/interop/js once per session (skipped without node/npm); seconds it took."""
    try:
        seconds: float = npm_install()
        return seconds
    except ClientUnavailable as exc:
        pytest.skip(str(exc))
