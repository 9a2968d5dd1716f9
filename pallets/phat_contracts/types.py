"""SCALE types of PhalaPhatContracts' storage, calls and events, with Phala's type paths, plus the id helpers.

Owns the on-chain shapes from `phala_types::contract` (ClusterPermission, ClusterInfo, CodeIndex,
ResourceType, ContractInfo) and `phala_pallets::phat::pallet::BasicContractInfo`, and the three
derivations every party must agree on byte for byte: `contract_id` (contract.rs `contract_id_preimage`),
`cluster_id` (`H256::from_low_u64_be(counter)`) and `cluster_account` (phat.rs). The message payloads
pushed to and received from workers live in `messages.py`.
"""

from __future__ import annotations

from typing import Any

from pallets.mq.types import Sr25519Public as Sr25519Public
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256, AccountId
from runtime.scale import U128, Bytes, Enum, Field, Struct, Variant

ContractId = H256
"""phala_mq::ContractId (= sp_core::H256)."""

ContractClusterId = H256
"""phala_mq::ContractClusterId (= sp_core::H256)."""

ClusterPermission = Enum(
    ("phala_types", "contract", "ClusterPermission"),
    (Variant("Public", 0), Variant("OnlyOwner", 1, (Field(None, AccountId, "AccountId"),))),
    params=(("AccountId", AccountId),),
)
"""Who may upload code and instantiate contracts in a cluster: `"Public"` or `("OnlyOwner", account)`."""

ClusterInfo = Struct(
    ("phala_types", "contract", "ClusterInfo"),
    (
        Field("owner", AccountId, "AccountId"),
        Field("permission", ClusterPermission, "ClusterPermission<AccountId>"),
        Field("system_contract", ContractId, "ContractId"),
        Field("gas_price", U128, "u128"),
        Field("deposit_per_item", U128, "u128"),
        Field("deposit_per_byte", U128, "u128"),
    ),
    params=(("AccountId", AccountId),),
)
"""`Clusters` value: owner, permission, system contract id and the in-cluster prices."""

BasicContractInfo = Struct(
    ("phala_pallets", "phat", "pallet", "BasicContractInfo"),
    (Field("deployer", AccountId, "AccountId32"), Field("cluster", ContractClusterId, "ContractClusterId")),
)
"""`Contracts` value: who deployed the contract and in which cluster."""

CodeIndex = Enum(
    ("phala_types", "contract", "CodeIndex"),
    (Variant("WasmCode", 0, (Field(None, H256, "CodeHash"),)),),
    params=(("CodeHash", H256),),
)
"""`("WasmCode", code_hash)`: the code a contract is instantiated from (blake2_256 of the uploaded code)."""

ResourceType = Enum(
    ("phala_types", "contract", "messaging", "ResourceType"),
    (Variant("InkCode", 0), Variant("SidevmCode", 1), Variant("IndeterministicInkCode", 2)),
)
"""What `cluster_upload_resource` uploads; decides the size limit."""

ContractInfo = Struct(
    ("phala_types", "contract", "ContractInfo"),
    (
        Field("deployer", AccountId, "AccountId"),
        Field("code_index", CodeIndex, "CodeIndex<CodeHash>"),
        Field("salt", Bytes, "Vec<u8>"),
        Field("cluster_id", ContractClusterId, "ContractClusterId"),
        Field("instantiate_data", Bytes, "Vec<u8>"),
    ),
    params=(("CodeHash", H256), ("AccountId", AccountId)),
)
"""The instantiation request carried by `ContractOperation::InstantiateCode`."""

WorkerIdentity = Struct(
    ("phala_types", "WorkerIdentity"),
    (Field("pubkey", Sr25519Public, "WorkerPublicKey"), Field("ecdh_pubkey", Sr25519Public, "EcdhPublicKey")),
)
"""A worker's identity and ECDH public keys, listed in `ClusterEvent::DeployCluster`."""

INK_CODE_SIZE_LIMIT = 2 * 1024 * 1024
"""`InkCodeSizeLimit` (runtime): ink and indeterministic ink code, and the pink system code."""

SIDEVM_CODE_SIZE_LIMIT = 8 * 1024 * 1024
"""`SidevmCodeSizeLimit` (runtime)."""

SYSTEM_CONTRACT_CONSTRUCTOR = bytes.fromhex("ed4b9d1b")
"""The system contract's `default()` constructor selector, used as its instantiate data."""

REMOVED_CLUSTER = bytes(32)
"""`ClusterByWorkers` value of a removed worker (cluster 0 is never allocated)."""


def size_limit(resource_type: Any) -> int:
    """The upload size limit of a `ResourceType` value (`"InkCode"` or `("InkCode", None)` etc.)."""
    name = resource_type if isinstance(resource_type, str) else resource_type[0]
    return SIDEVM_CODE_SIZE_LIMIT if name == "SidevmCode" else INK_CODE_SIZE_LIMIT


def code_hash_of(code_index: Any) -> bytes:
    """The code hash inside a `CodeIndex` value `("WasmCode", hash)`."""
    name, code_hash = code_index
    if name != "WasmCode":
        raise ValueError(f"CodeIndex: unknown variant {name!r}")
    return bytes(code_hash)


def contract_id(deployer: bytes, code_hash: bytes, cluster: bytes, salt: bytes) -> bytes:
    """`blake2_256(deployer ++ code_hash ++ cluster_id ++ salt)`, phala-types `ContractInfo::contract_id`."""
    return blake2_256(bytes(deployer) + bytes(code_hash) + bytes(cluster) + bytes(salt))


def cluster_id(counter: int) -> bytes:
    """`ContractClusterId::from_low_u64_be(counter)`: the first cluster is 0x00…01."""
    return counter.to_bytes(32, "big")


def cluster_account(cluster: bytes) -> bytes:
    """The cluster's on-chain escrow account: `blake2_256(b"cluster:" ++ cluster_id)` (phat.rs)."""
    return blake2_256(b"cluster:" + bytes(cluster))


def command_topic(contract: bytes) -> bytes:
    """`phala/contract/<hex id, no 0x>/command`: where commands for `contract` are pushed."""
    return b"phala/contract/" + bytes(contract).hex().encode() + b"/command"


def permits(info: dict[str, Any], who: bytes) -> bool:
    """`check_cluster_permission`: Public admits anyone, OnlyOwner(a) admits only `a`."""
    permission = info["permission"]
    name = permission if isinstance(permission, str) else permission[0]
    if name == "Public":
        return True
    return bytes(permission[1]) == bytes(who)
