"""Stand-ins for PhalaMq and PhalaRegistry (written in parallel elsewhere) with Phala's storage layout.

Tests write worker records straight into `PhalaRegistry.Workers` (Twox64Concat pubkey → WorkerInfoV2),
`WorkerAddedAt` and `GatekeeperLaunchedAt`, so they keep working when the real registry replaces this
stand-in. `PhalaMq.push_bound_message` appends to `OutboundMessages` like the real one.
"""

from __future__ import annotations

from typing import Any

from pallets.computation.types import WorkerPublicKey
from runtime.primitives.types import AccountId
from runtime.scale import U8, U32, U64, ByteArray, Bytes, Enum, Field, Option, Struct, Tuple, Variant, Vec
from runtime.support import Pallet, StorageMap, StorageValue, Twox64Concat

MessageOrigin = Enum(("phala_mq", "types", "MessageOrigin"), (
    Variant("Pallet", 0, (Field(None, Bytes),)),
    Variant("Contract", 1, (Field(None, ByteArray(32)),)),
    Variant("Worker", 2, (Field(None, WorkerPublicKey),)),
    Variant("AccountId", 3, (Field(None, ByteArray(32)),)),
    Variant("MultiLocation", 4, (Field(None, Bytes),)),
    Variant("Gatekeeper", 5),
    Variant("Cluster", 6, (Field(None, ByteArray(32)),)),
    Variant("Reserved", 255),
))
Message = Struct(("phala_mq", "types", "Message"), (
    Field("sender", MessageOrigin), Field("destination", Bytes), Field("payload", Bytes)))

AttestationProvider = Enum(("phala_types", "AttestationProvider"), (Variant("Root", 0), Variant("Ias", 1),
                                                                   Variant("Dcap", 2)))
WorkerInfoV2 = Struct(("phala_pallets", "registry", "pallet", "WorkerInfoV2"), (
    Field("pubkey", WorkerPublicKey),
    Field("ecdh_pubkey", ByteArray(32)),
    Field("runtime_version", U32),
    Field("last_updated", U64),
    Field("operator", Option(AccountId)),
    Field("attestation_provider", Option(AttestationProvider)),
    Field("confidence_level", U8),
    Field("initial_score", Option(U32)),
    Field("features", Vec(U32)),
))


class PhalaMq(Pallet, name="PhalaMq", rust_module="phala_pallets::mq::pallet"):
    """Test stand-in: only the outbound queue."""

    OutboundMessages = StorageValue(Vec(Message), default=())

    def push_bound_message(self, origin: Any, topic: bytes, payload: bytes) -> None:
        """Append a message to this block's outbound queue."""
        msgs = list(self.OutboundMessages.get())
        msgs.append({"sender": origin, "destination": topic, "payload": payload})
        self.OutboundMessages.put(msgs)


class PhalaRegistry(Pallet, name="PhalaRegistry", rust_module="phala_pallets::registry::pallet"):
    """Test stand-in: the registry items PhalaComputation reads."""

    GatekeeperLaunchedAt = StorageValue(Tuple((U32, U64)))
    Workers = StorageMap(Twox64Concat, WorkerPublicKey, WorkerInfoV2)
    WorkerAddedAt = StorageMap(Twox64Concat, WorkerPublicKey, U32)

    def worker(self, pubkey: bytes) -> dict[str, Any] | None:
        """Workers[pubkey]."""
        return self.Workers.get(pubkey)  # type: ignore[no-any-return]
