"""PhalaStakePoolv2 call weights: Phala's declared figures (`#[pallet::weight({0})]` on every call but
`restart_computing`, which declares `Weight::from_parts(195_000_000, 0)`)."""

from __future__ import annotations

from runtime.support.weights import Weight

ZERO = Weight(0, 0)
RESTART_COMPUTING = Weight(195_000_000, 0)
