"""pallet_aura hook weights (it has no calls).

Source: polkadot-sdk `substrate/frame/aura/src/lib.rs` `on_initialize`, with the runtime's
RocksDbWeight (read 25_000_000, write 100_000_000): `reads_writes(2, 1)` when the block carries an
Aura pre-runtime digest, `reads(1)` when it does not.
"""

from __future__ import annotations

from runtime.support.weights import Weight

ON_INITIALIZE_WITH_SLOT = Weight(2 * 25_000_000 + 100_000_000, 0)
ON_INITIALIZE_NO_SLOT = Weight(25_000_000, 0)
