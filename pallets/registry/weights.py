"""PhalaRegistry call weights, from registry.rs.

Governance calls: `Weight::from_parts(10_000, 0) + T::DbWeight::get().writes(1)` = 100_010_000 ref_time
with the runtime's RocksDbWeight. `register_worker_v2`, `update_worker_endpoint`, `add_pruntime` and
`remove_pruntime` are declared `#[pallet::weight({0})]` in Phala: only the base extrinsic weight and the
length fee are charged.
"""

from __future__ import annotations

from runtime.support import Weight

GOVERNANCE = Weight(10_000 + 100_000_000, 0)
FREE = Weight(0, 0)
