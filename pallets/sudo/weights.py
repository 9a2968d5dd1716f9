"""pallet_sudo weights, measured on the reference chain (solochain-template-runtime, `payment_queryInfo`).

Each total is `Weight::from_parts(base, 1517) + reads(1)` (+ writes(1) for set_key/remove_key) with
RocksDbWeight (read 25_000_000, write 100_000_000). For `sudo` and `sudo_as` the reference charged
these plus the inner call's weight: sudo(System.remark(b"")) = 36_866_744 = 35_729_000 + 1_137_744,
sudo(Grandpa.note_stalled) = 138_729_000 = 35_729_000 + 103_000_000.
"""

from __future__ import annotations

from runtime.support.weights import Weight

SUDO = Weight(35_729_000, 1_517)  # base 10_729_000 + 1 read
SUDO_AS = Weight(36_003_000, 1_517)  # base 11_003_000 + 1 read
SET_KEY = Weight(134_663_000, 1_517)  # base 9_663_000 + 1 read + 1 write
REMOVE_KEY = Weight(134_127_000, 1_517)  # base 9_127_000 + 1 read + 1 write
