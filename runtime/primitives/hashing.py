"""Substrate's hash functions and storage-map hashers (sp_core::hashing, frame_support::Hashable).

twox_N is xxHash64 run with seeds 0..N/64-1, each digest little-endian; blake2_N is Blake2b with an
N-bit digest. The `*_concat` hashers append the raw key so map keys can be iterated.
"""

from __future__ import annotations

import hashlib
from typing import Final

import xxhash

_xxh64 = xxhash.xxh64_intdigest


def blake2_128(data: bytes) -> bytes:
    """Blake2b with a 16-byte digest."""
    return hashlib.blake2b(data, digest_size=16).digest()


def blake2_256(data: bytes) -> bytes:
    """Blake2b with a 32-byte digest: block hashes, extrinsic hashes, large signing payloads."""
    return hashlib.blake2b(data, digest_size=32).digest()


def blake2_64(data: bytes) -> bytes:
    """Blake2b with an 8-byte digest: runtime API ids."""
    return hashlib.blake2b(data, digest_size=8).digest()


def twox_64(data: bytes) -> bytes:
    """xxHash64 with seed 0, little-endian."""
    return _xxh64(data, 0).to_bytes(8, "little")


def twox_128(data: bytes) -> bytes:
    """Two xxHash64 digests (seeds 0 and 1), little-endian: pallet and storage-item prefixes."""
    return _xxh64(data, 0).to_bytes(8, "little") + _xxh64(data, 1).to_bytes(8, "little")


def twox_256(data: bytes) -> bytes:
    """Four xxHash64 digests (seeds 0..3), little-endian."""
    return b"".join(_xxh64(data, seed).to_bytes(8, "little") for seed in range(4))


def blake2_128_concat(data: bytes) -> bytes:
    """Blake2_128Concat storage hasher: blake2_128(key) ++ key."""
    return hashlib.blake2b(data, digest_size=16).digest() + data


def twox_64_concat(data: bytes) -> bytes:
    """Twox64Concat storage hasher: twox_64(key) ++ key."""
    return _xxh64(data, 0).to_bytes(8, "little") + data


def identity(data: bytes) -> bytes:
    """Identity storage hasher: the key itself."""
    return data


EMPTY_TRIE_ROOT: Final = blake2_256(b"\x00")
