"""polkadot.js (@polkadot/api 16.5.6) flows against the reference chain.

Pins down what polkadot.js observes from a real FRAME runtime; ``test_node_js.py`` holds phala-node to
the same checks through ``js_assertions``.
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


@pytest.fixture(scope="module")
def ref_js_obs(reference_chain: ChainProcess, js_client: float) -> dict[str, Any]:
    """One run of flow_transfer.mjs against the reference chain."""
    return run_js("flow_transfer.mjs", reference_chain.url)


def test_metadata_decorated(ref_js_obs: dict[str, Any]) -> None:
    """ApiPromise.create decorates system/balances and the TransactionPaymentApi runtime call."""
    check_js_metadata(ref_js_obs)


def test_query_info(ref_js_obs: dict[str, Any]) -> None:
    """api.call.transactionPaymentApi.queryInfo of a signed mortal transfer."""
    check_js_query_info(ref_js_obs)


def test_sign_and_send(ref_js_obs: dict[str, Any]) -> None:
    """signAndSend statuses, events with data, fee and weight."""
    check_js_transfer(ref_js_obs)


def test_new_heads_and_balance(ref_js_obs: dict[str, Any]) -> None:
    """subscribeNewHeads delivers linked headers; Alice's balance moved by exactly what was sent."""
    check_js_heads_and_balance(ref_js_obs)


def test_decorate_all_pallets(reference_chain: ChainProcess, js_client: float) -> None:
    """decorate_check.mjs: every pallet's calls/storage/events/errors/consts reach polkadot.js."""
    obs = run_js("decorate_check.mjs", reference_chain.url, *REFERENCE_PALLETS)
    check_decorations(obs, REFERENCE_PALLETS)
    balances = obs["pallets"]["Balances"]
    check("Balances decorated counts", {k: balances[k]["count"] for k in ("calls", "storage", "events", "errors", "consts")},
          {"calls": 9, "storage": 7, "events": 22, "errors": 12, "consts": 4})
    check("transferKeepAlive decorated", "transferKeepAlive" in balances["calls"]["names"], True)
