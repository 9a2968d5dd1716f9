"""Dispatch origins (frame_system::RawOrigin) and the ensure_* guards every call starts with."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BadOrigin


@dataclass(frozen=True, slots=True)
class Signed:
    """A signed transaction from `who`."""

    who: bytes


@dataclass(frozen=True, slots=True)
class Root:
    """The root origin (sudo, governance)."""


@dataclass(frozen=True, slots=True)
class NoneOrigin:
    """Unsigned: inherents and unsigned transactions."""


Origin = Signed | Root | NoneOrigin
ROOT = Root()
NONE = NoneOrigin()


def ensure_signed(origin: Origin) -> bytes:
    """The signer's account, or BadOrigin."""
    if isinstance(origin, Signed):
        return origin.who
    raise BadOrigin("origin is not Signed")


def ensure_root(origin: Origin) -> None:
    """Pass for Root, else BadOrigin."""
    if not isinstance(origin, Root):
        raise BadOrigin("origin is not Root")


def ensure_none(origin: Origin) -> None:
    """Pass for the None origin (inherents), else BadOrigin."""
    if not isinstance(origin, NoneOrigin):
        raise BadOrigin("origin is not None")
