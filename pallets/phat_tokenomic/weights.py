"""Call weights of PhalaPhatTokenomic: documented estimates, because Phala declares `weight({0})`.

adjust_stake reads MinStake, ContractTotalStakes, ContractUserStakes, Contracts, Clusters and both
balances (7 reads) and writes both stake maps, both balances and one outbound message (5 writes), with
RocksDbWeight (read 25 µs, write 100 µs) over a 20 µs base. set_min_stake is one write.
"""

from __future__ import annotations

from runtime.support.weights import Weight

READ = 25_000_000
WRITE = 100_000_000
BASE = 20_000_000

ADJUST_STAKE = Weight(BASE + 7 * READ + 5 * WRITE, 7 * 3_600)
SET_MIN_STAKE = Weight(BASE + WRITE, 0)
