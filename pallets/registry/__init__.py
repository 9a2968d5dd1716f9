"""PhalaRegistry: workers, gatekeepers, contract/cluster keys, endpoints, allowlist and simulated attestation."""

from .attestation import ATTESTATION_AUTHORITY as ATTESTATION_AUTHORITY
from .pallet import PhalaRegistry as PhalaRegistry
