"""The node's persistent chain database on LMDB: blocks, canonical chain, best state and its history.

Public API re-exported here (trio style); see `node.db.chain_db` for semantics and `node.db.schema` for
the on-disk layout.
"""

from __future__ import annotations

from .chain_db import ChainDB as ChainDB
from .chain_db import db_path as db_path
from .chain_db import purge as purge
from .commits import BlockCommit as BlockCommit
from .commits import GenesisCommit as GenesisCommit
from .errors import BlockExists as BlockExists
from .errors import ChainDBError as ChainDBError
from .errors import Corruption as Corruption
from .errors import FinalityReversal as FinalityReversal
from .errors import GenesisMismatch as GenesisMismatch
from .errors import InvalidCommit as InvalidCommit
from .errors import NoGenesis as NoGenesis
from .errors import NotCanonical as NotCanonical
from .errors import SchemaVersionMismatch as SchemaVersionMismatch
from .errors import UnknownBlock as UnknownBlock
