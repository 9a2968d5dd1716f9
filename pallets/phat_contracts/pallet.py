"""PhalaPhatContracts (phala_pallets::phat): clusters, code uploads, contract instantiation and commands.

The chain only orders and pays for cluster operations; the work happens on the cluster's workers,
which read them from `PhalaMq.OutboundMessages` (payload types in `messages.py`). Calls, storage,
events, errors and call indices are Phala's; the message handlers (cluster/contract public keys,
worker reports, and our contract-result extension) live in `handlers.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256, AccountId
from runtime.scale import U16, U32, U64, U128, Bytes, Option, Tuple, Vec
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageDoubleMap,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support.origin import Origin
from runtime.support.weights import Weight

from . import weights
from .bridge import push, registry_worker
from .handlers import ContractsHandlers
from .messages import (
    TOPIC_CLUSTER_EVENT,
    TOPIC_CLUSTER_KEY,
    TOPIC_CONTRACT_OP,
    ClusterEvent,
    ClusterOperation,
    ContractOperation,
)
from .types import (
    INK_CODE_SIZE_LIMIT,
    REMOVED_CLUSTER,
    BasicContractInfo,
    ClusterInfo,
    ClusterPermission,
    CodeIndex,
    ResourceType,
    Sr25519Public,
    cluster_account,
    code_hash_of,
    command_topic,
    contract_id,
    permits,
    size_limit,
)
from .types import cluster_id as make_cluster_id

ClusterIdParam = Annotated[bytes, H256, "ContractClusterId"]
ContractIdParam = Annotated[bytes, H256, "ContractId"]
WorkerParam = Annotated[bytes, Sr25519Public, "WorkerPublicKey"]
WorkersParam = Annotated[tuple[bytes, ...], Vec(Sr25519Public), "Vec<WorkerPublicKey>"]
PermissionParam = Annotated[Any, ClusterPermission, "ClusterPermission<T::AccountId>"]
BalanceOf = Annotated[int, U128, "BalanceOf<T>"]
OptionBalance = Annotated[int | None, Option(U128), "Option<BalanceOf<T>>"]
OwnerParam = Annotated[bytes, AccountId, "T::AccountId"]
AccountId32Param = Annotated[bytes, AccountId, "AccountId32"]
ResourceTypeParam = Annotated[Any, ResourceType, "ResourceType"]
CodeIndexParam = Annotated[Any, CodeIndex, "CodeIndex<CodeHash<T>>"]
BytesParam = Annotated[bytes, Bytes, "Vec<u8>"]
GasLimit = Annotated[int, U64, "u64"]
SystemCode = Annotated[bytes, Bytes, "BoundedVec<u8, T::InkCodeSizeLimit>"]
VersionParam = Annotated[tuple[int, int], Tuple((U32, U32)), "(u32, u32)"]

_CLUSTER = (H256, "ContractClusterId")
_CONTRACT = (H256, "ContractId")
_PUBKEY_CLUSTER = (Sr25519Public, "ClusterPublicKey")
_PUBKEY_CONTRACT = (Sr25519Public, "ContractPublicKey")
_WORKER = (Sr25519Public, "WorkerPublicKey")
PALLET_ORIGIN = ("Pallet", b"PhalaPhatContracts")
"""`MessageOrigin::Pallet(b"PhalaPhatContracts")`: the sender of every message this pallet pushes."""


class PhalaPhatContracts(ContractsHandlers, Pallet, name="PhalaPhatContracts",
                         rust_module="phala_pallets::phat", storage_version=8):
    """The Phat Contract registry: clusters, their workers and the contracts deployed in them."""

    Contracts = StorageMap(Twox64Concat, H256, BasicContractInfo)
    ClusterCounter = StorageValue(U64, default=0, doc="The contract cluster counter, it always equals to the latest"
                                                      " cluster id.")
    Clusters = StorageMap(Twox64Concat, H256, ClusterInfo)
    ClusterContracts = StorageMap(Twox64Concat, H256, Vec(H256), default=())
    ClusterWorkers = StorageMap(Twox64Concat, H256, Vec(Sr25519Public), default=())
    ClusterByWorkers = StorageMap(Twox64Concat, Sr25519Public, H256)
    PinkSystemCode = StorageValue(Tuple((U16, Bytes)), default=(0, b""),
                                  doc="The pink-system contract code used to deploy new clusters")
    PinkSystemCodeHash = StorageValue(H256, doc="The blake2_256 hash of the pink-system contract code.")
    PinkRuntimeVersion = StorageValue(Tuple((U32, U32)), doc="The pink-runtime version used to deploy new clusters.\n"
                                      "See also: `phactory::storage::pink_runtime_version`.")
    NextPinkSystemCode = StorageValue(Bytes, doc="The next pink-system contract code to be applied from the next block")
    ContractResults = StorageDoubleMap(
        Twox64Concat, H256, Twox64Concat, U64, Bytes,
        doc="Results posted back by contracts on `^phala/contract/result`, keyed by (contract, ingress sequence).\n"
            "Extension of this node (not in Phala).")

    InkCodeSizeLimit = INK_CODE_SIZE_LIMIT
    """Config `InkCodeSizeLimit` (not a metadata constant in Phala)."""

    class Event(_Events):
        ClusterCreated = event(cluster=_CLUSTER, system_contract=_CONTRACT)
        ClusterPubkeyAvailable = event(cluster=_CLUSTER, pubkey=_PUBKEY_CLUSTER)
        ClusterDeployed = event(cluster=_CLUSTER, pubkey=_PUBKEY_CLUSTER, worker=_WORKER)
        ClusterDeploymentFailed = event(cluster=_CLUSTER, worker=_WORKER)
        Instantiating = event(contract=_CONTRACT, cluster=_CLUSTER, deployer=(AccountId, "T::AccountId"))
        ContractPubkeyAvailable = event(contract=_CONTRACT, cluster=_CLUSTER, pubkey=_PUBKEY_CONTRACT)
        Instantiated = event(contract=_CONTRACT, cluster=_CLUSTER, deployer=(H256, "H256"))
        ClusterDestroyed = event(cluster=_CLUSTER)
        Transfered = event(cluster=_CLUSTER, account=(H256, "H256"), amount=(U128, "BalanceOf<T>"))
        WorkerAddedToCluster = event(worker=_WORKER, cluster=_CLUSTER)
        WorkerRemovedFromCluster = event(worker=_WORKER, cluster=_CLUSTER)
        ContractResultPosted = event("A contract posted a result on `^phala/contract/result` (extension).",
                                     contract=_CONTRACT, seq=(U64, "u64"), topic=(Bytes, "Vec<u8>"))

    class Error(_Errors):
        CodeNotFound: Any = ""
        ClusterNotFound: Any = ""
        ClusterNotDeployed: Any = ""
        ClusterPermissionDenied: Any = ""
        DuplicatedContract: Any = ""
        DuplicatedDeployment: Any = ""
        NoWorkerSpecified: Any = ""
        InvalidSender: Any = ""
        WorkerNotFound: Any = ""
        PayloadTooLarge: Any = ""
        NoPinkSystemCode: Any = ""
        ContractNotFound: Any = ""
        WorkerIsBusy: Any = ""

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=weights.add_cluster)
    def add_cluster(self, origin: Origin, owner: OwnerParam, permission: PermissionParam,
                    deploy_workers: WorkersParam, deposit: BalanceOf, gas_price: BalanceOf,
                    deposit_per_item: BalanceOf, deposit_per_byte: BalanceOf,
                    treasury_account: AccountId32Param) -> None:
        """Create a new cluster

        # Arguments
        - `owner` - The owner of the cluster.
        - `permission` - Who can deploy contracts in the cluster.
        - `deploy_workers` - Workers included in the cluster.
        - `deposit` - Transfer amount of tokens from the owner on chain to the owner in cluster.
        - `gas_price` - Gas price for contract transactions.
        - `deposit_per_item` - Price for contract storage per item.
        - `deposit_per_byte` - Price for contract storage per byte.
        - `treasury_account` - The treasury account used to collect the gas and storage fee.
        """
        ensure_root(origin)
        if not deploy_workers:
            raise self.Error.NoWorkerSpecified()
        identities = []
        for worker in deploy_workers:
            info = registry_worker(self.rt, worker)
            if info is None:
                raise self.Error.WorkerNotFound()
            identities.append({"pubkey": bytes(info.get("pubkey", worker)),
                               "ecdh_pubkey": bytes(info.get("ecdh_pubkey", worker))})
        counter = self.ClusterCounter.get() + 1
        self.ClusterCounter.put(counter)
        cluster = make_cluster_id(counter)
        for worker in deploy_workers:
            if self.ClusterByWorkers.contains(worker):
                raise self.Error.WorkerIsBusy()
            self.ClusterByWorkers.insert(worker, cluster)
        self.ClusterWorkers.insert(cluster, tuple(deploy_workers))
        system_code_hash = self.PinkSystemCodeHash.get()
        if system_code_hash is None:
            raise self.Error.NoPinkSystemCode()
        system_contract = contract_id(owner, system_code_hash, cluster, b"")
        self.Clusters.insert(cluster, {
            "owner": owner, "permission": permission, "system_contract": system_contract,
            "gas_price": gas_price, "deposit_per_item": deposit_per_item, "deposit_per_byte": deposit_per_byte,
        })
        self.deposit_event(self.Event.ClusterCreated(cluster=cluster, system_contract=system_contract))
        self._transfer(owner, cluster_account(cluster), deposit)
        push(self.rt, PALLET_ORIGIN, TOPIC_CLUSTER_EVENT, ClusterEvent.encode(("DeployCluster", {
            "owner": owner, "cluster": cluster, "workers": identities, "deposit": deposit,
            "gas_price": gas_price, "deposit_per_item": deposit_per_item, "deposit_per_byte": deposit_per_byte,
            "treasury_account": treasury_account,
        })))

    @call(index=1, weight=weights.cluster_upload_resource)
    def cluster_upload_resource(self, origin: Origin, cluster_id: ClusterIdParam, resource_type: ResourceTypeParam,
                                resource_data: BytesParam) -> None:
        """Upload code (ink, indeterministic ink or sidevm) to a cluster; the workers store it, the chain does not."""
        who = ensure_signed(origin)
        info = self._cluster(cluster_id)
        if not permits(info, who):
            raise self.Error.ClusterPermissionDenied()
        if len(resource_data) > size_limit(resource_type):
            raise self.Error.PayloadTooLarge()
        push(self.rt, PALLET_ORIGIN, TOPIC_CLUSTER_KEY, ClusterOperation.encode(("UploadResource", {
            "origin": who, "cluster_id": cluster_id, "resource_type": resource_type, "resource_data": resource_data,
        })))

    @call(index=2, weight=weights.TRANSFER_TO_CLUSTER)
    def transfer_to_cluster(self, origin: Origin, amount: BalanceOf, cluster_id: ClusterIdParam,
                            dest_account: AccountId32Param) -> None:
        """Transfers some native token to an account in a Phat Contract cluster.

        The token will be deducted from the sender's account, and transfer to the specified
        account in the cluster, for token usage (gas, storage deposit, etc) inside the cluster.
        Please note that currently it's only supported to transfer token from the blockchain
        into the cluster, not the reverse.

        # Arguments

        * `amount` - The amount of the native token to transfer.
        * `cluster_id` - The cluster id to transfer into.
        * `dest_account` - The account in the cluster to receive the token.
        """
        user = ensure_signed(origin)
        self._cluster(cluster_id)  # extension: Phala transfers to the account of any id
        self.do_transfer_to_cluster(user, amount, cluster_id, dest_account)

    @call(index=3, weight=weights.push_contract_message)
    def push_contract_message(self, origin: Origin, contract_id: ContractIdParam, payload: BytesParam,
                              deposit: BalanceOf) -> None:
        """Push a command to a contract (sender `AccountId(caller)`), optionally topping up the caller's
        in-cluster balance with `deposit` first."""
        user = ensure_signed(origin)
        if deposit:
            info = self.Contracts.get(contract_id)
            if info is None:
                raise self.Error.ContractNotFound()
            self.do_transfer_to_cluster(user, deposit, info["cluster"], user)
        push(self.rt, ("AccountId", user), command_topic(contract_id), payload)

    @call(index=4, weight=weights.instantiate_contract)
    def instantiate_contract(self, origin: Origin, code_index: CodeIndexParam, data: BytesParam, salt: BytesParam,
                             cluster_id: ClusterIdParam, transfer: BalanceOf, gas_limit: GasLimit,
                             storage_deposit_limit: OptionBalance, deposit: BalanceOf) -> None:
        """Ask the cluster's workers to instantiate uploaded code; the id is fixed now, the key comes later."""
        deployer = ensure_signed(origin)
        info = self._cluster(cluster_id)
        if not permits(info, deployer):
            raise self.Error.ClusterPermissionDenied()
        if deposit:
            self.do_transfer_to_cluster(deployer, deposit, cluster_id, deployer)
        contract = contract_id(deployer, code_hash_of(code_index), cluster_id, salt)
        if self.Contracts.contains(contract):
            raise self.Error.DuplicatedContract()
        self.Contracts.insert(contract, {"deployer": deployer, "cluster": cluster_id})
        push(self.rt, PALLET_ORIGIN, TOPIC_CONTRACT_OP, ContractOperation.encode(("InstantiateCode", {
            "contract_info": {"deployer": deployer, "code_index": code_index, "salt": salt,
                              "cluster_id": cluster_id, "instantiate_data": data},
            "transfer": transfer, "gas_limit": gas_limit, "storage_deposit_limit": storage_deposit_limit,
        })))
        self.deposit_event(self.Event.Instantiating(contract=contract, cluster=cluster_id, deployer=deployer))

    @call(index=5, weight=weights.CLUSTER_DESTROY)
    def cluster_destroy(self, origin: Origin, cluster: ClusterIdParam) -> None:
        """Remove a cluster (root); its workers destroy their contracts and exit."""
        ensure_root(origin)
        if self.Clusters.take(cluster) is None:
            raise self.Error.ClusterNotFound()
        push(self.rt, PALLET_ORIGIN, TOPIC_CLUSTER_KEY, ClusterOperation.encode(("DestroyCluster", cluster)))
        self.deposit_event(self.Event.ClusterDestroyed(cluster=cluster))

    @call(index=6, weight=weights.set_pink_system_code)
    def set_pink_system_code(self, origin: Origin, code: SystemCode) -> None:
        """Stage new system contract code (root); applied at the start of the next block."""
        ensure_root(origin)
        if len(code) > INK_CODE_SIZE_LIMIT:
            raise self.Error.PayloadTooLarge()  # Phala: BoundedVec decode failure
        self.NextPinkSystemCode.put(code)

    @call(index=7, weight=weights.SET_PINK_RUNTIME_VERSION)
    def set_pink_runtime_version(self, origin: Origin, version: VersionParam) -> None:
        """Set the pink runtime version new clusters are deployed with (root)."""
        ensure_root(origin)
        self.PinkRuntimeVersion.put(tuple(version))

    @call(index=8, weight=weights.ADD_WORKER_TO_CLUSTER)
    def add_worker_to_cluster(self, origin: Origin, worker_pubkey: WorkerParam, cluster_id: ClusterIdParam) -> None:
        """Add a new worker to a cluster"""
        who = ensure_signed(origin)
        info = self._cluster(cluster_id)
        if bytes(info["owner"]) != who:
            raise self.Error.ClusterPermissionDenied()
        if registry_worker(self.rt, worker_pubkey) is None:
            raise self.Error.WorkerNotFound()
        if self.ClusterByWorkers.contains(worker_pubkey):
            raise self.Error.WorkerIsBusy()
        self.ClusterByWorkers.insert(worker_pubkey, cluster_id)
        self.ClusterWorkers.mutate(cluster_id, lambda ws: (*ws, worker_pubkey))
        self.deposit_event(self.Event.WorkerAddedToCluster(worker=worker_pubkey, cluster=cluster_id))

    @call(index=9, weight=weights.REMOVE_WORKER_FROM_CLUSTER)
    def remove_worker_from_cluster(self, origin: Origin, worker_pubkey: WorkerParam,
                                   cluster_id: ClusterIdParam) -> None:
        """Remove a new worker from a cluster"""
        who = ensure_signed(origin)
        info = self._cluster(cluster_id)
        if bytes(info["owner"]) != who:
            raise self.Error.ClusterPermissionDenied()
        if self.ClusterByWorkers.get(worker_pubkey) != bytes(cluster_id):
            raise self.Error.WorkerNotFound()
        self.ClusterByWorkers.insert(worker_pubkey, REMOVED_CLUSTER)
        self.ClusterWorkers.mutate(cluster_id, lambda ws: tuple(w for w in ws if w != worker_pubkey))
        self.deposit_event(self.Event.WorkerRemovedFromCluster(worker=worker_pubkey, cluster=cluster_id))
        push(self.rt, PALLET_ORIGIN, TOPIC_CLUSTER_KEY, ClusterOperation.encode(("RemoveWorker", {
            "cluster_id": cluster_id, "worker": worker_pubkey})))

    @call(index=10, weight=weights.cleanup_removed_workers)
    def cleanup_removed_workers(self, origin: Origin, cluster_id: ClusterIdParam) -> None:
        """Cleanup the removed workers in ClusterWorkers which is mis-added back by the migration"""
        ensure_root(origin)
        self.ClusterWorkers.mutate(cluster_id, lambda ws: tuple(
            w for w in ws if self.ClusterByWorkers.get(w) != REMOVED_CLUSTER))

    # -- hooks and genesis ----------------------------------------------------------------------------

    def on_initialize(self, n: int) -> Weight:
        """Apply staged system code: hash it, bump the version."""
        code = self.NextPinkSystemCode.take()
        if code is None:
            return Weight(weights.READ, 0)
        self._install_system_code(code)
        return Weight(weights.READ + 3 * weights.WRITE, 0)

    def genesis_build(self, config: dict[str, Any]) -> None:
        """Genesis (our extension): `{"pinkSystemCode": "0x…"}` installs system code as version 1."""
        code = config.get("pinkSystemCode")
        if code is not None:
            raw = bytes.fromhex(code.removeprefix("0x")) if isinstance(code, str) else bytes(code)
            if len(raw) > INK_CODE_SIZE_LIMIT:
                raise ValueError("pinkSystemCode exceeds InkCodeSizeLimit")
            self._install_system_code(raw)

    # -- API for other pallets -----------------------------------------------------------------------

    def get_contract_info(self, contract: bytes) -> dict[str, Any] | None:
        """`Contracts[contract]` ({deployer, cluster}) or None."""
        info: dict[str, Any] | None = self.Contracts.get(contract)
        return info

    def get_system_contract(self, contract: bytes) -> bytes | None:
        """The system contract of the cluster `contract` lives in, if both are known."""
        info = self.Contracts.get(contract)
        if info is None:
            return None
        cluster = self.Clusters.get(info["cluster"])
        return None if cluster is None else bytes(cluster["system_contract"])

    def do_transfer_to_cluster(self, user: bytes, amount: int, cluster: bytes, dest: bytes) -> None:
        """Move `amount` user → cluster account (keep-alive), credit `dest` inside the cluster, emit Transfered."""
        self._transfer(user, cluster_account(cluster), amount)
        push(self.rt, PALLET_ORIGIN, TOPIC_CLUSTER_KEY, ClusterOperation.encode(("Deposit", {
            "cluster_id": cluster, "account": dest, "amount": amount})))
        self.deposit_event(self.Event.Transfered(cluster=cluster, account=dest, amount=amount))

    # -- helpers --------------------------------------------------------------------------------------

    def _cluster(self, cluster: bytes) -> dict[str, Any]:
        info: dict[str, Any] | None = self.Clusters.get(cluster)
        if info is None:
            raise self.Error.ClusterNotFound()
        return info

    def _transfer(self, source: bytes, dest: bytes, amount: int) -> None:
        """Currency::transfer(KeepAlive): a zero amount is a no-op without an event, as in FRAME."""
        if amount:
            self.rt.Balances.transfer(source, dest, amount, True)

    def _install_system_code(self, code: bytes) -> None:
        self.PinkSystemCodeHash.put(blake2_256(code))
        version, _ = self.PinkSystemCode.get()
        self.PinkSystemCode.put((version + 1, code))
