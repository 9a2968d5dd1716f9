"""The same client flow on the reference chain and on phala-node, compared field by field.

Where the per-target tests check known figures, this compares everything the clients expose that does
not depend on chain history: event names and attribute shapes, fees, weights, payment info, and the
polkadot.js status sequence. Block hashes and roots are excluded (chopsticks mocks them).
"""

from __future__ import annotations

from typing import Any

import flows_py
import pytest
from chains import ChainProcess
from expected import check
from runners import run_js

pytestmark = pytest.mark.integration


def _py_comparable(obs: dict[str, Any]) -> dict[str, Any]:
    inc = obs["inclusion"]
    return {
        "events": inc["events"],
        "event_attributes": inc["event_attributes"],
        "fee": inc["total_fee_amount"],
        "weight": inc["weight"],
        "length": inc["length"],
        "payment_info": obs["payment_info"],
        "block_events": obs["inclusion_block"]["events"],
        "block_extrinsics": obs["inclusion_block"]["extrinsics"],
        "finalization_events": obs["finalization"]["events"],
        "existential_deposit": obs["metadata"]["existential_deposit"],
    }


def _js_comparable(obs: dict[str, Any]) -> dict[str, Any]:
    tx = obs["transfer"]
    return {
        # Broadcast is the reference (chopsticks) gossiping to peers; a dev node with no peers has
        # nobody to broadcast to, so Substrate sends no Broadcast status either.
        "statuses": [s for s in tx["statuses"] if s != "Broadcast"],
        "events": [(e["name"], e["fields"]) for e in tx["events"]],
        "event_data": [e["data"] for e in tx["events"]],
        "fee": tx["fee"],
        "weight": tx["weight"],
        "length": tx["length"],
        "queryInfo": obs["queryInfo"],
        # phala-node adds Phala's CheckMqSequence (no payload bytes) after the template's eight.
        "signedExtensions": [e for e in obs["metadata"]["signedExtensions"] if e != "CheckMqSequence"],
    }


def test_py_flow_side_by_side(reference_chain: ChainProcess, our_node: ChainProcess) -> None:
    """py-substrate-interface sees the same events, attributes, fee and weight on both chains."""
    ref = _py_comparable(flows_py.run_transfer_flow(reference_chain.url))
    ours = _py_comparable(flows_py.run_transfer_flow(our_node.url))
    for key in ref:
        check(f"py {key} (phala-node vs reference)", ours[key], ref[key])


def test_js_flow_side_by_side(reference_chain: ChainProcess, our_node: ChainProcess, js_client: float) -> None:
    """polkadot.js sees the same statuses, events (with data), fee and queryInfo on both chains."""
    ref = _js_comparable(run_js("flow_transfer.mjs", reference_chain.url))
    ours = _js_comparable(run_js("flow_transfer.mjs", our_node.url))
    for key in ref:
        check(f"js {key} (phala-node vs reference)", ours[key], ref[key])
