"""The PhalaComputation state machine: bind / unbind / start / stop / reclaim and the message handlers.

Other pallets (the stake pool) call these methods directly, as Phala's pallets call each other; the
stake pool's `on_reward` / `on_unbound` / `on_stopped` hooks are plain method calls on the
`PhalaStakePoolv2` view when that pallet is in the runtime. Registry facts come from
`rt.PhalaRegistry.worker(pubkey)` (a WorkerInfoV2 dict) and its `WorkerAddedAt` /
`GatekeeperLaunchedAt` items; messages to workers go through `rt.PhalaMq.push_bound_message`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, cast

from runtime.scale import ScaleDecodeError
from runtime.support.errors import DispatchError

from . import fixed as fp
from .messages import (
    TOPIC_GATEKEEPER_EVENT,
    TOPIC_SYSTEM_EVENT,
    TOPIC_WORKING_REPORT,
    TOPIC_WORKING_UPDATE,
    WorkingInfoUpdateEvent,
    WorkingReportEvent,
    worker_event,
)
from .tokenomic import benchmark_update, minimal_stake, ve
from .types import can_unbind, is_computing, state_name

if TYPE_CHECKING:
    from .pallet import PhalaComputation


def pallet_id_account(pallet_id: bytes) -> bytes:
    """`PalletId(id).into_account_truncating()`: b"modl" ++ id, zero-padded to 32 bytes."""
    return (b"modl" + pallet_id).ljust(32, b"\x00")[:32]


SUBSIDY_ACCOUNT = pallet_id_account(b"phala/pp")
"""The computing subsidy pool (`COMPUTING_PALLETID = PalletId(*b"phala/pp")`)."""
TREASURY_ACCOUNT = pallet_id_account(b"py/trsry")
"""Where settled treasury shares go (pallet_treasury's account; our `OnTreasurySettled`)."""


class BadMessage(DispatchError):
    """A message on one of our topics whose payload does not decode."""


class ComputationApi:
    """Non-dispatchable API of PhalaComputation (mixed into the pallet class)."""

    MESSAGE_TOPICS: tuple[bytes, ...] = (TOPIC_WORKING_REPORT, TOPIC_WORKING_UPDATE)

    @property
    def _p(self) -> PhalaComputation:
        return cast("PhalaComputation", self)

    # -- environment ---------------------------------------------------------------------------------

    def account_id(self) -> bytes:
        """The subsidy pool account."""
        return SUBSIDY_ACCOUNT

    def now_sec(self) -> int:
        """Block time in seconds (Timestamp.now() / 1000)."""
        return int(self._p.rt.Timestamp.now()) // 1000

    def registry_worker(self, pubkey: bytes) -> dict[str, Any] | None:
        """The registry's WorkerInfoV2 for `pubkey`, or None."""
        info = self._p.rt.PhalaRegistry.worker(pubkey)
        return cast("dict[str, Any] | None", info)

    def registered_after_gk_launched(self, pubkey: bytes) -> bool:
        """`WorkerAddedAt[pubkey] > GatekeeperLaunchedAt.block` (both must exist)."""
        registry = self._p.rt.PhalaRegistry
        check = getattr(registry, "is_worker_registered_after_gk_launched", None)
        if check is not None:
            return bool(check(pubkey))
        added = registry.WorkerAddedAt.get(pubkey)
        launched = registry.GatekeeperLaunchedAt.get()
        return added is not None and launched is not None and added > launched[0]

    def _origin(self) -> tuple[str, bytes]:
        return ("Pallet", self._p.spec.name.encode())

    def push_system_message(self, payload: bytes) -> None:
        """Send an encoded `SystemEvent` to `phala/system/event` from Pallet(b"PhalaComputation")."""
        self._p.rt.PhalaMq.push_bound_message(self._origin(), TOPIC_SYSTEM_EVENT, payload)

    def push_gatekeeper_message(self, payload: bytes) -> None:
        """Send an encoded `GatekeeperEvent` to `phala/gatekeeper/event`."""
        self._p.rt.PhalaMq.push_bound_message(self._origin(), TOPIC_GATEKEEPER_EVENT, payload)

    def queue_gatekeeper_message(self, payload: bytes) -> None:
        """Genesis: `queue_bound_message` (dispatched in block 1) when PhalaMq has it, else push now."""
        mq = self._p.rt.PhalaMq
        queue = getattr(mq, "queue_bound_message", None)
        if queue is not None:
            queue(self._origin(), TOPIC_GATEKEEPER_EVENT, payload)
        else:
            mq.push_bound_message(self._origin(), TOPIC_GATEKEEPER_EVENT, payload)

    def _pool(self) -> Any:
        if "PhalaStakePoolv2" not in self._p.rt.runtime.by_name:
            return None
        return self._p.rt.PhalaStakePoolv2

    # -- reads ---------------------------------------------------------------------------------------

    def session(self, session: bytes) -> dict[str, Any] | None:
        """Sessions[session] (a fresh dict), or None."""
        info = self._p.Sessions.get(session)
        return copy.deepcopy(info) if info is not None else None

    def ensure_session_bound(self, session: bytes) -> bytes:
        """The worker bound to `session`, else SessionNotBound."""
        worker = self._p.SessionBindings.get(session)
        if worker is None:
            raise self._p.Error.SessionNotBound()
        return bytes(worker)

    def ensure_worker_bound(self, pubkey: bytes) -> bytes:
        """The session bound to `pubkey`, else WorkerNotBound."""
        session = self._p.WorkerBindings.get(pubkey)
        if session is None:
            raise self._p.Error.WorkerNotBound()
        return bytes(session)

    def tokenomic(self) -> dict[str, Any]:
        """TokenomicParameters, else InternalErrorBadTokenomicParameters."""
        params = self._p.TokenomicParameters.get()
        if params is None:
            raise self._p.Error.InternalErrorBadTokenomicParameters()
        return cast("dict[str, Any]", params)

    # -- lifecycle -----------------------------------------------------------------------------------

    def bind(self, session: bytes, pubkey: bytes) -> None:
        """Bind `session` to a registered, benchmarked worker; creates a Ready SessionInfo."""
        p = self._p
        worker = self.registry_worker(pubkey)
        if worker is None:
            raise p.Error.WorkerNotRegistered()
        if p.CHECK_WORKER_REGISTER_TIME and not self.registered_after_gk_launched(pubkey):
            raise p.Error.WorkerReregisterNeeded()
        if worker.get("initial_score") is None:
            raise p.Error.BenchmarkMissing()
        if p.SessionBindings.contains(session):
            raise p.Error.DuplicateBoundSession()
        if p.WorkerBindings.contains(pubkey):
            raise p.Error.DuplicateBoundWorker()
        existing = p.Sessions.get(session)
        if existing is not None and state_name(existing) != "Ready":
            raise p.Error.WorkerNotReady()
        now = self.now_sec()
        p.SessionBindings.insert(session, pubkey)
        p.WorkerBindings.insert(pubkey, session)
        p.Sessions.insert(session, {
            "state": "Ready", "ve": 0, "v": 0, "v_updated_at": now,
            "benchmark": {"p_init": 0, "p_instant": 0, "iterations": 0, "working_start_time": now,
                          "challenge_time_last": 0},
            "cool_down_start": 0, "stats": {"total_reward": 0},
        })
        p.deposit_event(p.Event.SessionBound(session=session, worker=pubkey))

    def unbind_session(self, session: bytes, notify: bool) -> None:
        """Unbind `session` from its worker, force-stopping it first if it is computing."""
        p = self._p
        worker = self.ensure_session_bound(session)
        info = p.Sessions.get(session)
        force = info is not None and not can_unbind(state_name(info))
        if force:
            self.stop_computing(session)
        p.SessionBindings.remove(session)
        p.WorkerBindings.remove(worker)
        p.deposit_event(p.Event.SessionUnbound(session=session, worker=worker))
        pool = self._pool()
        if notify and pool is not None:
            pool.on_unbound(worker, force)

    def start_computing(self, session: bytes, stake: int) -> None:
        """Ready → WorkerIdle with `stake` (locked externally); checks MinInitP, k·√p ≤ stake, ve ≤ v_max."""
        p = self._p
        worker = p.SessionBindings.get(session)
        if worker is None:
            raise p.Error.SessionNotFound()
        info = self.session(session)
        if info is None or state_name(info) != "Ready":
            raise p.Error.WorkerNotReady()
        if p.Stakes.contains(session):
            raise p.Error.InternalErrorCannotStartWithExistingStake()
        reg = self.registry_worker(bytes(worker))
        if reg is None:
            raise p.Error.WorkerNotRegistered()
        score = reg.get("initial_score")
        if score is None:
            raise p.Error.BenchmarkMissing()
        if score < p.MIN_INIT_P:
            raise p.Error.BenchmarkTooLow()
        params = self.tokenomic()
        if stake < minimal_stake(params, score):
            raise p.Error.InsufficientStake()
        init_v = ve(params, stake, score, int(reg.get("confidence_level", 0)))
        if init_v > params["v_max"]:
            raise p.Error.TooMuchStake()
        now = self.now_sec()
        p.Stakes.insert(session, stake)
        info.update(state="WorkerIdle", ve=init_v, v=init_v, v_updated_at=now)
        info["benchmark"]["p_init"] = score
        p.Sessions.insert(session, info)
        p.OnlineWorkers.put(p.OnlineWorkers.get() + 1)
        session_id = p.NextSessionId.get()
        p.NextSessionId.put(session_id + 1)
        self.push_system_message(worker_event(bytes(worker), "Started",
                                              {"session_id": session_id, "init_v": init_v, "init_p": score}))
        p.deposit_event(p.Event.WorkerStarted(session=session, init_v=init_v, init_p=score))

    def stop_computing(self, session: bytes) -> None:
        """WorkerIdle|WorkerUnresponsive → WorkerCoolingDown (cool down starts now)."""
        p = self._p
        worker = p.SessionBindings.get(session)
        if worker is None:
            raise p.Error.SessionNotBound()
        info = self.session(session)
        if info is None:
            raise p.Error.SessionNotFound()
        if not is_computing(state_name(info)):
            raise p.Error.WorkerNotComputing()
        info.update(state="WorkerCoolingDown", cool_down_start=self.now_sec())
        p.Sessions.insert(session, info)
        p.OnlineWorkers.put(p.OnlineWorkers.get() - 1)
        orig_stake = p.Stakes.get(session) or 0
        pool = self._pool()
        if pool is not None:
            pool.on_stopped(bytes(worker), orig_stake, 0)
        self.push_system_message(worker_event(bytes(worker), "Stopped"))
        p.deposit_event(p.Event.WorkerStopped(session=session))

    def can_reclaim(self, info: dict[str, Any], check_cooldown: bool) -> bool:
        """CoolingDown, and (if checked) the cool-down period has elapsed."""
        if state_name(info) != "WorkerCoolingDown":
            return False
        return not check_cooldown or self.now_sec() - info["cool_down_start"] >= self._p.CoolDownPeriod.get()

    def reclaim(self, session: bytes, check_cooldown: bool) -> tuple[int, int]:
        """CoolingDown → Ready; returns (original_stake, slashed) with slashed always 0."""
        p = self._p
        info = self.session(session)
        if info is None:
            raise p.Error.SessionNotFound()
        if not self.can_reclaim(info, check_cooldown):
            raise p.Error.CoolDownNotReady()
        info.update(state="Ready", cool_down_start=0)
        p.Sessions.insert(session, info)
        orig_stake = int(p.Stakes.take(session) or 0)
        p.deposit_event(p.Event.WorkerReclaimed(session=session, original_stake=orig_stake, slashed=0))
        return orig_stake, 0

    def withdraw_subsidy_pool(self, target: bytes, value: int) -> None:
        """Pay `value` from the subsidy pool to `target`, keeping the pool account alive."""
        self._p.rt.Balances.transfer(SUBSIDY_ACCOUNT, target, value, True)

    # -- message handlers ----------------------------------------------------------------------------

    def on_message(self, message: dict[str, Any]) -> None:
        """Router entry point for `phala/mining/report` and `^phala/mining/update`."""
        topic = bytes(message["destination"])
        try:
            if topic == TOPIC_WORKING_REPORT:
                self.on_working_message_received(message["sender"], WorkingReportEvent.decode(message["payload"]))
            elif topic == TOPIC_WORKING_UPDATE:
                self.on_gk_message_received(message["sender"], WorkingInfoUpdateEvent.decode(message["payload"]))
        except ScaleDecodeError as exc:
            raise BadMessage(f"undecodable payload on {topic!r}: {exc}") from None

    def on_working_message_received(self, sender: Any, report: Any) -> None:
        """A worker heartbeat: update the bound session's benchmark (p_instant)."""
        if not (isinstance(sender, tuple) and sender[0] == "Worker"):
            return
        p = self._p
        session = self.ensure_worker_bound(bytes(sender[1]))
        info = self.session(session)
        if info is None:
            raise p.Error.SessionNotFound()
        fields = report[1]
        if not benchmark_update(info["benchmark"], self.now_sec(), fields["iterations"],
                                fields["challenge_time"] // 1000):
            return  # Phala panics ("Benchmark report must be valid"); we drop the report.
        p.deposit_event(p.Event.BenchmarkUpdated(session=session, p_instant=info["benchmark"]["p_instant"]))
        p.Sessions.insert(session, info)

    def on_gk_message_received(self, sender: Any, update: dict[str, Any]) -> None:
        """A gatekeeper `WorkingInfoUpdateEvent`: offline, recovered and settled workers."""
        p = self._p
        if sender != ("Gatekeeper", None) and sender != "Gatekeeper":
            raise p.Error.BadSender()
        if not (update["offline"] or update["recovered_to_online"] or update["settle"]):
            return
        emit_ts = update["timestamp_ms"] // 1000
        now = self.now_sec()
        for worker, state, ev, name in ((update["offline"], "WorkerUnresponsive", p.Event.WorkerEnterUnresponsive,
                                         "EnterUnresponsive"),
                                        (update["recovered_to_online"], "WorkerIdle", p.Event.WorkerExitUnresponsive,
                                         "ExitUnresponsive")):
            for pubkey in worker:
                self._set_liveness(bytes(pubkey), state, ev, name)
        for info in update["settle"]:
            p.rt.storage.begin()
            try:
                self.try_handle_settle(info, now, emit_ts)
            except DispatchError:
                p.rt.storage.rollback()
                p.deposit_event(p.Event.InternalErrorWorkerSettleFailed(worker=bytes(info["pubkey"])))
            else:
                p.rt.storage.commit()
        pool = self._pool()
        if pool is not None:
            pool.on_reward(list(update["settle"]))

    def _set_liveness(self, pubkey: bytes, state: str, ev: Any, name: str) -> None:
        p = self._p
        session = p.WorkerBindings.get(pubkey)
        if session is None:
            return
        info = self.session(bytes(session))
        if info is None or not is_computing(state_name(info)):
            return
        info["state"] = state
        p.Sessions.insert(session, info)
        p.deposit_event(ev(session=bytes(session)))
        self.push_system_message(worker_event(pubkey, name))

    def try_handle_settle(self, info: dict[str, Any], now: int, emit_ts: int) -> None:
        """Record one settlement (V, payout stats) and pay the treasury share out of the subsidy pool."""
        p = self._p
        session = p.WorkerBindings.get(info["pubkey"])
        if session is None:
            return
        session_info = self.session(bytes(session))
        if session_info is None:
            raise p.Error.SessionNotFound()
        if session_info["v_updated_at"] >= emit_ts:
            p.deposit_event(p.Event.SessionSettlementDropped(session=bytes(session), v=info["v"], payout=info["payout"]))
            return
        session_info.update(v=info["v"], v_updated_at=now)
        session_info["stats"]["total_reward"] += fp.balance_from_bits(info["payout"])
        p.Sessions.insert(session, session_info)
        treasury = fp.balance_from_bits(info["treasury"])
        if treasury:
            p.rt.Balances.transfer(SUBSIDY_ACCOUNT, TREASURY_ACCOUNT, treasury, False)
        p.deposit_event(p.Event.SessionSettled(session=bytes(session), v_bits=info["v"], payout_bits=info["payout"]))
