"""Substrate's trie node codec (sp_trie::NodeCodec, the no-extension layout), byte-exact.

A node is a one-byte header (kind bits + nibble count, extended with 255-runs for long partial keys),
the partial key packed two nibbles a byte (an odd count is left-padded with a zero nibble), then:

- leaf:   value
- branch: u16 LE children bitmap, optional value, each present child as SCALE `Vec<u8>`:
          a 32-byte blake2_256 hash, or the child's own encoding inline when it is under 32 bytes.

A value is `Compact(len) ++ bytes`, or (state_version 1, "hashed value" header kinds) the bare
32-byte blake2_256 of a value stored as a separate value node. Partial keys are handled as lowercase
hex strings: one character per nibble, so slicing, comparing and packing them are C-speed.

Decoding is strict: every malformed input raises `TrieDecodeError` naming the failed check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

from ..hashing import blake2_256
from .errors import TrieDecodeError, TrieError

HASH_LEN: Final = 32
EMPTY_NODE: Final = b"\x00"
NIBBLE_SIZE_BOUND: Final = 0xFFFF

# (prefix, number of prefix bits) per header kind.
LEAF: Final = (0b01 << 6, 2)
BRANCH_NO_VALUE: Final = (0b10 << 6, 2)
BRANCH_WITH_VALUE: Final = (0b11 << 6, 2)
HASHED_VALUE_LEAF: Final = (0b001 << 5, 3)
HASHED_VALUE_BRANCH: Final = (0b0001 << 4, 4)

_SET_BITS_LO: Final = tuple(tuple(i for i in range(8) if b >> i & 1) for b in range(256))
_SET_BITS_HI: Final = tuple(tuple(i + 8 for i in range(8) if b >> i & 1) for b in range(256))
_HASH_PREFIXES: Final = tuple(b"\x80" * n for n in range(17))

ChildRef = bytes
"""A child reference: a 32-byte node hash, or an inline node encoding shorter than 32 bytes."""


class DecodedNode(NamedTuple):
    """One decoded non-empty node.

    `partial` is the partial key as hex nibbles. `value` is the inline value, or (when
    `value_hashed`) the 32-byte hash of a value node; None when the node has no value.
    `children` is None for a leaf, else 16 child references (None where absent).
    """

    partial: str
    value: bytes | None
    value_hashed: bool
    children: tuple[ChildRef | None, ...] | None


def encode_header(kind: tuple[int, int], nibble_count: int) -> bytes:
    """Encode a node header: kind prefix plus nibble count (255-run extension past the inline max)."""
    prefix, bits = kind
    if nibble_count > NIBBLE_SIZE_BOUND:
        raise TrieDecodeError(f"header: partial key of {nibble_count} nibbles exceeds {NIBBLE_SIZE_BOUND}")
    max_value = 255 >> bits
    if nibble_count < max_value:
        return bytes((prefix | nibble_count,))
    out = bytearray((prefix | max_value,))
    rem = nibble_count - max_value + 1
    while rem >= 256:
        out.append(255)
        rem -= 255
    out.append(rem - 1)
    return bytes(out)


def encode_partial(partial: str) -> bytes:
    """Pack hex nibbles into bytes, left-padding an odd count with a zero nibble."""
    return bytes.fromhex("0" + partial if len(partial) & 1 else partial)


def encode_value(value: bytes, hashed: bool) -> bytes:
    """Encode a node value: the bare 32-byte hash if `hashed`, else Compact(len) ++ value."""
    if hashed:
        return value
    return encode_length(len(value)) + value


def encode_length(n: int) -> bytes:
    """SCALE Compact encoding of a length (no range check: lengths are non-negative)."""
    if n < 1 << 6:
        return bytes((n << 2,))
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    length = (n.bit_length() + 7) // 8
    return bytes((((length - 4) << 2) | 3,)) + n.to_bytes(length, "little")


def encode_leaf(partial: str, value: bytes, hashed: bool) -> bytes:
    """Encode a leaf; `value` is the raw value, or its 32-byte hash when `hashed`."""
    kind = HASHED_VALUE_LEAF if hashed else LEAF
    return encode_header(kind, len(partial)) + encode_partial(partial) + encode_value(value, hashed)


def encode_branch(
    partial: str, value: bytes | None, hashed: bool, children: Sequence[ChildRef | None]
) -> bytes:
    """Encode a branch from its 16 child references (hash or short inline encoding, None if absent)."""
    if value is None:
        kind = BRANCH_NO_VALUE
    else:
        kind = HASHED_VALUE_BRANCH if hashed else BRANCH_WITH_VALUE
    bitmap = 0
    parts: list[bytes] = []
    for i, ref in enumerate(children):
        if ref is not None:
            bitmap |= 1 << i
            parts.append(bytes((len(ref) << 2,)))
            parts.append(ref)
    head = encode_header(kind, len(partial)) + encode_partial(partial) + bitmap.to_bytes(2, "little")
    if value is not None:
        head += encode_value(value, hashed)
    return head + b"".join(parts)


def child_ref(encoded: bytes, sink: dict[bytes, bytes] | None) -> ChildRef:
    """Reference a child node: inline if under 32 bytes, else its hash (recorded in `sink`)."""
    if len(encoded) < HASH_LEN:
        return encoded
    h = blake2_256(encoded)
    if sink is not None:
        sink[h] = encoded
    return h


def _decode_size(data: bytes, first: int, bits: int) -> tuple[int, int]:
    """Decode the nibble count of a header starting at offset 0; return (count, offset after header)."""
    max_value = 255 >> bits
    result = first & max_value
    if result < max_value:
        return result, 1
    result -= 1
    offset = 1
    while True:
        if offset >= len(data):
            raise TrieDecodeError("header: truncated nibble-count extension")
        n = data[offset]
        offset += 1
        if n < 255:
            result += n + 1
            break
        result += 255
        if result > NIBBLE_SIZE_BOUND:
            break
    if result > NIBBLE_SIZE_BOUND:
        raise TrieDecodeError(f"header: nibble count exceeds {NIBBLE_SIZE_BOUND}")
    return result, offset


def _decode_value(data: bytes, offset: int, hashed: bool) -> tuple[bytes, int]:
    end_of_data = len(data)
    if hashed:
        end = offset + HASH_LEN
        if end > end_of_data:
            raise TrieDecodeError("value: truncated value-node hash")
        return data[offset:end], end
    if offset >= end_of_data:
        raise TrieDecodeError("value: missing length prefix")
    first = data[offset]
    mode = first & 3
    if mode == 0:
        length, offset = first >> 2, offset + 1
    elif mode == 1:
        if offset + 2 > end_of_data:
            raise TrieDecodeError("value: truncated compact length")
        length = int.from_bytes(data[offset : offset + 2], "little") >> 2
        if length < 1 << 6:
            raise TrieDecodeError("value: non-canonical compact length")
        offset += 2
    elif mode == 2:
        if offset + 4 > end_of_data:
            raise TrieDecodeError("value: truncated compact length")
        length = int.from_bytes(data[offset : offset + 4], "little") >> 2
        if length < 1 << 14:
            raise TrieDecodeError("value: non-canonical compact length")
        offset += 4
    else:
        raise TrieDecodeError("value: compact length in big-integer mode is too long for a node")
    end = offset + length
    if end > end_of_data:
        raise TrieDecodeError(f"value: {length}-byte value truncated")
    return data[offset:end], end


def decode_node(data: bytes) -> DecodedNode | None:
    """Decode one encoded node; None for the empty-trie node `0x00`. Raises TrieDecodeError."""
    if not data:
        raise TrieDecodeError("node: empty input")
    first = data[0]
    if first == 0:
        if len(data) != 1:
            raise TrieDecodeError("node: trailing bytes after empty-trie node")
        return None
    top = first >> 6
    hashed = False
    if top == 1:
        is_branch, has_value, bits = False, True, 2
    elif top == 2:
        is_branch, has_value, bits = True, False, 2
    elif top == 3:
        is_branch, has_value, bits = True, True, 2
    elif first >> 5 == 1:
        is_branch, has_value, hashed, bits = False, True, True, 3
    elif first >> 4 == 1:
        is_branch, has_value, hashed, bits = True, True, True, 4
    else:
        raise TrieDecodeError(f"node: forbidden header byte 0x{first:02x}")
    nibbles, offset = _decode_size(data, first, bits)
    pend = offset + (nibbles + 1) // 2
    if pend > len(data):
        raise TrieDecodeError("node: truncated partial key")
    partial = data[offset:pend].hex()
    if nibbles & 1:
        if partial[0] != "0":
            raise TrieDecodeError("node: non-zero padding nibble in partial key")
        partial = partial[1:]
    offset = pend
    if not is_branch:
        value, offset = _decode_value(data, offset, hashed)
        if offset != len(data):
            raise TrieDecodeError("node: trailing bytes after leaf value")
        return DecodedNode(partial, value, hashed, None)
    if offset + 2 > len(data):
        raise TrieDecodeError("node: truncated children bitmap")
    bitmap = data[offset] | (data[offset + 1] << 8)
    offset += 2
    if bitmap == 0:
        raise TrieDecodeError("node: branch bitmap has no child")
    branch_value: bytes | None = None
    if has_value:
        branch_value, offset = _decode_value(data, offset, hashed)
    children: list[ChildRef | None] = [None] * 16
    size = len(data)
    positions = _SET_BITS_LO[bitmap & 0xFF] + _SET_BITS_HI[bitmap >> 8]
    count = len(positions)
    if size - offset == count * 33 and data[offset::33] == _HASH_PREFIXES[count]:
        # Fast path: every child is referenced by hash (the common case in a large trie).
        for i, start in zip(positions, range(offset + 1, size, 33), strict=True):
            children[i] = data[start : start + HASH_LEN]
        return DecodedNode(partial, branch_value, hashed, tuple(children))
    i = 0
    while bitmap:
        if bitmap & 1:
            if offset >= size:
                raise TrieDecodeError(f"node: truncated reference to child {i}")
            prefix = data[offset]
            length = prefix >> 2
            if prefix & 3 or length > HASH_LEN:
                raise TrieDecodeError(f"node: child {i} reference longer than a hash")
            if length == 0:
                raise TrieDecodeError(f"node: child {i} reference is empty")
            offset += 1
            end = offset + length
            if end > size:
                raise TrieDecodeError(f"node: child {i} reference truncated")
            children[i] = data[offset:end]
            offset = end
        bitmap >>= 1
        i += 1
    if offset != size:
        raise TrieDecodeError("node: trailing bytes after last child")
    return DecodedNode(partial, branch_value, hashed, tuple(children))


def encode_decoded(node: DecodedNode) -> bytes:
    """Re-encode a decoded node (inverse of `decode_node` for canonical input)."""
    if node.children is None:
        if node.value is None:
            raise TrieError("encode: a leaf must have a value")
        return encode_leaf(node.partial, node.value, node.value_hashed)
    return encode_branch(node.partial, node.value, node.value_hashed, node.children)
