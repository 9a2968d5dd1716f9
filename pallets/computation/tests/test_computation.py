"""PhalaComputation: calls, errors (storage unchanged), state machine, heartbeats and GK settlements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pallets.computation import SUBSIDY_ACCOUNT, TREASURY_ACCOUNT, PhalaComputation
from pallets.computation import fixed as fp
from pallets.computation.messages import (
    TOPIC_GATEKEEPER_EVENT,
    TOPIC_SYSTEM_EVENT,
    TOPIC_WORKING_REPORT,
    TOPIC_WORKING_UPDATE,
    GatekeeperEvent,
    SystemEvent,
    WorkingInfoUpdateEvent,
    WorkingReportEvent,
)
from pallets.computation.tokenomic import U256_MAX, pow_target
from runtime.support import ROOT, BadOrigin
from runtime.support.testing import TestExt

from .mock import (
    ALICE,
    BOB,
    COOL_DOWN,
    PHA,
    START_MS,
    deliver,
    elapse,
    names,
    new_ext,
    outbound,
    register_worker,
    signed,
    state,
    worker_pubkey,
)

S1 = b"\x01" * 32
S2 = b"\x02" * 32
E = PhalaComputation.Error


def comp(ext: TestExt) -> Any:
    """The PhalaComputation view."""
    return ext.rt.PhalaComputation


def assert_noop(ext: TestExt, fn: Callable[[], object], error: type[Exception]) -> None:
    """fn raises `error` and leaves storage untouched."""
    before = state(ext)
    with pytest.raises(error):
        fn()
    assert state(ext) == before


def started(ext: TestExt, stake: int = 5000 * PHA, score: int = 2500) -> bytes:
    """Worker 1 registered (operator ALICE), bound to S1 and computing."""
    register_worker(ext, 1, score=score)
    comp(ext).bind(S1, worker_pubkey(1))
    ext.call(ROOT, "PhalaComputation", "force_start_computing", session=S1, stake=stake)
    return worker_pubkey(1)


def system_events(ext: TestExt) -> list[Any]:
    """Decoded SystemEvent payloads pushed so far."""
    return [SystemEvent.decode(m["payload"]) for m in outbound(ext) if m["destination"] == TOPIC_SYSTEM_EVENT]


def test_metadata_indices_match_phala() -> None:
    spec = PhalaComputation.spec
    assert {c.name: c.index for c in spec.calls} == {
        "set_cool_down_expiration": 0, "unbind": 1, "force_heartbeat": 2, "force_start_computing": 3,
        "force_stop_computing": 4, "update_tokenomic": 5, "set_heartbeat_paused": 6}
    errors = {e.__name__: e.index for e in spec.errors}
    assert errors["WorkerNotRegistered"] == 2
    assert errors["WorkerReregisterNeeded"] == 22
    assert [e.name for e in spec.events][:4] == ["CoolDownExpirationChanged", "WorkerStarted", "WorkerStopped",
                                                "WorkerReclaimed"]
    assert spec.call_type is not None
    assert spec.call_type.path == ("phala_pallets", "compute", "computation", "pallet", "Call")


def test_genesis_defaults_and_gatekeeper_notification() -> None:
    ext = new_ext()
    assert comp(ext).CoolDownPeriod.get() == COOL_DOWN
    params = comp(ext).TokenomicParameters.get()
    assert params["heartbeat_window"] == 10
    assert params["k"] == fp.from_int(100)
    [msg] = ext.rt.PhalaMq.QueuedOutboundMessage.get()  # dispatched at the start of block 1
    assert msg["destination"] == TOPIC_GATEKEEPER_EVENT
    assert msg["sender"] == ("Pallet", b"PhalaComputation")
    assert GatekeeperEvent.decode(msg["payload"]) == ("TokenomicParametersChanged", params)


def test_set_cool_down_expiration() -> None:
    ext = new_ext()
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaComputation", "set_cool_down_expiration", period=5),
                BadOrigin)
    ext.call(ROOT, "PhalaComputation", "set_cool_down_expiration", period=5)
    assert comp(ext).CoolDownPeriod.get() == 5
    assert ext.last_event().fields == {"period": 5}


def test_bind_errors() -> None:
    ext = new_ext()
    c = comp(ext)
    assert_noop(ext, lambda: c.bind(S1, worker_pubkey(9)), E.WorkerNotRegistered)
    register_worker(ext, 2, added_at=0)  # not after the gatekeeper launch (block 0)
    assert_noop(ext, lambda: c.bind(S1, worker_pubkey(2)), E.WorkerReregisterNeeded)
    register_worker(ext, 3, score=None)
    assert_noop(ext, lambda: c.bind(S1, worker_pubkey(3)), E.BenchmarkMissing)
    register_worker(ext, 1)
    register_worker(ext, 4)
    c.bind(S1, worker_pubkey(1))
    assert_noop(ext, lambda: c.bind(S1, worker_pubkey(4)), E.DuplicateBoundSession)
    assert_noop(ext, lambda: c.bind(S2, worker_pubkey(1)), E.DuplicateBoundWorker)


def test_bind_unbind_events_and_rebind_needs_ready() -> None:
    ext = new_ext()
    started(ext)
    c = comp(ext)
    ext.clear_events()
    ext.call(signed(ALICE), "PhalaComputation", "unbind", session=S1)  # force-stops the computing worker
    assert names(ext) == ["PhalaComputation.WorkerStopped", "PhalaComputation.SessionUnbound"]
    assert c.OnlineWorkers.get() == 0
    assert not c.WorkerBindings.contains(worker_pubkey(1))
    register_worker(ext, 5)
    assert_noop(ext, lambda: c.bind(S1, worker_pubkey(5)), E.WorkerNotReady)  # S1 is cooling down


def test_unbind_errors() -> None:
    ext = new_ext()
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaComputation", "unbind", session=S1), E.SessionNotBound)
    register_worker(ext, 1)
    comp(ext).bind(S1, worker_pubkey(1))
    assert_noop(ext, lambda: ext.call(signed(BOB), "PhalaComputation", "unbind", session=S1), E.BadSender)
    ext.rt.PhalaRegistry.Workers.remove(worker_pubkey(1))
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaComputation", "unbind", session=S1),
                E.WorkerNotRegistered)


def test_start_computing_success() -> None:
    ext = new_ext()
    pubkey = started(ext)
    c = comp(ext)
    info = c.Sessions.get(S1)
    expected_v = fp.mul(fp.from_str("1.3"), fp.add(fp.to_fixed(5000 * PHA), fp.mul(fp.from_str("0.3"),
                                                                                  fp.from_int(2500))))
    assert info["state"] == ("WorkerIdle", None)
    assert info["ve"] == info["v"] == expected_v
    assert info["benchmark"]["p_init"] == 2500
    assert info["v_updated_at"] == START_MS // 1000
    assert c.Stakes.get(S1) == 5000 * PHA
    assert c.OnlineWorkers.get() == 1
    assert c.NextSessionId.get() == 1
    assert ext.last_event().fields == {"session": S1, "init_v": expected_v, "init_p": 2500}
    assert system_events(ext)[-1] == ("WorkerEvent", {"pubkey": pubkey, "event": (
        "Started", {"session_id": 0, "init_v": expected_v, "init_p": 2500})})


@pytest.mark.parametrize(("score", "stake", "error"), [
    (49, 5000 * PHA, E.BenchmarkTooLow),
    (2500, 4999 * PHA, E.InsufficientStake),  # k·√2500 = 5000 PHA
    (2500, 30000 * PHA, E.TooMuchStake),
])
def test_start_computing_checks(score: int, stake: int, error: type[Exception]) -> None:
    ext = new_ext()
    register_worker(ext, 1, score=score)
    comp(ext).bind(S1, worker_pubkey(1))
    assert_noop(ext, lambda: ext.call(ROOT, "PhalaComputation", "force_start_computing", session=S1, stake=stake),
                error)


def test_start_computing_state_errors() -> None:
    ext = new_ext()
    call = lambda: ext.call(ROOT, "PhalaComputation", "force_start_computing", session=S1, stake=5000 * PHA)  # noqa: E731
    assert_noop(ext, call, E.SessionNotFound)
    started(ext)
    assert_noop(ext, call, E.WorkerNotReady)
    ext.call(ROOT, "PhalaComputation", "force_stop_computing", session=S1)
    comp(ext).reclaim(S1, False)
    comp(ext).Stakes.insert(S1, 1)
    assert_noop(ext, call, E.InternalErrorCannotStartWithExistingStake)
    comp(ext).Stakes.remove(S1)
    comp(ext).TokenomicParameters.kill()
    assert_noop(ext, call, E.InternalErrorBadTokenomicParameters)
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaComputation", "force_start_computing", session=S1,
                                      stake=1), BadOrigin)


def test_stop_and_reclaim_returns_full_stake() -> None:
    ext = new_ext()
    started(ext)
    c = comp(ext)
    assert_noop(ext, lambda: ext.call(ROOT, "PhalaComputation", "force_stop_computing", session=S2),
                E.SessionNotBound)
    ext.call(ROOT, "PhalaComputation", "force_stop_computing", session=S1)
    info = c.Sessions.get(S1)
    assert info["state"] == ("WorkerCoolingDown", None)
    assert info["cool_down_start"] == START_MS // 1000
    assert c.OnlineWorkers.get() == 0
    assert system_events(ext)[-1][1]["event"] == ("Stopped", None)
    assert_noop(ext, lambda: ext.call(ROOT, "PhalaComputation", "force_stop_computing", session=S1),
                E.WorkerNotComputing)
    elapse(ext, COOL_DOWN - 1)
    assert_noop(ext, lambda: c.reclaim(S1, True), E.CoolDownNotReady)
    assert_noop(ext, lambda: c.reclaim(S2, True), E.SessionNotFound)
    elapse(ext, 1)
    assert c.reclaim(S1, True) == (5000 * PHA, 0)
    assert c.Sessions.get(S1)["state"] == ("Ready", None)
    assert not c.Stakes.contains(S1)
    assert ext.last_event().fields == {"session": S1, "original_stake": 5000 * PHA, "slashed": 0}


def test_update_tokenomic_is_postponed_to_finalize() -> None:
    ext = new_ext()
    c = comp(ext)
    params = dict(c.TokenomicParameters.get(), k=fp.from_int(1))
    assert_noop(ext, lambda: ext.call(signed(ALICE), "PhalaComputation", "update_tokenomic", new_params=params),
                BadOrigin)
    ext.call(ROOT, "PhalaComputation", "update_tokenomic", new_params=params)
    assert names(ext) == []
    assert c.TokenomicParameters.get()["k"] == fp.from_int(100)
    c.on_finalize(1)
    assert names(ext) == ["PhalaComputation.TokenomicParametersChanged"]
    assert c.TokenomicParameters.get()["k"] == fp.from_int(1)
    assert c.ScheduledTokenomicUpdate.get() is None
    assert GatekeeperEvent.decode(outbound(ext)[-1]["payload"]) == ("TokenomicParametersChanged", params)


def test_heartbeat_challenges_follow_pause_flag() -> None:
    ext = new_ext()
    c = comp(ext)
    ext.call(ROOT, "PhalaComputation", "set_heartbeat_paused", paused=True)
    c.on_finalize(1)
    assert system_events(ext) == []
    ext.call(ROOT, "PhalaComputation", "set_heartbeat_paused", paused=False)
    c.OnlineWorkers.put(20)
    c.on_finalize(1)
    [(name, challenge)] = system_events(ext)
    assert name == "HeartbeatChallenge"
    assert challenge["online_target"] == pow_target(20, 20, PhalaComputation.EXPECTED_BLOCK_TIME_SEC)
    ext.call(ROOT, "PhalaComputation", "force_heartbeat")
    assert system_events(ext)[-1] == ("HeartbeatChallenge", {"seed": 0, "online_target": U256_MAX})


def _heartbeat(challenge_time_ms: int, iterations: int) -> bytes:
    return WorkingReportEvent.encode(("Heartbeat", {"session_id": 0, "challenge_block": 2,
                                                    "challenge_time": challenge_time_ms, "iterations": iterations}))


def test_heartbeat_updates_benchmark() -> None:
    ext = new_ext()
    pubkey = started(ext, score=600, stake=3000 * PHA)
    t0 = START_MS // 1000
    elapse(ext, 100)
    assert deliver(ext, ("Worker", pubkey), TOPIC_WORKING_REPORT, _heartbeat((t0 + 100) * 1000, 11000)) is None
    bench = comp(ext).Sessions.get(S1)["benchmark"]
    assert (bench["p_instant"], bench["iterations"], bench["challenge_time_last"]) == (0, 11000, t0 + 100)
    elapse(ext, 100)
    deliver(ext, ("Worker", pubkey), TOPIC_WORKING_REPORT, _heartbeat((t0 + 200) * 1000, 11000 + 15000))
    bench = comp(ext).Sessions.get(S1)["benchmark"]
    assert bench["p_instant"] == 720  # 900 capped at 1.2 · p_init
    assert ext.last_event().fields == {"session": S1, "p_instant": 720}


def test_heartbeat_from_unbound_worker_or_bad_payload_is_rejected() -> None:
    ext = new_ext()
    err = deliver(ext, ("Worker", worker_pubkey(7)), TOPIC_WORKING_REPORT, _heartbeat(0, 1))
    assert isinstance(err, E.WorkerNotBound)
    assert deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_REPORT, _heartbeat(0, 1)) is None
    assert type(deliver(ext, ("Worker", worker_pubkey(7)), TOPIC_WORKING_REPORT, b"\x07")).__name__ == "BadMessage"


def _update(ts_ms: int, offline: tuple[bytes, ...] = (), recovered: tuple[bytes, ...] = (),
            settle: tuple[dict[str, Any], ...] = ()) -> bytes:
    return WorkingInfoUpdateEvent.encode({"block_number": 1, "timestamp_ms": ts_ms, "offline": offline,
                                          "recovered_to_online": recovered, "settle": settle})


def test_gk_update_requires_gatekeeper_sender() -> None:
    ext = new_ext()
    pubkey = started(ext)
    err = deliver(ext, ("Worker", pubkey), TOPIC_WORKING_UPDATE, _update(START_MS + 1000, offline=(pubkey,)))
    assert isinstance(err, E.BadSender)
    assert comp(ext).Sessions.get(S1)["state"] == ("WorkerIdle", None)


def test_gk_offline_and_recovered() -> None:
    ext = new_ext()
    pubkey = started(ext)
    ext.clear_events()
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, _update(START_MS, offline=(pubkey, worker_pubkey(9))))
    assert comp(ext).Sessions.get(S1)["state"] == ("WorkerUnresponsive", None)
    assert names(ext) == ["PhalaComputation.WorkerEnterUnresponsive"]
    assert system_events(ext)[-1][1]["event"] == ("EnterUnresponsive", None)
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, _update(START_MS, recovered=(pubkey,)))
    assert comp(ext).Sessions.get(S1)["state"] == ("WorkerIdle", None)
    assert system_events(ext)[-1][1]["event"] == ("ExitUnresponsive", None)


def test_gk_settle_records_v_and_pays_treasury() -> None:
    ext = new_ext()
    pubkey = started(ext)
    elapse(ext, 10)
    settle = {"pubkey": pubkey, "v": fp.from_int(7), "payout": 0, "treasury": fp.from_int(1)}
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, _update(START_MS + 10_000, settle=(settle,)))
    info = comp(ext).Sessions.get(S1)
    assert info["v"] == fp.from_int(7)
    assert info["v_updated_at"] == START_MS // 1000 + 10
    assert ext.rt.Balances.free_balance(TREASURY_ACCOUNT) == PHA
    assert "PhalaComputation.SessionSettled" in names(ext)
    # a late update (emitted before the last V update) is dropped
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, _update(START_MS + 5_000, settle=(settle,)))
    assert names(ext)[-2] == "PhalaComputation.SessionSettlementDropped"


def test_gk_settle_failure_is_reported_and_rolled_back() -> None:
    ext = new_ext()
    pubkey = started(ext)
    before = comp(ext).Sessions.get(S1)
    too_much = fp.to_fixed(ext.rt.Balances.free_balance(SUBSIDY_ACCOUNT) + PHA)
    settle = {"pubkey": pubkey, "v": fp.from_int(7), "payout": 0, "treasury": too_much}
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, _update(START_MS + 10_000, settle=(settle,)))
    assert comp(ext).Sessions.get(S1) == before
    assert names(ext)[-2:] == ["PhalaComputation.InternalErrorWorkerSettleFailed",
                               "PhalaStakePoolv2.RewardDismissedNotInPool"]


def test_real_mq_router_reaches_the_handlers() -> None:
    ext = new_ext()
    pubkey = started(ext)
    ext.rt.PhalaMq.dispatch_message({"sender": ("Gatekeeper", None), "destination": TOPIC_WORKING_UPDATE,
                                     "payload": _update(START_MS, offline=(pubkey,))})
    assert comp(ext).Sessions.get(S1)["state"] == ("WorkerUnresponsive", None)
    assert all(m["destination"] != TOPIC_WORKING_UPDATE for m in outbound(ext))  # `^` topics stay on chain
    ext.rt.PhalaMq.dispatch_message({"sender": ("Worker", pubkey), "destination": TOPIC_WORKING_REPORT,
                                     "payload": _heartbeat(0, 1)})
    assert outbound(ext)[-1]["destination"] == TOPIC_WORKING_REPORT  # off-chain topic re-broadcast to workers
