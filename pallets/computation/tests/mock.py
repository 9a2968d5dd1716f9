"""Mock runtime for PhalaComputation / PhalaStakePoolv2 tests: System, Timestamp, Balances, the real
PhalaMq (8) and PhalaRegistry (9), PhalaComputation (10) and PhalaStakePoolv2 (11).

`new_ext` builds genesis (endowed accounts, a funded subsidy pool, computation defaults with a
1-hour cool down, a launched gatekeeper at block 0, heartbeats unpaused), commits it and sets block
time. `deliver` routes a message like PhalaMq's router (exact topic → `on_message`, errors swallowed,
the handler's writes rolled back on error).
"""

from __future__ import annotations

from typing import Any

from pallets.balances import Balances
from pallets.computation import SUBSIDY_ACCOUNT, PhalaComputation
from pallets.mq import PhalaMq
from pallets.mq.types import MessageOrigin
from pallets.registry import PhalaRegistry
from pallets.stake_pool import PhalaStakePoolv2
from pallets.system import System
from pallets.timestamp import Timestamp
from runtime.support import Runtime
from runtime.support.errors import DispatchError
from runtime.support.origin import Signed
from runtime.support.runtime import OuterCall, OuterEvent
from runtime.support.testing import TestExt

PHA = 10**12
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")
ENDOWMENT = 1_000_000 * PHA
SUBSIDY = 10_000_000 * PHA
COOL_DOWN = 3600
START_MS = 1_000_000_000
RUNTIME = Runtime("test_runtime", [(0, System), (2, Timestamp), (4, Balances), (8, PhalaMq), (9, PhalaRegistry),
                                   (10, PhalaComputation), (11, PhalaStakePoolv2)])


def worker_pubkey(n: int) -> bytes:
    """A deterministic fake worker key."""
    return bytes([n]) * 32


def new_ext(balances: dict[bytes, int] | None = None) -> TestExt:
    """Committed genesis at block 1, time START_MS."""
    OuterCall.bound = RUNTIME.call_type
    OuterEvent.bound = RUNTIME.event_type
    ext = TestExt(RUNTIME)
    endow = balances if balances is not None else {ALICE: ENDOWMENT, BOB: ENDOWMENT, CHARLIE: ENDOWMENT}
    endow = {**endow, SUBSIDY_ACCOUNT: SUBSIDY}
    ext.rt.Balances.genesis_build({"balances": [[who, amount] for who, amount in endow.items()]})
    ext.rt.PhalaComputation.genesis_build({"coolDownPeriodSec": COOL_DOWN})
    ext.rt.PhalaStakePoolv2.genesis_build({})
    ext.rt.PhalaComputation.HeartbeatPaused.put(False)
    ext.rt.PhalaRegistry.GatekeeperLaunchedAt.put((0, 0))
    ext.commit()
    ext.rt.set_phase_apply(0)
    set_time(ext, START_MS)
    ext.clear_events()
    return ext


def set_time(ext: TestExt, ms: int) -> None:
    """Timestamp.Now = ms."""
    ext.rt.Timestamp.Now.put(ms)


def elapse(ext: TestExt, secs: int) -> None:
    """Advance block time by `secs` seconds."""
    set_time(ext, ext.rt.Timestamp.now() + secs * 1000)


def register_worker(ext: TestExt, n: int, operator: bytes | None = ALICE, score: int | None = 2500,
                    level: int = 1, added_at: int = 1) -> bytes:
    """Write a WorkerInfoV2 for worker n straight into the registry storage."""
    pubkey = worker_pubkey(n)
    ext.rt.PhalaRegistry.Workers.insert(pubkey, {
        "pubkey": pubkey, "ecdh_pubkey": pubkey, "runtime_version": 0, "last_updated": 0, "operator": operator,
        "attestation_provider": None, "confidence_level": level, "initial_score": score, "features": ()})
    ext.rt.PhalaRegistry.WorkerAddedAt.insert(pubkey, added_at)
    return pubkey


def deliver(ext: TestExt, sender: Any, topic: bytes, payload: bytes) -> DispatchError | None:
    """Route one message as PhalaMq would; returns the swallowed handler error, if any."""
    MessageOrigin.encode(sender)  # the sender must be a valid MessageOrigin value
    for _, pallet in RUNTIME.pallets:
        if topic in getattr(pallet, "MESSAGE_TOPICS", ()):
            ext.overlay.begin()
            try:
                ext.rt.pallet(pallet).on_message({"sender": sender, "destination": topic, "payload": payload})
            except DispatchError as exc:
                ext.overlay.rollback()
                return exc
            ext.overlay.commit()
    return None


def outbound(ext: TestExt) -> list[dict[str, Any]]:
    """PhalaMq.OutboundMessages so far."""
    return list(ext.rt.PhalaMq.OutboundMessages.get())


def signed(who: bytes) -> Signed:
    """A signed origin."""
    return Signed(who)


def names(ext: TestExt) -> list[str]:
    """'Pallet.Event' names so far."""
    return ext.event_names()


def state(ext: TestExt) -> dict[bytes, bytes]:
    """Every key/value visible through the overlay (for storage-unchanged checks)."""
    return dict(ext.overlay.iter_prefix(b""))
