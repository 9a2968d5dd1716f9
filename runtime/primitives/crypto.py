"""Signature schemes of sp_runtime: sr25519, ed25519 and ecdsa verification, `MultiSignature`, and key pairs.

This module owns everything a runtime needs to check who signed a transaction:
- `MultiSignature` (enum `Ed25519=0`, `Sr25519=1`, `Ecdsa=2`) decode/encode and `verify(msg, signer)` with
  exactly the rules of `sp_runtime::MultiSignature::verify`: sr25519 is schnorrkel with signing context
  `b"substrate"` (built into py-sr25519-bindings), ed25519 is plain RFC 8032 (zebra), ecdsa is a 65-byte
  recoverable secp256k1 signature over `blake2_256(msg)` whose recovered compressed public key must hash
  (blake2_256) to the signer's account id.
- `Keypair`: signing keys from a seed or a secret URI (the URI grammar and HD derivation live in `keyring`).

ECDSA public-key recovery is done here with integer arithmetic (no extra dependency); it is ~ms-slow but
ecdsa transactions are rare. Verification is deterministic and never raises on malformed signatures: it
returns False, as Substrate does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

import ed25519_zebra
import sr25519
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ..scale.errors import ScaleDecodeError, ScaleEncodeError
from .hashing import blake2_256

Scheme = Literal["sr25519", "ed25519", "ecdsa"]

ED25519: Final = 0
SR25519: Final = 1
ECDSA: Final = 2
_SIG_LEN: Final = (64, 64, 65)
_SCHEME_NAMES: Final[tuple[Scheme, Scheme, Scheme]] = ("ed25519", "sr25519", "ecdsa")
_SCHEME_INDEX: Final[dict[str, int]] = {"ed25519": ED25519, "sr25519": SR25519, "ecdsa": ECDSA}


class CryptoError(Exception):
    """Root of key-handling failures (bad seed, bad secret URI, unsupported derivation)."""


class UnsupportedSignature(CryptoError):
    """A signature scheme or operation this build does not support (e.g. soft derivation of ed25519)."""


class MultiSignatureDecodeError(ScaleDecodeError):
    """A `MultiSignature` could not be decoded: unknown variant or truncated signature bytes."""


# --- secp256k1 public-key recovery (integer arithmetic, Jacobian coordinates) -------------------------

_P: Final = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
_N: Final = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_G: Final = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
    1,
)
_INF: Final = (0, 1, 0)
_Jac = tuple[int, int, int]


def _jac_double(pt: _Jac) -> _Jac:
    x, y, z = pt
    if z == 0 or y == 0:
        return _INF
    ysq = y * y % _P
    s = 4 * x * ysq % _P
    m = 3 * x * x % _P
    nx = (m * m - 2 * s) % _P
    return nx, (m * (s - nx) - 8 * ysq * ysq) % _P, 2 * y * z % _P


def _jac_add(a: _Jac, b: _Jac) -> _Jac:
    if a[2] == 0:
        return b
    if b[2] == 0:
        return a
    z1s, z2s = a[2] * a[2] % _P, b[2] * b[2] % _P
    u1, u2 = a[0] * z2s % _P, b[0] * z1s % _P
    s1, s2 = a[1] * z2s * b[2] % _P, b[1] * z1s * a[2] % _P
    if u1 == u2:
        return _jac_double(a) if s1 == s2 else _INF
    h, r = (u2 - u1) % _P, (s2 - s1) % _P
    h2 = h * h % _P
    h3 = h * h2 % _P
    u1h2 = u1 * h2 % _P
    nx = (r * r - h3 - 2 * u1h2) % _P
    return nx, (r * (u1h2 - nx) - s1 * h3) % _P, h * a[2] * b[2] % _P


def _shamir(k1: int, p1: _Jac, k2: int, p2: _Jac) -> _Jac:
    """k1*p1 + k2*p2 by simultaneous double-and-add."""
    both = _jac_add(p1, p2)
    acc = _INF
    for bit in range(max(k1.bit_length(), k2.bit_length()) - 1, -1, -1):
        acc = _jac_double(acc)
        b1, b2 = (k1 >> bit) & 1, (k2 >> bit) & 1
        if b1 and b2:
            acc = _jac_add(acc, both)
        elif b1:
            acc = _jac_add(acc, p1)
        elif b2:
            acc = _jac_add(acc, p2)
    return acc


def ecdsa_recover_compressed(signature: bytes, msg_hash: bytes) -> bytes | None:
    """Recover the 33-byte compressed secp256k1 public key from a 65-byte `r ++ s ++ v` signature.

    Mirrors `sp_io::crypto::secp256k1_ecdsa_recover_compressed`: v may be 0..3 or 27..30; returns None
    (never raises) when the signature cannot be recovered.
    """
    if len(signature) != 65 or len(msg_hash) != 32:
        return None
    v = signature[64]
    if v > 26:
        v -= 27
    if v > 3:
        return None
    r = int.from_bytes(signature[0:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    if not (0 < r < _N and 0 < s < _N):
        return None
    x = r + (v >> 1) * _N
    if x >= _P:
        return None
    alpha = (x * x * x + 7) % _P
    beta = pow(alpha, (_P + 1) // 4, _P)
    if beta * beta % _P != alpha:
        return None
    y = beta if beta & 1 == v & 1 else _P - beta
    e = int.from_bytes(msg_hash, "big") % _N
    r_inv = pow(r, -1, _N)
    qx, qy, qz = _shamir((-e * r_inv) % _N, _G, s * r_inv % _N, (x, y, 1))
    if qz == 0:
        return None
    zinv = pow(qz, -1, _P)
    zinv2 = zinv * zinv % _P
    ax, ay = qx * zinv2 % _P, qy * zinv2 * zinv % _P
    return bytes((2 + (ay & 1),)) + ax.to_bytes(32, "big")


# --- verification --------------------------------------------------------------------------------------


def sr25519_verify(signature: bytes, msg: bytes, public: bytes) -> bool:
    """schnorrkel verify with signing context `b"substrate"`; False on any malformed input."""
    if len(signature) != 64 or len(public) != 32:
        return False
    try:
        return bool(sr25519.verify(signature, msg, public))
    except ValueError:
        return False


def ed25519_verify(signature: bytes, msg: bytes, public: bytes) -> bool:
    """RFC 8032 ed25519 verify (zebra rules); False on any malformed input."""
    if len(signature) != 64 or len(public) != 32:
        return False
    try:
        return bool(ed25519_zebra.ed_verify(signature, msg, public))
    except (ValueError, TypeError):
        return False


def ecdsa_verify(signature: bytes, msg: bytes, signer: bytes) -> bool:
    """Substrate MultiSignature::Ecdsa rule: blake2_256(recover(sig, blake2_256(msg))) == signer account id."""
    pub = ecdsa_recover_compressed(signature, blake2_256(msg))
    return pub is not None and blake2_256(pub) == signer


class _MultiSignatureFields(NamedTuple):
    kind: int
    signature: bytes


class MultiSignature(_MultiSignatureFields):
    """`sp_runtime::MultiSignature`: `kind` is 0 (Ed25519, 64 B), 1 (Sr25519, 64 B) or 2 (Ecdsa, 65 B).

    An immutable NamedTuple rather than a dataclass: it is built once per decoded transaction, and
    tuple construction is several times cheaper. The constructor validates variant and length.
    """

    __slots__ = ()

    def __new__(cls, kind: int, signature: bytes) -> MultiSignature:
        """Validate and build; raises ScaleEncodeError on an unknown variant or wrong length."""
        if kind not in (0, 1, 2):
            raise ScaleEncodeError(f"MultiSignature: unknown variant {kind}")
        if len(signature) != _SIG_LEN[kind]:
            raise ScaleEncodeError(
                f"MultiSignature: {_SCHEME_NAMES[kind]} signature must be {_SIG_LEN[kind]} bytes"
            )
        return tuple.__new__(cls, (kind, bytes(signature)))

    @property
    def scheme(self) -> Scheme:
        """The scheme name: "ed25519", "sr25519" or "ecdsa"."""
        return _SCHEME_NAMES[self.kind]

    def encode(self) -> bytes:
        """SCALE: variant byte ++ raw signature."""
        return bytes((self.kind,)) + self.signature

    @staticmethod
    def decode(data: bytes | memoryview, offset: int = 0) -> tuple[MultiSignature, int]:
        """Decode at `offset`; return (signature, new offset). Rejects unknown variants and truncation."""
        if offset >= len(data):
            raise MultiSignatureDecodeError("MultiSignature: input truncated (no variant byte)")
        kind = data[offset]
        if kind > 2:
            raise MultiSignatureDecodeError(f"MultiSignature: unknown variant {kind}")
        end = offset + 1 + _SIG_LEN[kind]
        if end > len(data):
            raise MultiSignatureDecodeError(f"MultiSignature: {_SCHEME_NAMES[kind]} signature truncated")
        return tuple.__new__(MultiSignature, (kind, bytes(data[offset + 1 : end]))), end

    def verify(self, msg: bytes, signer: bytes) -> bool:
        """True when this signature over `msg` was made by the 32-byte account id `signer`."""
        if self.kind == SR25519:
            return sr25519_verify(self.signature, msg, signer)
        if self.kind == ED25519:
            return ed25519_verify(self.signature, msg, signer)
        return ecdsa_verify(self.signature, msg, signer)


# --- key pairs -----------------------------------------------------------------------------------------


def _ecdsa_key(secret: bytes) -> ec.EllipticCurvePrivateKey:
    value = int.from_bytes(secret, "big")
    if not 0 < value < _N:
        raise CryptoError("ecdsa: secret key out of range")
    return ec.derive_private_key(value, ec.SECP256K1())


@dataclass(frozen=True, slots=True)
class Keypair:
    """A signing key: `public` (32 B; ecdsa: 33 B compressed) and `secret` in the scheme's own form.

    `secret` is the 64-byte schnorrkel secret (key ++ nonce) for sr25519, the 32-byte seed for ed25519,
    and the 32-byte secp256k1 scalar for ecdsa.
    """

    scheme: Scheme
    public: bytes
    secret: bytes

    @staticmethod
    def from_seed(seed: bytes, scheme: Scheme = "sr25519") -> Keypair:
        """Key pair from a 32-byte seed (sr25519: mini secret, expanded Ed25519-mode as Substrate does)."""
        if len(seed) != 32:
            raise CryptoError(f"{scheme}: seed must be 32 bytes, got {len(seed)}")
        if scheme == "sr25519":
            public, secret = sr25519.pair_from_seed(seed)
            return Keypair("sr25519", bytes(public), bytes(secret))
        if scheme == "ed25519":
            _, public = ed25519_zebra.ed_from_seed(seed)
            return Keypair("ed25519", bytes(public), bytes(seed))
        if scheme == "ecdsa":
            pub = _ecdsa_key(seed).public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
            return Keypair("ecdsa", pub, bytes(seed))
        raise UnsupportedSignature(f"unknown signature scheme {scheme!r}")

    @staticmethod
    def from_uri(suri: str, scheme: Scheme = "sr25519") -> Keypair:
        """Key pair from a secret URI: "//Alice", "<phrase>//hard/soft///password", "0x<seed hex>//path"."""
        from .keyring import keypair_from_uri  # keyring builds on Keypair; imported late to avoid a cycle

        return keypair_from_uri(suri, scheme)

    @property
    def account_id(self) -> bytes:
        """The 32-byte AccountId32: the public key, or blake2_256 of the compressed key for ecdsa."""
        return blake2_256(self.public) if self.scheme == "ecdsa" else self.public

    @property
    def kind(self) -> int:
        """The `MultiSignature` variant index of this scheme."""
        return _SCHEME_INDEX[self.scheme]

    def sign(self, msg: bytes) -> bytes:
        """Raw signature bytes (64; ecdsa: 65 = r ++ s ++ recovery id, low-s, RFC 6979 nonce)."""
        if self.scheme == "sr25519":
            return bytes(sr25519.sign((self.public, self.secret), msg))
        if self.scheme == "ed25519":
            return bytes(ed25519_zebra.ed_sign(self.secret, msg))
        digest = blake2_256(msg)
        algorithm = ec.ECDSA(Prehashed(hashes.SHA256()), deterministic_signing=True)
        r, s = decode_dss_signature(_ecdsa_key(self.secret).sign(digest, algorithm))
        if s > _N // 2:
            s = _N - s
        rs = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        for v in (0, 1):
            if ecdsa_recover_compressed(rs + bytes((v,)), digest) == self.public:
                return rs + bytes((v,))
        raise CryptoError("ecdsa: no recovery id reproduces the public key")

    def sign_multi(self, msg: bytes) -> MultiSignature:
        """`sign` wrapped as the `MultiSignature` variant of this scheme."""
        return MultiSignature(self.kind, self.sign(msg))

    def verify(self, msg: bytes, signature: bytes) -> bool:
        """Check a raw signature of this scheme against this key pair's public key."""
        if len(signature) != _SIG_LEN[self.kind]:
            return False
        return MultiSignature(self.kind, signature).verify(msg, self.account_id)
