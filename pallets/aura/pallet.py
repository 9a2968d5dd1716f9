"""pallet_aura: `Authorities` (sr25519 keys) and `CurrentSlot`, plus the slot checks FRAME runs.

Every block carries a `PreRuntime(b"aura", SCALE(slot: u64))` digest. `on_initialize` reads it,
checks that the slot increases (the solochain template sets `AllowMultipleBlocksPerSlot = false`)
and stores it; `on_timestamp_set` (called by Timestamp.set) checks that `now / SlotDuration` is that
slot. Where FRAME panics this pallet raises `InvalidSlot`, which is not a DispatchError: the executive
must reject the block. The block author for a slot is `authorities[slot % len]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.account import account_id
from runtime.primitives.types import AuraAuthorityId, Slot
from runtime.scale import U64, Field, Struct, Vec
from runtime.support import Pallet, StorageValue, constant
from runtime.support.weights import Weight

from . import weights

AURA_ENGINE_ID = b"aura"
SLOT_DURATION = 6_000
"""Milliseconds per slot (the solochain template's MILLI_SECS_PER_BLOCK)."""
MAX_AUTHORITIES = 32

AuthoritiesVec = Struct(
    ("bounded_collections", "bounded_vec", "BoundedVec"),
    (Field(None, Vec(AuraAuthorityId), "Vec<T>"),),
    params=(("T", AuraAuthorityId), ("S", None)),
)


class InvalidSlot(Exception):
    """A FRAME panic in pallet_aura (slot not increasing, timestamp/slot mismatch): the block is invalid."""


def pre_digest(slot: int) -> tuple[str, tuple[bytes, bytes]]:
    """The `PreRuntime` digest item a block author puts in the header for `slot` (DigestItem value)."""
    return ("PreRuntime", (AURA_ENGINE_ID, slot.to_bytes(8, "little")))


def slot_from_digest(logs: Iterable[Any]) -> int | None:
    """The slot of the first Aura pre-runtime log, or None (also None when its data is under 8 bytes)."""
    for item in logs:
        if isinstance(item, tuple) and item[0] == "PreRuntime":
            engine, data = item[1]
            if bytes(engine) == AURA_ENGINE_ID:
                return int.from_bytes(data[:8], "little") if len(data) >= 8 else None
    return None


class Aura(Pallet, name="Aura", rust_module="pallet_aura"):
    """Aura consensus bookkeeping: the authority set and the slot of the current block."""

    SlotDuration = constant(
        U64, SLOT_DURATION,
        "The slot duration Aura should run with, expressed in milliseconds.\n"
        "The effective value of this type should not change while the chain is running.\n\n"
        "For backwards compatibility either use [`MinimumPeriodTimesTwo`] or a const.")

    Authorities = StorageValue(AuthoritiesVec, default={"0": ()}, doc="The current authority set.")
    CurrentSlot = StorageValue(Slot, default={"0": 0},
                               doc="The current slot of this block.\n\nThis will be set in `on_initialize`.")

    # -- hooks ----------------------------------------------------------------------------------------

    def on_initialize(self, n: int) -> Weight:
        """Store the digest's slot in CurrentSlot; InvalidSlot unless it is above the previous one."""
        new_slot = slot_from_digest(self.rt.System.Digest.get()["logs"])
        if new_slot is None:
            return weights.ON_INITIALIZE_NO_SLOT
        current = self.current_slot()
        if not current < new_slot:
            raise InvalidSlot(f"Slot must increase (current {current}, new {new_slot})")
        self.CurrentSlot.put({"0": new_slot})
        return weights.ON_INITIALIZE_WITH_SLOT

    def on_timestamp_set(self, moment: int) -> None:
        """OnTimestampSet: `moment / SlotDuration` must equal CurrentSlot, else InvalidSlot."""
        timestamp_slot = moment // self.SlotDuration
        if self.current_slot() != timestamp_slot:
            raise InvalidSlot(f"Timestamp slot must match `CurrentSlot` ({timestamp_slot} != {self.current_slot()})")

    # -- API (AuraApi and the block author) -----------------------------------------------------------

    def authorities(self) -> list[bytes]:
        """The current authority set (AuraApi_authorities)."""
        return list(self.Authorities.get()["0"])

    def slot_duration(self) -> int:
        """Milliseconds per slot (AuraApi_slot_duration)."""
        return int(self.SlotDuration)

    def current_slot(self) -> int:
        """The slot of the current block (0 before the first block)."""
        return int(self.CurrentSlot.get()["0"])

    def slot_author(self, slot: int) -> bytes | None:
        """The authority expected to author `slot`: authorities[slot % len], or None with no authorities."""
        authorities = self.authorities()
        if not authorities:
            return None
        return authorities[slot % len(authorities)]

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """Genesis: `{"authorities": [ss58 or 0x-hex sr25519 keys]}`; empty leaves Authorities unset."""
        write_storage_version(self, 0)
        authorities = [account_id(a) for a in (config or {}).get("authorities", ())]
        if authorities:
            if self.authorities():
                raise ValueError("Aura genesis: authorities are already initialized")
            self._put_authorities(authorities)

    def _put_authorities(self, authorities: Sequence[bytes]) -> None:
        if len(authorities) > MAX_AUTHORITIES:
            raise ValueError(f"Aura: {len(authorities)} authorities exceed MaxAuthorities {MAX_AUTHORITIES}")
        self.Authorities.put({"0": tuple(authorities)})

