"""Mock runtime for the PhalaMq and PhalaRegistry tests: core pallets, Mq(8), Registry(9) and a test handler.

`MqTestHandler` (index 99) consumes three exact topics so the router can be observed: it appends every
message it sees to `Seen`, and for `test/fail` writes first and then raises (the write must roll back).
"""

from __future__ import annotations

from typing import Any

from pallets.balances import Balances
from pallets.mq import PhalaMq
from pallets.mq.signing import build_signed_message
from pallets.mq.types import Message
from pallets.registry import PhalaRegistry
from pallets.system import System
from pallets.timestamp import Timestamp
from pallets.transaction_payment import TransactionPayment
from runtime.primitives.crypto import Keypair
from runtime.scale import Vec
from runtime.support import Errors as _Errors
from runtime.support import Pallet, Runtime, StorageValue
from runtime.support.testing import TestExt

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
NOW_MS = 1_700_000_000_000

TOPIC_ONCHAIN = b"^test/onchain"
TOPIC_OFFCHAIN = b"test/offchain"
TOPIC_FAIL = b"test/fail"


class MqTestHandler(Pallet, name="MqTestHandler", rust_module="mq_test"):
    """Records routed messages."""

    MESSAGE_TOPICS = (TOPIC_ONCHAIN, TOPIC_OFFCHAIN, TOPIC_FAIL)
    Seen = StorageValue(Vec(Message), default=())

    class Error(_Errors):
        Rejected: Any = "the handler refused the message"

    def on_message(self, message: dict[str, Any]) -> None:
        """Append, then fail on TOPIC_FAIL."""
        self.Seen.put(tuple(self.Seen.get()) + (message,))
        if message["destination"] == TOPIC_FAIL:
            raise self.Error.Rejected("test/fail")


PALLETS = [(0, System), (1, Timestamp), (4, Balances), (5, TransactionPayment), (8, PhalaMq), (9, PhalaRegistry),
           (99, MqTestHandler)]
RUNTIME = Runtime("test_runtime", PALLETS)


def worker_key(i: int) -> Keypair:
    """A deterministic sr25519 worker identity key."""
    return Keypair.from_seed(bytes([i + 1]) * 32)


def new_ext(registry: dict[str, Any] | None = None, now_ms: int = NOW_MS) -> TestExt:
    """A committed genesis (Alice and Bob endowed, registry genesis `registry`) with Timestamp.Now = now_ms."""
    ext = TestExt(RUNTIME)
    ext.rt.Balances.genesis_build({"balances": [[ALICE, 1 << 60], [BOB, 1 << 60]]})
    ext.rt.TransactionPayment.genesis_build({})
    ext.rt.PhalaRegistry.genesis_build({"noneAttestationEnabled": True} if registry is None else registry)
    ext.rt.Timestamp.Now.put(now_ms)
    ext.commit()
    ext.rt.set_phase_apply(0)
    return ext


def commit(ext: TestExt) -> None:
    """Fold changes into the backend."""
    ext.commit()
    ext.rt.set_phase_apply(0)


def state(ext: TestExt) -> dict[bytes, bytes]:
    """Every key/value visible through the overlay."""
    return dict(ext.overlay.iter_prefix(b""))


def signed_msg(key: Keypair, sender: Any, seq: int, topic: bytes = TOPIC_OFFCHAIN,
               payload: bytes = b"hi") -> dict[str, Any]:
    """A SignedMessage value signed by `key`."""
    return build_signed_message(key, sender, topic, payload, seq)
