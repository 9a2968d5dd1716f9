"""Weights and dispatch info (sp_weights, frame_support::dispatch): what a call costs and who pays."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


@dataclass(frozen=True, slots=True)
class Weight:
    """Two-dimensional weight: execution time (picoseconds) and proof size (bytes)."""

    ref_time: int = 0
    proof_size: int = 0

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.ref_time + other.ref_time, self.proof_size + other.proof_size)

    def saturating_add(self, other: Weight) -> Weight:
        """Add, clamping each component at u64::MAX."""
        cap = (1 << 64) - 1
        return Weight(min(self.ref_time + other.ref_time, cap), min(self.proof_size + other.proof_size, cap))

    def all_lte(self, other: Weight) -> bool:
        """True when both components are within `other`."""
        return self.ref_time <= other.ref_time and self.proof_size <= other.proof_size

    def to_scale_value(self) -> dict[str, int]:
        """The value the `Weight` type object encodes."""
        return {"ref_time": self.ref_time, "proof_size": self.proof_size}


ZERO_WEIGHT = Weight()


class DispatchClass(IntEnum):
    """frame_support::dispatch::DispatchClass."""

    Normal = 0
    Operational = 1
    Mandatory = 2


class Pays(IntEnum):
    """frame_support::dispatch::Pays."""

    Yes = 0
    No = 1


@dataclass(frozen=True, slots=True)
class DispatchInfo:
    """Weight, class and fee liability of one dispatch."""

    weight: Weight
    dispatch_class: DispatchClass = DispatchClass.Normal
    pays_fee: Pays = Pays.Yes

    def to_scale_value(self) -> dict[str, object]:
        """The value the `DispatchEventInfo` type object encodes."""
        return {"weight": self.weight.to_scale_value(), "class": (self.dispatch_class.name, None),
                "pays_fee": (self.pays_fee.name, None)}
