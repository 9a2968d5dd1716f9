"""phala-mq wire types (crates/phala-mq/src/types.rs) and the small pure helpers every Phala pallet shares.

Owns: `MessageOrigin` (same variants and indices as Phala, `Reserved` = 255), `Topic` (a newtype over
`Vec<u8>` whose Python value is plain bytes), `Message`, `SignedMessage`, the bytes a sender signs
(`SCALE((message, sequence))`, MqMessage content is not wrapped, phala-types `wrap_content_to_sign`), and
origin/topic predicates (`is_offchain`, `topic_is_valid`, `topic_is_offchain`).

Values follow the codec's conventions: an origin is `("Worker", pubkey)`, `("Gatekeeper", None)`,
`("Pallet", b"PhalaRegistry")` …; a message is a dict `{"sender", "destination", "payload"}`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from runtime.primitives.types import H256
from runtime.scale import U64, ByteArray, Bytes, Enum, Field, ScaleType, Struct, Variant
from runtime.scale.registry import TypeInfo, TypeRegistry
from runtime.scale.types import Buf


class BytesNewtype(ScaleType[bytes]):
    """A Rust newtype over `Vec<u8>` (e.g. `Topic(Path)`): encodes as Vec<u8>, described as a named composite."""

    __slots__ = ("path", "type_name")

    def __init__(self, path: tuple[str, ...], type_name: str) -> None:
        self.path = path
        self.type_name = type_name

    def encode(self, value: bytes) -> bytes:
        return Bytes.encode(value)

    def decode_at(self, data: Buf, offset: int) -> tuple[bytes, int]:
        return Bytes.decode_at(data, offset)

    def describe(self) -> str:
        return self.path[-1]

    def type_info(self, registry: TypeRegistry) -> TypeInfo:
        return registry.composite(self.path, (), ((None, Bytes, self.type_name),))


Sr25519Public = ByteArray(32, ("sp_core", "sr25519", "Public"), "[u8; 32]")
"""sp_core::sr25519::Public: WorkerPublicKey, EcdhPublicKey, MasterPublicKey, ContractPublicKey, ClusterPublicKey."""

MessageOrigin = Enum(("phala_mq", "types", "MessageOrigin"), (
    Variant("Pallet", 0, (Field(None, Bytes, "Vec<u8>"),), ("Runtime pallets (identified by pallet name)",)),
    Variant("Contract", 1, (Field(None, H256, "ContractId"),), ("A confidential contract",)),
    Variant("Worker", 2, (Field(None, Sr25519Public, "sp_core::sr25519::Public"),), ("A pRuntime worker",)),
    Variant("AccountId", 3, (Field(None, H256, "AccountId"),), ("A user",)),
    Variant("MultiLocation", 4, (Field(None, Bytes, "Vec<u8>"),), ("A remote location (parachain, etc.)",)),
    Variant("Gatekeeper", 5, (), ("All gatekeepers share the same origin",)),
    Variant("Cluster", 6, (Field(None, H256, "ContractClusterId"),), ("A contract cluster",)),
    Variant("Reserved", 255, (), ("Reserved, we use this prefix to indicate the signed content is not a mq message",)),
), docs=("The origin of a Phala message",))

Topic = BytesNewtype(("phala_mq", "types", "Topic"), "Path")

Message = Struct(("phala_mq", "types", "Message"), (
    Field("sender", MessageOrigin, "SenderId"),
    Field("destination", Topic, "Topic"),
    Field("payload", Bytes, "Vec<u8>"),
))

SignedMessage = Struct(("phala_mq", "types", "SignedMessage"), (
    Field("message", Message, "Message"),
    Field("sequence", U64, "u64"),
    Field("signature", Bytes, "Vec<u8>"),
))

_TOPIC_RESERVED = b"~!@#$%&*_+-=|<>?,./;:'"
_OFFCHAIN_ORIGINS = frozenset({"Cluster", "Contract", "Worker", "Gatekeeper"})


class SignedContentType(IntEnum):
    """phala-types SignedContentType: the domain-separation byte of signed content."""

    MqMessage = 0
    RpcResponse = 1
    EndpointInfo = 2
    MasterKeyRotation = 3
    MasterKeyStore = 4
    ClusterStateRequest = 5
    EventChainBlock = 6
    SimulatedAttestation = 7
    """Our extension (not in Phala): the body of a simulated attestation report (PhalaRegistry)."""


def wrap_content_to_sign(data: bytes, sigtype: SignedContentType) -> bytes:
    """phala-types `wrap_content_to_sign`: MqMessage raw, anything else `0xff ++ type ++ data`."""
    if sigtype == SignedContentType.MqMessage:
        return data
    return b"\xff" + bytes((int(sigtype),)) + data


# -- origins ------------------------------------------------------------------------------------------


def origin_name(origin: Any) -> str:
    """The variant name of an origin value (`"Worker"`, `"Gatekeeper"` …)."""
    return origin if isinstance(origin, str) else str(origin[0])


def normalize_origin(origin: Any) -> tuple[str, Any]:
    """The canonical `(name, payload)` form of an origin value (`"Gatekeeper"` → `("Gatekeeper", None)`)."""
    value: tuple[str, Any] = MessageOrigin.decode(MessageOrigin.encode(origin))
    return value


def is_offchain(origin: Any) -> bool:
    """MessageOrigin::is_offchain: Cluster, Contract, Worker or Gatekeeper."""
    return origin_name(origin) in _OFFCHAIN_ORIGINS


def is_gatekeeper(origin: Any) -> bool:
    """MessageOrigin::is_gatekeeper."""
    return origin_name(origin) == "Gatekeeper"


def pallet_origin(name: str) -> tuple[str, bytes]:
    """MessageOrigin::Pallet(name) (MessageOriginInfo::message_origin)."""
    return ("Pallet", name.encode())


def worker_origin(pubkey: bytes) -> tuple[str, bytes]:
    """MessageOrigin::Worker(pubkey)."""
    return ("Worker", bytes(pubkey))


def account_origin(who: bytes) -> tuple[str, bytes]:
    """MessageOrigin::AccountId(H256(who)): what `push_message` sends as."""
    return ("AccountId", bytes(who))


GATEKEEPER: tuple[str, None] = ("Gatekeeper", None)
"""MessageOrigin::Gatekeeper."""


# -- topics -------------------------------------------------------------------------------------------


def topic_is_valid(topic: bytes) -> bool:
    """Topic::is_valid: non-empty and the first byte not reserved."""
    return len(topic) > 0 and topic[0] not in _TOPIC_RESERVED


def topic_is_offchain(topic: bytes) -> bool:
    """Topic::is_offchain: valid and not starting with `^` (so workers see it in OutboundMessages)."""
    return topic_is_valid(topic) and topic[0] != ord("^")


def command_topic(contract_id: bytes) -> bytes:
    """phala-types `command_topic`: `phala/contract/<hex id, no 0x>/command`."""
    return b"phala/contract/" + bytes(contract_id).hex().encode() + b"/command"


# -- messages -----------------------------------------------------------------------------------------


def make_message(sender: Any, destination: bytes, payload: bytes) -> dict[str, Any]:
    """A `Message` value."""
    return {"sender": normalize_origin(sender), "destination": bytes(destination), "payload": bytes(payload)}


def data_to_sign(message: dict[str, Any], sequence: int) -> bytes:
    """SignedMessage::data_be_signed: `SCALE((message, sequence))`, unwrapped (SignedContentType::MqMessage)."""
    return wrap_content_to_sign(Message.encode(message) + U64.encode(sequence), SignedContentType.MqMessage)


__all__ = [
    "GATEKEEPER", "BytesNewtype", "Message", "MessageOrigin", "SignedContentType", "SignedMessage",
    "Sr25519Public", "Topic", "account_origin", "command_topic", "data_to_sign", "is_gatekeeper", "is_offchain",
    "make_message", "normalize_origin", "origin_name", "pallet_origin", "topic_is_offchain", "topic_is_valid",
    "worker_origin", "wrap_content_to_sign",
]
