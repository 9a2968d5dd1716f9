"""Origins Utility creates: the runtime's `OriginCaller` type, batch_all's filtered origin, pseudonyms.

`OriginCaller` (construct_runtime's `PalletsOrigin`) is `<crate>::OriginCaller` with a `system`
variant holding `frame_support::dispatch::RawOrigin<AccountId>` at the System pallet's index, then
`Void`. It is resolved from the assembled runtime, whose crate name it carries.

`NoBatchAllSigned` is a signed origin carrying the filter FRAME's `batch_all` adds ("no nested
`batch_all`"); like FRAME's origin filters it survives `as_derivative`, and fresh origins (sudo,
dispatch_as) do not have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pallets.grandpa.types import Void
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import AccountId
from runtime.scale import Enum, Field, Lazy, ScaleDecodeError, ScaleType, Variant
from runtime.support import NONE, ROOT, Signed
from runtime.support.origin import Origin
from runtime.support.runtime import OuterCall

RawOrigin = Enum(
    ("frame_support", "dispatch", "RawOrigin"),
    (Variant("Root", 0), Variant("Signed", 1, (Field(None, AccountId, "AccountId"),)), Variant("None", 2)),
    params=(("AccountId", AccountId),),
)


class _OriginCallerType(Lazy):
    """`<crate>::OriginCaller` of the most recently assembled runtime (one type object per crate)."""

    def __init__(self) -> None:
        super().__init__(self._build)
        self._by_crate: dict[str, Enum] = {}

    def _build(self) -> ScaleType[Any]:
        call_type = OuterCall.target
        runtime = call_type.runtime  # type: ignore[attr-defined]
        crate = runtime.crate
        found = self._by_crate.get(crate)
        if found is None:
            system_index = runtime.index_of[runtime.by_name["System"]]
            found = Enum((crate, "OriginCaller"), (
                Variant("system", system_index, (Field(None, RawOrigin, "frame_system::Origin<Runtime>"),)),
                Variant("Void", 1 if system_index != 1 else 0, (Field(None, Void, "self::sp_api_hidden_includes_construct_runtime::hidden_include::\n__private::Void"),)),
            ))
            self._by_crate[crate] = found
        return found

    @property
    def target(self) -> ScaleType[Any]:
        return self._build()


OriginCaller = _OriginCallerType()


def to_origin(value: Any) -> Origin:
    """The dispatch origin for an OriginCaller value such as ("system", ("Signed", account))."""
    pallet, raw = value
    if pallet != "system":
        raise ScaleDecodeError(f"OriginCaller: no origin {pallet!r}")
    kind, payload = (raw, None) if isinstance(raw, str) else raw
    if kind == "Root":
        return ROOT
    if kind == "Signed":
        return Signed(bytes(payload or b""))
    if kind == "None":
        return NONE
    raise ScaleDecodeError(f"OriginCaller: no system origin {kind!r}")


@dataclass(frozen=True, slots=True)
class NoBatchAllSigned(Signed):
    """A Signed origin that may not dispatch `Utility.batch_all` (added by a signed `batch_all`)."""


def with_caller(origin: Signed, who: bytes) -> Signed:
    """`origin.set_caller_from(Signed(who))`: a new signer, keeping the origin's filters."""
    return NoBatchAllSigned(who) if isinstance(origin, NoBatchAllSigned) else Signed(who)


def derivative_account_id(who: bytes, index: int) -> bytes:
    """blake2_256(b"modlpy/utilisuba" ++ who ++ index as u16 LE): FRAME's pseudonym of `who`."""
    return blake2_256(b"modlpy/utilisuba" + who + index.to_bytes(2, "little"))
