"""polkadot.js (@polkadot/api 16.5.6) flows against both chains: the reference chain and phala-node.

One set of checks (``js_assertions``) pins down what polkadot.js observes from a real FRAME runtime;
every test runs on each target.
"""

from __future__ import annotations

from typing import Any

import pytest
from chains import ChainProcess
from expected import check
from js_assertions import (
    check_decorations,
    check_js_heads_and_balance,
    check_js_metadata,
    check_js_query_info,
    check_js_transfer,
)
from runners import run_js

pytestmark = pytest.mark.integration
REFERENCE_PALLETS = ["System", "Timestamp", "Aura", "Grandpa", "Balances", "TransactionPayment", "Sudo", "RiskRatings"]


@pytest.fixture(scope="module", params=["reference", "node"])
def target(request: pytest.FixtureRequest) -> ChainProcess:
    """Each chain in turn (module scope, so one flow run serves every test of that chain)."""
    chain: ChainProcess = request.getfixturevalue("reference_chain" if request.param == "reference" else "our_node")
    return chain


@pytest.fixture(scope="module")
def js_obs(target: ChainProcess, js_client: float) -> dict[str, Any]:
    """One run of flow_transfer.mjs against the target."""
    return run_js("flow_transfer.mjs", target.url)


def test_metadata_decorated(js_obs: dict[str, Any]) -> None:
    """ApiPromise.create decorates system/balances and the TransactionPaymentApi runtime call."""
    check_js_metadata(js_obs)


def test_query_info(js_obs: dict[str, Any]) -> None:
    """api.call.transactionPaymentApi.queryInfo of a signed mortal transfer."""
    check_js_query_info(js_obs)


def test_sign_and_send(js_obs: dict[str, Any]) -> None:
    """signAndSend statuses (Ready, InBlock, Finalized), events with data, fee and weight."""
    check_js_transfer(js_obs)


def test_new_heads_and_balance(js_obs: dict[str, Any]) -> None:
    """subscribeNewHeads delivers linked headers; Alice's balance moved by exactly what was sent."""
    check_js_heads_and_balance(js_obs)


def test_decorate_all_pallets(target: ChainProcess, js_client: float) -> None:
    """decorate_check.mjs: every pallet's calls/storage/events/errors/consts reach polkadot.js."""
    names = REFERENCE_PALLETS if target.name == "reference-chain" else []
    obs = run_js("decorate_check.mjs", target.url, *names)
    check_decorations(obs, names or obs["palletNames"])
    balances = obs["pallets"]["Balances"]
    check("Balances decorated counts", {k: balances[k]["count"] for k in ("calls", "storage", "events", "errors", "consts")},
          {"calls": 9, "storage": 7, "events": 22, "errors": 12, "consts": 4})
    check("transferKeepAlive decorated", "transferKeepAlive" in balances["calls"]["names"], True)
