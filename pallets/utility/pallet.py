"""pallet_utility: batches of calls from one origin, pseudonymous dispatch, and root re-origination.

Semantics follow FRAME exactly. `batch` stops at the first failing call, emits `BatchInterrupted`
and still succeeds; `batch_all` is atomic (its own transactional layer rolls everything back) and
fails with the inner error; `force_batch` runs every call and reports `ItemFailed` for the failures.
Each inner call runs in its own layer, so a failed one leaves no storage or events behind. Root
batches bypass call filters; signed `batch_all` forbids nested `batch_all` (System.CallFiltered).
Pre-dispatch weight is the inner calls' weights plus the per-item benchmark; the returned actual
weight uses each inner call's actual weight (capped by its pre-dispatch weight).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pallets.sudo.dispatch import RuntimeCallParam, WeightParam, dispatch_result, inner_weight, to_weight
from pallets.system import System
from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.types import DispatchError as DispatchErrorType
from runtime.primitives.types import DispatchResult
from runtime.scale import U16, U32, Vec
from runtime.support import ROOT, DispatchError, Pallet, Signed, call, constant, ensure_root, event
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support.errors import BadOrigin
from runtime.support.origin import NoneOrigin, Origin
from runtime.support.runtime import Call, OuterCall
from runtime.support.weights import Weight

from . import weights
from .origin import NoBatchAllSigned, OriginCaller, derivative_account_id, to_origin, with_caller

BATCHED_CALLS_LIMIT = 10_922
"""MAX_POSSIBLE_ALLOCATION (32 MiB) / 3 / 1024: FRAME's value whenever RuntimeCall fits in 1 KiB."""

CallsParam = Annotated[Sequence[Call], Vec(OuterCall), "Vec<<T as Config>::RuntimeCall>"]
OriginCallerParam = Annotated[Any, OriginCaller, "Box<T::PalletsOrigin>"]


def _calls_weight(calls: Sequence[Call]) -> Weight:
    total = Weight()
    for c in calls:
        total = total.saturating_add(inner_weight(c))
    return total


def _actual(returned: Any, pre: Weight) -> Weight:
    """extract_actual_weight: the call's returned weight capped by its pre-dispatch weight."""
    if isinstance(returned, Weight):
        return Weight(min(returned.ref_time, pre.ref_time), min(returned.proof_size, pre.proof_size))
    return pre


class Utility(Pallet, name="Utility", rust_module="pallet_utility", event_generic=False):
    """Stateless dispatch helpers: batches and pseudonyms. No storage."""

    batched_calls_limit = constant(U32, BATCHED_CALLS_LIMIT, "The limit on the number of batched calls.")

    class Event(_Events):
        BatchInterrupted = event("Batch of dispatches did not complete fully. Index of first failing dispatch given, as\n"
                                 "well as the error.", index=(U32, "u32"), error=(DispatchErrorType, "DispatchError"))
        BatchCompleted = event("Batch of dispatches completed fully with no error.")
        BatchCompletedWithErrors = event("Batch of dispatches completed but has errors.")
        ItemCompleted = event("A single item within a Batch of dispatches has completed with no error.")
        ItemFailed = event("A single item within a Batch of dispatches has completed with error.",
                           error=(DispatchErrorType, "DispatchError"))
        DispatchedAs = event("A call was dispatched.", result=(DispatchResult, "DispatchResult"))

    class Error(_Errors):
        TooManyCalls: Any = "Too many calls batched."

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=lambda a: _calls_weight(a["calls"]).saturating_add(weights.batch(len(a["calls"]))))
    def batch(self, origin: Origin, calls: CallsParam) -> Weight:
        """Send a batch of dispatch calls.

        May be called from any origin except `None`.

        - `calls`: The calls to be dispatched from the same origin. The number of call must not
          exceed the constant: `batched_calls_limit` (available in constant metadata).

        If origin is root then the calls are dispatched without checking origin filter. (This
        includes bypassing `frame_system::Config::BaseCallFilter`).

        ## Complexity
        - O(C) where C is the number of calls to be batched.

        This will return `Ok` in all circumstances. To determine the success of the batch, an
        event is deposited. If a call failed and the batch was interrupted, then the
        `BatchInterrupted` event is deposited, along with the number of successful calls made
        and the error of the failed call. If all were successful, then the `BatchCompleted`
        event is deposited.
        """
        self._check_batch(origin, calls)
        weight = Weight()
        for index, c in enumerate(calls):
            error, used = self._dispatch(origin, c)
            weight = weight.saturating_add(used)
            if error is not None:
                self.deposit_event(self.Event.BatchInterrupted(index=index, error=self.rt.dispatch_error_value(error)))
                return weights.batch(index + 1).saturating_add(weight)
            self.deposit_event(self.Event.ItemCompleted())
        self.deposit_event(self.Event.BatchCompleted())
        return weights.batch(len(calls)).saturating_add(weight)

    @call(index=1, weight=lambda a: weights.AS_DERIVATIVE.saturating_add(weights.AS_DERIVATIVE_ACCOUNT_DATA)
          .saturating_add(inner_weight(a["call"])))
    def as_derivative(self, origin: Origin, index: Annotated[int, U16, "u16"], call: RuntimeCallParam) -> Weight:
        """Send a call through an indexed pseudonym of the sender.

        Filter from origin are passed along. The call will be dispatched with an origin which
        use the same filter as the origin of this call.

        NOTE: If you need to ensure that any account-based filtering is not honored (i.e.
        because you expect `proxy` to have been used prior in the call stack and you do not want
        the call restrictions to apply to any sub-accounts), then use `as_multi_threshold_1`
        in the Multisig pallet instead.

        NOTE: Prior to version *12, this was called `as_limited_sub`.

        The dispatch origin for this call must be _Signed_.
        """
        if not isinstance(origin, Signed):
            raise BadOrigin("as_derivative: origin is not Signed")
        pseudonym = with_caller(origin, derivative_account_id(origin.who, index))
        error, used = self._dispatch(pseudonym, call)
        if error is not None:
            raise error
        return weights.AS_DERIVATIVE.saturating_add(weights.AS_DERIVATIVE_ACCOUNT_DATA).saturating_add(used)

    @call(index=2, weight=lambda a: _calls_weight(a["calls"]).saturating_add(weights.batch_all(len(a["calls"]))))
    def batch_all(self, origin: Origin, calls: CallsParam) -> Weight:
        """Send a batch of dispatch calls and atomically execute them.
        The whole transaction will rollback and fail if any of the calls failed.

        May be called from any origin except `None`.

        - `calls`: The calls to be dispatched from the same origin. The number of call must not
          exceed the constant: `batched_calls_limit` (available in constant metadata).

        If origin is root then the calls are dispatched without checking origin filter. (This
        includes bypassing `frame_system::Config::BaseCallFilter`).

        ## Complexity
        - O(C) where C is the number of calls to be batched.
        """
        self._check_batch(origin, calls)
        inner_origin = NoBatchAllSigned(origin.who) if isinstance(origin, Signed) else origin
        weight = Weight()
        for c in calls:
            error, used = self._dispatch(inner_origin, c)
            weight = weight.saturating_add(used)
            if error is not None:
                raise error  # the enclosing layer drops every earlier item's changes and events
            self.deposit_event(self.Event.ItemCompleted())
        self.deposit_event(self.Event.BatchCompleted())
        return weights.batch_all(len(calls)).saturating_add(weight)

    @call(index=3, weight=lambda a: weights.DISPATCH_AS.saturating_add(inner_weight(a["call"])))
    def dispatch_as(self, origin: Origin, as_origin: OriginCallerParam, call: RuntimeCallParam) -> None:
        """Dispatches a function call with a provided origin.

        The dispatch origin for this call must be _Root_.

        ## Complexity
        - O(1).
        """
        ensure_root(origin)
        result, _ = dispatch_result(self.rt, to_origin(as_origin), call)
        self.deposit_event(self.Event.DispatchedAs(result=result))

    @call(index=4, weight=lambda a: _calls_weight(a["calls"]).saturating_add(weights.force_batch(len(a["calls"]))))
    def force_batch(self, origin: Origin, calls: CallsParam) -> Weight:
        """Send a batch of dispatch calls.
        Unlike `batch`, it allows errors and won't interrupt.

        May be called from any origin except `None`.

        - `calls`: The calls to be dispatched from the same origin. The number of call must not
          exceed the constant: `batched_calls_limit` (available in constant metadata).

        If origin is root then the calls are dispatch without checking origin filter. (This
        includes bypassing `frame_system::Config::BaseCallFilter`).

        ## Complexity
        - O(C) where C is the number of calls to be batched.
        """
        self._check_batch(origin, calls)
        weight = Weight()
        has_error = False
        for c in calls:
            error, used = self._dispatch(origin, c)
            weight = weight.saturating_add(used)
            if error is not None:
                has_error = True
                self.deposit_event(self.Event.ItemFailed(error=self.rt.dispatch_error_value(error)))
            else:
                self.deposit_event(self.Event.ItemCompleted())
        self.deposit_event(self.Event.BatchCompletedWithErrors() if has_error else self.Event.BatchCompleted())
        return weights.batch(len(calls)).saturating_add(weight)  # FRAME charges batch(c) here

    @call(index=5, weight=lambda a: to_weight(a["weight"]))
    def with_weight(self, origin: Origin, call: RuntimeCallParam, weight: WeightParam) -> None:
        """Dispatch a function call with a specified weight.

        This function does not check the weight of the call, and instead allows the
        Root origin to specify the weight of the call.

        The dispatch origin for this call must be _Root_.
        """
        ensure_root(origin)
        self.rt.dispatch(ROOT, call)

    # -- helpers --------------------------------------------------------------------------------------

    def _check_batch(self, origin: Origin, calls: Sequence[Call]) -> None:
        if isinstance(origin, NoneOrigin):
            raise BadOrigin("batch: the None origin may not batch")
        if len(calls) > BATCHED_CALLS_LIMIT:
            raise self.Error.TooManyCalls()

    def _dispatch(self, origin: Origin, c: Call) -> tuple[DispatchError | None, Weight]:
        """Dispatch one inner call (filters apply unless Root); return (error or None, actual weight)."""
        pre = inner_weight(c)
        if isinstance(origin, NoBatchAllSigned) and c.pallet is Utility and c.spec.name == "batch_all":
            call_filtered: Any = System.Error.CallFiltered
            return call_filtered(), pre
        try:
            returned = self.rt.dispatch(origin, c)
        except DispatchError as err:
            return err, pre
        return None, _actual(returned, pre)

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """Utility has no genesis config; only the storage version (0) is written, as FRAME does."""
        write_storage_version(self, 0)

    @staticmethod
    def derivative_account_id(who: bytes, index: int) -> bytes:
        """The pseudonym `as_derivative(index, ..)` dispatches as for `who`."""
        return derivative_account_id(who, index)


