"""Trie roots computed from scratch: `trie_root` (state root) and `ordered_trie_root` (extrinsics root).

Equivalent to sp_trie's `LayoutV0/LayoutV1::trie_root` / `ordered_trie_root` (trie-root's
no-extension stream). Keys are sorted once as hex strings; each branch splits its sorted range by
bisecting on the next nibble, so the build is one pass with no node storage. `build_subtrie` is
shared with the incremental updater, which passes a sink to collect hashed nodes and value nodes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from hashlib import blake2b as _blake2b
from typing import Final

from ...scale.compact import encode_compact
from ..hashing import EMPTY_TRIE_ROOT, blake2_256
from .codec import (
    BRANCH_NO_VALUE,
    BRANCH_WITH_VALUE,
    HASH_LEN,
    HASHED_VALUE_BRANCH,
    HASHED_VALUE_LEAF,
    LEAF,
    encode_header,
    encode_length,
    encode_partial,
    encode_value,
)
from .errors import TrieError

_NEXT_NIBBLE: Final = {c: format(i + 1, "x") for i, c in enumerate("0123456789abcde")}
NIBBLE_INDEX: Final = {c: i for i, c in enumerate("0123456789abcdef")}
_BIT: Final = {c: 1 << i for i, c in enumerate("0123456789abcdef")}


def hashes_values(state_version: int) -> bool:
    """Whether `state_version` stores values over 32 bytes as separate value nodes (V1) or inline (V0)."""
    if state_version == 1:
        return True
    if state_version == 0:
        return False
    raise TrieError(f"state_version must be 0 or 1, got {state_version!r}")


def _leaf(partial: str, value: bytes, hash_values: bool, sink: dict[bytes, bytes] | None) -> bytes:
    """Encode a leaf (inlined fast path of codec.encode_leaf for the common short-header case)."""
    n = len(partial)
    packed = bytes.fromhex("0" + partial if n & 1 else partial)
    size = len(value)
    if hash_values and size > HASH_LEN:
        h = _blake2b(value, digest_size=32).digest()
        if sink is not None:
            sink[h] = value
        header = bytes((0x20 | n,)) if n < 31 else encode_header(HASHED_VALUE_LEAF, n)
        return header + packed + h
    header = bytes((0x40 | n,)) if n < 63 else encode_header(LEAF, n)
    length = bytes((size << 2,)) if size < 64 else encode_length(size)
    return header + packed + length + value


def build_subtrie(
    keys: Sequence[str],
    values: Sequence[bytes],
    lo: int,
    hi: int,
    depth: int,
    hash_values: bool,
    sink: dict[bytes, bytes] | None,
) -> bytes:
    """Encode the node holding sorted, unique hex keys[lo:hi] (all sharing their first `depth` nibbles).

    Hashed child nodes and V1 value nodes are recorded in `sink` (hash -> bytes) when it is given.
    """
    first = keys[lo]
    if hi - lo == 1:
        return _leaf(first[depth:], values[lo], hash_values, sink)
    last = keys[hi - 1]
    cp = depth
    n = len(first)
    while cp < n and first[cp] == last[cp]:
        cp += 1
    branch_value: bytes | None = None
    hashed = False
    if cp == n:
        branch_value = values[lo]
        lo += 1
        if hash_values and len(branch_value) > HASH_LEN:
            h = _blake2b(branch_value, digest_size=32).digest()
            if sink is not None:
                sink[h] = branch_value
            branch_value, hashed = h, True
    prefix = last[:cp]
    child_depth = cp + 1
    bitmap = 0
    parts: list[bytes] = []
    i = lo
    while i < hi:
        c = keys[i][cp]
        j = hi if c == "f" else bisect_left(keys, prefix + _NEXT_NIBBLE[c], i, hi)
        if j - i == 1:
            enc = _leaf(keys[i][child_depth:], values[i], hash_values, sink)
        else:
            enc = build_subtrie(keys, values, i, j, child_depth, hash_values, sink)
        if len(enc) < HASH_LEN:
            parts.append(bytes((len(enc) << 2,)))
            parts.append(enc)
        else:
            h = _blake2b(enc, digest_size=32).digest()
            if sink is not None:
                sink[h] = enc
            parts.append(b"\x80")
            parts.append(h)
        bitmap |= _BIT[c]
        i = j
    partial = first[depth:cp]
    if branch_value is None:
        kind = BRANCH_NO_VALUE
    else:
        kind = HASHED_VALUE_BRANCH if hashed else BRANCH_WITH_VALUE
        parts.insert(0, encode_value(branch_value, hashed))
    return b"".join(
        (encode_header(kind, len(partial)), encode_partial(partial), bitmap.to_bytes(2, "little"), *parts)
    )


def trie_root(pairs: Iterable[tuple[bytes, bytes]], state_version: int = 1) -> bytes:
    """Root of the trie holding `pairs` (a later duplicate key wins), as sp_trie computes it."""
    hash_values = hashes_values(state_version)
    table = {k.hex(): v for k, v in pairs}
    if not table:
        return EMPTY_TRIE_ROOT
    keys = sorted(table)
    values = [table[k] for k in keys]
    return blake2_256(build_subtrie(keys, values, 0, len(keys), 0, hash_values, None))


def ordered_trie_root(values: Sequence[bytes], state_version: int = 1) -> bytes:
    """Root of the trie mapping SCALE Compact<u32>(index) to each value: a block's extrinsics root."""
    if len(values) > 0xFFFFFFFF:
        raise TrieError("ordered_trie_root: more than u32::MAX values")
    return trie_root(((encode_compact(i), v) for i, v in enumerate(values)), state_version)
