"""Parameter parsing shared by the chain RPC modules: hex bytes, hashes, block numbers, optional trailing args.

Clients differ (client-compat.md §1): hex may come with or without `0x`, `""` means empty bytes, and
optional trailing parameters may be omitted or `null`. Every failure raises `InvalidParams` naming the
parameter, so bad input always gets a -32602 and never an exception inside the node.
"""

from __future__ import annotations

from typing import Any

from .errors import RpcError
from .registry import Params


class InvalidParams(RpcError):
    """-32602 with a message naming the offending parameter."""

    def __init__(self, message: str) -> None:
        super().__init__(-32602, "Invalid params", message)


def positional(params: Params, names: tuple[str, ...]) -> list[Any]:
    """Params as a list of len(names); named params are mapped by name; missing ones are None."""
    if isinstance(params, dict):
        values = [params.get(n) for n in names]
    elif isinstance(params, list):
        if len(params) > len(names):
            raise InvalidParams(f"expected at most {len(names)} parameters, got {len(params)}")
        values = list(params) + [None] * (len(names) - len(params))
    else:
        raise InvalidParams("params must be an array or an object")
    return values


def hex_bytes(value: Any, name: str) -> bytes:
    """Decode a hex string (with or without 0x; "" is empty)."""
    if not isinstance(value, str):
        raise InvalidParams(f"{name}: expected a hex string")
    text = value[2:] if value[:2] in ("0x", "0X") else value
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidParams(f"{name}: invalid hex") from None


def opt_hash(value: Any, name: str = "hash") -> bytes | None:
    """An optional 32-byte block hash."""
    if value is None:
        return None
    raw = hex_bytes(value, name)
    if len(raw) != 32:
        raise InvalidParams(f"{name}: expected 32 bytes, got {len(raw)}")
    return raw


def block_number(value: Any, name: str = "number") -> int:
    """A block number given as a JSON number or a hex string."""
    if isinstance(value, bool):
        raise InvalidParams(f"{name}: expected a block number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value, 16) if value[:2] in ("0x", "0X") else int(value)
        except ValueError:
            raise InvalidParams(f"{name}: invalid block number {value!r}") from None
    else:
        raise InvalidParams(f"{name}: expected a block number")
    if not 0 <= number <= 0xFFFFFFFF:
        raise InvalidParams(f"{name}: block number out of range")
    return number


def to_hex(data: bytes) -> str:
    """Lower-case 0x-prefixed hex."""
    return "0x" + data.hex()
