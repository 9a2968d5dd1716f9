"""The node's keystore: session keys by key type, on disk in Substrate's layout or in memory.

Substrate's `LocalKeystore` keeps one file per key at `<base>/chains/<id>/keystore/<hex(key_type)><hex(public)>`
holding the JSON string of the secret URI (or phrase) that derives it; `author_insertKey`, `key insert`
and `author_rotateKeys` write there. A `Keystore(None)` keeps the same entries in memory (for `--tmp` /
`--dev`). Key types are four ASCII bytes (`aura`, `gran`, ...); the scheme of a key is found by deriving
the URI with the key type's usual scheme first (aura: sr25519, gran: ed25519) and then the others.
Fresh keys (`generate`) come from a new random BIP39 phrase.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from pathlib import Path

from runtime.primitives.crypto import CryptoError, Keypair, Scheme

SCHEMES: tuple[Scheme, ...] = ("sr25519", "ed25519", "ecdsa")
KEY_TYPE_SCHEMES: dict[bytes, Scheme] = {b"aura": "sr25519", b"babe": "sr25519", b"imon": "sr25519",
                                        b"audi": "sr25519", b"gran": "ed25519", b"beef": "ecdsa"}
SESSION_KEYS: tuple[tuple[bytes, Scheme], ...] = ((b"aura", "sr25519"), (b"gran", "ed25519"))
"""The runtime's SessionKeys in order: what `author_rotateKeys` generates and concatenates."""


class KeystoreError(Exception):
    """A keystore operation failed; the message names the failed check."""


class PublicKeyMismatch(KeystoreError):
    """The secret URI given to `insert` does not derive the public key given with it."""


def key_type_bytes(key_type: str | bytes) -> bytes:
    """A KeyTypeId as its four bytes ("aura" → b"aura")."""
    raw = key_type.encode() if isinstance(key_type, str) else bytes(key_type)
    if len(raw) != 4:
        raise KeystoreError(f"keystore: key type must be 4 bytes, got {raw!r}")
    return raw


def generate_phrase(words: int = 12) -> str:
    """A fresh random BIP39 English mnemonic of 12, 15, 18, 21 or 24 words."""
    from runtime.primitives.keyring import _WORDS  # the embedded BIP39 list (2048 words)

    if words not in (12, 15, 18, 21, 24):
        raise KeystoreError(f"mnemonic: {words} words requested, expected 12, 15, 18, 21 or 24")
    ent_bits = words * 11 * 32 // 33
    entropy = secrets.token_bytes(ent_bits // 8)
    check_bits = ent_bits // 32
    bits = int.from_bytes(entropy, "big") << check_bits | hashlib.sha256(entropy).digest()[0] >> (8 - check_bits)
    return " ".join(_WORDS[(bits >> (11 * (words - 1 - i))) & 0x7FF] for i in range(words))


def derive_for(suri: str, public: bytes | None, key_type: bytes, scheme: Scheme | None = None) -> Keypair:
    """The key pair `suri` derives that matches `public` (any scheme, the key type's own first)."""
    order: list[Scheme] = [scheme] if scheme is not None else []
    if scheme is None:
        usual = KEY_TYPE_SCHEMES.get(key_type)
        order = ([usual] if usual else []) + [s for s in SCHEMES if s != usual]
    last: Exception | None = None
    for candidate in order:
        try:
            pair = Keypair.from_uri(suri, candidate)
        except CryptoError as exc:
            last = exc
            continue
        if public is None or pair.public == public:
            return pair
    if last is not None and public is None:
        raise KeystoreError(f"keystore: invalid secret URI: {last}")
    raise PublicKeyMismatch(
        f"keystore: the secret URI does not derive public key 0x{(public or b'').hex()} "
        f"for key type {key_type.decode(errors='replace')!r} (tried {', '.join(order)})")


class Keystore:
    """Session keys by (key type, public key); on disk under `path`, or in memory when `path` is None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[tuple[bytes, bytes], str] = {}
        self._pairs: dict[tuple[bytes, bytes], Keypair] = {}
        self._lock = threading.Lock()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def for_chain(base_path: Path, chain_id: str) -> Keystore:
        """The on-disk keystore of a chain: `<base>/chains/<id>/keystore`."""
        return Keystore(base_path / "chains" / chain_id / "keystore")

    def _file(self, key_type: bytes, public: bytes) -> Path:
        if self.path is None:
            raise KeystoreError("keystore: in-memory keystore has no files")
        return self.path / (key_type.hex() + public.hex())

    def _write(self, key_type: bytes, public: bytes, suri: str) -> None:
        if self.path is None:
            self._memory[(key_type, public)] = suri
            return
        target = self._file(key_type, public)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(suri))
        os.chmod(tmp, 0o600)
        tmp.replace(target)

    def _read(self, key_type: bytes, public: bytes) -> str | None:
        if self.path is None:
            return self._memory.get((key_type, public))
        try:
            text = self._file(key_type, public).read_text()
        except FileNotFoundError:
            return None
        try:
            suri = json.loads(text)
        except ValueError:
            raise KeystoreError(f"keystore: {self._file(key_type, public).name} is not a JSON string") from None
        if not isinstance(suri, str):
            raise KeystoreError(f"keystore: {self._file(key_type, public).name} is not a JSON string")
        return suri

    def insert(self, key_type: str | bytes, suri: str, public: bytes, scheme: Scheme | None = None) -> Keypair:
        """`author_insertKey`: store `suri` under (key_type, public) after checking it derives `public`."""
        kt = key_type_bytes(key_type)
        pair = derive_for(suri, bytes(public), kt, scheme)
        with self._lock:
            self._write(kt, pair.public, suri)
            self._pairs[(kt, pair.public)] = pair
        return pair

    def insert_suri(self, key_type: str | bytes, suri: str, scheme: Scheme) -> Keypair:
        """Store the key `suri` derives under `scheme` (e.g. `--alice`'s dev keys, `key insert`)."""
        kt = key_type_bytes(key_type)
        try:
            pair = Keypair.from_uri(suri, scheme)
        except CryptoError as exc:
            raise KeystoreError(f"keystore: invalid secret URI: {exc}") from None
        with self._lock:
            self._write(kt, pair.public, suri)
            self._pairs[(kt, pair.public)] = pair
        return pair

    def has_key(self, public: bytes, key_type: str | bytes) -> bool:
        """`author_hasKey`: whether a key of this type and public key is stored."""
        kt = key_type_bytes(key_type)
        if self.path is None:
            return (kt, bytes(public)) in self._memory
        return self._file(kt, bytes(public)).is_file()

    def keypair(self, key_type: str | bytes, public: bytes) -> Keypair | None:
        """The stored key pair for (key_type, public), or None."""
        kt = key_type_bytes(key_type)
        cached = self._pairs.get((kt, bytes(public)))
        if cached is not None:
            return cached
        suri = self._read(kt, bytes(public))
        if suri is None:
            return None
        pair = derive_for(suri, bytes(public), kt)
        self._pairs[(kt, pair.public)] = pair
        return pair

    def public_keys(self, key_type: str | bytes) -> list[bytes]:
        """All stored public keys of a key type, sorted."""
        kt = key_type_bytes(key_type)
        if self.path is None:
            return sorted(pub for (t, pub) in self._memory if t == kt)
        prefix = kt.hex()
        found: list[bytes] = []
        for entry in self.path.iterdir():
            name = entry.name
            if name.startswith(prefix) and not name.endswith(".tmp"):
                try:
                    found.append(bytes.fromhex(name[len(prefix):]))
                except ValueError:
                    continue
        return sorted(found)

    def generate(self, key_type: str | bytes, scheme: Scheme | None = None) -> Keypair:
        """Generate and store a fresh key (random 12-word phrase); `scheme` defaults from the key type."""
        kt = key_type_bytes(key_type)
        chosen: Scheme = scheme or KEY_TYPE_SCHEMES.get(kt, "sr25519")
        return self.insert_suri(kt, generate_phrase(12), chosen)

    def rotate_keys(self) -> bytes:
        """`author_rotateKeys`: fresh aura (sr25519) and gran (ed25519) keys, their publics concatenated."""
        return b"".join(self.generate(kt, scheme).public for kt, scheme in SESSION_KEYS)
