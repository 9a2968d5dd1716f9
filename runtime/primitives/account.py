"""Account identifiers: `AccountId32` parsing, SS58 addresses and `sp_runtime::MultiAddress`.

SS58 is `base58(prefix ++ data ++ checksum)` with `checksum = blake2b-512(b"SS58PRE" ++ prefix ++ data)[:n]`
(n = 2 for 32/33-byte payloads, 1 for 1/2/4/8-byte account indices). Prefixes 0..63 take one byte;
64..16383 take two (`ss58-registry` "full" format). Default prefix 42 (generic Substrate).

`MultiAddress` is `Id=0 ([u8;32]) | Index=1 (Compact<u32>) | Raw=2 (Vec<u8>) | Address32=3 ([u8;32]) |
Address20=4 ([u8;20])`. The runtime's lookup (`AccountIdLookup`) only resolves `Id`; every other variant
is `CannotLookup`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from ..scale.compact import decode_compact, encode_compact
from ..scale.errors import ScaleDecodeError, ScaleEncodeError

DEFAULT_SS58_PREFIX: Final = 42
ADDRESS_ID: Final = 0
ADDRESS_INDEX: Final = 1
ADDRESS_RAW: Final = 2
ADDRESS_32: Final = 3
ADDRESS_20: Final = 4

_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ALPHABET_INDEX: Final = {c: i for i, c in enumerate(_ALPHABET)}
_CHECKSUM_LEN: Final = {1: 1, 2: 1, 4: 1, 8: 1, 32: 2, 33: 2}
_U32_MAX: Final = 0xFFFF_FFFF


class AddressError(ValueError):
    """A textual address (SS58 or hex) is malformed: bad character, length, prefix or checksum."""


class CannotLookup(ScaleDecodeError):
    """A `MultiAddress` variant other than `Id` cannot be resolved to an account (Substrate's CannotLookup)."""


class MultiAddressDecodeError(ScaleDecodeError):
    """A `MultiAddress` could not be decoded: unknown variant, truncated payload or Index over u32."""


def _b58encode(data: bytes) -> str:
    value = int.from_bytes(data, "big")
    out = []
    while value:
        value, rem = divmod(value, 58)
        out.append(_ALPHABET[rem])
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(out))


def _b58decode(text: str) -> bytes:
    value = 0
    for char in text:
        digit = _ALPHABET_INDEX.get(char)
        if digit is None:
            raise AddressError(f"ss58: invalid base58 character {char!r}")
        value = value * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return b"\x00" * zeros + body


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()


RESERVED_PREFIXES = frozenset({46, 47})
"""Prefixes Substrate reserves (`Ss58AddressFormat::is_reserved`): never used for addresses."""


def _encode_prefix(prefix: int) -> bytes:
    if not 0 <= prefix <= 16383:
        raise AddressError(f"ss58: prefix {prefix} out of range 0..16383")
    if prefix in RESERVED_PREFIXES:
        raise AddressError(f"ss58: prefix {prefix} is reserved")
    if prefix < 64:
        return bytes((prefix,))
    return bytes((((prefix & 0b1111_1100) >> 2) | 0b0100_0000, (prefix >> 8) | ((prefix & 0b11) << 6)))


def ss58_encode(data: bytes, prefix: int = DEFAULT_SS58_PREFIX) -> str:
    """SS58 address of a 32-byte account id (also 33-byte keys and 1/2/4/8-byte indices)."""
    check_len = _CHECKSUM_LEN.get(len(data))
    if check_len is None:
        raise AddressError(f"ss58: cannot encode a {len(data)}-byte payload")
    payload = _encode_prefix(prefix) + bytes(data)
    return _b58encode(payload + _checksum(payload)[:check_len])


def ss58_decode_with_prefix(address: str) -> tuple[int, bytes]:
    """Decode an SS58 address; return (prefix, data). Checks the prefix form, length and checksum."""
    raw = _b58decode(address)
    if not raw:
        raise AddressError("ss58: empty address")
    first = raw[0]
    if first < 64:
        prefix, prefix_len = first, 1
    elif first < 128:
        if len(raw) < 2:
            raise AddressError("ss58: truncated two-byte prefix")
        second = raw[1]
        prefix = (((first & 0b0011_1111) << 2) | (second >> 6)) | ((second & 0b0011_1111) << 8)
        prefix_len = 2
    else:
        raise AddressError(f"ss58: invalid prefix byte {first:#04x}")
    if prefix in RESERVED_PREFIXES:
        raise AddressError(f"ss58: prefix {prefix} is reserved")
    rest = len(raw) - prefix_len
    for data_len, check_len in _CHECKSUM_LEN.items():
        if data_len + check_len == rest:
            break
    else:
        raise AddressError(f"ss58: invalid address length {len(raw)}")
    body_end = prefix_len + data_len
    if _checksum(raw[:body_end])[:check_len] != raw[body_end:]:
        raise AddressError("ss58: checksum mismatch")
    return prefix, raw[prefix_len:body_end]


def ss58_decode(address: str, prefix: int | None = None) -> bytes:
    """Decode an SS58 address to its data; if `prefix` is given the address must use it."""
    found, data = ss58_decode_with_prefix(address)
    if prefix is not None and found != prefix:
        raise AddressError(f"ss58: prefix {found} does not match expected {prefix}")
    return data


def account_id(value: str | bytes) -> bytes:
    """Normalise an account to its 32 raw bytes: accepts 32 bytes, "0x" + 64 hex digits, or SS58 text."""
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
    elif not isinstance(value, str):
        raise AddressError(f"account id: expected bytes or text, got {type(value).__name__}")
    elif value[:2] in ("0x", "0X"):
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            raise AddressError("account id: invalid hex") from None
    else:
        raw = ss58_decode(value)
    if len(raw) != 32:
        raise AddressError(f"account id: expected 32 bytes, got {len(raw)}")
    return raw


@dataclass(frozen=True, slots=True)
class MultiAddress:
    """`sp_runtime::MultiAddress<AccountId32, u32>`: `kind` 0..4 with `value` bytes (Index: int)."""

    kind: int
    value: bytes | int

    def __post_init__(self) -> None:
        kind, value = self.kind, self.value
        if kind == ADDRESS_INDEX:
            if not isinstance(value, int) or not 0 <= value <= _U32_MAX:
                raise ScaleEncodeError("MultiAddress::Index: value must be an int in u32 range")
            return
        if not isinstance(value, bytes):
            raise ScaleEncodeError(f"MultiAddress variant {kind}: value must be bytes")
        want = {ADDRESS_ID: 32, ADDRESS_32: 32, ADDRESS_20: 20, ADDRESS_RAW: None}
        if kind not in want:
            raise ScaleEncodeError(f"MultiAddress: unknown variant {kind}")
        size = want[kind]
        if size is not None and len(value) != size:
            raise ScaleEncodeError(f"MultiAddress variant {kind}: expected {size} bytes, got {len(value)}")

    @staticmethod
    def id(account: bytes) -> MultiAddress:
        """`MultiAddress::Id(account)`, the only form the runtime resolves."""
        return MultiAddress(ADDRESS_ID, bytes(account))

    def account_id(self) -> bytes:
        """The 32-byte account for `Id`; raises `CannotLookup` for every other variant."""
        if self.kind != ADDRESS_ID:
            raise CannotLookup(f"MultiAddress: variant {self.kind} cannot be looked up (only Id resolves)")
        assert isinstance(self.value, bytes)  # invariant from __post_init__, not untrusted input
        return self.value

    def encode(self) -> bytes:
        """SCALE: variant byte ++ payload."""
        head = bytes((self.kind,))
        if isinstance(self.value, int):
            return head + encode_compact(self.value)
        if self.kind == ADDRESS_RAW:
            return head + encode_compact(len(self.value)) + self.value
        return head + self.value

    @staticmethod
    def decode(data: bytes | memoryview, offset: int = 0) -> tuple[MultiAddress, int]:
        """Decode at `offset`; return (address, new offset). Strict about variants, lengths and u32 range."""
        if offset >= len(data):
            raise MultiAddressDecodeError("MultiAddress: input truncated (no variant byte)")
        kind = data[offset]
        pos = offset + 1
        if kind == ADDRESS_INDEX:
            index, pos = decode_compact(data, pos)
            if index > _U32_MAX:
                raise MultiAddressDecodeError("MultiAddress::Index: value exceeds u32")
            return MultiAddress(kind, index), pos
        if kind in (ADDRESS_ID, ADDRESS_32):
            size = 32
        elif kind == ADDRESS_20:
            size = 20
        elif kind == ADDRESS_RAW:
            size, pos = decode_compact(data, pos)
        else:
            raise MultiAddressDecodeError(f"MultiAddress: unknown variant {kind}")
        end = pos + size
        if end > len(data):
            raise MultiAddressDecodeError(f"MultiAddress variant {kind}: payload truncated")
        return MultiAddress(kind, bytes(data[pos:end])), end
