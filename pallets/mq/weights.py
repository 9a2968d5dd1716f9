"""PhalaMq call weights: Phala's `Weight::from_parts(10_000, 0) + T::DbWeight::get().writes(1)` for every call.

With the runtime's RocksDbWeight (write = 100_000_000 ref_time, see pallets/system/limits.py) that is
100_010_000 ref_time and no proof size.
"""

from __future__ import annotations

from runtime.support import Weight

_DB_WRITE = 100_000_000

SYNC_OFFCHAIN_MESSAGE = Weight(10_000 + _DB_WRITE, 0)
PUSH_MESSAGE = Weight(10_000 + _DB_WRITE, 0)
FORCE_PUSH_PALLET_MESSAGE = Weight(10_000 + _DB_WRITE, 0)
