"""Every on-disk key format of the chain database, each as a function (py-evm's SchemaV1).

One LMDB environment holds these named sub-databases:

| sub-db          | key                                   | value                                              |
| --------------- | ------------------------------------- | -------------------------------------------------- |
| headers         | block hash (32)                       | SCALE header (parent hash and number are read from it) |
| bodies          | block hash                            | SCALE Vec<extrinsic bytes>                         |
| justifications  | block hash                            | opaque justification bytes                         |
| canonical       | u32 big-endian number                 | block hash                                         |
| meta            | `best` `finalized` `genesis` `schema_version` | hash, or u32 BE version                    |
| trie_nodes      | node hash                             | encoded node (content-addressed, never deleted)    |
| state           | storage key                           | value at the BEST block                            |
| history         | escape(key) ++ 00 00 ++ u32 BE number | 0x01 ++ value, or 0x00 (tombstone)                 |
| changes         | block hash                            | see `node.db.records`                              |

History keys escape the storage key (every 0x00 byte becomes 00 FF) and end it with 00 00 before the
number. A raw `key ++ number` layout is ambiguous when one storage key is a prefix of another: entries of
`key ++ 00 00 00 00` would sort between the entries of `key`, and "latest entry <= n" would need an
unbounded backward scan. The escaped form keeps each key's entries contiguous and keeps lexicographic
key order (so prefix iteration over history still yields keys in storage order).
"""

from __future__ import annotations

from typing import Final

from runtime.scale.compact import decode_compact
from runtime.scale.errors import ScaleDecodeError

from .errors import Corruption

SCHEMA_VERSION: Final = 1

HEADERS: Final = b"headers"
BODIES: Final = b"bodies"
JUSTIFICATIONS: Final = b"justifications"
CANONICAL: Final = b"canonical"
META: Final = b"meta"
TRIE_NODES: Final = b"trie_nodes"
STATE: Final = b"state"
HISTORY: Final = b"history"
CHANGES: Final = b"changes"

SUB_DATABASES: Final = (HEADERS, BODIES, JUSTIFICATIONS, CANONICAL, META, TRIE_NODES, STATE, HISTORY, CHANGES)

META_BEST: Final = b"best"
META_FINALIZED: Final = b"finalized"
META_GENESIS: Final = b"genesis"
META_SCHEMA_VERSION: Final = b"schema_version"

HISTORY_VALUE: Final = b"\x01"
HISTORY_TOMBSTONE: Final = b"\x00"

MAX_BLOCK_NUMBER: Final = 0xFFFF_FFFF
_KEY_END: Final = b"\x00\x00"
# Sorts after every history entry of a key and before every entry of a longer key with that prefix.
_AFTER_KEY: Final = b"\x00\x01"


def number_key(number: int) -> bytes:
    """canonical-db key: the block number as u32 big-endian (so the db sorts by height)."""
    return number.to_bytes(4, "big")


def decode_number(data: bytes) -> int:
    """Inverse of `number_key`; Corruption if not exactly 4 bytes."""
    if len(data) != 4:
        raise Corruption(f"block number: expected 4 bytes, got {len(data)}")
    return int.from_bytes(data, "big")


def escape_key(key: bytes) -> bytes:
    """Order-preserving, prefix-free escape of a storage key: 00 → 00 FF."""
    return key.replace(b"\x00", b"\x00\xff")


def unescape_key(escaped: bytes) -> bytes:
    """Inverse of `escape_key`."""
    return escaped.replace(b"\x00\xff", b"\x00")


def history_key(key: bytes, number: int) -> bytes:
    """history-db key of the value `key` took at canonical block `number`."""
    return escape_key(key) + _KEY_END + number.to_bytes(4, "big")


def history_key_from_escaped(escaped: bytes, number: int) -> bytes:
    """`history_key` for an already-escaped storage key (saves re-escaping in scans)."""
    return escaped + _KEY_END + number.to_bytes(4, "big")


def history_after_key(key: bytes) -> bytes:
    """Smallest history-db key greater than every entry of `key` (seek target for "next key")."""
    return escape_key(key) + _AFTER_KEY


def history_after_escaped(escaped: bytes) -> bytes:
    """`history_after_key` for an already-escaped storage key."""
    return escaped + _AFTER_KEY


def history_prefix(prefix: bytes) -> bytes:
    """History-db key prefix shared by the entries of every storage key starting with `prefix`."""
    return escape_key(prefix)


def split_history_key(hkey: bytes) -> tuple[bytes, int]:
    """Split a history-db key into (escaped storage key, block number); Corruption if malformed."""
    if len(hkey) < 6 or hkey[-6:-4] != _KEY_END:
        raise Corruption(f"history key 0x{hkey.hex()}: missing 00 00 key terminator")
    return hkey[:-6], int.from_bytes(hkey[-4:], "big")


def encode_history_value(value: bytes | None) -> bytes:
    """history-db value: 0x01 ++ value, or 0x00 for a deletion (tombstone)."""
    return HISTORY_TOMBSTONE if value is None else HISTORY_VALUE + value


def decode_history_value(data: bytes) -> bytes | None:
    """Inverse of `encode_history_value`; Corruption on an unknown tag."""
    if data[:1] == HISTORY_VALUE:
        return data[1:]
    if data == HISTORY_TOMBSTONE:
        return None
    raise Corruption(f"history value: bad tag 0x{data[:1].hex()} (length {len(data)})")


def header_parent_and_number(header: bytes) -> tuple[bytes, int]:
    """Read (parent hash, number) from a SCALE Substrate header: parent_hash ++ Compact<u32> number ++ …"""
    if len(header) < 33:
        raise Corruption(f"header: {len(header)} bytes is too short for parent hash and number")
    try:
        number, _ = decode_compact(header, 32)
    except ScaleDecodeError as exc:
        raise Corruption(f"header: bad compact block number: {exc}") from exc
    if number > MAX_BLOCK_NUMBER:
        raise Corruption(f"header: block number {number} does not fit u32")
    return header[:32], number
