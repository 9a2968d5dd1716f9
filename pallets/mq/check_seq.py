"""The `CheckMqSequence` signed extension (phala_pallets::mq::check_seq): replay protection in the pool.

Only a top-level `PhalaMq.sync_offchain_message` call is inspected (Phala's `MqCallMatcher` matches
`RuntimeCall::PhalaMq` only, not calls nested in Utility.batch). `validate` (pool) refuses a sequence
below `OffchainIngress[sender]` as Stale and otherwise provides the tag `(sender, seq)`, requiring
`(sender, seq - 1)` when the message is ahead, so the pool holds and orders a run of future messages.
`pre_dispatch` (block) requires the exact sequence: Stale below, Future above. Tags are Phala's
`("PhalaMqOffchainMessages", sender, seq).encode()`.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import U64, Str
from runtime.support.runtime import Call, RuntimeInstance
from runtime.validity import InvalidKind, InvalidTransaction

from .types import MessageOrigin

IDENTIFIER = "CheckMqSequence"
TAG_PREFIX = Str.encode("PhalaMqOffchainMessages")


def tag(sender: Any, sequence: int) -> bytes:
    """check_seq::tag: SCALE of `("PhalaMqOffchainMessages", sender, sequence)`."""
    return TAG_PREFIX + MessageOrigin.encode(sender) + U64.encode(sequence)


def match_call(call: Call) -> dict[str, Any] | None:
    """The SignedMessage of a top-level `PhalaMq.sync_offchain_message` call, else None."""
    if call.pallet.spec.name != "PhalaMq" or call.spec.name != "sync_offchain_message":
        return None
    signed: dict[str, Any] = call.args["signed_message"]
    return signed


def _expected(rt: RuntimeInstance, sender: Any) -> int:
    value = rt.PhalaMq.OffchainIngress.get(sender)
    return 0 if value is None else int(value)


def validate(rt: RuntimeInstance, call: Call) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """SignedExtension::validate: `(requires, provides)` tags; InvalidTransaction(Stale) below the expected seq."""
    signed = match_call(call)
    if signed is None:
        return (), ()
    sender = signed["message"]["sender"]
    sequence = int(signed["sequence"])
    expected = _expected(rt, sender)
    if sequence < expected:
        raise InvalidTransaction(InvalidKind.Stale)
    requires = (tag(sender, sequence - 1),) if sequence > expected else ()
    return requires, (tag(sender, sequence),)


def pre_dispatch(rt: RuntimeInstance, call: Call) -> None:
    """SignedExtension::pre_dispatch: the sequence must equal the expected one (Stale below, Future above)."""
    signed = match_call(call)
    if signed is None:
        return
    sequence = int(signed["sequence"])
    expected = _expected(rt, signed["message"]["sender"])
    if sequence < expected:
        raise InvalidTransaction(InvalidKind.Stale)
    if sequence > expected:
        raise InvalidTransaction(InvalidKind.Future)
