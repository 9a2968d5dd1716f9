"""Chain specs: the `ChainSpec` type, the built-in `dev` / `local` specs, JSON I/O and genesis block 0.

`load("dev" | "local" | path)` gives a `ChainSpec`; `spec.to_json(raw)` prints it as Substrate's
`build-spec` does; `runnable_genesis_storage(spec, assembly)` and `genesis_header(storage)` give block 0.
"""

from __future__ import annotations

from .builders import BUILTIN_IDS, DEFAULT_PROPERTIES, chain_id_of, dev, load, local
from .errors import ChainSpecError, ForeignRuntimeError
from .genesis import (
    CODE_KEY,
    check_runtime_code,
    describe_code,
    genesis_header,
    genesis_storage,
    runnable_genesis_storage,
)
from .spec import ChainSpec, ChainType, Genesis, RawGenesis, RuntimeGenesis, from_json

__all__ = [
    "BUILTIN_IDS",
    "CODE_KEY",
    "DEFAULT_PROPERTIES",
    "ChainSpec",
    "ChainSpecError",
    "ChainType",
    "ForeignRuntimeError",
    "Genesis",
    "RawGenesis",
    "RuntimeGenesis",
    "chain_id_of",
    "check_runtime_code",
    "describe_code",
    "dev",
    "from_json",
    "genesis_header",
    "genesis_storage",
    "load",
    "local",
    "runnable_genesis_storage",
]
