"""pallet_utility weights: polkadot-sdk `substrate/frame/utility/src/weights.rs` (`SubstrateWeight`,
benchmarked 2024-11-08) with this runtime's RocksDbWeight (read 25_000_000, write 100_000_000).

Utility is not in the reference chain, so these are the upstream benchmark figures, not measured:
batch(c) = 19_388_813 + 4_591_113·c + reads(2), proof 3_997
batch_all(c) = 22_628_420 + 4_797_007·c + reads(2), proof 3_997
force_batch(c) = 23_270_604 + 4_570_923·c + reads(2), proof 3_997
as_derivative = 10_896_000 + reads(2), proof 3_997 (the call adds reads_writes(1, 1) itself)
dispatch_as = 6_985_000, proof 0
"""

from __future__ import annotations

from runtime.support.weights import Weight

READ = 25_000_000
WRITE = 100_000_000


def batch(c: int) -> Weight:
    """WeightInfo::batch(c)."""
    return Weight(19_388_813 + 4_591_113 * c + 2 * READ, 3_997)


def batch_all(c: int) -> Weight:
    """WeightInfo::batch_all(c)."""
    return Weight(22_628_420 + 4_797_007 * c + 2 * READ, 3_997)


def force_batch(c: int) -> Weight:
    """WeightInfo::force_batch(c)."""
    return Weight(23_270_604 + 4_570_923 * c + 2 * READ, 3_997)


AS_DERIVATIVE = Weight(10_896_000 + 2 * READ, 3_997)
AS_DERIVATIVE_ACCOUNT_DATA = Weight(READ + WRITE, 0)  # reads_writes(1, 1) for the inner origin's AccountData
DISPATCH_AS = Weight(6_985_000, 0)
