"""The runtime's version (sp_version::RuntimeVersion) and the runtime-API ids it advertises.

Clients read it three ways that must agree: `state_getRuntimeVersion`, the `Core_version` runtime API
and the `System.Version` constant (PAPI signs with the constant). API ids are blake2_64 of the trait
name, as `decl_runtime_apis!` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.primitives.hashing import blake2_64
from runtime.primitives.types import RuntimeVersionType

API_VERSIONS: tuple[tuple[str, int], ...] = (
    ("Core", 5),
    ("Metadata", 2),
    ("BlockBuilder", 6),
    ("TaggedTransactionQueue", 3),
    ("OffchainWorkerApi", 2),
    ("AuraApi", 1),
    ("SessionKeys", 1),
    ("GrandpaApi", 3),
    ("AccountNonceApi", 1),
    ("TransactionPaymentApi", 4),
    ("TransactionPaymentCallApi", 3),
    ("GenesisBuilder", 1),
)


@dataclass(frozen=True)
class RuntimeVersion:
    """What a node and its clients need to know about the runtime's identity and APIs."""

    spec_name: str = "phala-node"
    impl_name: str = "phala-node"
    authoring_version: int = 1
    spec_version: int = 100
    impl_version: int = 1
    transaction_version: int = 1
    system_version: int = 1
    apis: tuple[tuple[str, int], ...] = API_VERSIONS

    def api_ids(self) -> tuple[tuple[bytes, int], ...]:
        """(blake2_64(trait name), version) for every API."""
        return tuple((blake2_64(name.encode()), version) for name, version in self.apis)

    def to_scale_value(self) -> dict[str, Any]:
        """The value the RuntimeVersion type object encodes."""
        return {
            "spec_name": self.spec_name, "impl_name": self.impl_name,
            "authoring_version": self.authoring_version, "spec_version": self.spec_version,
            "impl_version": self.impl_version, "apis": {"0": self.api_ids()},
            "transaction_version": self.transaction_version, "system_version": self.system_version,
        }

    def encode(self) -> bytes:
        """SCALE of sp_version::RuntimeVersion (the Core_version result)."""
        return RuntimeVersionType.encode(self.to_scale_value())

    def to_json(self) -> dict[str, Any]:
        """The `state_getRuntimeVersion` JSON (Substrate prints both systemVersion and stateVersion)."""
        return {
            "specName": self.spec_name, "implName": self.impl_name, "authoringVersion": self.authoring_version,
            "specVersion": self.spec_version, "implVersion": self.impl_version,
            "apis": [["0x" + api_id.hex(), version] for api_id, version in self.api_ids()],
            "transactionVersion": self.transaction_version, "systemVersion": self.system_version,
            "stateVersion": self.system_version,
        }


VERSION = RuntimeVersion()
