"""Attestation validation for `register_worker_v2` (utils/attestation.rs `validate`), SGX replaced by a simulation.

Owns the §13.1 simulated attestation: a report `{runtime_hash, report_data, timestamp, confidence_level,
signature}` signed (sr25519, context `b"substrate"`) by the dev attestation authority over
`wrap_content_to_sign(SCALE((runtime_hash, report_data, timestamp, confidence_level)), SimulatedAttestation)`.
The authority is the dev key `//AttestationAuthority` (dev phrase), public key `ATTESTATION_AUTHORITY`.
Checks, in Phala's IAS order: signature (InvalidIASSigningCert), confidence level 1..5 (InvalidQuoteStatus),
runtime hash in the allowlist (PRuntimeRejected), age `now - timestamp < 7200 s` (OutdatedIASReport),
`report_data == blake2_256(SCALE(info))` (InvalidRuntimeInfoHash). `None` gives confidence 128 when enabled.
SGX IAS/DCAP reports are not verifiable here: UnsupportedAttestationType.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pallets.mq.types import SignedContentType, wrap_content_to_sign
from runtime.primitives.crypto import Keypair, sr25519_verify
from runtime.scale import U8, U64, ByteArray, Bytes, Tuple

ATTESTATION_AUTHORITY = bytes.fromhex("5eb9747027312187dbe7a3e042e4a37b1ead182f6ecab389226812c17dc3e870")
"""sr25519 public key of `//AttestationAuthority` (derived from the well-known dev phrase: dev chains only)."""

ATTESTATION_AUTHORITY_URI = "//AttestationAuthority"
MAX_REPORT_AGE_S = 7200
NONE_CONFIDENCE = 128

_BODY = Tuple((Bytes, ByteArray(32), U64, U8))


class AttestationError(Exception):
    """A report failed a check; `kind` is the PhalaRegistry error name to raise."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass(frozen=True)
class ConfidentialReport:
    """attestation.rs ConfidentialReport: the provider value, confidence level and runtime hash."""

    provider: Any
    confidence_level: int
    runtime_hash: bytes


def simulated_body(runtime_hash: bytes, report_data: bytes, timestamp: int, confidence_level: int) -> bytes:
    """The bytes the attestation authority signs."""
    body = _BODY.encode((runtime_hash, report_data, timestamp, confidence_level))
    return wrap_content_to_sign(body, SignedContentType.SimulatedAttestation)


def make_simulated_report(authority: Keypair, runtime_hash: bytes, report_data: bytes, timestamp: int,
                          confidence_level: int = 1) -> tuple[str, dict[str, Any]]:
    """An `AttestationReport::Simulated` value signed by `authority` (tests, the dev worker)."""
    signature = authority.sign(simulated_body(runtime_hash, report_data, timestamp, confidence_level))
    return ("Simulated", {"runtime_hash": runtime_hash, "report_data": report_data, "timestamp": timestamp,
                          "confidence_level": confidence_level, "signature": signature})


def validate(report: Any, user_data_hash: bytes, now_s: int, allowlist: tuple[bytes, ...],
             none_enabled: bool, authority: bytes = ATTESTATION_AUTHORITY) -> ConfidentialReport:
    """attestation::validate; AttestationError(kind) names the registry error on failure."""
    if report is None:
        if none_enabled:
            return ConfidentialReport(None, NONE_CONFIDENCE, b"")
        raise AttestationError("NoneAttestationDisabled", "attestation None is not enabled")
    name, fields = report
    if name != "Simulated":
        raise AttestationError("UnsupportedAttestationType", f"{name} reports cannot be verified by this chain")
    runtime_hash = fields["runtime_hash"]
    level = fields["confidence_level"]
    body = simulated_body(runtime_hash, fields["report_data"], fields["timestamp"], level)
    if not sr25519_verify(fields["signature"], body, authority):
        raise AttestationError("InvalidIASSigningCert", "report is not signed by the attestation authority")
    if not 1 <= level <= 5:
        raise AttestationError("InvalidQuoteStatus", f"confidence level {level} is not 1..5")
    if runtime_hash not in allowlist:
        raise AttestationError("PRuntimeRejected", "runtime hash is not in PRuntimeAllowList")
    if now_s - fields["timestamp"] >= MAX_REPORT_AGE_S:
        raise AttestationError("OutdatedIASReport", f"report is {now_s - fields['timestamp']} s old")
    if fields["report_data"] != user_data_hash:
        raise AttestationError("InvalidRuntimeInfoHash", "report_data != blake2_256(SCALE(pruntime_info))")
    return ConfidentialReport(("Simulated", None), level, runtime_hash)
