"""frame_system: accounts, block bookkeeping and events."""

from .pallet import System as System
from .types import AccountInfo as AccountInfo
