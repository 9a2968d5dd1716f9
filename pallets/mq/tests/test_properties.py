"""§13.3 invariants 1 and 2 as hypothesis properties over random message sequences.

1. An off-chain message is applied iff its signature is valid under the key implied by its origin and
   `seq == OffchainIngress[origin]`; then the ingress increments by exactly 1.
2. `OutboundMessages` holds exactly the messages dispatched in this block to non-`^` topics, in order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pallets.mq.types import make_message
from runtime.support import DispatchError, Signed

from .mock import ALICE, BOB, TOPIC_OFFCHAIN, TOPIC_ONCHAIN, new_ext, signed_msg, worker_key

KEYS = [worker_key(i) for i in range(3)]
MASTER = worker_key(10)
CONTRACT_KEY = worker_key(11)
CONTRACT_ID = b"\x33" * 32
SENDERS: list[tuple[Any, Any]] = [(("Worker", k.public), k) for k in KEYS] + [
    ("Gatekeeper", MASTER), (("Contract", CONTRACT_ID), CONTRACT_KEY)]
TOPICS = [TOPIC_OFFCHAIN, TOPIC_ONCHAIN, b"other/offchain", b"^other/onchain"]

op = st.one_of(
    st.tuples(st.just("sync"), st.integers(0, len(SENDERS) - 1), st.integers(-2, 2), st.booleans(),
              st.integers(0, len(TOPICS) - 1)),
    st.tuples(st.just("push"), st.integers(0, len(TOPICS) - 1)),
    st.tuples(st.just("block")),
)


def _key(origin: Any) -> Any:
    return origin if isinstance(origin, str) else (origin[0], bytes(origin[1]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=30))
def test_ingress_and_outbound_invariants(ops: list[tuple[Any, ...]]) -> None:
    ext = new_ext()
    ext.rt.PhalaRegistry.GatekeeperMasterPubkey.put(MASTER.public)
    ext.rt.PhalaRegistry.set_contract_key(CONTRACT_ID, CONTRACT_KEY.public)
    model: dict[Any, int] = {}
    outbound: list[dict[str, Any]] = []
    for step in ops:
        if step[0] == "block":
            ext.rt.PhalaMq.on_initialize(2)
            outbound = []
        elif step[0] == "push":
            topic = TOPICS[step[1]]
            ext.call(Signed(BOB), "PhalaMq", "push_message", destination=topic, payload=b"p")
            if not topic.startswith(b"^"):
                outbound.append(make_message(("AccountId", BOB), topic, b"p"))
        else:
            _, who, delta, good_sig, topic_idx = step
            origin, key = SENDERS[who]
            expected = model.get(_key(origin), 0)
            seq = max(0, expected + delta)
            signer = key if good_sig else KEYS[(who + 1) % len(KEYS)] if who < len(KEYS) else KEYS[0]
            signed = signed_msg(signer, origin, seq, topic=TOPICS[topic_idx], payload=bytes([who, seq % 256]))
            should_apply = good_sig and seq == expected
            try:
                ext.call(Signed(ALICE), "PhalaMq", "sync_offchain_message", signed_message=signed)
                applied = True
            except DispatchError:
                applied = False
            assert applied == should_apply, (origin, seq, expected, good_sig)
            if applied:
                model[_key(origin)] = expected + 1
                if not TOPICS[topic_idx].startswith(b"^"):
                    outbound.append(signed["message"])
        for origin, _ in SENDERS:
            assert ext.rt.PhalaMq.offchain_ingress(origin) == model.get(_key(origin), 0)
        assert list(ext.rt.PhalaMq.messages()) == outbound
