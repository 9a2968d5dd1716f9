"""The keystore: Substrate's on-disk layout, the in-memory store, key checks and generation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from node.keystore import Keystore, KeystoreError, PublicKeyMismatch, generate_phrase, key_type_bytes
from runtime.primitives.keyring import dev_keypair, keypair_from_uri, mnemonic_to_entropy

ALICE_SR = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
ALICE_ED = bytes.fromhex("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee")


def test_on_disk_layout_and_round_trip(tmp_path: Path) -> None:
    store = Keystore.for_chain(tmp_path, "dev")
    store.insert("aura", "//Alice", ALICE_SR)
    store.insert(b"gran", "//Alice", ALICE_ED)
    directory = tmp_path / "chains" / "dev" / "keystore"
    files = sorted(p.name for p in directory.iterdir())
    assert files == ["61757261" + ALICE_SR.hex(), "6772616e" + ALICE_ED.hex()]
    assert (directory / files[0]).read_text() == '"//Alice"'
    assert (directory / files[0]).stat().st_mode & 0o777 == 0o600

    reopened = Keystore.for_chain(tmp_path, "dev")
    assert reopened.has_key(ALICE_SR, "aura")
    assert reopened.has_key(ALICE_ED, "gran")
    assert not reopened.has_key(ALICE_SR, "gran")
    aura = reopened.keypair("aura", ALICE_SR)
    gran = reopened.keypair("gran", ALICE_ED)
    assert aura is not None
    assert aura.scheme == "sr25519"
    assert aura.public == ALICE_SR
    assert gran is not None
    assert gran.scheme == "ed25519"
    assert gran.public == ALICE_ED
    assert aura.verify(b"msg", aura.sign(b"msg"))
    assert reopened.public_keys("aura") == [ALICE_SR]
    assert reopened.keypair("aura", bytes(32)) is None


def test_file_written_by_substrate_is_read(tmp_path: Path) -> None:
    bob = dev_keypair("Bob")
    (tmp_path / ("61757261" + bob.public.hex())).write_text(json.dumps("//Bob"))
    store = Keystore(tmp_path)
    assert store.public_keys("aura") == [bob.public]
    pair = store.keypair("aura", bob.public)
    assert pair is not None
    assert pair.secret == bob.secret


def test_in_memory_store() -> None:
    store = Keystore(None)
    store.insert("aura", "//Bob", dev_keypair("Bob").public)
    assert store.has_key(dev_keypair("Bob").public, "aura")
    assert store.public_keys("aura") == [dev_keypair("Bob").public]
    assert store.public_keys("gran") == []


def test_insert_checks_public_key(tmp_path: Path) -> None:
    store = Keystore(tmp_path)
    with pytest.raises(PublicKeyMismatch, match="does not derive public key 0xd435"):
        store.insert("aura", "//Bob", ALICE_SR)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(KeystoreError, match="key type must be 4 bytes"):
        key_type_bytes("auraa")
    with pytest.raises(KeystoreError):
        store.insert_suri("aura", "not a valid phrase at all", "sr25519")


def test_generate_and_rotate_keys(tmp_path: Path) -> None:
    store = Keystore(tmp_path)
    keys = store.rotate_keys()
    assert len(keys) == 64
    aura_pub, gran_pub = keys[:32], keys[32:]
    assert store.public_keys("aura") == [aura_pub]
    assert store.public_keys("gran") == [gran_pub]
    gran = Keystore(tmp_path).keypair("gran", gran_pub)
    assert gran is not None
    assert gran.scheme == "ed25519"
    stored = json.loads((tmp_path / ("61757261" + aura_pub.hex())).read_text())
    assert keypair_from_uri(stored, "sr25519").public == aura_pub
    assert store.rotate_keys() != keys


@pytest.mark.parametrize("words", [12, 15, 18, 21, 24])
def test_generated_phrases_are_valid_bip39(words: int) -> None:
    phrase = generate_phrase(words)
    assert len(phrase.split()) == words
    assert len(mnemonic_to_entropy(phrase)) == words * 4 // 3  # checksum verified inside
    assert generate_phrase(words) != phrase
    with pytest.raises(KeystoreError):
        generate_phrase(13)
