"""PhalaPhatContracts: clusters, code uploads, contract instantiation, commands and contract results."""

from .pallet import PALLET_ORIGIN as PALLET_ORIGIN
from .pallet import PhalaPhatContracts as PhalaPhatContracts
from .types import cluster_account as cluster_account
from .types import cluster_id as cluster_id
from .types import command_topic as command_topic
from .types import contract_id as contract_id
