"""Trie roots computed from scratch: `trie_root` (state root) and `ordered_trie_root` (extrinsics root).

Equivalent to sp_trie's `LayoutV0/LayoutV1::trie_root` / `ordered_trie_root` (trie-root's
no-extension stream). Keys are sorted once as hex strings; each branch splits its sorted range by
bisecting on the next nibble, so the build is one pass with no node storage. `build_subtrie` is
shared with the incremental updater, which passes a sink to collect hashed nodes and value nodes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Final

from ...scale.compact import encode_compact
from ..hashing import EMPTY_TRIE_ROOT, blake2_256
from .codec import HASH_LEN, ChildRef, child_ref, encode_branch, encode_leaf
from .errors import TrieError

_NEXT_NIBBLE: Final = {c: format(i + 1, "x") for i, c in enumerate("0123456789abcde")}
NIBBLE_INDEX: Final = {c: i for i, c in enumerate("0123456789abcdef")}


def hashes_values(state_version: int) -> bool:
    """Whether `state_version` stores values over 32 bytes as separate value nodes (V1) or inline (V0)."""
    if state_version == 1:
        return True
    if state_version == 0:
        return False
    raise TrieError(f"state_version must be 0 or 1, got {state_version!r}")


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
        value = values[lo]
        if hash_values and len(value) > HASH_LEN:
            h = blake2_256(value)
            if sink is not None:
                sink[h] = value
            return encode_leaf(first[depth:], h, True)
        return encode_leaf(first[depth:], value, False)
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
            h = blake2_256(branch_value)
            if sink is not None:
                sink[h] = branch_value
            branch_value, hashed = h, True
    prefix = last[:cp]
    children: list[ChildRef | None] = [None] * 16
    i = lo
    while i < hi:
        c = keys[i][cp]
        j = hi if c == "f" else bisect_left(keys, prefix + _NEXT_NIBBLE[c], i, hi)
        enc = build_subtrie(keys, values, i, j, cp + 1, hash_values, sink)
        children[NIBBLE_INDEX[c]] = child_ref(enc, sink)
        i = j
    return encode_branch(first[depth:cp], branch_value, hashed, children)


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
