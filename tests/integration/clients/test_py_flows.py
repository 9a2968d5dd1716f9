"""Python clients against both chains: the reference chain (a real FRAME runtime) and phala-node.

One set of checks (``py_assertions``) pins down what py-substrate-interface 1.8.1 and
async-substrate-interface 2.2.1 observe; every test runs on each target, so a figure phala-node gets
wrong fails next to the same test passing on the reference.
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


@pytest.fixture(scope="module", params=["reference", "node"])
def target(request: pytest.FixtureRequest) -> ChainProcess:
    """Each chain in turn (module scope, so one flow run serves every test of that chain)."""
    chain: ChainProcess = request.getfixturevalue("reference_chain" if request.param == "reference" else "our_node")
    return chain


@pytest.fixture(scope="module")
def py_obs(target: ChainProcess) -> dict[str, Any]:
    """One run of the py-substrate-interface flow (project venv) against the target."""
    return flows_py.run_transfer_flow(target.url)


def test_metadata_and_accounts(py_obs: dict[str, Any]) -> None:
    """Metadata V14 with the template pallets; query and query_map agree on the endowed dev accounts."""
    check_metadata_and_accounts(py_obs)


def test_payment_info(py_obs: dict[str, Any]) -> None:
    """get_payment_info of the immortal 145-byte transfer: 270,233,145 planck, Normal, ref_time 163,159,000."""
    check_payment_info(py_obs["payment_info"], label="py get_payment_info")


def test_transfer_wait_for_inclusion(py_obs: dict[str, Any]) -> None:
    """Signed transfer with wait_for_inclusion: events, fee and weight as the template runtime."""
    check_inclusion(py_obs)


def test_inclusion_block(py_obs: dict[str, Any]) -> None:
    """get_block and get_events of the inclusion block: inherent + transfer, events in phase order."""
    check_inclusion_block(py_obs)


def test_transfer_wait_for_finalization(py_obs: dict[str, Any]) -> None:
    """The second transfer (nonce 1) with wait_for_finalization gives the same events and fee."""
    check_finalization(py_obs)


def test_clean_substrate_interface_venv(target: ChainProcess, clean_substrate_interface_python: Path) -> None:
    """The same flow under a pure substrate-interface 1.8.1 + scalecodec 1.2.12 (no cyscale) venv."""
    obs = run_python_flow(clean_substrate_interface_python, FLOWS_DIR / "flows_py.py", target.url)
    check_metadata_and_accounts(obs, fresh=False)
    check_inclusion(obs)
    check_finalization(obs)


def test_async_substrate_interface(target: ChainProcess, async_client_python: Path) -> None:
    """async-substrate-interface 2.2.1 (own venv): query, query_map, payment info, both submit modes.

    Only chopsticks needs the client-side shims (no `account_nextIndex`, no bare-hex `state_call`).
    """
    obs = run_python_flow(async_client_python, FLOWS_DIR / "flows_async.py", target.url)
    check_async_flow(obs, allow_shims=target.name == "reference-chain")
