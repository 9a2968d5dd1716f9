"""Python clients against phala-node (``python -m node --dev --tmp``): the reference chain's checks.

Skipped only while ``node/__main__.py`` does not exist; once it does, a node that does not start or a
figure that differs from the reference chain fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flows_py
import pytest
from chains import ChainProcess
from expected import check_payment_info
from py_assertions import (
    check_async_flow,
    check_finalization,
    check_inclusion,
    check_inclusion_block,
    check_metadata_and_accounts,
)
from runners import run_python_flow

pytestmark = pytest.mark.integration
FLOWS_DIR = Path(flows_py.__file__).resolve().parent


@pytest.fixture(scope="module")
def node_py_obs(our_node: ChainProcess) -> dict[str, Any]:
    """One run of the py-substrate-interface flow (project venv) against phala-node."""
    return flows_py.run_transfer_flow(our_node.url)


def test_metadata_and_accounts(node_py_obs: dict[str, Any]) -> None:
    """Metadata exposes the template pallets; query and query_map agree on //Alice."""
    check_metadata_and_accounts(node_py_obs)


def test_payment_info(node_py_obs: dict[str, Any]) -> None:
    """get_payment_info of the immortal transfer equals the reference chain's."""
    check_payment_info(node_py_obs["payment_info"], label="node get_payment_info")


def test_transfer_wait_for_inclusion(node_py_obs: dict[str, Any]) -> None:
    """Events, fee and weight of the transfer submitted with wait_for_inclusion."""
    check_inclusion(node_py_obs)


def test_inclusion_block(node_py_obs: dict[str, Any]) -> None:
    """get_block and get_events of the inclusion block."""
    check_inclusion_block(node_py_obs)


def test_transfer_wait_for_finalization(node_py_obs: dict[str, Any]) -> None:
    """wait_for_finalization returns (instant finality) with the same events and fee."""
    check_finalization(node_py_obs)


def test_async_substrate_interface(our_node: ChainProcess, async_client_python: Path) -> None:
    """async-substrate-interface 2.2.1 against phala-node."""
    obs = run_python_flow(async_client_python, FLOWS_DIR / "flows_async.py", our_node.url)
    check_async_flow(obs, allow_shims=False)
