"""sr25519 / ed25519 / ecdsa verification, MultiSignature codec and Keypair, against published vectors."""

from __future__ import annotations

import pytest
from eth_keys.datatypes import Signature as EthSignature

from runtime.primitives.account import ss58_decode
from runtime.primitives.crypto import (
    Keypair,
    MultiSignature,
    MultiSignatureDecodeError,
    ecdsa_recover_compressed,
    ecdsa_verify,
    ed25519_verify,
    sr25519_verify,
)
from runtime.primitives.hashing import blake2_256
from runtime.scale.errors import ScaleDecodeError, ScaleEncodeError

RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_SIG_EMPTY = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)
# sp_core::ecdsa test_vector_should_work (seed = the RFC 8032 secret, message b"").
SUBSTRATE_ECDSA_PUBLIC = bytes.fromhex("028db55b05db86c0b1786ca49f095d76344c9e6056b2f02701a7e7f3c20aabfd91")
SUBSTRATE_ECDSA_SIG_EMPTY = bytes.fromhex(
    "3dde91174bd9359027be59a428b8146513df80a2a3c7eda2194f64de04a69ab97b753169e94db6ffd50921a2668a48b94ca11e3d32c1ff19cfe88890aa7e8f3c00"
)


def test_sr25519_seeded_public_matches_substrate() -> None:
    # sp_core::sr25519 seeded_pair_should_work
    pair = Keypair.from_seed(b"12345678901234567890123456789012")
    assert pair.public.hex() == "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63"


def test_sr25519_verifies_polkadot_js_signature() -> None:
    # Signed by polkadot.js (context "substrate"), so this checks the bindings' built-in signing context.
    public = ss58_decode("5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR")
    sig = bytes.fromhex(
        "22f91b41ba12f8663ddce26bfc90dbfe6a51683fd3782ad679ab2a5fdbe7d44c2a119f22c74eea22555e5483eb7f42b828f189a38379d59c3b607d2461f0858e"
    )
    assert sr25519_verify(sig, b"test message\n", public)
    assert not sr25519_verify(sig, b"another message\n", public)
    assert MultiSignature(1, sig).verify(b"test message\n", public)
    assert not MultiSignature(0, sig).verify(b"test message\n", public)


def test_sr25519_rejects_pre_schnorrkel_signature() -> None:
    # sp_core::sr25519 verify_from_old_wasm_works: only the deprecated verifier accepts it.
    sig = bytes.fromhex(
        "28a854d54903e056f89581c691c1f7d2ff39f8f896c9e9c22475e60902cc2b3547199e0e91fa32902028f2ca2355e8cdd16cfe19ba5e8b658c94aa80f3b81a00"
    )
    assert not sr25519_verify(sig, b"SUBSTRATE", Keypair.from_seed(bytes(32)).public)


def test_ed25519_rfc8032_vector() -> None:
    pair = Keypair.from_seed(RFC8032_SECRET, "ed25519")
    assert pair.public == RFC8032_PUBLIC
    assert pair.sign(b"") == RFC8032_SIG_EMPTY
    assert ed25519_verify(RFC8032_SIG_EMPTY, b"", RFC8032_PUBLIC)
    assert not ed25519_verify(RFC8032_SIG_EMPTY, b"x", RFC8032_PUBLIC)


def test_ecdsa_matches_substrate_vector() -> None:
    pair = Keypair.from_seed(RFC8032_SECRET, "ecdsa")
    assert pair.public == SUBSTRATE_ECDSA_PUBLIC
    assert pair.sign(b"") == SUBSTRATE_ECDSA_SIG_EMPTY  # RFC 6979 nonce, low-s: byte-identical to Substrate
    account = blake2_256(SUBSTRATE_ECDSA_PUBLIC)
    assert pair.account_id == account
    assert MultiSignature(2, SUBSTRATE_ECDSA_SIG_EMPTY).verify(b"", account)
    assert not MultiSignature(2, SUBSTRATE_ECDSA_SIG_EMPTY).verify(b"x", account)
    assert not MultiSignature(2, SUBSTRATE_ECDSA_SIG_EMPTY).verify(b"", SUBSTRATE_ECDSA_PUBLIC[1:])


@pytest.mark.parametrize("msg", [b"", b"hello", bytes(range(256))])
def test_ecdsa_recovery_agrees_with_eth_keys(msg: bytes) -> None:
    pair = Keypair.from_seed(blake2_256(msg + b"seed"), "ecdsa")
    sig = pair.sign(msg)
    digest = blake2_256(msg)
    oracle = EthSignature(sig).recover_public_key_from_msg_hash(digest)
    assert ecdsa_recover_compressed(sig, digest) == oracle.to_compressed_bytes() == pair.public
    # v may also be given Ethereum-style (27/28)
    assert ecdsa_verify(sig[:64] + bytes((sig[64] + 27,)), msg, pair.account_id)


def test_ecdsa_malformed_signatures_return_false() -> None:
    pair = Keypair.from_seed(RFC8032_SECRET, "ecdsa")
    sig = pair.sign(b"m")
    digest = blake2_256(b"m")
    assert ecdsa_recover_compressed(sig[:64] + b"\x04", digest) is None  # recovery id out of range
    assert ecdsa_recover_compressed(bytes(32) + sig[32:], digest) is None  # r = 0
    assert ecdsa_recover_compressed(sig[:32] + b"\xff" * 32 + sig[64:], digest) is None  # s >= n
    assert ecdsa_recover_compressed(sig[:64], digest) is None  # too short
    assert not ecdsa_verify(b"\xff" * 65, b"m", pair.account_id)


@pytest.mark.parametrize("scheme", ["sr25519", "ed25519", "ecdsa"])
def test_keypair_sign_verify_roundtrip(scheme: str) -> None:
    pair = Keypair.from_seed(bytes(range(32)), scheme)  # type: ignore[arg-type]
    multi = pair.sign_multi(b"payload")
    assert multi.scheme == scheme
    assert multi.verify(b"payload", pair.account_id)
    assert not multi.verify(b"payload!", pair.account_id)
    assert pair.verify(b"payload", multi.signature)
    assert not pair.verify(b"payload", multi.signature[:-1])
    decoded, end = MultiSignature.decode(multi.encode())
    assert decoded == multi
    assert end == len(multi.encode())


def test_multisignature_decode_is_strict() -> None:
    with pytest.raises(MultiSignatureDecodeError, match="unknown variant 3"):
        MultiSignature.decode(b"\x03" + bytes(64))
    with pytest.raises(MultiSignatureDecodeError, match="truncated"):
        MultiSignature.decode(b"\x02" + bytes(64))
    with pytest.raises(ScaleDecodeError, match="no variant"):
        MultiSignature.decode(b"")
    sig, end = MultiSignature.decode(b"\xaa\x01" + bytes(64) + b"tail", 1)
    assert sig.kind == 1
    assert end == 66


def test_multisignature_constructor_validates() -> None:
    with pytest.raises(ScaleEncodeError):
        MultiSignature(1, bytes(65))
    with pytest.raises(ScaleEncodeError):
        MultiSignature(7, bytes(64))


def test_bad_seed_rejected() -> None:
    from runtime.primitives.crypto import CryptoError

    with pytest.raises(CryptoError, match="32 bytes"):
        Keypair.from_seed(bytes(31))
    with pytest.raises(CryptoError, match="out of range"):
        Keypair.from_seed(bytes(32), "ecdsa")
