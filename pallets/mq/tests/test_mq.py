"""PhalaMq: types, sync_offchain_message (every check, every origin kind), push calls, router, hooks."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.mq import messaging as msg
from pallets.mq.signing import encode_signed_message, sign_message
from pallets.mq.types import (
    Message,
    MessageOrigin,
    SignedMessage,
    command_topic,
    data_to_sign,
    is_offchain,
    make_message,
    topic_is_offchain,
    topic_is_valid,
)
from runtime.primitives.crypto import Keypair
from runtime.support import ROOT, BadOrigin, Pays, Signed
from runtime.support.origin import NONE

from .mock import (
    ALICE,
    TOPIC_FAIL,
    TOPIC_OFFCHAIN,
    TOPIC_ONCHAIN,
    commit,
    new_ext,
    signed_msg,
    state,
    worker_key,
)

W0 = worker_key(0)
W0_ORIGIN = ("Worker", W0.public)


# -- types -----------------------------------------------------------------------------------------


def test_message_origin_indices_match_phala() -> None:
    assert MessageOrigin.encode(("Pallet", b"ab")) == b"\x00\x08ab"
    assert MessageOrigin.encode(("Contract", bytes(32))) == b"\x01" + bytes(32)
    assert MessageOrigin.encode(("Worker", b"\x07" * 32)) == b"\x02" + b"\x07" * 32
    assert MessageOrigin.encode(("AccountId", bytes(32))) == b"\x03" + bytes(32)
    assert MessageOrigin.encode(("MultiLocation", b"")) == b"\x04\x00"
    assert MessageOrigin.encode("Gatekeeper") == b"\x05"
    assert MessageOrigin.encode(("Cluster", bytes(32))) == b"\x06" + bytes(32)
    assert MessageOrigin.encode("Reserved") == b"\xff"


def test_message_and_signed_bytes() -> None:
    m = make_message("Gatekeeper", b"topic", b"payload")
    assert Message.encode(m) == bytes.fromhex("05") + b"\x14topic" + b"\x1cpayload"
    assert data_to_sign(m, 7) == Message.encode(m) + (7).to_bytes(8, "little")
    signed = sign_message(W0, m, 7)
    assert SignedMessage.decode(encode_signed_message(signed)) == {**signed, "message": m}
    assert W0.verify(data_to_sign(m, 7), signed["signature"])


def test_topic_and_origin_predicates() -> None:
    assert topic_is_valid(b"topic")
    assert topic_is_offchain(b"topic")
    assert topic_is_valid(b"^topic")
    assert not topic_is_offchain(b"^topic")
    assert not topic_is_valid(b"")
    assert not topic_is_offchain(b"")
    assert all(not topic_is_valid(bytes([c]) + b"x") for c in b"~!@#$%&*_+-=|<>?,./;:'")
    assert [is_offchain(o) for o in (("Cluster", bytes(32)), ("Contract", bytes(32)), W0_ORIGIN, "Gatekeeper")] == [True] * 4
    assert not any(is_offchain(o) for o in (("Pallet", b"x"), ("AccountId", bytes(32)), ("MultiLocation", b""),
                                           ("Reserved", None)))
    assert command_topic(b"\xab" * 32) == b"phala/contract/" + b"ab" * 32 + b"/command"


def test_sign_message_refuses_non_sr25519() -> None:
    with pytest.raises(ValueError, match="sr25519"):
        sign_message(Keypair.from_seed(bytes(32), "ed25519"), make_message("Gatekeeper", b"t", b""), 0)


# -- sync_offchain_message ---------------------------------------------------------------------------


def _sync(ext: Any, signed: dict[str, Any]) -> Any:
    return ext.call(Signed(ALICE), "PhalaMq", "sync_offchain_message", signed_message=signed)


def test_sync_worker_message_applies_and_routes() -> None:
    ext = new_ext()
    result = _sync(ext, signed_msg(W0, W0_ORIGIN, 0))
    assert result.pays_fee == Pays.Yes
    assert ext.rt.PhalaMq.offchain_ingress(W0_ORIGIN) == 1
    seen = ext.rt.MqTestHandler.Seen.get()
    assert [m["sender"] for m in seen] == [W0_ORIGIN]
    assert [m["destination"] for m in ext.rt.PhalaMq.messages()] == [TOPIC_OFFCHAIN]
    _sync(ext, signed_msg(W0, W0_ORIGIN, 1))
    assert ext.rt.PhalaMq.offchain_ingress(W0_ORIGIN) == 2


@pytest.mark.parametrize("sender", [("Pallet", b"PhalaRegistry"), ("AccountId", ALICE), ("MultiLocation", b"x"),
                                    ("Reserved", None)])
def test_bad_sender(sender: Any) -> None:
    ext = new_ext()
    before = state(ext)
    with pytest.raises(ext.rt.PhalaMq.Error.BadSender):
        _sync(ext, signed_msg(W0, sender, 0))
    assert state(ext) == before


@pytest.mark.parametrize("topic", [b"", b"#x", b"/phala"])
def test_bad_destination(topic: bytes) -> None:
    ext = new_ext()
    before = state(ext)
    with pytest.raises(ext.rt.PhalaMq.Error.BadDestination):
        _sync(ext, signed_msg(W0, W0_ORIGIN, 0, topic=topic))
    assert state(ext) == before


def test_bad_sequence_future_and_replay() -> None:
    ext = new_ext()
    with pytest.raises(ext.rt.PhalaMq.Error.BadSequence):
        _sync(ext, signed_msg(W0, W0_ORIGIN, 1))
    first = signed_msg(W0, W0_ORIGIN, 0)
    _sync(ext, first)
    before = state(ext)
    with pytest.raises(ext.rt.PhalaMq.Error.BadSequence):
        _sync(ext, first)  # replay of an applied message
    assert state(ext) == before


def test_signature_checks_for_worker() -> None:
    ext = new_ext()
    before = state(ext)
    other = worker_key(1)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignature):
        _sync(ext, signed_msg(other, W0_ORIGIN, 0))  # signed by the wrong key
    tampered = signed_msg(W0, W0_ORIGIN, 0)
    tampered["message"]["payload"] = b"changed"
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignature):
        _sync(ext, tampered)
    short = {**signed_msg(W0, W0_ORIGIN, 0), "signature": b"\x00" * 63}
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignatureLength):
        _sync(ext, short)
    assert state(ext) == before


def test_contract_origin_uses_contract_keys() -> None:
    ext = new_ext()
    key = worker_key(5)
    origin = ("Contract", b"\x11" * 32)
    with pytest.raises(ext.rt.PhalaRegistry.Error.UnknownContract):
        _sync(ext, signed_msg(key, origin, 0))
    ext.rt.PhalaRegistry.set_contract_key(b"\x11" * 32, key.public)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignature):
        _sync(ext, signed_msg(W0, origin, 0))
    _sync(ext, signed_msg(key, origin, 0))
    assert ext.rt.PhalaMq.offchain_ingress(origin) == 1


def test_cluster_origin_uses_cluster_keys() -> None:
    ext = new_ext()
    key = worker_key(6)
    origin = ("Cluster", b"\x22" * 32)
    with pytest.raises(ext.rt.PhalaRegistry.Error.UnknownCluster):
        _sync(ext, signed_msg(key, origin, 0))
    ext.rt.PhalaRegistry.set_cluster_key(b"\x22" * 32, key.public)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignature):
        _sync(ext, signed_msg(W0, origin, 0))
    _sync(ext, signed_msg(key, origin, 0))
    assert ext.rt.PhalaMq.offchain_ingress(origin) == 1


def test_gatekeeper_origin_uses_master_key_and_pays_no_fee() -> None:
    ext = new_ext()
    master = worker_key(7)
    with pytest.raises(ext.rt.PhalaRegistry.Error.MasterKeyUninitialized):
        _sync(ext, signed_msg(master, "Gatekeeper", 0))
    ext.rt.PhalaRegistry.GatekeeperMasterPubkey.put(master.public)
    with pytest.raises(ext.rt.PhalaRegistry.Error.InvalidSignature):
        _sync(ext, signed_msg(W0, "Gatekeeper", 0))
    assert _sync(ext, signed_msg(master, "Gatekeeper", 0)).pays_fee == Pays.No
    assert ext.rt.PhalaMq.offchain_ingress("Gatekeeper") == 1


def test_sequences_are_per_origin() -> None:
    ext = new_ext()
    w1 = worker_key(1)
    _sync(ext, signed_msg(W0, W0_ORIGIN, 0))
    _sync(ext, signed_msg(w1, ("Worker", w1.public), 0))
    assert ext.rt.PhalaMq.offchain_ingress(W0_ORIGIN) == 1
    assert ext.rt.PhalaMq.offchain_ingress(("Worker", w1.public)) == 1


def test_sync_requires_signed_origin() -> None:
    ext = new_ext()
    for origin in (ROOT, NONE):
        with pytest.raises(BadOrigin):
            ext.call(origin, "PhalaMq", "sync_offchain_message", signed_message=signed_msg(W0, W0_ORIGIN, 0))


# -- push_message / force_push_pallet_message --------------------------------------------------------


def test_push_message_sends_as_account() -> None:
    ext = new_ext()
    ext.call(Signed(ALICE), "PhalaMq", "push_message", destination=TOPIC_OFFCHAIN, payload=b"cmd")
    assert ext.rt.PhalaMq.messages() == (make_message(("AccountId", ALICE), TOPIC_OFFCHAIN, b"cmd"),)
    with pytest.raises(BadOrigin):
        ext.call(ROOT, "PhalaMq", "push_message", destination=TOPIC_OFFCHAIN, payload=b"cmd")


def test_force_push_pallet_message_is_root_only() -> None:
    ext = new_ext()
    before = state(ext)
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "PhalaMq", "force_push_pallet_message", destination=TOPIC_OFFCHAIN, payload=b"x")
    assert state(ext) == before
    ext.call(ROOT, "PhalaMq", "force_push_pallet_message", destination=TOPIC_ONCHAIN, payload=b"x")
    assert ext.rt.MqTestHandler.Seen.get()[0]["sender"] == ("Pallet", b"ForcePushed")
    assert ext.rt.PhalaMq.messages() == ()  # ^ topics never reach OutboundMessages


# -- router ------------------------------------------------------------------------------------------


def test_router_exact_topics_and_outbound() -> None:
    ext = new_ext()
    mq = ext.rt.PhalaMq
    mq.push_bound_message(("Pallet", b"X"), TOPIC_ONCHAIN, b"1")
    mq.push_bound_message(("Pallet", b"X"), TOPIC_OFFCHAIN, b"2")
    mq.push_bound_message(("Pallet", b"X"), b"test/offchain/sub", b"3")  # prefix only: no handler
    mq.push_bound_message(("Pallet", b"X"), b"^unknown", b"4")  # unknown on-chain topic: dropped
    assert [m["payload"] for m in ext.rt.MqTestHandler.Seen.get()] == [b"1", b"2"]
    assert [m["payload"] for m in mq.messages()] == [b"2", b"3"]


def test_failing_handler_is_swallowed_and_rolled_back() -> None:
    ext = new_ext()
    ext.rt.PhalaMq.push_pallet_message("X", TOPIC_FAIL, b"boom")
    assert ext.rt.MqTestHandler.Seen.get() == ()
    assert [m["payload"] for m in ext.rt.PhalaMq.messages()] == [b"boom"]  # off-chain topic still published


def test_bad_payload_in_registry_handler_is_swallowed() -> None:
    ext = new_ext()
    _sync(ext, signed_msg(W0, W0_ORIGIN, 0, topic=msg.TOPIC_REGISTRY_EVENT, payload=b"\x09garbage"))
    assert ext.rt.PhalaMq.offchain_ingress(W0_ORIGIN) == 1  # the message is consumed, the handler failed
    assert ext.events() == []


def test_on_initialize_clears_and_dispatches_queued() -> None:
    ext = new_ext()
    mq = ext.rt.PhalaMq
    mq.push_pallet_message("X", TOPIC_OFFCHAIN, b"old")
    mq.queue_bound_message(("Pallet", b"X"), TOPIC_OFFCHAIN, b"queued")
    commit(ext)
    ext.rt.PhalaMq.on_initialize(2)
    assert [m["payload"] for m in ext.rt.PhalaMq.messages()] == [b"queued"]
    assert ext.rt.PhalaMq.QueuedOutboundMessage.get() is None
    ext.rt.PhalaMq.on_initialize(3)
    assert ext.rt.PhalaMq.messages() == ()
