"""Fixtures of the live Phala tests: one real node per module (instant or manual sealing), the JS toolchain.

The node helpers live beside the other live tests (`tests/integration/node/live_node.py`) and the
polkadot.js runner in `tests/integration/clients/runners.py`; both directories are put on `sys.path`
here, as their own conftests do for their modules. Every test of this directory is marked `integration`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _extra in (HERE, HERE.parent / "node", HERE.parent / "clients"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

from live_node import LiveNode  # noqa: E402
from runners import ClientUnavailable, npm_install  # noqa: E402


@pytest.fixture(scope="module")
def phala_instant_node(instant_node: LiveNode) -> LiveNode:
    """The shared instant-sealing node (tests/integration/conftest.py), under this directory's name."""
    return instant_node


@pytest.fixture(scope="module")
def phala_manual_node(manual_node: LiveNode) -> LiveNode:
    """The shared manual-sealing node (tests/integration/conftest.py), under this directory's name."""
    return manual_node


@pytest.fixture(scope="session")
def phala_js() -> float:
    """`npm ci` of tests/interop/js once per session (skipped without node/npm); seconds it took."""
    try:
        seconds: float = npm_install()
        return seconds
    except ClientUnavailable as exc:
        pytest.skip(str(exc))
