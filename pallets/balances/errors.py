"""Balances' own exception types: the fee-payment failure the executive maps, and a typed raise helper."""

from __future__ import annotations

from runtime.support.errors import DispatchError, ModuleError


class FeePaymentError(Exception):
    """The fee cannot be withdrawn (the executive reports InvalidTransaction::Payment); names the failed check."""

    def __init__(self, who: bytes, fee: int, reason: str) -> None:
        super().__init__(f"fee {fee} not payable by 0x{who.hex()}: {reason}")
        self.who = who
        self.fee = fee
        self.reason = reason


class TooManyConsumers(DispatchError):
    """sp_runtime::DispatchError::TooManyConsumers: an account has too many consumer references."""

    variant = "TooManyConsumers"


def module_error(declared: object) -> ModuleError:
    """An instance of a pallet error declared as `Name = "doc"` (typed as str for mypy, a class at run time)."""
    if not (isinstance(declared, type) and issubclass(declared, ModuleError)):
        raise TypeError(f"{declared!r} is not a declared pallet error")
    return declared()
