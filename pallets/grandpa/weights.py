"""pallet_grandpa weights: polkadot-sdk `substrate/frame/grandpa/src/default_weights.rs` (`WeightInfo for ()`,
which the solochain template uses) with RocksDbWeight (read 25_000_000, write 100_000_000).

`note_stalled` = 3 µs + 1 write = 103_000_000: confirmed with `payment_queryInfo` on the reference chain.
`report_equivocation(validator_count, max_nominators)` floors validator_count at 100; the template's
KeyOwnerProof is `sp_core::Void` (no validator count can be read), so the floor applies, and
MaxNominators = 0: 35 µs + 100·175 ns + reads(5) + 95 µs + 110 µs + reads(14) + writes(10) + reads(2)
= 1_782_500_000. The reference chain cannot price it (no such call can be encoded there).
"""

from __future__ import annotations

from runtime.support.weights import Weight

READ = 25_000_000
WRITE = 100_000_000
MICROS = 1_000_000
NANOS = 1_000


def report_equivocation(validator_count: int, max_nominators_per_validator: int) -> Weight:
    """FRAME's default weight of `report_equivocation` / `report_equivocation_unsigned`."""
    validators = max(validator_count, 100)
    ref_time = (35 * MICROS + 175 * NANOS * validators + 5 * READ
                + 95 * MICROS + 110 * MICROS + 25 * MICROS * max_nominators_per_validator
                + (14 + 3 * max_nominators_per_validator) * READ
                + (10 + 3 * max_nominators_per_validator) * WRITE
                + 2 * READ)
    return Weight(ref_time, 0)


REPORT_EQUIVOCATION = report_equivocation(0, 0)
NOTE_STALLED = Weight(3 * MICROS + WRITE, 0)
