"""pallet_timestamp weights, as the reference solochain runtime charges them.

Source: `payment_queryInfo` of `Timestamp.set` on the reference chain (solochain-template-runtime,
`WeightInfo = ()`): ref_time 158_684_000, proof_size 1_493 = polkadot-sdk `weights.rs`
`set()` = 8_684_000 + 2 reads + 1 write with RocksDbWeight (read 25_000_000, write 100_000_000).
`on_finalize()` is the same file's 4_118_000 (charged from `on_initialize`).
"""

from __future__ import annotations

from runtime.support.weights import Weight

SET = Weight(8_684_000 + 2 * 25_000_000 + 100_000_000, 1_493)
ON_FINALIZE = Weight(4_118_000, 0)
