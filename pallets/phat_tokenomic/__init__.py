"""PhalaPhatTokenomic: stake PHA on a contract to raise its compute weight; unstaking refunds in full."""

from .pallet import PhalaPhatTokenomic as PhalaPhatTokenomic
from .types import ESCROW_ACCOUNT as ESCROW_ACCOUNT
from .types import weight_of as weight_of
