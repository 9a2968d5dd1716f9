"""Message payloads PhalaComputation exchanges with workers and gatekeepers (phala_types::messaging).

Chain → workers: `SystemEvent` on `phala/system/event` (worker lifecycle events, heartbeat
challenges) and `GatekeeperEvent` on `phala/gatekeeper/event` (tokenomic parameter changes).
Workers → chain: `WorkingReportEvent` on `phala/mining/report` (heartbeats, sender `Worker`).
Gatekeeper → chain: `WorkingInfoUpdateEvent<u32>` on `^phala/mining/update` (sender `Gatekeeper`).
Only the byte encoding matters here (payloads are opaque `Vec<u8>` on chain); `U256` is encoded as
32 little-endian bytes, exactly like primitive_types::U256's four u64 limbs.
"""

from __future__ import annotations

from runtime.scale import U8, U32, U64, U128, U256, ByteArray, Enum, Field, Struct, Variant, Vec

from .types import TokenomicParameters, WorkerPublicKey

TOPIC_SYSTEM_EVENT = b"phala/system/event"
TOPIC_GATEKEEPER_EVENT = b"phala/gatekeeper/event"
TOPIC_WORKING_REPORT = b"phala/mining/report"
TOPIC_WORKING_UPDATE = b"^phala/mining/update"

_M = ("phala_types", "messaging")
U64F64Bits = U128

WorkerInfo = Struct(_M + ("WorkerInfo",), (Field("confidence_level", U8),))
WorkerEvent = Enum(_M + ("WorkerEvent",), (
    Variant("Registered", 0, (Field(None, WorkerInfo),)),
    Variant("BenchStart", 1, (Field("duration", U32),)),
    Variant("BenchScore", 2, (Field(None, U32),)),
    Variant("Started", 3, (Field("session_id", U32), Field("init_v", U64F64Bits), Field("init_p", U32))),
    Variant("Stopped", 4),
    Variant("EnterUnresponsive", 5),
    Variant("ExitUnresponsive", 6),
))
WorkerEventWithKey = Struct(_M + ("WorkerEventWithKey",), (
    Field("pubkey", WorkerPublicKey), Field("event", WorkerEvent)))
HeartbeatChallenge = Struct(_M + ("HeartbeatChallenge",), (Field("seed", U256), Field("online_target", U256)))
SystemEvent = Enum(_M + ("SystemEvent",), (
    Variant("WorkerEvent", 0, (Field(None, WorkerEventWithKey),)),
    Variant("HeartbeatChallenge", 1, (Field(None, HeartbeatChallenge),)),
))

WorkingReportEvent = Enum(_M + ("WorkingReportEvent",), (
    Variant("Heartbeat", 0, (Field("session_id", U32), Field("challenge_block", U32),
                             Field("challenge_time", U64), Field("iterations", U64))),
    Variant("HeartbeatV2", 1, (Field("session_id", U32), Field("challenge_block", U32),
                               Field("challenge_time", U64), Field("iterations", U64),
                               Field("n_clusters", U32), Field("n_contracts", U32))),
))

SettleInfo = Struct(_M + ("SettleInfo",), (
    Field("pubkey", WorkerPublicKey), Field("v", U64F64Bits), Field("payout", U64F64Bits),
    Field("treasury", U64F64Bits)))
WorkingInfoUpdateEvent = Struct(_M + ("WorkingInfoUpdateEvent",), (
    Field("block_number", U32),
    Field("timestamp_ms", U64),
    Field("offline", Vec(WorkerPublicKey)),
    Field("recovered_to_online", Vec(WorkerPublicKey)),
    Field("settle", Vec(SettleInfo)),
))

RandomNumberEvent = Struct(_M + ("RandomNumberEvent",), (
    Field("block_number", U32), Field("random_number", ByteArray(32)), Field("last_random_number", ByteArray(32))))
GatekeeperEvent = Enum(_M + ("GatekeeperEvent",), (
    Variant("NewRandomNumber", 0, (Field(None, RandomNumberEvent),)),
    Variant("TokenomicParametersChanged", 1, (Field(None, TokenomicParameters),)),
    Variant("_RepairV", 2),
    Variant("_PhalaLaunched", 3),
    Variant("_UnrespFix", 4),
))


def worker_event(pubkey: bytes, name: str, payload: object = None) -> bytes:
    """SCALE of `SystemEvent::WorkerEvent(WorkerEventWithKey{pubkey, event})`."""
    return SystemEvent.encode(("WorkerEvent", {"pubkey": pubkey, "event": (name, payload)}))


def heartbeat_challenge(seed: int, online_target: int) -> bytes:
    """SCALE of `SystemEvent::HeartbeatChallenge{seed, online_target}`."""
    return SystemEvent.encode(("HeartbeatChallenge", {"seed": seed, "online_target": online_target}))
