"""PhalaStakePoolv2: worker stake pools (BasePool folded in) with a share ledger and native PHA."""

from .accounts import lock_account as lock_account
from .accounts import owner_reward_account as owner_reward_account
from .accounts import pool_account as pool_account
from .accounts import pool_sub_account as pool_sub_account
from .base_pool import share_price as share_price
from .pallet import PhalaStakePoolv2 as PhalaStakePoolv2
