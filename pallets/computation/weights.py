"""PhalaComputation call weights: Phala's declared figures (computation.rs has no benchmarked weights.rs).

`set_cool_down_expiration` and `unbind` are declared `#[pallet::weight({0})]`; the root/test calls
`Weight::from_parts(1, 0)`. Fees are therefore base + length only, as on Phala.
"""

from __future__ import annotations

from runtime.support.weights import Weight

ZERO = Weight(0, 0)
ONE = Weight(1, 0)
