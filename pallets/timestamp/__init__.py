"""pallet_timestamp: the block's on-chain time, set once per block by an inherent."""

from .pallet import MAX_TIMESTAMP_DRIFT_MILLIS as MAX_TIMESTAMP_DRIFT_MILLIS
from .pallet import InherentError as InherentError
from .pallet import InvalidTimestamp as InvalidTimestamp
from .pallet import Timestamp as Timestamp
