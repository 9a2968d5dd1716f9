"""State reads inside one read transaction: the flat best state and the per-key history.

`history` holds, for each storage key, one entry per canonical block that changed it. The value of a key
at block n is the entry with the largest number <= n: one `set_range` seek to (key, n) plus at most one
step back, so a historical read costs two B-tree positionings, independent of chain length.
"""

from __future__ import annotations

from .kv import LmdbEnv, Txn
from .schema import (
    HISTORY,
    STATE,
    decode_history_value,
    escape_key,
    history_after_escaped,
    history_after_key,
    history_key_from_escaped,
    history_prefix,
    split_history_key,
    unescape_key,
)


def history_get(env: LmdbEnv, txn: Txn, key: bytes, at_number: int) -> bytes | None:
    """Value of `key` at canonical block `at_number` (None if absent or deleted then)."""
    found, value = _latest_at(env, txn, escape_key(key), at_number)
    return value if found else None


def _latest_at(env: LmdbEnv, txn: Txn, escaped: bytes, at_number: int) -> tuple[bool, bytes | None]:
    """(found, value) of the latest history entry of an escaped key at or before `at_number`."""
    cursor = txn.cursor(db=env.db(HISTORY))
    target = history_key_from_escaped(escaped, at_number)
    if cursor.set_range(target):
        if cursor.key() == target:
            return True, decode_history_value(cursor.value())
        positioned = cursor.prev()
    else:
        positioned = cursor.last()
    if not positioned:
        return False, None
    entry_key, _ = split_history_key(cursor.key())
    if entry_key != escaped:
        return False, None
    return True, decode_history_value(cursor.value())


def keys_paged_at_best(env: LmdbEnv, txn: Txn, prefix: bytes, count: int, start_key: bytes | None) -> list[bytes]:
    """Up to `count` keys of the best state with `prefix`, strictly after `start_key`, in order."""
    if count <= 0:
        return []
    cursor = txn.cursor(db=env.db(STATE))
    seek = prefix if start_key is None or start_key < prefix else start_key
    out: list[bytes] = []
    if not cursor.set_range(seek):
        return out
    for key in cursor.iternext(keys=True, values=False):
        if not key.startswith(prefix):
            break
        if key == start_key:
            continue
        out.append(key)
        if len(out) >= count:
            break
    return out


def keys_paged_at(
    env: LmdbEnv, txn: Txn, prefix: bytes, count: int, start_key: bytes | None, at_number: int
) -> list[bytes]:
    """Up to `count` keys live at block `at_number` with `prefix`, strictly after `start_key`.

    Walks the distinct keys in `history` (two seeks each: resolve at `at_number`, jump to the next key),
    so the cost is proportional to the keys ever written under the prefix between `start_key` and the
    last key returned, including keys that were absent or deleted at `at_number`, not to `count` alone.
    """
    if count <= 0:
        return []
    cursor = txn.cursor(db=env.db(HISTORY))
    esc_prefix = history_prefix(prefix)
    seek = esc_prefix if start_key is None or start_key < prefix else history_after_key(start_key)
    out: list[bytes] = []
    positioned = cursor.set_range(seek)
    while positioned:
        hkey = cursor.key()
        if not hkey.startswith(esc_prefix):
            break
        escaped, _ = split_history_key(hkey)
        found, value = _latest_at(env, txn, escaped, at_number)
        if found and value is not None:
            out.append(unescape_key(escaped))
            if len(out) >= count:
                break
        positioned = cursor.set_range(history_after_escaped(escaped))
    return out
