"""Extrinsics built by scalecodec + substrate-interface's Keypair (solochain-template metadata) vs our codec.

The metadata fixture is `state_getMetadata` of the reference chain (solochain-template-runtime, spec 100,
tx 1), whose signed extensions are exactly our runtime's: no CheckMetadataHash.
"""

from __future__ import annotations

from typing import Any

import pytest
from scalecodec.base import ScaleBytes  # type: ignore[attr-defined]
from substrateinterface import Keypair as OracleKeypair

from runtime.primitives.crypto import MultiSignature
from runtime.primitives.era import IMMORTAL, Era
from runtime.primitives.extrinsic import decode_extrinsic, encode_signed, sign_extrinsic, signing_payload
from runtime.primitives.hashing import blake2_256
from runtime.primitives.keyring import dev_keypair

GENESIS = bytes.fromhex("45" * 32)
BIRTH = bytes.fromhex("b1" * 32)
SPEC, TX = 100, 1
ALICE = OracleKeypair.create_from_uri("//Alice")
BOB = OracleKeypair.create_from_uri("//Bob")
CALL = {
    "call_module": "Balances",
    "call_function": "transfer_keep_alive",
    "call_args": {"dest": BOB.ss58_address, "value": 10**12},
}


def test_fixture_has_our_signed_extensions(scale_runtime: tuple[Any, Any]) -> None:
    _, metadata = scale_runtime
    assert list(metadata.get_signed_extensions()) == [
        "CheckNonZeroSender",
        "CheckSpecVersion",
        "CheckTxVersion",
        "CheckGenesis",
        "CheckMortality",
        "CheckNonce",
        "CheckWeight",
        "ChargeTransactionPayment",
    ]


def _oracle_payload(
    config: Any, metadata: Any, call_hex: str, era: Any, nonce: int, tip: int, block: bytes
) -> bytes:
    """substrate-interface's generate_signature_payload, offline."""
    ext = metadata.get_signed_extensions()
    payload = config.create_scale_object("ExtrinsicPayloadValue")
    payload.type_mapping = [
        ["call", "CallBytes"],
        ["era", ext["CheckMortality"]["extrinsic"]],
        ["nonce", ext["CheckNonce"]["extrinsic"]],
        ["tip", ext["ChargeTransactionPayment"]["extrinsic"]],
        ["spec_version", ext["CheckSpecVersion"]["additional_signed"]],
        ["transaction_version", ext["CheckTxVersion"]["additional_signed"]],
        ["genesis_hash", ext["CheckGenesis"]["additional_signed"]],
        ["block_hash", ext["CheckMortality"]["additional_signed"]],
    ]
    payload.encode(
        {
            "call": call_hex,
            "era": era,
            "nonce": nonce,
            "tip": tip,
            "spec_version": SPEC,
            "transaction_version": TX,
            "genesis_hash": "0x" + GENESIS.hex(),
            "block_hash": "0x" + block.hex(),
        }
    )
    data = bytes(payload.data.data)
    return blake2_256(data) if len(data) > 256 else data


@pytest.mark.parametrize(
    ("era_value", "era", "nonce", "tip"),
    [("00", IMMORTAL, 0, 0), ({"period": 64, "current": 1234}, Era.mortal(64, 1234), 77, 10**15)],
)
def test_decode_scalecodec_extrinsic(
    scale_runtime: tuple[Any, Any], era_value: Any, era: Era, nonce: int, tip: int
) -> None:
    config, metadata = scale_runtime
    call = config.create_scale_object("Call", metadata=metadata)
    call.encode(CALL)
    call_bytes = bytes(call.data.data)
    block = GENESIS if era.is_immortal else BIRTH
    oracle_payload = _oracle_payload(config, metadata, str(call.data), era_value, nonce, tip, block)
    assert signing_payload(call_bytes, era, nonce, tip, SPEC, TX, GENESIS, BIRTH) == oracle_payload
    signature = ALICE.sign(oracle_payload)

    xt = config.create_scale_object("Extrinsic", metadata=metadata)
    xt.encode(
        {
            **CALL,
            "account_id": "0x" + ALICE.public_key.hex(),
            "signature": "0x" + signature.hex(),
            "signature_version": 1,
            "nonce": nonce,
            "era": era_value,
            "tip": tip,
        }
    )
    raw = bytes(xt.data.data)

    d = decode_extrinsic(raw)
    assert d.signed
    assert d.signer == ALICE.public_key
    assert d.signature == MultiSignature(1, signature)
    assert (d.era, d.nonce, d.tip, d.call) == (era, nonce, tip, call_bytes)
    assert d.verify_signature(SPEC, TX, GENESIS, BIRTH)
    assert d.hash == bytes(xt.extrinsic_hash)
    assert d.signer is not None
    assert d.signature is not None
    assert encode_signed(d.signer, d.signature, era, nonce, tip, call_bytes) == raw


def test_scalecodec_decodes_our_extrinsic(scale_runtime: tuple[Any, Any]) -> None:
    config, metadata = scale_runtime
    call = config.create_scale_object("Call", metadata=metadata)
    call.encode(CALL)
    era = Era.mortal(128, 5000)
    ours = sign_extrinsic(
        dev_keypair("Alice"),
        bytes(call.data.data),
        era=era,
        nonce=3,
        tip=9,
        spec_version=SPEC,
        tx_version=TX,
        genesis_hash=GENESIS,
        birth_hash=BIRTH,
    )
    decoded = config.create_scale_object("Extrinsic", data=ScaleBytes(ours), metadata=metadata)
    value = decoded.decode()
    assert value["address"] == "0x" + ALICE.public_key.hex()
    assert value["nonce"] == 3
    assert value["tip"] == 9
    assert tuple(value["era"]) == (era.period, era.phase)
    assert value["call"]["call_function"] == "transfer_keep_alive"
    assert value["call"]["call_args"][0]["value"] == "0x" + BOB.public_key.hex()
    assert value["extrinsic_hash"] == "0x" + blake2_256(ours).hex()
    sig = bytes.fromhex(value["signature"]["Sr25519"][2:])
    payload = _oracle_payload(config, metadata, str(call.data), {"period": 128, "current": 5000}, 3, 9, BIRTH)
    assert ALICE.verify(payload, sig)
