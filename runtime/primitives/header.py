"""Block headers: `sp_runtime::generic::Header<u32, BlakeTwo256>`, its digest items and the block hash.

`Header = parent_hash[32] ++ Compact<u32>(number) ++ state_root[32] ++ extrinsics_root[32] ++ Vec<DigestItem>`
and the block hash is `blake2_256(encode(header))`. `DigestItem` variants (wire indices): `Other=0(Vec<u8>)`,
`Consensus=4([u8;4], Vec<u8>)`, `Seal=5(..)`, `PreRuntime=6(..)`, `RuntimeEnvironmentUpdated=8`.
Also the JSON shape of `chain_getHeader` (minimal hex number, logs as hex of each encoded item).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ..scale.compact import decode_compact, encode_compact
from ..scale.errors import ScaleDecodeError, ScaleEncodeError
from .hashing import blake2_256

OTHER: Final = 0
CONSENSUS: Final = 4
SEAL: Final = 5
PRE_RUNTIME: Final = 6
RUNTIME_ENVIRONMENT_UPDATED: Final = 8
AURA_ENGINE_ID: Final = b"aura"
_ENGINE_KINDS: Final = (CONSENSUS, SEAL, PRE_RUNTIME)
_U32_MAX: Final = 0xFFFF_FFFF


class HeaderDecodeError(ScaleDecodeError):
    """Header or digest bytes are truncated, trailing, over-long or use an unknown digest variant."""


def _decode_vec(data: bytes | memoryview, pos: int, what: str) -> tuple[bytes, int]:
    size, pos = decode_compact(data, pos)
    end = pos + size
    if end > len(data):
        raise HeaderDecodeError(f"{what}: byte vector truncated")
    return bytes(data[pos:end]), end


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One digest log: `kind` (wire index), `engine` (4 bytes for Consensus/Seal/PreRuntime) and `data`."""

    kind: int
    engine: bytes = b""
    data: bytes = b""

    def __post_init__(self) -> None:
        if self.kind in _ENGINE_KINDS:
            if len(self.engine) != 4:
                raise ScaleEncodeError(f"DigestItem {self.kind}: engine id must be 4 bytes")
        elif self.kind in (OTHER, RUNTIME_ENVIRONMENT_UPDATED):
            if self.engine or (self.kind == RUNTIME_ENVIRONMENT_UPDATED and self.data):
                raise ScaleEncodeError(f"DigestItem {self.kind}: unexpected engine id or data")
        else:
            raise ScaleEncodeError(f"DigestItem: unknown variant {self.kind}")

    @staticmethod
    def other(data: bytes) -> DigestItem:
        """`DigestItem::Other(data)`."""
        return DigestItem(OTHER, b"", data)

    @staticmethod
    def consensus(engine: bytes, data: bytes) -> DigestItem:
        """`DigestItem::Consensus(engine, data)`."""
        return DigestItem(CONSENSUS, engine, data)

    @staticmethod
    def seal(engine: bytes, data: bytes) -> DigestItem:
        """`DigestItem::Seal(engine, data)`."""
        return DigestItem(SEAL, engine, data)

    @staticmethod
    def pre_runtime(engine: bytes, data: bytes) -> DigestItem:
        """`DigestItem::PreRuntime(engine, data)`."""
        return DigestItem(PRE_RUNTIME, engine, data)

    @staticmethod
    def runtime_environment_updated() -> DigestItem:
        """`DigestItem::RuntimeEnvironmentUpdated` (emitted on runtime upgrades)."""
        return DigestItem(RUNTIME_ENVIRONMENT_UPDATED)

    def encode(self) -> bytes:
        """SCALE encoding of this item."""
        head = bytes((self.kind,)) + self.engine
        if self.kind == RUNTIME_ENVIRONMENT_UPDATED:
            return head
        return head + encode_compact(len(self.data)) + self.data

    @staticmethod
    def decode(data: bytes | memoryview, offset: int = 0) -> tuple[DigestItem, int]:
        """Decode at `offset`; return (item, new offset)."""
        if offset >= len(data):
            raise HeaderDecodeError("DigestItem: input truncated (no variant byte)")
        kind = data[offset]
        pos = offset + 1
        if kind == RUNTIME_ENVIRONMENT_UPDATED:
            return DigestItem(kind), pos
        engine = b""
        if kind in _ENGINE_KINDS:
            if pos + 4 > len(data):
                raise HeaderDecodeError("DigestItem: engine id truncated")
            engine = bytes(data[pos : pos + 4])
            pos += 4
        elif kind != OTHER:
            raise HeaderDecodeError(f"DigestItem: unknown variant {kind}")
        payload, pos = _decode_vec(data, pos, "DigestItem")
        return DigestItem(kind, engine, payload), pos

    @staticmethod
    def from_hex(text: str) -> DigestItem:
        """Parse one `0x…` log of the RPC `digest.logs` array (strict: no trailing bytes)."""
        raw = _from_hex(text, "digest log")
        item, end = DigestItem.decode(raw)
        if end != len(raw):
            raise HeaderDecodeError(f"DigestItem: {len(raw) - end} trailing bytes")
        return item


def aura_pre_digest(slot: int) -> DigestItem:
    """Aura's pre-runtime digest: `PreRuntime(b"aura", slot as u64 LE)`."""
    if not 0 <= slot < 1 << 64:
        raise ScaleEncodeError("aura pre-digest: slot out of u64 range")
    return DigestItem(PRE_RUNTIME, AURA_ENGINE_ID, slot.to_bytes(8, "little"))


def aura_seal(signature: bytes) -> DigestItem:
    """Aura's seal: `Seal(b"aura", signature)` (64-byte sr25519/ed25519 signature of the pre-hash)."""
    return DigestItem(SEAL, AURA_ENGINE_ID, bytes(signature))


def aura_slot(digest: tuple[DigestItem, ...]) -> int | None:
    """The Aura slot of the first Aura pre-runtime item, or None."""
    for item in digest:
        if item.kind == PRE_RUNTIME and item.engine == AURA_ENGINE_ID:
            if len(item.data) != 8:
                raise HeaderDecodeError("aura pre-digest: slot must be 8 bytes")
            return int.from_bytes(item.data, "little")
    return None


def _from_hex(text: str, what: str) -> bytes:
    if not isinstance(text, str) or text[:2] != "0x":
        raise HeaderDecodeError(f"{what}: expected a 0x-prefixed hex string")
    try:
        return bytes.fromhex(text[2:])
    except ValueError:
        raise HeaderDecodeError(f"{what}: invalid hex") from None


def _hash_from_hex(text: str, what: str) -> bytes:
    raw = _from_hex(text, what)
    if len(raw) != 32:
        raise HeaderDecodeError(f"{what}: expected 32 bytes, got {len(raw)}")
    return raw


@dataclass(frozen=True, slots=True)
class Header:
    """A block header; `number` is the u32 block number."""

    parent_hash: bytes
    number: int
    state_root: bytes
    extrinsics_root: bytes
    digest: tuple[DigestItem, ...] = ()

    def __post_init__(self) -> None:
        for name in ("parent_hash", "state_root", "extrinsics_root"):
            if len(getattr(self, name)) != 32:
                raise ScaleEncodeError(f"header: {name} must be 32 bytes")
        if not 0 <= self.number <= _U32_MAX:
            raise ScaleEncodeError(f"header: number {self.number} out of u32 range")

    def encode(self) -> bytes:
        """SCALE encoding of the header."""
        parts = [self.parent_hash, encode_compact(self.number), self.state_root, self.extrinsics_root]
        parts.append(encode_compact(len(self.digest)))
        parts.extend(item.encode() for item in self.digest)
        return b"".join(parts)

    def hash(self) -> bytes:
        """The block hash: blake2_256 of the encoded header."""
        return blake2_256(self.encode())

    @staticmethod
    def decode_at(data: bytes | memoryview, offset: int = 0) -> tuple[Header, int]:
        """Decode a header at `offset` (e.g. inside a block); return (header, new offset)."""
        try:
            return Header._decode_at(data, offset)
        except HeaderDecodeError:
            raise
        except ScaleDecodeError as exc:  # a Compact failed: re-raise under this decoder's type
            raise HeaderDecodeError(f"header: {exc}") from exc

    @staticmethod
    def _decode_at(data: bytes | memoryview, offset: int) -> tuple[Header, int]:
        if offset + 32 > len(data):
            raise HeaderDecodeError("header: parent_hash truncated")
        parent = bytes(data[offset : offset + 32])
        number, pos = decode_compact(data, offset + 32)
        if number > _U32_MAX:
            raise HeaderDecodeError("header: number exceeds u32")
        if pos + 64 > len(data):
            raise HeaderDecodeError("header: state_root/extrinsics_root truncated")
        state_root = bytes(data[pos : pos + 32])
        extrinsics_root = bytes(data[pos + 32 : pos + 64])
        count, pos = decode_compact(data, pos + 64)
        if count > len(data) - pos:
            raise HeaderDecodeError("header: digest length exceeds remaining input")
        items = []
        for _ in range(count):
            item, pos = DigestItem.decode(data, pos)
            items.append(item)
        return Header(parent, number, state_root, extrinsics_root, tuple(items)), pos

    @staticmethod
    def decode(data: bytes | memoryview) -> Header:
        """Decode a whole header; trailing bytes are rejected."""
        header, end = Header.decode_at(data, 0)
        if end != len(data):
            raise HeaderDecodeError(f"header: {len(data) - end} trailing bytes")
        return header

    def to_json(self) -> dict[str, Any]:
        """The `chain_getHeader` JSON object (lowercase hex, minimal hex number)."""
        return {
            "parentHash": "0x" + self.parent_hash.hex(),
            "number": hex(self.number),
            "stateRoot": "0x" + self.state_root.hex(),
            "extrinsicsRoot": "0x" + self.extrinsics_root.hex(),
            "digest": {"logs": ["0x" + item.encode().hex() for item in self.digest]},
        }

    @staticmethod
    def from_json(obj: dict[str, Any]) -> Header:
        """Parse a `chain_getHeader` JSON object; raises HeaderDecodeError on any malformed field."""
        try:
            number_text = obj["number"]
            logs = obj["digest"]["logs"]
            parent, state, ext = obj["parentHash"], obj["stateRoot"], obj["extrinsicsRoot"]
        except (KeyError, TypeError):
            raise HeaderDecodeError("header json: missing field") from None
        if not isinstance(number_text, str) or number_text[:2] != "0x" or len(number_text) < 3:
            raise HeaderDecodeError("header json: number must be a 0x-prefixed hex string")
        try:
            number = int(number_text[2:], 16)
        except ValueError:
            raise HeaderDecodeError("header json: number is not hex") from None
        if number > _U32_MAX:
            raise HeaderDecodeError("header json: number exceeds u32")
        if not isinstance(logs, list):
            raise HeaderDecodeError("header json: digest.logs must be a list")
        return Header(
            _hash_from_hex(parent, "parentHash"),
            number,
            _hash_from_hex(state, "stateRoot"),
            _hash_from_hex(ext, "extrinsicsRoot"),
            tuple(DigestItem.from_hex(log) for log in logs),
        )
