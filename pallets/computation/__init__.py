"""PhalaComputation: worker computing sessions, heartbeats and gatekeeper settlements."""

from .api import SUBSIDY_ACCOUNT as SUBSIDY_ACCOUNT
from .api import TREASURY_ACCOUNT as TREASURY_ACCOUNT
from .api import pallet_id_account as pallet_id_account
from .pallet import PhalaComputation as PhalaComputation
