"""Transactions on the wire: `UncheckedExtrinsic` v4, hand-decoded and hand-encoded, and its signing payload.

Layout: `Compact<u32>(len(body)) ++ body`; body = `0x04 ++ call` (unsigned / inherent) or
`0x84 ++ MultiAddress ++ MultiSignature ++ extra ++ call` (signed). Our runtime's signed extensions are
CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality(Era), CheckNonce(Compact<u32>),
CheckWeight, ChargeTransactionPayment(Compact<u128> tip), so
`extra = era ++ Compact(nonce) ++ Compact(tip)` and
`additional = spec_version u32 ++ tx_version u32 ++ genesis_hash ++ birth block hash (genesis if immortal)`.
The signed payload is `call ++ extra ++ additional`, replaced by its blake2_256 when longer than 256 bytes.

This is a hot path (every submitted transaction): decoding is slicing and int.from_bytes, no scalecodec.
Every malformed input raises a `ScaleDecodeError` subclass whose message names the failed check.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final, NamedTuple

from ..scale.compact import decode_compact, encode_compact
from ..scale.errors import ScaleDecodeError, ScaleEncodeError
from .account import CannotLookup, MultiAddress
from .crypto import Keypair, MultiSignature
from .era import IMMORTAL, Era
from .hashing import blake2_256

EXTRINSIC_VERSION: Final = 4
SIGNED_VERSION_BYTE: Final = 0x84
UNSIGNED_VERSION_BYTE: Final = 0x04
_U32_MAX: Final = 0xFFFF_FFFF
_U128_MAX: Final = (1 << 128) - 1
_SIG_LEN: Final = (64, 64, 65)

__all__ = [
    "CannotLookup",
    "DecodedExtrinsic",
    "ExtrinsicDecodeError",
    "decode_extrinsic",
    "encode_extra",
    "encode_signed",
    "encode_unsigned",
    "sign_extrinsic",
    "signing_payload",
]


class ExtrinsicDecodeError(ScaleDecodeError):
    """Extrinsic bytes are malformed: length prefix, version byte, address, signature, extra or call."""


_new_tuple = tuple.__new__


@lru_cache(maxsize=4096)
def _mortal_era(encoded: int) -> Era:
    """Decode a two-byte mortal era (memoised: there are only 65536 encodings and eras are immutable)."""
    try:
        return Era.decode(encoded.to_bytes(2, "little"))[0]
    except ScaleDecodeError as exc:
        raise ExtrinsicDecodeError(f"extrinsic era: {exc}") from exc


def _compact(raw: bytes, pos: int, what: str) -> tuple[int, int]:
    try:
        return decode_compact(raw, pos)
    except ScaleDecodeError as exc:
        raise ExtrinsicDecodeError(f"extrinsic {what}: {exc}") from exc


class DecodedExtrinsic(NamedTuple):
    """A decoded v4 extrinsic (immutable). Signed-only fields are None for unsigned ones.

    A NamedTuple rather than a dataclass because it is built for every submitted transaction and
    tuple construction is about 3x cheaper than a frozen dataclass's.

    `raw` is the full encoding including the length prefix; `hash` = blake2_256(raw); `call` is
    `raw[call_offset:]` (pallet index, call index, arguments).
    """

    raw: bytes
    signed: bool
    signer: bytes | None
    signature: MultiSignature | None
    era: Era | None
    nonce: int | None
    tip: int | None
    call: bytes
    call_offset: int
    hash: bytes
    extra_offset: int = 0
    """Where `era ++ Compact(nonce) ++ Compact(tip)` starts in `raw` (0: not known, encode it again)."""

    def signing_payload(
        self, spec_version: int, tx_version: int, genesis_hash: bytes, birth_hash: bytes | None = None
    ) -> bytes:
        """The payload the signer must have signed, rebuilt from this extrinsic and the chain context."""
        if self.era is None or self.nonce is None or self.tip is None:
            raise ScaleEncodeError("signing payload: extrinsic is unsigned")
        if self.extra_offset:  # the decoder accepted only canonical encodings: these bytes are encode_extra's
            extra = self.raw[self.extra_offset : self.call_offset]
            return _payload(self.call, extra, self.era, spec_version, tx_version, genesis_hash, birth_hash)
        return signing_payload(
            self.call, self.era, self.nonce, self.tip, spec_version, tx_version, genesis_hash, birth_hash
        )

    def verify_signature(
        self, spec_version: int, tx_version: int, genesis_hash: bytes, birth_hash: bytes | None = None
    ) -> bool:
        """True when the signature is valid for the rebuilt payload (False for unsigned extrinsics)."""
        if self.signature is None or self.signer is None:
            return False
        payload = self.signing_payload(spec_version, tx_version, genesis_hash, birth_hash)
        return self.signature.verify(payload, self.signer)


def decode_extrinsic(raw: bytes) -> DecodedExtrinsic:
    """Decode one length-prefixed v4 extrinsic; the prefix must cover exactly the rest of `raw`.

    A signer given as any MultiAddress other than `Id` raises `CannotLookup` (a ScaleDecodeError).
    """
    if not isinstance(raw, bytes):
        raw = bytes(raw)
    n = len(raw)
    if n > 2 and raw[0] & 3 == 1 and (length := (raw[0] | raw[1] << 8) >> 2) >= 64:
        pos = 2  # canonical two-byte compact: 64..16383 bytes, the usual transaction size
    else:
        length, pos = _compact(raw, 0, "length prefix")
    if pos + length != n:
        if pos + length > n:
            raise ExtrinsicDecodeError(f"extrinsic length prefix: says {length} bytes, {n - pos} present")
        raise ExtrinsicDecodeError(f"extrinsic length prefix: {n - pos - length} trailing bytes")
    if pos >= n:
        raise ExtrinsicDecodeError("extrinsic version: empty body")
    version = raw[pos]
    pos += 1
    if version == UNSIGNED_VERSION_BYTE:
        if n - pos < 2:
            raise ExtrinsicDecodeError("extrinsic call: truncated (needs pallet and call index)")
        return DecodedExtrinsic(raw, False, None, None, None, None, None, raw[pos:], pos, blake2_256(raw))
    if version != SIGNED_VERSION_BYTE:
        raise ExtrinsicDecodeError(f"extrinsic version: unsupported version byte {version:#04x}")

    # Address: fast path for MultiAddress::Id, the only resolvable form.
    if pos < n and raw[pos] == 0 and pos + 33 <= n:
        signer = raw[pos + 1 : pos + 33]
        pos += 33
    else:
        address, pos = MultiAddress.decode(raw, pos)
        signer = address.account_id()

    if pos >= n:
        raise ExtrinsicDecodeError("extrinsic signature: truncated (no variant byte)")
    kind = raw[pos]
    if kind > 2:
        raise ExtrinsicDecodeError(f"extrinsic signature: unknown MultiSignature variant {kind}")
    end = pos + 1 + _SIG_LEN[kind]
    if end > n:
        raise ExtrinsicDecodeError("extrinsic signature: truncated")
    signature = _new_tuple(MultiSignature, (kind, raw[pos + 1 : end]))  # validated just above
    pos = extra_offset = end

    if pos < n and raw[pos] == 0:
        era: Era = IMMORTAL
        pos += 1
    else:
        if pos + 2 > n:
            raise ExtrinsicDecodeError("extrinsic era: truncated (mortal era needs two bytes)")
        era = _mortal_era(raw[pos] | raw[pos + 1] << 8)
        pos += 2
    if pos < n and not raw[pos] & 3:  # single-byte compact fast path (nonce < 64)
        nonce = raw[pos] >> 2
        pos += 1
    elif pos + 1 < n and raw[pos] & 3 == 1 and (nonce := (raw[pos] | raw[pos + 1] << 8) >> 2) >= 64:
        pos += 2  # canonical two-byte compact (nonce < 16384)
    else:
        nonce, pos = _compact(raw, pos, "nonce")
    if nonce > _U32_MAX:
        raise ExtrinsicDecodeError("extrinsic nonce: exceeds u32")
    if pos < n and not raw[pos] & 3:  # single-byte compact fast path (tip < 64, usually 0)
        tip = raw[pos] >> 2
        pos += 1
    else:
        tip, pos = _compact(raw, pos, "tip")
    if tip > _U128_MAX:
        raise ExtrinsicDecodeError("extrinsic tip: exceeds u128")
    if n - pos < 2:
        raise ExtrinsicDecodeError("extrinsic call: truncated (needs pallet and call index)")
    return DecodedExtrinsic(raw, True, signer, signature, era, nonce, tip, raw[pos:], pos, blake2_256(raw),
                            extra_offset)


def encode_extra(era: Era, nonce: int, tip: int) -> bytes:
    """The signed extensions' explicit data: era ++ Compact<u32>(nonce) ++ Compact<u128>(tip)."""
    if not 0 <= nonce <= _U32_MAX:
        raise ScaleEncodeError(f"extra: nonce {nonce} out of u32 range")
    if not 0 <= tip <= _U128_MAX:
        raise ScaleEncodeError(f"extra: tip {tip} out of u128 range")
    return era.encode() + encode_compact(nonce) + encode_compact(tip)


def signing_payload(
    call: bytes,
    era: Era,
    nonce: int,
    tip: int,
    spec_version: int,
    tx_version: int,
    genesis_hash: bytes,
    birth_hash: bytes | None = None,
) -> bytes:
    """`call ++ extra ++ additional`, blake2_256-hashed if longer than 256 bytes.

    `birth_hash` is the hash of the era's birth block and is required for a mortal era; an immortal
    era always uses `genesis_hash` (Substrate's CheckMortality checkpoint is block 0).
    """
    _check_context(era, spec_version, tx_version, genesis_hash, birth_hash)
    return _payload(call, encode_extra(era, nonce, tip), era, spec_version, tx_version, genesis_hash, birth_hash)


def _check_context(era: Era, spec_version: int, tx_version: int, genesis_hash: bytes, birth_hash: bytes | None) -> None:
    if len(genesis_hash) != 32:
        raise ScaleEncodeError("signing payload: genesis hash must be 32 bytes")
    if not era.is_immortal and (birth_hash is None or len(birth_hash) != 32):
        raise ScaleEncodeError("signing payload: a mortal era needs the 32-byte birth block hash")
    if not (0 <= spec_version <= _U32_MAX and 0 <= tx_version <= _U32_MAX):
        raise ScaleEncodeError("signing payload: spec/tx version out of u32 range")


def _payload(call: bytes, extra: bytes, era: Era, spec_version: int, tx_version: int, genesis_hash: bytes,
             birth_hash: bytes | None) -> bytes:
    """`call ++ extra ++ additional` (hashed when longer than 256 bytes), after the context checks."""
    _check_context(era, spec_version, tx_version, genesis_hash, birth_hash)
    checkpoint = genesis_hash if era.period == 0 or birth_hash is None else birth_hash
    payload = b"".join((call, extra, spec_version.to_bytes(4, "little"), tx_version.to_bytes(4, "little"),
                        genesis_hash, checkpoint))
    return blake2_256(payload) if len(payload) > 256 else payload


def _with_length(body: bytes) -> bytes:
    return encode_compact(len(body)) + body


def encode_unsigned(call: bytes) -> bytes:
    """A bare (unsigned / inherent) v4 extrinsic: Compact(len) ++ 0x04 ++ call."""
    return _with_length(bytes((UNSIGNED_VERSION_BYTE,)) + call)


def encode_signed(
    signer: bytes | MultiAddress, signature: MultiSignature, era: Era, nonce: int, tip: int, call: bytes
) -> bytes:
    """A signed v4 extrinsic; `signer` is a 32-byte account id (sent as MultiAddress::Id) or any MultiAddress."""
    address = signer if isinstance(signer, MultiAddress) else MultiAddress.id(signer)
    body = b"".join(
        (
            bytes((SIGNED_VERSION_BYTE,)),
            address.encode(),
            signature.encode(),
            encode_extra(era, nonce, tip),
            call,
        )
    )
    return _with_length(body)


def sign_extrinsic(
    keypair: Keypair,
    call: bytes,
    *,
    era: Era = IMMORTAL,
    nonce: int,
    tip: int = 0,
    spec_version: int,
    tx_version: int,
    genesis_hash: bytes,
    birth_hash: bytes | None = None,
) -> bytes:
    """Build, sign and encode a transaction from `keypair`'s account (MultiAddress::Id)."""
    payload = signing_payload(call, era, nonce, tip, spec_version, tx_version, genesis_hash, birth_hash)
    return encode_signed(keypair.account_id, keypair.sign_multi(payload), era, nonce, tip, call)
