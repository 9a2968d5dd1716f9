"""PhalaComputation: worker computing sessions (bind, start, stop, reclaim), heartbeats and settlements.

A session is an account (for pools, `pool_sub_account(pid, worker)`) bound 1:1 to a worker. The
pallet tracks each session's state machine, stake and V; it moves no tokens itself (the stake pool
does). Declaration here (storage, events, errors, calls, hooks, genesis); the state machine and the
message handlers are in `api.py`, the arithmetic in `tokenomic.py`/`fixed.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import AccountId
from runtime.scale import U32, U64, U128, Bool
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support.origin import Origin
from runtime.support.params import AccountIdParam, Balance, BoolParam, U64Param

from . import weights
from .api import ComputationApi
from .messages import GatekeeperEvent, heartbeat_challenge
from .reserved import insert_reserved_errors
from .tokenomic import (
    DEFAULT_COOL_DOWN_PERIOD_SEC,
    DEFAULT_EXPECTED_HEARTBEAT_COUNT,
    U256_MAX,
    default_tokenomic_parameters,
    pow_target,
)
from .types import RUST_MODULE, SessionInfo, WorkerPublicKey
from .types import TokenomicParameters as TokenomicParams

Params = Annotated[dict[str, Any], TokenomicParams, "TokenomicParams"]
_SESSION = (AccountId, "T::AccountId")
_WORKER = (WorkerPublicKey, "WorkerPublicKey")
_BALANCE = (U128, "BalanceOf<T>")
RANDOMNESS_SUBJECT = b"PhalaPoW"


class PhalaComputation(ComputationApi, Pallet, name="PhalaComputation", rust_module=RUST_MODULE, storage_version=7):
    """Manages the computing (mining) lifecycle, rewards and slashes."""

    EXPECTED_BLOCK_TIME_SEC = 6
    """`ExpectedBlockTimeSec` (runtime config, not a metadata constant): our dev block time."""
    MIN_INIT_P = 50
    """`MinInitP`: the lowest benchmark score allowed to start computing."""
    CHECK_WORKER_REGISTER_TIME = True
    """`CheckWorkerRegisterTime`: workers must register after the gatekeeper launched."""

    TokenomicParameters = StorageValue(TokenomicParams, doc="Tokenomic parameters used by Gatekeepers to compute the V promote.")
    ScheduledTokenomicUpdate = StorageValue(TokenomicParams, doc="The scheduled new tokenomic params to update at the end of this block.")
    OnlineWorkers = StorageValue(U32, default=0, doc="Total online workers including WorkerIdle and WorkerUnresponsive workers.\n\nIncreased when a worker is turned to WorkerIdle; decreased when turned to CoolingDown.")
    ExpectedHeartbeatCount = StorageValue(U32, doc="The expected heartbeat count at every block (default: 20)")
    HeartbeatPaused = StorageValue(Bool, default=True, doc="Won't sent heartbeat challenges to the the worker if enabled.")
    Sessions = StorageMap(Twox64Concat, AccountId, SessionInfo, doc="The miner state.\n\nThe session state is created when a worker is bounded with a session, but it will be kept even\nif the worker is force unbound. A re-bind of a worker will reset the computing state.")
    SessionBindings = StorageMap(Twox64Concat, AccountId, WorkerPublicKey, doc="The bound worker for a session account")
    WorkerBindings = StorageMap(Twox64Concat, WorkerPublicKey, AccountId, doc="The bound worker account for a worker")
    CoolDownPeriod = StorageValue(U64, default=0, doc="The cool down period (in sec)")
    NextSessionId = StorageValue(U32, default=0, doc="The next id to assign to a computing session")
    Stakes = StorageMap(Twox64Concat, AccountId, U128, doc="The stakes of session accounts.\n\nOnly presents for computing and cooling down sessions.")

    class Event(_Events):
        CoolDownExpirationChanged = event("Cool down expiration changed (in sec).\n\nIndicates a change in [`CoolDownPeriod`].", period=(U64, "u64"))
        WorkerStarted = event("A worker starts computing.", session=_SESSION, init_v=(U128, "u128"), init_p=(U32, "u32"))
        WorkerStopped = event("Worker stops computing.", session=_SESSION)
        WorkerReclaimed = event("Worker is reclaimed, with its slash settled.", session=_SESSION, original_stake=_BALANCE, slashed=_BALANCE)
        SessionBound = event("Worker & session are bounded.", session=_SESSION, worker=_WORKER)
        SessionUnbound = event("Worker & worker are unbound.", session=_SESSION, worker=_WORKER)
        WorkerEnterUnresponsive = event("Worker enters unresponsive state.", session=_SESSION)
        WorkerExitUnresponsive = event("Worker returns to responsive state.", session=_SESSION)
        SessionSettled = event("Worker settled successfully.", session=_SESSION, v_bits=(U128, "u128"), payout_bits=(U128, "u128"))
        InternalErrorWorkerSettleFailed = event("Some internal error happened when settling a worker's ledger.", worker=_WORKER)
        SubsidyBudgetHalved = event("Block subsidy halved by 25%.")
        InternalErrorWrongHalvingConfigured = event("Some internal error happened when trying to halve the subsidy")
        TokenomicParametersChanged = event("Tokenomic parameter changed.")
        SessionSettlementDropped = event("A session settlement was dropped because the on-chain version is more up-to-date.", session=_SESSION, v=(U128, "u128"), payout=(U128, "u128"))
        BenchmarkUpdated = event("Benchmark Updated", session=_SESSION, p_instant=(U32, "u32"))
        BudgetUpdated = event("", nonce=(U64, "u64"), budget=(U128, "u128"))

    class Error(_Errors):
        BadSender: Any = "The transaction is sent by an unauthorized sender"
        WorkerNotRegistered: Any = "The worker is not registered in the registry."
        DuplicateBoundSession: Any = "Not permitted because the session is already bound with another worker."
        BenchmarkMissing: Any = "There's no benchmark result on the blockchain."
        SessionNotFound: Any = "session not found."
        SessionNotBound: Any = "Not permitted because the session is not bound with a worker."
        WorkerNotReady: Any = "Worker is not in `Ready` state to proceed."
        WorkerNotComputing: Any = "Worker is not in `Computation` state to stop computing."
        WorkerNotBound: Any = "Not permitted because the worker is not bound with a worker account."
        CoolDownNotReady: Any = "Cannot reclaim the worker because it's still in cooldown period."
        InsufficientStake: Any = "Cannot start computing because there's too little stake."
        TooMuchStake: Any = "Cannot start computing because there's too much stake (exceeds Vmax)."
        InternalErrorBadTokenomicParameters: Any = "Internal error. The tokenomic parameter is not set."
        DuplicateBoundWorker: Any = "Not permitted because the worker is already bound with another session account."
        BenchmarkTooLow: Any = "Indicating the initial benchmark score is too low to start computing."
        InternalErrorCannotStartWithExistingStake: Any = "Internal error. A worker should never start with existing stake in the storage."
        NotMigrationRoot: Any = "Migration root not authorized"
        NonceIndexInvalid: Any = ""
        BudgetUpdateBlockInvalid: Any = ""
        BudgetExceedMaxLimit: Any = ""
        WorkerReregisterNeeded: Any = "The worker need to be re-registered to be added to a pool."

    # -- calls ---------------------------------------------------------------------------------------

    @call(index=0, weight=weights.ZERO)
    def set_cool_down_expiration(self, origin: Origin, period: U64Param) -> None:
        """Sets the cool down expiration time in seconds.

        Can only be called by root.
        """
        ensure_root(origin)
        self.CoolDownPeriod.put(period)
        self.deposit_event(self.Event.CoolDownExpirationChanged(period=period))

    @call(index=1, weight=weights.ZERO)
    def unbind(self, origin: Origin, session: AccountIdParam) -> None:
        """Unbinds a worker from the given session (or pool sub-account).

        It will trigger a force stop of computing if the worker is still in computing state. Anyone
        can call it.
        """
        who = ensure_signed(origin)
        pubkey = self.ensure_session_bound(session)
        worker = self.registry_worker(pubkey)
        if worker is None:
            raise self.Error.WorkerNotRegistered()
        if worker.get("operator") != who:
            raise self.Error.BadSender()
        self.unbind_session(session, True)

    @call(index=2, weight=weights.ONE)
    def force_heartbeat(self, origin: Origin) -> None:
        """Triggers a force heartbeat request to all workers by sending a MAX pow target

        Only for integration test.
        """
        ensure_root(origin)
        self.push_system_message(heartbeat_challenge(0, U256_MAX))

    @call(index=3, weight=weights.ONE)
    def force_start_computing(self, origin: Origin, session: AccountIdParam, stake: Balance) -> None:
        """Start computing

        Only for integration test.
        """
        ensure_root(origin)
        self.start_computing(session, stake)

    @call(index=4, weight=weights.ONE)
    def force_stop_computing(self, origin: Origin, session: AccountIdParam) -> None:
        """Stop computing

        Only for integration test.
        """
        ensure_root(origin)
        self.stop_computing(session)

    @call(index=5, weight=weights.ONE)
    def update_tokenomic(self, origin: Origin, new_params: Params) -> None:
        """Updates the tokenomic parameters at the end of this block.

        Can only be called by the tokenomic admin.
        """
        ensure_root(origin)
        self.ScheduledTokenomicUpdate.put(new_params)

    @call(index=6, weight=weights.ONE)
    def set_heartbeat_paused(self, origin: Origin, paused: BoolParam) -> None:
        """Pause or resume the heartbeat challenges.

        This API is introduced to pause the computing rewards for a period while we upgrading
        StakePool v2. Worker's rewards would still be accumulated in GK in the pausing period
        but never be paid out until the heartbeat is resumed.

        Can only be called by root.
        """
        ensure_root(origin)
        self.HeartbeatPaused.put(bool(paused))

    # -- hooks ---------------------------------------------------------------------------------------

    def on_finalize(self, n: int) -> None:
        """Send this block's heartbeat challenge, then apply a scheduled tokenomic update."""
        self.heartbeat_challenge()
        scheduled = self.ScheduledTokenomicUpdate.take()
        if scheduled is not None:
            self.update_tokenomic_parameters(scheduled)

    def heartbeat_challenge(self) -> None:
        """Push `HeartbeatChallenge{seed, online_target}` unless `HeartbeatPaused`."""
        if self.HeartbeatPaused.get():
            return
        parent = bytes(self.rt.System.ParentHash.get())
        seed = int.from_bytes(blake2_256(RANDOMNESS_SUBJECT + parent), "big")
        num_tx = self.ExpectedHeartbeatCount.get()
        target = pow_target(DEFAULT_EXPECTED_HEARTBEAT_COUNT if num_tx is None else num_tx,
                            self.OnlineWorkers.get(), self.EXPECTED_BLOCK_TIME_SEC)
        self.push_system_message(heartbeat_challenge(seed, target))

    def update_tokenomic_parameters(self, params: dict[str, Any]) -> None:
        """Store `params`, tell the gatekeepers (`TokenomicParametersChanged`) and emit the event."""
        self.TokenomicParameters.put(params)
        self.push_gatekeeper_message(GatekeeperEvent.encode(("TokenomicParametersChanged", params)))
        self.deposit_event(self.Event.TokenomicParametersChanged())

    # -- genesis -------------------------------------------------------------------------------------

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """`{"coolDownPeriodSec": u32, "tokenomicParameters": {...}}` (camelCase or snake_case keys)."""
        config = config or {}
        period = config.get("coolDownPeriodSec", config.get("cool_down_period_sec", DEFAULT_COOL_DOWN_PERIOD_SEC))
        params = default_tokenomic_parameters()
        for key, value in (config.get("tokenomicParameters") or config.get("tokenomic_parameters") or {}).items():
            snake = "".join("_" + c.lower() if c.isupper() else c for c in key)
            if snake not in params:
                raise ValueError(f"unknown tokenomic parameter {key!r}")
            params[snake] = int(value)
        self.CoolDownPeriod.put(int(period))
        self.TokenomicParameters.put(params)
        self.queue_gatekeeper_message(GatekeeperEvent.encode(("TokenomicParametersChanged", params)))
        write_storage_version(self, self.spec.storage_version)


insert_reserved_errors(PhalaComputation, {1: ("_InvalidMessage", "Deprecated."), 3: ("_GatekeeperNotRegistered", "Deprecated")})

__all__ = ["PhalaComputation"]
