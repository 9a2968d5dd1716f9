"""Transaction validity (sp_runtime::transaction_validity): what the pool learns from the runtime.

`ValidTransaction` carries the tags the pool orders by (provides/requires), priority and longevity;
`TransactionValidityError` is Invalid(kind) or Unknown(kind) with Substrate's variant indices, so the
node can map it to JSON-RPC 1010/1011 with Substrate's messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from runtime.scale import U8, U64, Bool, Bytes, Enum, Field, Result, Struct, Variant, Vec


class InvalidKind(IntEnum):
    """sp_runtime::transaction_validity::InvalidTransaction variants (index = SCALE byte)."""

    Call = 0
    Payment = 1
    Future = 2
    Stale = 3
    BadProof = 4
    AncientBirthBlock = 5
    ExhaustsResources = 6
    Custom = 7
    BadMandatory = 8
    MandatoryValidation = 9
    BadSigner = 10


class UnknownKind(IntEnum):
    """sp_runtime::transaction_validity::UnknownTransaction variants."""

    CannotLookup = 0
    NoUnsignedValidator = 1
    Custom = 2


INVALID_MESSAGES = {
    InvalidKind.Call: "Transaction call is not expected",
    InvalidKind.Payment: "Inability to pay some fees (e.g. account balance too low)",
    InvalidKind.Future: "Transaction will be valid in the future",
    InvalidKind.Stale: "Transaction is outdated",
    InvalidKind.BadProof: "Transaction has a bad signature",
    InvalidKind.AncientBirthBlock: "Transaction has an ancient birth block",
    InvalidKind.ExhaustsResources: "Transaction would exhaust the block limits",
    InvalidKind.Custom: "Custom error",
    InvalidKind.BadMandatory: "A call was labelled as mandatory, but resulted in an Error.",
    InvalidKind.MandatoryValidation: "Transaction dispatch is mandatory; transactions must not be validated.",
    InvalidKind.BadSigner: "Invalid signing address",
}

UNKNOWN_MESSAGES = {
    UnknownKind.CannotLookup: "Could not lookup information required to validate the transaction",
    UnknownKind.NoUnsignedValidator: "Could not find an unsigned validator for the unsigned transaction",
    UnknownKind.Custom: "Unknown error",
}


class TransactionValidityError(Exception):
    """Root: the runtime refused a transaction (Invalid or Unknown)."""

    def encode(self) -> bytes:
        """SCALE of TransactionValidityError."""
        raise NotImplementedError

    @property
    def message(self) -> str:
        """Substrate's human-readable text for this error (the JSON-RPC `data`)."""
        raise NotImplementedError


class InvalidTransaction(TransactionValidityError):
    """The transaction is invalid (bad proof, stale nonce, cannot pay, …)."""

    def __init__(self, kind: InvalidKind, custom: int = 0) -> None:
        self.kind = kind
        self.custom = custom
        super().__init__(f"Invalid Transaction: {self.message}")

    def encode(self) -> bytes:
        tail = bytes((self.custom,)) if self.kind == InvalidKind.Custom else b""
        return bytes((0, self.kind)) + tail

    @property
    def message(self) -> str:
        if self.kind == InvalidKind.Custom:
            return f"Custom error: {self.custom}"
        return INVALID_MESSAGES[self.kind]


class UnknownTransaction(TransactionValidityError):
    """Validity could not be determined (e.g. the signer cannot be looked up)."""

    def __init__(self, kind: UnknownKind, custom: int = 0) -> None:
        self.kind = kind
        self.custom = custom
        super().__init__(f"Unknown Transaction Validity: {self.message}")

    def encode(self) -> bytes:
        tail = bytes((self.custom,)) if self.kind == UnknownKind.Custom else b""
        return bytes((1, self.kind)) + tail

    @property
    def message(self) -> str:
        if self.kind == UnknownKind.Custom:
            return f"Unknown error: {self.custom}"
        return UNKNOWN_MESSAGES[self.kind]


TRANSACTION_LONGEVITY_MAX = (1 << 64) - 1


@dataclass(frozen=True)
class ValidTransaction:
    """What the pool needs to schedule a valid transaction."""

    priority: int = 0
    requires: tuple[bytes, ...] = ()
    provides: tuple[bytes, ...] = ()
    longevity: int = TRANSACTION_LONGEVITY_MAX
    propagate: bool = True
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def encode(self) -> bytes:
        """SCALE of ValidTransaction."""
        return ValidTransactionType.encode({
            "priority": self.priority, "requires": self.requires, "provides": self.provides,
            "longevity": self.longevity, "propagate": self.propagate,
        })


class TransactionSource(IntEnum):
    """Where a transaction came from."""

    InBlock = 0
    Local = 1
    External = 2


ValidTransactionType = Struct(
    ("sp_runtime", "transaction_validity", "ValidTransaction"),
    (Field("priority", U64, "TransactionPriority"), Field("requires", Vec(Bytes), "Vec<TransactionTag>"),
     Field("provides", Vec(Bytes), "Vec<TransactionTag>"), Field("longevity", U64, "TransactionLongevity"),
     Field("propagate", Bool, "bool")),
)

InvalidTransactionType = Enum(
    ("sp_runtime", "transaction_validity", "InvalidTransaction"),
    tuple(Variant(k.name, int(k), (Field(None, U8, "u8"),) if k == InvalidKind.Custom else ()) for k in InvalidKind),
)

UnknownTransactionType = Enum(
    ("sp_runtime", "transaction_validity", "UnknownTransaction"),
    tuple(Variant(k.name, int(k), (Field(None, U8, "u8"),) if k == UnknownKind.Custom else ()) for k in UnknownKind),
)

TransactionValidityErrorType = Enum(
    ("sp_runtime", "transaction_validity", "TransactionValidityError"),
    (Variant("Invalid", 0, (Field(None, InvalidTransactionType, "InvalidTransaction"),)),
     Variant("Unknown", 1, (Field(None, UnknownTransactionType, "UnknownTransaction"),))),
)

TransactionValidityType = Result(ValidTransactionType, TransactionValidityErrorType)

TransactionSourceType = Enum(
    ("sp_runtime", "transaction_validity", "TransactionSource"),
    (Variant("InBlock", 0), Variant("Local", 1), Variant("External", 2)),
)
