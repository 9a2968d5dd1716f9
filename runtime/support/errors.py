"""Dispatch errors: the Python side of sp_runtime::DispatchError, raised by calls and rolled back by dispatch.

Every failure a call can report is one of these exceptions. `ModuleError` subclasses are generated
per pallet from its `Error` declaration; the executive turns any of them into the SCALE value of
`DispatchError` for `ExtrinsicFailed` and for `ApplyExtrinsicResult`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DispatchError(Exception):
    """Root of everything a dispatch can fail with; `variant` is the sp_runtime::DispatchError variant."""

    variant: ClassVar[str] = "Other"

    def to_scale_value(self, pallet_index_of: Any = None) -> Any:
        """The value the `DispatchError` type object encodes."""
        return (self.variant, None)


class CannotLookup(DispatchError):
    """An address could not be resolved to an account."""

    variant = "CannotLookup"


class BadOrigin(DispatchError):
    """The origin is not allowed to make this call."""

    variant = "BadOrigin"


class ConsumerRemaining(DispatchError):
    """An account cannot be removed while it still has consumers."""

    variant = "ConsumerRemaining"


class NoProviders(DispatchError):
    """An account has no providers and cannot exist."""

    variant = "NoProviders"


class Exhausted(DispatchError):
    """Resources exhausted (e.g. block weight)."""

    variant = "Exhausted"


class TokenError(DispatchError):
    """sp_runtime::TokenError, with the variant name as `kind`."""

    variant = "Token"

    def __init__(self, kind: str) -> None:
        super().__init__(f"token error: {kind}")
        self.kind = kind

    def to_scale_value(self, pallet_index_of: Any = None) -> Any:
        return ("Token", (self.kind, None))


class ArithmeticError(DispatchError):
    """sp_arithmetic::ArithmeticError: Underflow, Overflow or DivisionByZero."""

    variant = "Arithmetic"

    def __init__(self, kind: str) -> None:
        super().__init__(f"arithmetic error: {kind}")
        self.kind = kind

    def to_scale_value(self, pallet_index_of: Any = None) -> Any:
        return ("Arithmetic", (self.kind, None))


class ModuleError(DispatchError):
    """An error declared by a pallet. Subclasses carry the pallet class and the error's index."""

    variant = "Module"
    pallet: ClassVar[type]
    index: ClassVar[int]
    doc: ClassVar[str] = ""

    def to_scale_value(self, pallet_index_of: Any = None) -> Any:
        pallet_index = pallet_index_of(self.pallet) if pallet_index_of is not None else 0
        return ("Module", {"index": pallet_index, "error": bytes((self.index, 0, 0, 0))})


class Errors:
    """Base of a pallet's nested `Error` class; each attribute `Name = "doc"` becomes a ModuleError subclass."""

    variants: ClassVar[tuple[type[ModuleError], ...]] = ()
