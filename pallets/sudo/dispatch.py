"""Dispatching a nested runtime call, shared by Sudo and Utility: parameter types, weights, results.

A nested call runs through `RuntimeInstance.dispatch` (its own transactional layer). Its pre-dispatch
weight is its CallSpec weight; its outcome becomes the `Result<(), DispatchError>` value events carry.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.primitives.types import Weight as WeightType
from runtime.support import CannotLookup, DispatchError
from runtime.support.origin import Origin
from runtime.support.runtime import Call, OuterCall
from runtime.support.weights import Weight

RuntimeCallParam = Annotated[Call, OuterCall, "Box<<T as Config>::RuntimeCall>"]
WeightParam = Annotated[Any, WeightType, "Weight"]


def lookup(address: Any) -> bytes:
    """AccountIdLookup: only `MultiAddress::Id` resolves; anything else is CannotLookup."""
    if isinstance(address, tuple) and address[0] == "Id":
        return bytes(address[1])
    if getattr(address, "kind", None) == 0:  # runtime.primitives.account.MultiAddress
        return bytes(address.value)
    raise CannotLookup("AccountIdLookup: only MultiAddress::Id can be looked up")


def to_weight(value: Any) -> Weight:
    """A `Weight` from a decoded sp_weights::Weight value (dict) or a Weight."""
    if isinstance(value, Weight):
        return value
    return Weight(int(value["ref_time"]), int(value["proof_size"]))


def inner_weight(call_: Call) -> Weight:
    """The pre-dispatch weight of a nested call (its `get_dispatch_info().call_weight`)."""
    return call_.spec.weight_of(call_.args)


def dispatch_result(rt: Any, origin: Origin, call_: Call) -> tuple[Any, Any]:
    """Dispatch `call_` in its own layer; return (DispatchResult value, the call's return value)."""
    try:
        returned = rt.dispatch(origin, call_)
    except DispatchError as err:
        return ("Err", rt.dispatch_error_value(err)), None
    return ("Ok", ()), returned
