"""pallet_aura: the Aura authority set and the current slot, read from the block's pre-runtime digest."""

from .pallet import AURA_ENGINE_ID as AURA_ENGINE_ID
from .pallet import Aura as Aura
from .pallet import InvalidSlot as InvalidSlot
from .pallet import pre_digest as pre_digest
