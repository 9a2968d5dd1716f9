"""Call weights of pallet_balances as the reference chain reports them (ref_time ps, proof_size bytes).

Measured with py-substrate-interface `get_payment_info(call, //Alice)` against the reference chain
(solochain-template-runtime spec 100 under chopsticks, /work/shared/reference-chain):

| call                                   | ref_time          | proof_size     |
|----------------------------------------|-------------------|----------------|
| transfer_allow_death                   | 173,363,000       | 3,593          |
| force_transfer                         | 299,944,000       | 6,196          |
| transfer_keep_alive                    | 163,159,000       | 3,593          |
| transfer_all (keep_alive true / false) | 172,385,000       | 3,593          |
| force_unreserve                        | 142,233,000       | 3,593          |
| upgrade_accounts(n) n=0,1,2,10,100     | 16,588,000 / 155,561,659 / 294,535,318 / 1,406,324,590 / 13,913,953,900 | 990 / 3,593 / 6,196 / 27,020 / 261,290 |
| force_set_balance                      | 144,929,000       | 3,593          |
| force_adjust_total_issuance            | 6,594,000         | 0              |
| burn keep_alive=true                   | 30,968,000        | 0              |
| burn keep_alive=false                  | 20,711,000        | 0              |

upgrade_accounts is exactly 16,588,000 + 138,973,659·n ref_time and 990 + 2,603·n proof. `burn` is
weighed the other way round from its name in FRAME (`keep_alive` picks `burn_allow_death`); the
figures above are what the chain charges.
"""

from __future__ import annotations

from runtime.support.weights import Weight

TRANSFER_ALLOW_DEATH = Weight(173_363_000, 3_593)
FORCE_TRANSFER = Weight(299_944_000, 6_196)
TRANSFER_KEEP_ALIVE = Weight(163_159_000, 3_593)
TRANSFER_ALL = Weight(172_385_000, 3_593)
FORCE_UNRESERVE = Weight(142_233_000, 3_593)
UPGRADE_ACCOUNTS_BASE = Weight(16_588_000, 990)
UPGRADE_ACCOUNTS_PER_ACCOUNT = Weight(138_973_659, 2_603)
FORCE_SET_BALANCE = Weight(144_929_000, 3_593)
FORCE_ADJUST_TOTAL_ISSUANCE = Weight(6_594_000, 0)
BURN_KEEP_ALIVE = Weight(30_968_000, 0)
BURN_ALLOW_DEATH = Weight(20_711_000, 0)

U64_MAX = (1 << 64) - 1


def upgrade_accounts(n: int) -> Weight:
    """Weight of `upgrade_accounts` for `n` accounts (saturating at u64::MAX per component)."""
    return Weight(min(UPGRADE_ACCOUNTS_BASE.ref_time + UPGRADE_ACCOUNTS_PER_ACCOUNT.ref_time * n, U64_MAX),
                  min(UPGRADE_ACCOUNTS_BASE.proof_size + UPGRADE_ACCOUNTS_PER_ACCOUNT.proof_size * n, U64_MAX))


def burn(keep_alive: bool) -> Weight:
    """Weight of `burn` (the reference chain's choice per `keep_alive`)."""
    return BURN_KEEP_ALIVE if keep_alive else BURN_ALLOW_DEATH
