"""pallet_utility: batched dispatch (batch, batch_all, force_batch) and pseudonymous or re-originated dispatch."""

from .origin import OriginCaller as OriginCaller
from .origin import derivative_account_id as derivative_account_id
from .pallet import Utility as Utility
