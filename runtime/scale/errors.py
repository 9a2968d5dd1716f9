"""SCALE codec errors: one root, each message naming the check that failed."""

from __future__ import annotations


class ScaleError(Exception):
    """Root of every SCALE encoding or decoding failure."""


class ScaleDecodeError(ScaleError):
    """Bytes could not be decoded: truncated, over-long, non-canonical or trailing input."""


class ScaleEncodeError(ScaleError):
    """A Python value does not fit the SCALE type it is encoded as."""
