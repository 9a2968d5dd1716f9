"""`PhalaMq.sync_offchain_message` at the edges, on the real node (one manual-seal node for the module).

Proves: a stale sequence is refused by the pool with 1010 "Transaction is outdated" before any block;
a future sequence waits in the pool ("future"), is not counted by `pha_getMqNextSequence`, turns ready
when the gap is filled and both land in one block in sequence order (CheckMqSequence tags), even from two
different relayers; a bad signature, a wrong-length signature and origins the chain cannot verify fail
in the block with the named module error (`PhalaRegistry.InvalidSignature`, `InvalidSignatureLength`,
`UnknownContract`, `UnknownCluster`, `MasterKeyUninitialized`, `PhalaMq.BadSender`) and change nothing but
the relayer's fee; a wrong sequence nested in `Utility.batch` (which CheckMqSequence does not inspect)
is stopped at dispatch by `PhalaMq.BadSequence`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from live_node import LiveNode, Rpc
from phala_live import Live, hx, origin_arg, signed_message_arg
from substrateinterface import Keypair

from pallets.mq.signing import build_signed_message
from pallets.mq.types import GATEKEEPER, worker_origin
from runtime.primitives.crypto import Keypair as SrKeypair

WORKER = SrKeypair.from_uri("//PhalaRejectWorker")
OTHER = SrKeypair.from_uri("//NotTheWorker")
TOPIC = b"phala/test/noop"  # off-chain topic no pallet handles: the message is only published
SENDER = worker_origin(WORKER.public)


@pytest.fixture(scope="module")
def live(phala_manual_node: LiveNode) -> Iterator[Live]:
    """A driver on this module's node, with the test worker registered by sudo."""
    driver = Live(phala_manual_node.url)
    driver.sudo("PhalaRegistry", "force_register_worker", pubkey=hx(WORKER.public), ecdh_pubkey=hx(WORKER.public),
                operator=None)
    try:
        yield driver
    finally:
        driver.close()


def _sync(live: Live, signed: dict[str, Any]) -> Any:
    return live.call("PhalaMq", "sync_offchain_message", signed_message=signed_message_arg(signed))


def _extrinsic_hex(live: Live, call: Any, signer: Keypair) -> str:
    return str(live.si.create_signed_extrinsic(call=call, keypair=signer).data.to_hex())


def _ingress(live: Live, origin: Any) -> int | None:
    value: int | None = live.query("PhalaMq", "OffchainIngress", [origin_arg(origin)])
    return value


def test_stale_sequence_is_refused_by_the_pool(live: Live, phala_manual_node: LiveNode) -> None:
    relayer = Keypair.create_from_uri("//Charlie")
    first = build_signed_message(WORKER, SENDER, TOPIC, b"first", live.next_sequence(SENDER))
    assert first["sequence"] == 0
    assert live.must(_sync(live, first), relayer).ok
    assert _ingress(live, SENDER) == 1
    stale = build_signed_message(WORKER, SENDER, TOPIC, b"replayed with another payload", 0)
    rpc = Rpc(phala_manual_node.url)
    try:
        best = live.si.get_chain_head()
        error = rpc.error("author_submitExtrinsic", [_extrinsic_hex(live, _sync(live, stale), relayer)])
        assert error["code"] == 1010
        assert error["data"] == "Transaction is outdated"
        assert rpc.call("author_pendingExtrinsics") == []
        assert live.si.get_chain_head() == best  # refused before any block
    finally:
        rpc.close()


def test_future_sequence_waits_then_both_land_in_order(live: Live, phala_manual_node: LiveNode) -> None:
    seq = live.next_sequence(SENDER)
    ahead = build_signed_message(WORKER, SENDER, TOPIC, b"second", seq + 1)
    now = build_signed_message(WORKER, SENDER, TOPIC, b"first", seq)
    rpc = Rpc(phala_manual_node.url)
    try:
        eve, ferdie = Keypair.create_from_uri("//Eve"), Keypair.create_from_uri("//Ferdie")
        sub = rpc.call("author_submitAndWatchExtrinsic", [_extrinsic_hex(live, _sync(live, ahead), eve)])
        assert rpc.next_notification("author_extrinsicUpdate", sub) == "future"
        assert live.next_sequence(SENDER) == seq  # a future message is not counted
        live.submit(_sync(live, now), ferdie)
        assert rpc.next_notification("author_extrinsicUpdate", sub) == "ready"
        assert live.next_sequence(SENDER) == seq + 2
        block = live.seal()
        assert rpc.next_notification("author_extrinsicUpdate", sub) == {"inBlock": block}
    finally:
        rpc.close()
    assert _ingress(live, SENDER) == seq + 2
    published = [m["payload"] for m in live.outbound(block) if m["destination"] == TOPIC]
    assert published == [b"first", b"second"]


def test_same_sequence_from_two_relayers_is_1014(live: Live, phala_manual_node: LiveNode) -> None:
    seq = live.next_sequence(SENDER)
    one = build_signed_message(WORKER, SENDER, TOPIC, b"relayer one", seq)
    two = build_signed_message(WORKER, SENDER, TOPIC, b"relayer two", seq)
    rpc = Rpc(phala_manual_node.url)
    try:
        rpc.call("author_submitExtrinsic", [_extrinsic_hex(live, _sync(live, one), Keypair.create_from_uri("//Eve"))])
        error = rpc.error("author_submitExtrinsic",
                          [_extrinsic_hex(live, _sync(live, two), Keypair.create_from_uri("//Ferdie"))])
        assert error["code"] == 1014  # both provide the tag (sender, seq): no replacement at equal priority
        assert error["message"].startswith("Priority is too low")
    finally:
        rpc.close()
    block = live.seal()
    assert [m["payload"] for m in live.outbound(block) if m["destination"] == TOPIC] == [b"relayer one"]
    assert _ingress(live, SENDER) == seq + 1


@pytest.mark.parametrize(("sender", "signer", "signature", "error"), [
    (SENDER, OTHER, None, "PhalaRegistry.InvalidSignature"),
    (SENDER, WORKER, b"\x01" * 10, "PhalaRegistry.InvalidSignatureLength"),
    (("Contract", b"\x42" * 32), WORKER, None, "PhalaRegistry.UnknownContract"),
    (("Cluster", b"\x43" * 32), WORKER, None, "PhalaRegistry.UnknownCluster"),
    (GATEKEEPER, WORKER, None, "PhalaRegistry.MasterKeyUninitialized"),
    (("AccountId", b"\x44" * 32), WORKER, None, "PhalaMq.BadSender"),
], ids=["bad-signature", "short-signature", "unknown-contract", "unknown-cluster", "no-master-key",
        "account-origin"])
def test_unverifiable_message_fails_with_the_named_error(live: Live, sender: Any, signer: SrKeypair,
                                                         signature: bytes | None, error: str) -> None:
    relayer = Keypair.create_from_uri("//Dave")
    seq = live.next_sequence(sender)
    signed = build_signed_message(signer, sender, TOPIC, b"payload", seq)
    if signature is not None:
        signed["signature"] = signature
    before = live.free(relayer.ss58_address)
    receipt = live.run(_sync(live, signed), relayer)
    assert receipt.error == error
    fee = receipt.one("TransactionPayment", "TransactionFeePaid")["actual_fee"]
    assert fee > 0
    assert live.free(relayer.ss58_address, receipt.block) == before - fee  # nothing but the fee
    assert live.next_sequence(sender) == seq  # the sequence was not consumed
    assert [m for m in live.outbound(receipt.block) if m["destination"] == TOPIC] == []


def test_wrong_sequence_nested_in_a_batch_fails_at_dispatch(live: Live) -> None:
    relayer = Keypair.create_from_uri("//Dave")
    seq = live.next_sequence(SENDER)
    wrong = build_signed_message(WORKER, SENDER, TOPIC, b"nested", seq + 5)
    batch = live.call("Utility", "batch", calls=[_sync(live, wrong)])
    receipt = live.must(batch, relayer)  # batch itself succeeds; the inner call is interrupted
    interrupted = receipt.one("Utility", "BatchInterrupted")
    assert interrupted["index"] == 0
    assert live.error_name(interrupted["error"]) == "PhalaMq.BadSequence"
    assert live.next_sequence(SENDER) == seq

