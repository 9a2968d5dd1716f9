"""Python clients (py-substrate-interface 1.8.1, async-substrate-interface 2.2.1) against the reference chain.

Pins down what the real clients observe from a real FRAME runtime, so the same assertions can be run
against phala-node (``test_node_py.py`` shares them through ``py_assertions``).
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
def ref_py_obs(reference_chain: ChainProcess) -> dict[str, Any]:
    """One run of the py-substrate-interface flow (project venv) against the reference chain."""
    return flows_py.run_transfer_flow(reference_chain.url)


def test_metadata_and_accounts(ref_py_obs: dict[str, Any]) -> None:
    """Metadata V14 with the template pallets; query and query_map see the endowed dev accounts."""
    check_metadata_and_accounts(ref_py_obs)


def test_payment_info(ref_py_obs: dict[str, Any]) -> None:
    """get_payment_info of the immortal 145-byte transfer: 270,233,145 planck, Normal, ref_time 163,159,000."""
    check_payment_info(ref_py_obs["payment_info"], label="py get_payment_info")


def test_transfer_wait_for_inclusion(ref_py_obs: dict[str, Any]) -> None:
    """Events, fee and weight of the transfer submitted with wait_for_inclusion."""
    check_inclusion(ref_py_obs)


def test_inclusion_block(ref_py_obs: dict[str, Any]) -> None:
    """get_block and get_events of the inclusion block: inherent + transfer, events in phase order."""
    check_inclusion_block(ref_py_obs)


def test_transfer_wait_for_finalization(ref_py_obs: dict[str, Any]) -> None:
    """The second transfer (nonce 1) with wait_for_finalization gives the same events and fee."""
    check_finalization(ref_py_obs)


def test_clean_substrate_interface_venv(reference_chain: ChainProcess, clean_substrate_interface_python: Path) -> None:
    """The same flow under a pure substrate-interface 1.8.1 + scalecodec 1.2.12 (no cyscale) venv."""
    obs = run_python_flow(clean_substrate_interface_python, FLOWS_DIR / "flows_py.py", reference_chain.url)
    check_metadata_and_accounts(obs, fresh=False)
    check_inclusion(obs)
    check_finalization(obs)


def test_async_substrate_interface(reference_chain: ChainProcess, async_client_python: Path) -> None:
    """async-substrate-interface 2.2.1 (own venv): query, query_map, payment info, both submit modes."""
    obs = run_python_flow(async_client_python, FLOWS_DIR / "flows_async.py", reference_chain.url)
    check_async_flow(obs, allow_shims=True)
