"""Dev keyring and secret URIs against substrate-interface and sp_core / sp_keyring vectors."""

from __future__ import annotations

import pytest
from substrateinterface import Keypair as OracleKeypair

from runtime.primitives.crypto import Keypair, UnsupportedSignature
from runtime.primitives.keyring import (
    DEV_ACCOUNTS,
    DEV_PHRASE,
    DeriveJunction,
    SecretUriError,
    derive,
    dev_keypair,
    keypair_from_uri,
    mnemonic_to_entropy,
    parse_suri,
)

SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
ALL_DEV = [name for base in DEV_ACCOUNTS for name in (base, base + "//stash")]


def test_known_public_keys() -> None:
    assert (
        dev_keypair("Alice").public.hex()
        == "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
    )
    assert (
        dev_keypair("Bob").public.hex() == "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
    )
    assert (
        dev_keypair("Alice", "ed25519").public.hex()
        == "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
    )
    # sp_keyring ecdsa Alice
    assert (
        dev_keypair("Alice", "ecdsa").public.hex()
        == "020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1"
    )


@pytest.mark.parametrize("name", ALL_DEV)
def test_sr25519_dev_accounts_match_substrate_interface(name: str) -> None:
    mine = dev_keypair(name)
    oracle = OracleKeypair.create_from_uri("//" + name)
    assert mine.public == oracle.public_key
    assert oracle.verify(b"msg", mine.sign(b"msg"))


@pytest.mark.parametrize("path", ["//Alice/soft", "//Alice/0", "/1/2//3", "//42", "//" + "x" * 40])
def test_soft_and_numeric_paths_match_substrate_interface(path: str) -> None:
    assert Keypair.from_uri(path).public == OracleKeypair.create_from_uri(path).public_key


def test_explicit_phrase_equals_default() -> None:
    assert keypair_from_uri(DEV_PHRASE + "//Bob").public == dev_keypair("Bob").public
    assert keypair_from_uri(DEV_PHRASE).public == OracleKeypair.create_from_uri(DEV_PHRASE).public_key


def test_password_changes_key() -> None:
    # sp_core default_phrase_should_be_used: "//Alice///password" = phrase + "//Alice" with password
    with_pw = keypair_from_uri("//Alice///password")
    assert with_pw.public == keypair_from_uri(DEV_PHRASE + "//Alice///password").public
    assert with_pw.public != dev_keypair("Alice").public


def test_hard_derivation_vectors() -> None:
    hard_zero = (DeriveJunction(bytes(32), True),)
    # sp_core::ed25519 / ecdsa seed_and_derive_should_work
    assert derive(SEED, "ed25519", hard_zero).secret.hex() == (
        "ede3354e133f9c8e337ddd6ee5415ed4b4ffe5fc7d21e933f4930a3730e5b21c"
    )
    assert derive(SEED, "ecdsa", hard_zero).secret.hex() == (
        "b8eefc4937200a8382d00050e050ced2d4ab72cc2ef1b061477afb51564fdd61"
    )


def test_hex_seed_uri() -> None:
    pair = keypair_from_uri("0x" + SEED.hex(), "ed25519")
    assert pair.public.hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    oracle = OracleKeypair.create_from_seed("0x" + SEED.hex())
    assert keypair_from_uri("0x" + SEED.hex()).public == oracle.public_key


def test_junction_chain_codes() -> None:
    assert DeriveJunction.from_text("Alice", True).chain_code == b"\x14Alice" + bytes(26)
    assert DeriveJunction.from_text("7", False).chain_code == b"\x07" + bytes(31)
    long_text = DeriveJunction.from_text("y" * 40, True).chain_code
    assert len(long_text) == 32
    assert long_text != b"\xa0" + b"y" * 31


def test_parse_suri() -> None:
    phrase, junctions, password = parse_suri("//Alice//stash/0///pw")
    assert phrase == DEV_PHRASE
    assert password == "pw"
    assert [j.hard for j in junctions] == [True, True, False]


def test_soft_derivation_unsupported_for_ed25519() -> None:
    with pytest.raises(UnsupportedSignature, match="soft derivation"):
        keypair_from_uri("//Alice/soft", "ed25519")


def test_mnemonic_checks() -> None:
    assert len(mnemonic_to_entropy(DEV_PHRASE)) == 16
    with pytest.raises(SecretUriError, match="checksum"):
        mnemonic_to_entropy(DEV_PHRASE.replace("walk", "wall"))
    with pytest.raises(SecretUriError, match="not a BIP39"):
        mnemonic_to_entropy(DEV_PHRASE.replace("walk", "walkk"))
    with pytest.raises(SecretUriError, match="11 words"):
        mnemonic_to_entropy(DEV_PHRASE.rsplit(" ", 1)[0])


def test_dev_keypair_rejects_unknown_name() -> None:
    with pytest.raises(SecretUriError, match="not a dev account"):
        dev_keypair("Mallory")
