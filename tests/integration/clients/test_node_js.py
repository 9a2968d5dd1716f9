"""polkadot.js flows against phala-node (``python -m node --dev --tmp``): the reference chain's checks.

Skipped only while ``node/__main__.py`` does not exist; once it does, any difference fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from chains import ChainProcess
from js_assertions import (
    check_decorations,
    check_js_heads_and_balance,
    check_js_metadata,
    check_js_query_info,
    check_js_transfer,
)
from runners import run_js

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def node_js_obs(our_node: ChainProcess, js_client: float) -> dict[str, Any]:
    """One run of flow_transfer.mjs against phala-node."""
    return run_js("flow_transfer.mjs", our_node.url)


def test_metadata_decorated(node_js_obs: dict[str, Any]) -> None:
    """ApiPromise.create decorates system/balances and the TransactionPaymentApi runtime call."""
    check_js_metadata(node_js_obs)


def test_query_info(node_js_obs: dict[str, Any]) -> None:
    """api.call.transactionPaymentApi.queryInfo of a signed mortal transfer."""
    check_js_query_info(node_js_obs)


def test_sign_and_send(node_js_obs: dict[str, Any]) -> None:
    """signAndSend statuses (Ready, InBlock, Finalized), events with data, fee and weight."""
    check_js_transfer(node_js_obs)


def test_new_heads_and_balance(node_js_obs: dict[str, Any]) -> None:
    """subscribeNewHeads delivers linked headers; Alice's balance moved by exactly what was sent."""
    check_js_heads_and_balance(node_js_obs)


def test_decorate_all_pallets(our_node: ChainProcess, js_client: float) -> None:
    """decorate_check.mjs: every pallet in phala-node's metadata is fully decorated by polkadot.js."""
    obs = run_js("decorate_check.mjs", our_node.url)
    check_decorations(obs, obs["palletNames"])
