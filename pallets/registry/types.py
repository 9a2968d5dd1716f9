"""PhalaRegistry wire types: worker info, registration info, attestation reports, endpoints, registry events.

Shapes and paths follow phala-types / pink-types / registry.rs so clients decoding through metadata see
Phala's names. Two additions (listed in the README's Simplifications): `AttestationReport::Simulated` (index 2)
and `AttestationProvider::Simulated` (index 3), the §13.1 simulated attestation.
"""

from __future__ import annotations

from pallets.mq.types import Sr25519Public
from runtime.primitives.types import H256, AccountId
from runtime.scale import U8, U32, U64, ByteArray, Bytes, Enum, Field, Option, Str, Struct, Variant, Vec

AttestationProvider = Enum(("phala_types", "AttestationProvider"), (
    Variant("Root", 0), Variant("Ias", 1), Variant("Dcap", 2),
    Variant("Simulated", 3, (), ("Our extension: the dev attestation authority's simulated report",)),
))

WorkerInfoV2 = Struct(("phala_pallets", "registry", "pallet", "WorkerInfoV2"), (
    Field("pubkey", Sr25519Public, "WorkerPublicKey", ("The identity public key of the worker",)),
    Field("ecdh_pubkey", Sr25519Public, "EcdhPublicKey", ("The public key for ECDH communication",)),
    Field("runtime_version", U32, "u32", ("The pruntime version of the worker upon registering",)),
    Field("last_updated", U64, "u64", ("The unix timestamp of the last updated time",)),
    Field("operator", Option(AccountId), "Option<AccountId>", ("The stake pool owner that can control this worker",)),
    Field("attestation_provider", Option(AttestationProvider), "Option<AttestationProvider>",
          ("Who issues the attestation",)),
    Field("confidence_level", U8, "u8", ("The confidence level of the worker",)),
    Field("initial_score", Option(U32), "Option<u32>", ("The performance score by benchmark",)),
    Field("features", Vec(U32), "Vec<u32>", ("Deprecated",)),
), params=(("AccountId", AccountId),), docs=("The basic information of a registered worker",))

WorkerRegistrationInfoV2 = Struct(("phala_types", "WorkerRegistrationInfoV2"), (
    Field("version", U32, "u32"),
    Field("machine_id", Bytes, "MachineId"),
    Field("pubkey", Sr25519Public, "WorkerPublicKey"),
    Field("ecdh_pubkey", Sr25519Public, "EcdhPublicKey"),
    Field("genesis_block_hash", H256, "H256"),
    Field("features", Vec(U32), "Vec<u32>"),
    Field("operator", Option(AccountId), "Option<AccountId>"),
    Field("para_id", U32, "u32"),
    Field("max_consensus_version", U32, "u32"),
), params=(("AccountId", AccountId),))

SgxV30QuoteCollateral = Struct(("sgx_attestation", "dcap", "SgxV30QuoteCollateral"), (
    Field("pck_crl_issuer_chain", Str, "String"), Field("root_ca_crl", Str, "String"),
    Field("pck_crl", Str, "String"), Field("tcb_info_issuer_chain", Str, "String"),
    Field("tcb_info", Str, "String"), Field("tcb_info_signature", Bytes, "Vec<u8>"),
    Field("qe_identity_issuer_chain", Str, "String"), Field("qe_identity", Str, "String"),
    Field("qe_identity_signature", Bytes, "Vec<u8>"),
))

Collateral = Enum(("pink_types", "sgx", "Collateral"), (
    Variant("SgxV30", 0, (Field(None, SgxV30QuoteCollateral, "SgxV30QuoteCollateral"),)),
))

AttestationReport = Enum(("pink_types", "sgx", "AttestationReport"), (
    Variant("SgxIas", 0, (Field("ra_report", Bytes, "Vec<u8>"), Field("signature", Bytes, "Vec<u8>"),
                          Field("raw_signing_cert", Bytes, "Vec<u8>"))),
    Variant("SgxDcap", 1, (Field("quote", Bytes, "Vec<u8>"), Field("collateral", Option(Collateral), "Option<Collateral>"))),
    Variant("Simulated", 2, (
        Field("runtime_hash", Bytes, "Vec<u8>"),
        Field("report_data", ByteArray(32), "[u8; 32]"),
        Field("timestamp", U64, "u64"),
        Field("confidence_level", U8, "u8"),
        Field("signature", Bytes, "Vec<u8>"),
    ), ("Our extension: a report signed by the dev attestation authority (sr25519)",)),
))

VersionedWorkerEndpoints = Enum(("phala_types", "VersionedWorkerEndpoints"), (
    Variant("V1", 0, (Field(None, Vec(Str), "Vec<String>"),)),
))

WorkerEndpointPayload = Struct(("phala_types", "WorkerEndpointPayload"), (
    Field("pubkey", Sr25519Public, "WorkerPublicKey"),
    Field("versioned_endpoints", VersionedWorkerEndpoints, "VersionedWorkerEndpoints"),
    Field("signing_time", U64, "u64"),
))

RegistryEvent = Enum(("phala_pallets", "registry", "pallet", "RegistryEvent"), (
    Variant("BenchReport", 0, (Field("start_time", U64, "u64"), Field("iterations", U64, "u64"))),
    Variant("MasterPubkey", 1, (Field("master_pubkey", Sr25519Public, "MasterPublicKey"),)),
))
"""Payload of topic `^phala/registry/event` (worker → registry)."""
