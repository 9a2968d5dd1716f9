"""PhalaRegistry (phala_pallets::registry): the public keys of off-chain components and how they get there.

Owns registered workers (`Workers`, `WorkerAddedAt`), gatekeepers and the master public key, contract and
cluster public keys, worker endpoints, the pRuntime allowlist and benchmark duration; registration with
attestation None or the simulated attestation (attestation.py); `check_message`, the signature check
PhalaMq applies to every off-chain message; and the handler of `^phala/registry/event` (BenchReport,
MasterPubkey). Calls and their indices are Phala's; §13.1 drops rotation, relaychain genesis, para id,
consensus versions and NTP servers (see the README's Simplifications).
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.mq import messaging as msg
from pallets.mq.types import SignedContentType, Sr25519Public, data_to_sign, origin_name, wrap_content_to_sign
from runtime.primitives.crypto import sr25519_verify
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256, AccountId
from runtime.scale import U8, U32, U64, Bool, Bytes, Field, Option, Tuple, Vec
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    ensure_root,
    ensure_signed,
)
from runtime.support.events import EventDef
from runtime.support.origin import Origin
from runtime.support.params import BytesParam, U32Param

from . import attestation, handlers, weights
from .genesis import build_genesis
from .types import (
    AttestationProvider,
    AttestationReport,
    VersionedWorkerEndpoints,
    WorkerEndpointPayload,
    WorkerInfoV2,
    WorkerRegistrationInfoV2,
)

PubkeyParam = Annotated[bytes, Sr25519Public, "WorkerPublicKey"]
EcdhParam = Annotated[bytes, Sr25519Public, "EcdhPublicKey"]
OperatorParam = Annotated["bytes | None", Option(AccountId), "Option<T::AccountId>"]
InfoParam = Annotated[dict[str, Any], WorkerRegistrationInfoV2, "WorkerRegistrationInfoV2<T::AccountId>"]
AttestationParam = Annotated[Any, Option(AttestationReport), "Box<Option<AttestationReport>>"]
EndpointParam = Annotated[dict[str, Any], WorkerEndpointPayload, "WorkerEndpointPayload"]

ENDPOINT_EXPIRATION_MS = 4 * 60 * 60 * 1000
PALLET_NAME = "PhalaRegistry"


def _ev(doc: str, *fields: tuple[str | None, Any, str]) -> EventDef:
    return EventDef(tuple(Field(n, t, tn) for n, t, tn in fields), doc)


_PK = ("pubkey", Sr25519Public, "WorkerPublicKey")
_PROVIDER = ("attestation_provider", Option(AttestationProvider), "Option<AttestationProvider>")
_LEVEL = ("confidence_level", U8, "u8")


class PhalaRegistry(Pallet, name="PhalaRegistry", rust_module="phala_pallets::registry", storage_version=7):
    """Manages the public key of offchain components (i.e. workers and contracts)"""

    MESSAGE_TOPICS = (msg.TOPIC_REGISTRY_EVENT,)

    Gatekeeper = StorageValue(Vec(Sr25519Public), default=(), doc="Gatekeeper pubkey list")
    GatekeeperMasterPubkey = StorageValue(Sr25519Public, doc="Gatekeeper master pubkey")
    GatekeeperLaunchedAt = StorageValue(Tuple((U32, U64)), doc=(
        "The block number and unix timestamp when the gatekeeper is launched"))
    Workers = StorageMap(Twox64Concat, Sr25519Public, WorkerInfoV2, doc="Mapping from worker pubkey to WorkerInfo")
    WorkerAddedAt = StorageMap(Twox64Concat, Sr25519Public, U32, doc=(
        "The first time registered block number for each worker."))
    ContractKeys = StorageMap(Twox64Concat, H256, Sr25519Public, doc="Mapping from contract address to pubkey")
    ClusterKeys = StorageMap(Twox64Concat, H256, Sr25519Public)
    BenchmarkDuration = StorageValue(U32, doc="The number of blocks to run the benchmark")
    PRuntimeAllowList = StorageValue(Vec(Bytes), default=(), doc=(
        "Allow list of pRuntime binary digest\n\nOnly pRuntime within the list can register."))
    PRuntimeAddedAt = StorageMap(Twox64Concat, Bytes, U32, doc="The effective height of pRuntime binary")
    Endpoints = StorageMap(Twox64Concat, Sr25519Public, VersionedWorkerEndpoints, doc=(
        "Mapping from worker pubkey to Phala Network identity"))
    NoneAttestationEnabled = StorageValue(Bool, default=False, doc=(
        "Our extension (Phala: the `NoneAttestationEnabled` config constant): accept `None` attestation\n"
        "(confidence level 128). Set at genesis; on for dev and local chains."))

    class Event(_Events):
        GatekeeperAdded = _ev("A new Gatekeeper is enabled on the blockchain", _PK)
        GatekeeperRemoved = _ev("", _PK)
        WorkerAdded = _ev("", _PK, _PROVIDER, _LEVEL)
        WorkerUpdated = _ev("", _PK, _PROVIDER, _LEVEL)
        MasterKeyRotated = _ev("", ("rotation_id", U64, "u64"), ("master_pubkey", Sr25519Public, "MasterPublicKey"))
        MasterKeyRotationFailed = _ev("", ("rotation_lock", Option(U64), "Option<u64>"),
                                      ("gatekeeper_rotation_id", U64, "u64"))
        InitialScoreSet = _ev("", _PK, ("init_score", U32, "u32"))
        MinimumPRuntimeVersionChangedTo = _ev("", (None, U32, "u32"), (None, U32, "u32"), (None, U32, "u32"))
        PRuntimeConsensusVersionChangedTo = _ev("", (None, U32, "u32"))
        GatekeeperLaunched = _ev("")

    class Error(_Errors):
        CannotHandleUnknownMessage: Any = ""
        InvalidSender: Any = ""
        InvalidPubKey: Any = ""
        MalformedSignature: Any = ""
        InvalidSignatureLength: Any = ""
        InvalidSignature: Any = ""
        UnknownContract: Any = ""
        InvalidIASSigningCert: Any = ""
        InvalidReport: Any = ""
        InvalidQuoteStatus: Any = ""
        BadIASReport: Any = ""
        OutdatedIASReport: Any = ""
        UnknownQuoteBodyFormat: Any = ""
        InvalidDCAPQuote: Any = ""
        InvalidRuntimeInfoHash: Any = ""
        InvalidRuntimeInfo: Any = ""
        InvalidInput: Any = ""
        InvalidBenchReport: Any = ""
        WorkerNotFound: Any = ""
        NoneAttestationDisabled: Any = ""
        InvalidGatekeeper: Any = ""
        InvalidMasterPubkey: Any = ""
        MasterKeyMismatch: Any = ""
        MasterKeyUninitialized: Any = ""
        GenesisBlockHashRejected: Any = ""
        GenesisBlockHashAlreadyExists: Any = ""
        GenesisBlockHashNotFound: Any = ""
        PRuntimeRejected: Any = ""
        PRuntimeAlreadyExists: Any = ""
        PRuntimeNotFound: Any = ""
        UnknownCluster: Any = ""
        NotImplemented: Any = ""
        CannotRemoveLastGatekeeper: Any = ""
        MasterKeyInRotation: Any = ""
        InvalidRotatedMasterPubkey: Any = ""
        InvalidEndpointSigningTime: Any = ""
        NotMigrationRoot: Any = "Migration root not authorized"
        ParachainIdMismatch: Any = ""
        InvalidConsensusVersion: Any = ""
        UnsupportedAttestationType: Any = ""

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=weights.GOVERNANCE)
    def force_set_benchmark_duration(self, origin: Origin, value: U32Param) -> None:
        """Sets [`BenchmarkDuration`]

        Can only be called by `GovernanceOrigin`.
        """
        ensure_root(origin)
        self.BenchmarkDuration.put(value)

    @call(index=1, weight=weights.GOVERNANCE)
    def force_register_worker(self, origin: Origin, pubkey: PubkeyParam, ecdh_pubkey: EcdhParam,
                              operator: OperatorParam) -> None:
        """Force register a worker with the given pubkey with sudo permission

        For test only.
        """
        ensure_root(origin)
        self._insert_root_worker(pubkey, ecdh_pubkey, operator, last_updated=1)
        self.WorkerAddedAt.insert(pubkey, self.rt.block_number)
        self.push(msg.TOPIC_SYSTEM_EVENT, msg.registered(pubkey, 128))
        self.deposit_event(self.Event.WorkerAdded(pubkey=pubkey, attestation_provider=("Root", None),
                                                  confidence_level=128))

    @call(index=3, weight=weights.GOVERNANCE)
    def register_gatekeeper(self, origin: Origin, gatekeeper: PubkeyParam) -> None:
        """Register a gatekeeper.

        Can only be called by `GovernanceOrigin`.
        """
        ensure_root(origin)
        gatekeepers = list(self.Gatekeeper.get())
        if gatekeepers and self.GatekeeperMasterPubkey.get() is None:
            raise self.Error.MasterKeyUninitialized("wait for the first gatekeeper to upload the master pubkey")
        if gatekeeper not in gatekeepers:
            info = self.Workers.get(gatekeeper)
            if info is None:
                raise self.Error.WorkerNotFound("the gatekeeper is not a registered worker")
            gatekeepers.append(gatekeeper)
            self.Gatekeeper.put(tuple(gatekeepers))
            if len(gatekeepers) == 1:
                self.push(msg.TOPIC_GATEKEEPER_LAUNCH, msg.first_gatekeeper(gatekeeper, info["ecdh_pubkey"]))
            else:
                self.push(msg.TOPIC_GATEKEEPER_CHANGE, msg.gatekeeper_registered(gatekeeper, info["ecdh_pubkey"]))
        self.deposit_event(self.Event.GatekeeperAdded(pubkey=gatekeeper))

    @call(index=4, weight=weights.GOVERNANCE)
    def unregister_gatekeeper(self, origin: Origin, gatekeeper: PubkeyParam) -> None:
        """Unregister a gatekeeper

        At least one gatekeeper should be available
        """
        ensure_root(origin)
        gatekeepers = list(self.Gatekeeper.get())
        if gatekeeper not in gatekeepers:
            raise self.Error.InvalidGatekeeper("not a gatekeeper")
        if len(gatekeepers) <= 1:
            raise self.Error.CannotRemoveLastGatekeeper("at least one gatekeeper must remain")
        self.Gatekeeper.put(tuple(g for g in gatekeepers if g != gatekeeper))
        self.push(msg.TOPIC_GATEKEEPER_CHANGE, msg.gatekeeper_unregistered(gatekeeper))

    @call(index=7, weight=weights.FREE)
    def register_worker_v2(self, origin: Origin, pruntime_info: InfoParam, attestation: AttestationParam) -> None:
        """Registers a worker on the blockchain.
        This is the version 2 that both support DCAP attestation type.

        Usually called by a bridging relayer program (`pherry` and `prb`). Can be called by
        anyone on behalf of a worker.
        """
        ensure_signed(origin)
        now = self.now_ms() // 1000
        info_hash = blake2_256(WorkerRegistrationInfoV2.encode(pruntime_info))
        try:
            report = attestation_mod.validate(attestation, info_hash, now, tuple(self.PRuntimeAllowList.get()),
                                              bool(self.NoneAttestationEnabled.get()))
        except attestation_mod.AttestationError as err:
            raise getattr(self.Error, err.kind)(str(err)) from None
        pubkey = pruntime_info["pubkey"]
        level = report.confidence_level
        existing = self.Workers.get(pubkey)
        if existing is not None:
            existing.update(last_updated=now, operator=pruntime_info["operator"],
                            runtime_version=pruntime_info["version"], confidence_level=level,
                            features=tuple(pruntime_info["features"]))
            self.Workers.insert(pubkey, existing)
            self.push(msg.TOPIC_SYSTEM_EVENT, msg.registered(pubkey, level))
            self.deposit_event(self.Event.WorkerUpdated(pubkey=pubkey, attestation_provider=report.provider,
                                                        confidence_level=level))
        else:
            self.Workers.insert(pubkey, {
                "pubkey": pubkey, "ecdh_pubkey": pruntime_info["ecdh_pubkey"],
                "runtime_version": pruntime_info["version"], "last_updated": now,
                "operator": pruntime_info["operator"], "attestation_provider": report.provider,
                "confidence_level": level, "initial_score": None, "features": tuple(pruntime_info["features"]),
            })
            self.push(msg.TOPIC_SYSTEM_EVENT, msg.registered(pubkey, level))
            self.deposit_event(self.Event.WorkerAdded(pubkey=pubkey, attestation_provider=report.provider,
                                                      confidence_level=level))
            self.WorkerAddedAt.insert(pubkey, self.rt.block_number)
        duration = self.BenchmarkDuration.get() or 0
        self.push(msg.TOPIC_SYSTEM_EVENT, msg.bench_start(pubkey, duration))

    @call(index=8, weight=weights.FREE)
    def update_worker_endpoint(self, origin: Origin, endpoint_payload: EndpointParam, signature: BytesParam) -> None:
        """Updates the worker's public endpoints; signed by the worker's identity key, valid for 4 hours."""
        ensure_signed(origin)
        if len(signature) != 64:
            raise self.Error.InvalidSignatureLength(f"signature is {len(signature)} bytes, not 64")
        data = wrap_content_to_sign(WorkerEndpointPayload.encode(endpoint_payload), SignedContentType.EndpointInfo)
        pubkey = endpoint_payload["pubkey"]
        if not sr25519_verify(signature, data, pubkey):
            raise self.Error.InvalidSignature("endpoint payload is not signed by the worker")
        now = self.now_ms()
        signing_time = endpoint_payload["signing_time"]
        if not signing_time < now <= signing_time + ENDPOINT_EXPIRATION_MS:
            raise self.Error.InvalidEndpointSigningTime(f"signing_time {signing_time} vs now {now}")
        if not self.Workers.contains(pubkey):
            raise self.Error.InvalidPubKey("the worker is not registered")
        self.Endpoints.insert(pubkey, endpoint_payload["versioned_endpoints"])

    @call(index=9, weight=weights.FREE)
    def add_pruntime(self, origin: Origin, pruntime_hash: BytesParam) -> None:
        """Registers a pruntime binary to [`PRuntimeAllowList`]

        Can only be called by `GovernanceOrigin`.
        """
        ensure_root(origin)
        allowlist = tuple(self.PRuntimeAllowList.get())
        if pruntime_hash in allowlist:
            raise self.Error.PRuntimeAlreadyExists("already in the allowlist")
        self.PRuntimeAllowList.put(allowlist + (pruntime_hash,))
        self.PRuntimeAddedAt.insert(pruntime_hash, self.rt.block_number)

    @call(index=10, weight=weights.FREE)
    def remove_pruntime(self, origin: Origin, pruntime_hash: BytesParam) -> None:
        """Removes a pruntime binary from [`PRuntimeAllowList`]

        Can only be called by `GovernanceOrigin`.
        """
        ensure_root(origin)
        allowlist = tuple(self.PRuntimeAllowList.get())
        if pruntime_hash not in allowlist:
            raise self.Error.PRuntimeNotFound("not in the allowlist")
        self.PRuntimeAllowList.put(tuple(h for h in allowlist if h != pruntime_hash))
        self.PRuntimeAddedAt.remove(pruntime_hash)

    # -- message verification (used by PhalaMq) -------------------------------------------------------

    def check_message(self, signed: dict[str, Any]) -> None:
        """Verify a SignedMessage under the key its sender implies; raise the named error otherwise."""
        sender = signed["message"]["sender"]
        name = origin_name(sender)
        payload = None if isinstance(sender, str) else sender[1]
        pubkey: bytes | None
        if name == "Worker":
            pubkey = payload
        elif name == "Cluster":
            pubkey = self.ClusterKeys.get(payload)
            if pubkey is None:
                raise self.Error.UnknownCluster("no ClusterKeys entry for the sender")
        elif name == "Contract":
            pubkey = self.ContractKeys.get(payload)
            if pubkey is None:
                raise self.Error.UnknownContract("no ContractKeys entry for the sender")
        elif name == "Gatekeeper":
            pubkey = self.GatekeeperMasterPubkey.get()
            if pubkey is None:
                raise self.Error.MasterKeyUninitialized("no gatekeeper master pubkey yet")
        else:
            raise self.Error.CannotHandleUnknownMessage(f"cannot verify messages from {name}")
        if pubkey is None:  # unreachable: every branch above sets a key or raises
            raise self.Error.InvalidPubKey("no key for the sender")
        sig = signed["signature"]
        if len(sig) != 64:
            raise self.Error.InvalidSignatureLength(f"signature is {len(sig)} bytes, not 64")
        if not sr25519_verify(sig, data_to_sign(signed["message"], signed["sequence"]), pubkey):
            raise self.Error.InvalidSignature("bad sr25519 signature for the sender's key")

    # -- message handler ------------------------------------------------------------------------------

    def on_message(self, message: dict[str, Any]) -> None:
        """Handle `^phala/registry/event` (RegistryEvent) from a Worker: BenchReport and MasterPubkey."""
        handlers.on_message(self, message)

    # -- API for other pallets ------------------------------------------------------------------------

    def worker(self, pubkey: bytes) -> dict[str, Any] | None:
        """The WorkerInfoV2 value of `pubkey`, or None."""
        info: dict[str, Any] | None = self.Workers.get(pubkey)
        return info

    def initial_score(self, pubkey: bytes) -> int | None:
        """The worker's benchmark score (`WorkerInfoV2.initial_score`), None if unregistered or not benched."""
        info = self.worker(pubkey)
        return None if info is None or info["initial_score"] is None else int(info["initial_score"])

    def is_gatekeeper(self, pubkey: bytes) -> bool:
        """True when `pubkey` is in `Gatekeeper`."""
        return pubkey in self.Gatekeeper.get()

    def master_pubkey(self) -> bytes | None:
        """GatekeeperMasterPubkey."""
        key: bytes | None = self.GatekeeperMasterPubkey.get()
        return key

    def contract_key(self, contract_id: bytes) -> bytes | None:
        """ContractKeys[contract_id]."""
        key: bytes | None = self.ContractKeys.get(contract_id)
        return key

    def cluster_key(self, cluster_id: bytes) -> bytes | None:
        """ClusterKeys[cluster_id]."""
        key: bytes | None = self.ClusterKeys.get(cluster_id)
        return key

    def set_contract_key(self, contract_id: bytes, pubkey: bytes) -> None:
        """Record a contract's public key (phat pallet, on `ContractRegistryEvent::PubkeyAvailable`)."""
        self.ContractKeys.insert(contract_id, pubkey)

    def set_cluster_key(self, cluster_id: bytes, pubkey: bytes) -> None:
        """Record a cluster's public key (phat pallet, on `ClusterRegistryEvent::PubkeyAvailable`)."""
        self.ClusterKeys.insert(cluster_id, pubkey)

    def remove_cluster_key(self, cluster_id: bytes) -> None:
        """Forget a cluster's public key (cluster_destroy)."""
        self.ClusterKeys.remove(cluster_id)

    def is_worker_registered_after_gk_launched(self, pubkey: bytes) -> bool:
        """WorkerAddedAt[w] > GatekeeperLaunchedAt.block (false when either is missing)."""
        added = self.WorkerAddedAt.get(pubkey)
        launched = self.GatekeeperLaunchedAt.get()
        return added is not None and launched is not None and added > launched[0]

    def internal_set_benchmark(self, pubkey: bytes, score: int | None) -> None:
        """Test helper (Phala's cfg(test) `internal_set_benchmark`): set a worker's initial score."""
        info = self.worker(pubkey)
        if info is not None:
            info["initial_score"] = score
            self.Workers.insert(pubkey, info)

    def genesis_build(self, config: dict[str, Any]) -> None:
        """GenesisConfig::build; see genesis.py for the accepted keys."""
        build_genesis(self, config)

    # -- internals ------------------------------------------------------------------------------------

    def push(self, topic: bytes, payload: bytes) -> None:
        """Send `payload` to `topic` from `Pallet(\"PhalaRegistry\")` (MessageOriginInfo::push_message)."""
        self.rt.PhalaMq.push_pallet_message(PALLET_NAME, topic, payload)

    def now_ms(self) -> int:
        """The block timestamp (ms)."""
        return int(self.rt.Timestamp.now())

    def _insert_root_worker(self, pubkey: bytes, ecdh_pubkey: bytes, operator: bytes | None, last_updated: int) -> None:
        self.Workers.insert(pubkey, {
            "pubkey": pubkey, "ecdh_pubkey": ecdh_pubkey, "runtime_version": 0, "last_updated": last_updated,
            "operator": operator, "attestation_provider": ("Root", None), "confidence_level": 128,
            "initial_score": None, "features": (1, 4),
        })


attestation_mod = attestation
