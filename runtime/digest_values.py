"""Header digests as System.Digest values: the bridge between `Header.digest` items and the DigestItem type.

The executive stores the block's pre-runtime digest in `System.Digest` at initialisation and reads it
back (with whatever the pallets appended) when it finalizes the header.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.header import DigestItem

_DIGEST_NAMES = {0: "Other", 4: "Consensus", 5: "Seal", 6: "PreRuntime", 8: "RuntimeEnvironmentUpdated"}
_DIGEST_KINDS = {name: kind for kind, name in _DIGEST_NAMES.items()}


def digest_to_value(logs: tuple[DigestItem, ...]) -> tuple[Any, ...]:
    """Header digest items as the values of the DigestItem type object (for System.Digest)."""
    out: list[Any] = []
    for item in logs:
        name = _DIGEST_NAMES[item.kind]
        if item.kind in (4, 5, 6):
            out.append((name, (item.engine, item.data)))
        elif item.kind == 0:
            out.append((name, item.data))
        else:
            out.append((name, None))
    return tuple(out)


def digest_from_value(logs: tuple[Any, ...]) -> tuple[DigestItem, ...]:
    """The inverse of `digest_to_value`."""
    out = []
    for name, payload in logs:
        kind = _DIGEST_KINDS[name]
        if kind in (4, 5, 6):
            out.append(DigestItem(kind, payload[0], payload[1]))
        elif kind == 0:
            out.append(DigestItem(kind, b"", payload))
        else:
            out.append(DigestItem(kind))
    return tuple(out)
