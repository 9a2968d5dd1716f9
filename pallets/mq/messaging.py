"""Chain → worker payload types shared by the Phala pallets (phala-types `messaging`) and the topic table of §9.

Owns the SCALE shapes of the messages pallets push to workers through `OutboundMessages`:
`SystemEvent` (`WorkerEvent` per worker, `HeartbeatChallenge`), `GatekeeperLaunch`, `GatekeeperChange`, and the
exact topic byte strings each payload is bound to (`bind_topic!`). Consumers (registry, computation, the
off-chain worker) encode/decode with these objects so both sides agree byte for byte.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import U8, U32, U64, U128, U256, Enum, Field, Struct, Variant, Vec

from .types import Sr25519Public

# -- topics (bind_topic!) ------------------------------------------------------------------------------

TOPIC_SYSTEM_EVENT = b"phala/system/event"
TOPIC_MINING_REPORT = b"phala/mining/report"
TOPIC_MINING_UPDATE = b"^phala/mining/update"
TOPIC_REGISTRY_EVENT = b"^phala/registry/event"
TOPIC_REGISTRY_GK_EVENT = b"^phala/registry/gk_event"
TOPIC_GATEKEEPER_LAUNCH = b"phala/gatekeeper/launch"
TOPIC_GATEKEEPER_CHANGE = b"phala/gatekeeper/change"
TOPIC_GATEKEEPER_KEY = b"phala/gatekeeper/key"
TOPIC_GATEKEEPER_EVENT = b"phala/gatekeeper/event"
TOPIC_CLUSTER_EVENT = b"phala/cluster/event"
TOPIC_CLUSTER_KEY = b"phala/cluster/key"
TOPIC_CONTRACT_OP = b"phala/contract/op"
TOPIC_CLUSTER_WORKER_REPORT = b"phala/cluster/worker/report"
TOPIC_REGISTRY_CLUSTER = b"^phala/registry/cluster"
TOPIC_REGISTRY_CONTRACT = b"^phala/registry/contract"

_M = ("phala_types", "messaging")

# -- SystemEvent ---------------------------------------------------------------------------------------

WorkerInfoMsg = Struct(_M + ("WorkerInfo",), (Field("confidence_level", U8, "u8"),))

WorkerEvent = Enum(_M + ("WorkerEvent",), (
    Variant("Registered", 0, (Field(None, WorkerInfoMsg, "WorkerInfo"),)),
    Variant("BenchStart", 1, (Field("duration", U32, "u32"),)),
    Variant("BenchScore", 2, (Field(None, U32, "u32"),)),
    Variant("Started", 3, (Field("session_id", U32, "u32"), Field("init_v", U128, "U64F64Bits"),
                           Field("init_p", U32, "u32"))),
    Variant("Stopped", 4),
    Variant("EnterUnresponsive", 5),
    Variant("ExitUnresponsive", 6),
))

WorkerEventWithKey = Struct(_M + ("WorkerEventWithKey",), (
    Field("pubkey", Sr25519Public, "WorkerPublicKey"), Field("event", WorkerEvent, "WorkerEvent"),
))

HeartbeatChallenge = Struct(_M + ("HeartbeatChallenge",), (
    Field("seed", U256, "U256"), Field("online_target", U256, "U256"),
))

SystemEvent = Enum(_M + ("SystemEvent",), (
    Variant("WorkerEvent", 0, (Field(None, WorkerEventWithKey, "WorkerEventWithKey"),)),
    Variant("HeartbeatChallenge", 1, (Field(None, HeartbeatChallenge, "HeartbeatChallenge"),)),
))

# -- Gatekeeper launch / change ------------------------------------------------------------------------

NewGatekeeperEvent = Struct(_M + ("NewGatekeeperEvent",), (
    Field("pubkey", Sr25519Public, "WorkerPublicKey"), Field("ecdh_pubkey", Sr25519Public, "EcdhPublicKey"),
))
RemoveGatekeeperEvent = Struct(_M + ("RemoveGatekeeperEvent",), (Field("pubkey", Sr25519Public, "WorkerPublicKey"),))
MasterPubkeyEvent = Struct(_M + ("MasterPubkeyEvent",), (Field("master_pubkey", Sr25519Public, "MasterPublicKey"),))
WorkerIdentity = Struct(("phala_types", "WorkerIdentity"), (
    Field("pubkey", Sr25519Public, "WorkerPublicKey"), Field("ecdh_pubkey", Sr25519Public, "EcdhPublicKey"),
))
RotateMasterKeyEvent = Struct(_M + ("RotateMasterKeyEvent",), (
    Field("rotation_id", U64, "u64"), Field("gk_identities", Vec(WorkerIdentity), "Vec<WorkerIdentity>"),
))

GatekeeperLaunch = Enum(_M + ("GatekeeperLaunch",), (
    Variant("FirstGatekeeper", 0, (Field(None, NewGatekeeperEvent, "NewGatekeeperEvent"),)),
    Variant("MasterPubkeyOnChain", 1, (Field(None, MasterPubkeyEvent, "MasterPubkeyEvent"),)),
    Variant("RotateMasterKey", 2, (Field(None, RotateMasterKeyEvent, "RotateMasterKeyEvent"),)),
    Variant("MasterPubkeyRotated", 3, (Field(None, MasterPubkeyEvent, "MasterPubkeyEvent"),)),
))

GatekeeperChange = Enum(_M + ("GatekeeperChange",), (
    Variant("Registered", 0, (Field(None, NewGatekeeperEvent, "NewGatekeeperEvent"),)),
    Variant("Unregistered", 1, (Field(None, RemoveGatekeeperEvent, "RemoveGatekeeperEvent"),)),
))


# -- builders (SystemEvent::new_worker_event etc.) ----------------------------------------------------


def worker_event(pubkey: bytes, event: Any) -> bytes:
    """SCALE of `SystemEvent::WorkerEvent(WorkerEventWithKey{pubkey, event})`."""
    return SystemEvent.encode(("WorkerEvent", {"pubkey": pubkey, "event": event}))


def registered(pubkey: bytes, confidence_level: int) -> bytes:
    """`WorkerEvent::Registered(WorkerInfo{confidence_level})` for `pubkey`."""
    return worker_event(pubkey, ("Registered", {"confidence_level": confidence_level}))


def bench_start(pubkey: bytes, duration: int) -> bytes:
    """`WorkerEvent::BenchStart{duration}` for `pubkey`."""
    return worker_event(pubkey, ("BenchStart", {"duration": duration}))


def bench_score(pubkey: bytes, score: int) -> bytes:
    """`WorkerEvent::BenchScore(score)` for `pubkey`."""
    return worker_event(pubkey, ("BenchScore", score))


def first_gatekeeper(pubkey: bytes, ecdh_pubkey: bytes) -> bytes:
    """`GatekeeperLaunch::FirstGatekeeper{pubkey, ecdh_pubkey}`."""
    return GatekeeperLaunch.encode(("FirstGatekeeper", {"pubkey": pubkey, "ecdh_pubkey": ecdh_pubkey}))


def master_pubkey_on_chain(master_pubkey: bytes) -> bytes:
    """`GatekeeperLaunch::MasterPubkeyOnChain{master_pubkey}`."""
    return GatekeeperLaunch.encode(("MasterPubkeyOnChain", {"master_pubkey": master_pubkey}))


def gatekeeper_registered(pubkey: bytes, ecdh_pubkey: bytes) -> bytes:
    """`GatekeeperChange::Registered{pubkey, ecdh_pubkey}`."""
    return GatekeeperChange.encode(("Registered", {"pubkey": pubkey, "ecdh_pubkey": ecdh_pubkey}))


def gatekeeper_unregistered(pubkey: bytes) -> bytes:
    """`GatekeeperChange::Unregistered{pubkey}`."""
    return GatekeeperChange.encode(("Unregistered", {"pubkey": pubkey}))
