"""Transaction longevity: `sp_runtime::generic::Era` (the `CheckMortality` extension's explicit data).

Immortal encodes as `0x00`. Mortal{period, phase} encodes as a little-endian u16:
`min(max(trailing_zeros(period) - 1, 1), 15) | ((phase // quantize_factor) << 4)` with
`quantize_factor = max(period >> 12, 1)`. `period` is a power of two in [4, 65536] and `phase < period`;
decoding rejects anything else, as Substrate does ("Invalid period and phase").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from ..scale.errors import ScaleDecodeError, ScaleEncodeError

_U64_MAX: Final = (1 << 64) - 1


class EraDecodeError(ScaleDecodeError):
    """Era bytes are truncated or name an invalid period/phase."""


@dataclass(frozen=True, slots=True)
class Era:
    """`Era::Immortal` when `period == 0`, else `Era::Mortal(period, phase)`."""

    period: int = 0
    phase: int = 0

    IMMORTAL: ClassVar[Era]

    def __post_init__(self) -> None:
        if self.period == 0:
            if self.phase != 0:
                raise ScaleEncodeError("era: immortal era must have phase 0")
            return
        if not 4 <= self.period <= 65536 or self.period & (self.period - 1):
            raise ScaleEncodeError(f"era: period {self.period} is not a power of two in [4, 65536]")
        if not 0 <= self.phase < self.period:
            raise ScaleEncodeError(f"era: phase {self.phase} not below period {self.period}")
        if self.phase % max(self.period >> 12, 1):
            raise ScaleEncodeError(f"era: phase {self.phase} is not quantized for period {self.period}")

    @staticmethod
    def mortal(period: int, current: int) -> Era:
        """The mortal era Substrate builds for `period` blocks starting at block `current`.

        The period is rounded up to a power of two and clamped to [4, 65536]; the phase is
        `current % period` rounded down to the quantize factor.
        """
        if period < 0 or current < 0:
            raise ScaleEncodeError("era: period and current must be non-negative")
        rounded = 1 << max(period - 1, 0).bit_length()
        rounded = min(max(rounded, 4), 1 << 16)
        quantize = max(rounded >> 12, 1)
        phase = current % rounded // quantize * quantize
        return Era(rounded, phase)

    @property
    def is_immortal(self) -> bool:
        """True for `Era::Immortal`."""
        return self.period == 0

    def birth(self, current: int) -> int:
        """First block at which a transaction with this era is valid, seen from block `current`."""
        if self.period == 0:
            return 0
        return (max(current, self.phase) - self.phase) // self.period * self.period + self.phase

    def death(self, current: int) -> int:
        """First block at which a transaction with this era is no longer valid (u64::MAX if immortal)."""
        if self.period == 0:
            return _U64_MAX
        return self.birth(current) + self.period

    def encode(self) -> bytes:
        """SCALE: `0x00` or the two-byte mortal form."""
        if self.period == 0:
            return b"\x00"
        low = min(max((self.period & -self.period).bit_length() - 2, 1), 15)
        encoded = low | ((self.phase // max(self.period >> 12, 1)) << 4)
        return encoded.to_bytes(2, "little")

    @staticmethod
    def decode(data: bytes | memoryview, offset: int = 0) -> tuple[Era, int]:
        """Decode at `offset`; return (era, new offset). Rejects truncation and invalid period/phase."""
        if offset >= len(data):
            raise EraDecodeError("era: input truncated (no first byte)")
        first = data[offset]
        if first == 0:
            return IMMORTAL, offset + 1
        if offset + 2 > len(data):
            raise EraDecodeError("era: input truncated (mortal era needs two bytes)")
        encoded = first | (data[offset + 1] << 8)
        period = 2 << (encoded % 16)
        phase = (encoded >> 4) * max(period >> 12, 1)
        if period < 4 or phase >= period:
            raise EraDecodeError(f"era: invalid period {period} and phase {phase}")
        return Era(period, phase), offset + 2


IMMORTAL: Final = Era()
Era.IMMORTAL = IMMORTAL
