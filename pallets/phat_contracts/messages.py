"""Message-queue payloads of the Phat contract system: topics and SCALE types, byte-exact with Phala.

Owns what PhalaPhatContracts and PhalaPhatTokenomic push to workers and what they accept back
(phala_types::contract::messaging, phat.rs, phala-types `CommandPayload`, phactory `EncryptedData`).
The off-chain worker imports these to decode `OutboundMessages` and to encode its reports:

| topic                          | type                   | direction                         |
|--------------------------------|------------------------|-----------------------------------|
| `phala/cluster/event`          | ClusterEvent           | pallet → gatekeepers              |
| `phala/cluster/key`            | ClusterOperation       | GK (DispatchKeys) / pallet → workers |
| `phala/contract/op`            | ContractOperation      | pallet → cluster workers          |
| `phala/contract/<hex>/command` | CommandPayload         | user / pallet → the contract      |
| `phala/cluster/worker/report`  | WorkerClusterReport    | Worker(pk) → pallet               |
| `^phala/registry/cluster`      | ClusterRegistryEvent   | Gatekeeper → pallet               |
| `^phala/registry/contract`     | ContractRegistryEvent  | Cluster(id) → pallet              |
| `^phala/contract/result`       | raw bytes (our extension) | Contract(id) → pallet          |
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.types import H256, AccountId
from runtime.scale import (
    U64,
    U128,
    ByteArray,
    Bytes,
    Enum,
    Field,
    Option,
    ScaleType,
    Struct,
    Tuple,
    Variant,
    Vec,
)

from .types import ContractClusterId, ContractId, ContractInfo, ResourceType, Sr25519Public, WorkerIdentity

TOPIC_CLUSTER_EVENT = b"phala/cluster/event"
TOPIC_CLUSTER_KEY = b"phala/cluster/key"
TOPIC_CONTRACT_OP = b"phala/contract/op"
TOPIC_WORKER_REPORT = b"phala/cluster/worker/report"
TOPIC_REGISTRY_CLUSTER = b"^phala/registry/cluster"
TOPIC_REGISTRY_CONTRACT = b"^phala/registry/contract"
TOPIC_CONTRACT_RESULT = b"^phala/contract/result"
"""Our extension (§13.1 "Contract results back to chain"): payload stored verbatim in ContractResults."""


def _enum(path: tuple[str, ...], *variants: Variant) -> Enum:
    return Enum(path, variants)


def _f(name: str, ty: ScaleType[Any], type_name: str) -> Field:
    return Field(name, ty, type_name)


ClusterEvent = _enum(
    ("phala_types", "contract", "messaging", "ClusterEvent"),
    Variant("DeployCluster", 0, (
        _f("owner", AccountId, "AccountId32"),
        _f("cluster", ContractClusterId, "ContractClusterId"),
        _f("workers", Vec(WorkerIdentity), "Vec<WorkerIdentity>"),
        _f("deposit", U128, "u128"),
        _f("gas_price", U128, "u128"),
        _f("deposit_per_item", U128, "u128"),
        _f("deposit_per_byte", U128, "u128"),
        _f("treasury_account", AccountId, "AccountId32"),
    )),
)
"""`ClusterEvent::DeployCluster{...}` on `phala/cluster/event`, from `Pallet(b"PhalaPhatContracts")`."""

EncryptedKey = Struct(
    ("phala_types", "messaging", "EncryptedKey"),
    (_f("ecdh_pubkey", Sr25519Public, "EcdhPublicKey"), _f("encrypted_key", Bytes, "Vec<u8>"),
     _f("iv", ByteArray(12), "AeadIV")),
)

BatchDispatchClusterKeyEvent = Struct(
    ("phala_types", "contract", "messaging", "BatchDispatchClusterKeyEvent"),
    (
        _f("secret_keys", Vec(Tuple((Sr25519Public, EncryptedKey))), "BTreeMap<WorkerPublicKey, EncryptedKey>"),
        _f("cluster", ContractClusterId, "ContractClusterId"),
        _f("owner", AccountId, "AccountId32"),
        _f("deposit", U128, "u128"),
        _f("gas_price", U128, "u128"),
        _f("deposit_per_item", U128, "u128"),
        _f("deposit_per_byte", U128, "u128"),
        _f("treasury_account", AccountId, "AccountId32"),
    ),
)
"""The GK's cluster-key distribution (`secret_keys` is a BTreeMap: a Vec of pairs sorted by key)."""

ClusterOperation = _enum(
    ("phala_types", "contract", "messaging", "ClusterOperation"),
    Variant("DispatchKeys", 0, (Field(None, BatchDispatchClusterKeyEvent, "BatchDispatchClusterKeyEvent"),)),
    Variant("DestroyCluster", 1, (Field(None, ContractClusterId, "ContractClusterId"),)),
    Variant("UploadResource", 2, (
        _f("origin", AccountId, "AccountId"),
        _f("cluster_id", ContractClusterId, "ContractClusterId"),
        _f("resource_type", ResourceType, "ResourceType"),
        _f("resource_data", Bytes, "Vec<u8>"),
    )),
    Variant("Deposit", 3, (
        _f("cluster_id", ContractClusterId, "ContractClusterId"),
        _f("account", AccountId, "AccountId"),
        _f("amount", U128, "u128"),
    )),
    Variant("RemoveWorker", 4, (
        _f("cluster_id", ContractClusterId, "ContractClusterId"),
        _f("worker", Sr25519Public, "WorkerPublicKey"),
    )),
)
"""`ClusterOperation<AccountId>` on `phala/cluster/key`."""

ContractOperation = _enum(
    ("phala_types", "contract", "messaging", "ContractOperation"),
    Variant("InstantiateCode", 0, (
        _f("contract_info", ContractInfo, "ContractInfo<CodeHash, AccountId>"),
        _f("transfer", U128, "u128"),
        _f("gas_limit", U64, "u64"),
        _f("storage_deposit_limit", Option(U128), "Option<u128>"),
    )),
)
"""`ContractOperation::InstantiateCode{...}` on `phala/contract/op`."""

WorkerClusterReport = _enum(
    ("phala_types", "contract", "messaging", "WorkerClusterReport"),
    Variant("ClusterDeployed", 0, (_f("id", ContractClusterId, "ContractClusterId"),
                                   _f("pubkey", Sr25519Public, "ClusterPublicKey"))),
    Variant("ClusterDeploymentFailed", 1, (_f("id", ContractClusterId, "ContractClusterId"),)),
)
"""A worker's report on `phala/cluster/worker/report` (sender `Worker(pubkey)`)."""

ClusterRegistryEvent = _enum(
    ("phala_pallets", "phat", "pallet", "ClusterRegistryEvent"),
    Variant("PubkeyAvailable", 0, (_f("cluster", ContractClusterId, "ContractClusterId"),
                                   _f("pubkey", Sr25519Public, "ClusterPublicKey"))),
)
"""The GK's `^phala/registry/cluster` message (sender `Gatekeeper`)."""

ContractRegistryEvent = _enum(
    ("phala_pallets", "phat", "pallet", "ContractRegistryEvent"),
    Variant("PubkeyAvailable", 0, (_f("contract", ContractId, "ContractId"),
                                   _f("pubkey", Sr25519Public, "ContractPublicKey"),
                                   _f("deployer", H256, "ContractId"))),
)
"""A cluster's `^phala/registry/contract` message (sender `Cluster(id)`)."""

InkCommand = _enum(
    ("phala_types", "contract", "InkCommand"),
    Variant("InkMessage", 0, (
        _f("nonce", Bytes, "BoundedVec<u8, ConstU32<32>>"),
        _f("message", Bytes, "Vec<u8>"),
        _f("transfer", U128, "u128"),
        _f("gas_limit", U64, "u64"),
        _f("storage_deposit_limit", Option(U128), "Option<u128>"),
    )),
)
"""A contract command: `message` = selector ++ SCALE args."""

EncryptedData = Struct(
    ("phactory_api", "crypto", "EncryptedData"),
    (_f("iv", ByteArray(12), "IV"), _f("pubkey", Sr25519Public, "EcdhPublicKey"), _f("data", Bytes, "Vec<u8>")),
)

CommandPayload = _enum(
    ("phala_types", "messaging", "CommandPayload"),
    Variant("Plain", 0, (Field(None, InkCommand, "T"),)),
    Variant("Encrypted", 1, (Field(None, EncryptedData, "EncryptedData"),)),
)
"""What goes on a contract's command topic: `("Plain", InkCommand)` or `("Encrypted", EncryptedData)`."""

U64_MAX = (1 << 64) - 1


def plain_ink_message(message: bytes) -> bytes:
    """`push_ink_message`'s payload: Plain(InkMessage{nonce: [], message, transfer: 0, gas_limit: u64::MAX, None})."""
    return CommandPayload.encode(("Plain", ("InkMessage", {
        "nonce": b"", "message": bytes(message), "transfer": 0, "gas_limit": U64_MAX,
        "storage_deposit_limit": None,
    })))
