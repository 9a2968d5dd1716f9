"""pallet_timestamp: `Now` and `DidUpdate`, the `set` inherent, and its inherent checks.

The block author puts exactly one `Timestamp.set(now)` inherent in each block. Where FRAME panics
(a second `set`, a time that does not advance by `MinimumPeriod`, a block without `set`) this pallet
raises `InvalidTimestamp`, which is deliberately not a DispatchError: the executive must treat it as an
invalid block, never as a failed extrinsic. `OnTimestampSet` is Aura, as in the solochain template:
when the runtime has an `Aura` pallet, `set` hands it the new time.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import U64, Bool
from runtime.support import Pallet, StorageValue, call, constant, ensure_none
from runtime.support.origin import Origin
from runtime.support.params import CompactMoment
from runtime.support.runtime import Call
from runtime.support.weights import DispatchClass, Weight

from . import weights

MINIMUM_PERIOD = 3_000
"""Milliseconds: half the Aura slot duration, as the solochain template sets it."""
MAX_TIMESTAMP_DRIFT_MILLIS = 30_000
"""How far into the future (of the importing node's clock) an inherent's time may be."""
INHERENT_IDENTIFIER = b"timstap0"
"""sp_timestamp::INHERENT_IDENTIFIER: the key of the timestamp in the block's inherent data."""


class InvalidTimestamp(Exception):
    """A FRAME panic in pallet_timestamp: the block is invalid. Deliberately not a DispatchError."""


class InherentError(Exception):
    """sp_timestamp::InherentError from `check_inherent`: `kind` is 'TooEarly' or 'TooFarInFuture'."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def is_fatal(self) -> bool:
        """Both kinds are fatal: the block must be rejected (FRAME's `is_fatal_error`)."""
        return True


class Timestamp(Pallet, name="Timestamp", rust_module="pallet_timestamp"):
    """The on-chain time of the current block, in milliseconds since the Unix epoch."""

    MinimumPeriod = constant(
        U64, MINIMUM_PERIOD,
        "The minimum period between blocks.\n\n"
        "Be aware that this is different to the *expected* period that the block production\n"
        "apparatus provides. Your chosen consensus system will generally work with this to\n"
        "determine a sensible block time. For example, in the Aura pallet it will be double this\n"
        "period on default settings.")

    Now = StorageValue(U64, default=0, doc="The current time for the current block.")
    DidUpdate = StorageValue(
        Bool, default=False,
        doc="Whether the timestamp has been updated in this block.\n\n"
            "This value is updated to `true` upon successful submission of a timestamp by a node.\n"
            "It is then checked at the end of each block execution in the `on_finalize` hook.")

    @call(index=0, weight=weights.SET, dispatch_class=DispatchClass.Mandatory)
    def set(self, origin: Origin, now: CompactMoment) -> None:
        """Set the current time.

        This call should be invoked exactly once per block. It will panic at the finalization
        phase, if this call hasn't been invoked by that time.

        The timestamp should be greater than the previous one by the amount specified by
        [`Config::MinimumPeriod`].

        The dispatch origin for this call must be _None_.

        This dispatch class is _Mandatory_ to ensure it gets executed in the block. Be aware
        that changing the complexity of this call could result exhausting the resources in a
        block to execute any other calls.

        ## Complexity
        - `O(1)` (Note that implementations of `OnTimestampSet` must also be `O(1)`)
        - 1 storage read and 1 storage mutation (codec `O(1)` because of `DidUpdate::take` in
          `on_finalize`)
        - 1 event handler `on_timestamp_set`. Must be `O(1)`.
        """
        ensure_none(origin)
        if self.DidUpdate.exists():
            raise InvalidTimestamp("Timestamp must be updated only once in the block")
        prev = self.Now.get()
        if prev != 0 and now < prev + self.MinimumPeriod:
            raise InvalidTimestamp("Timestamp must increment by at least <MinimumPeriod> between sequential blocks")
        self.Now.put(now)
        self.DidUpdate.put(True)
        if "Aura" in self.rt.runtime.by_name:  # OnTimestampSet = Aura
            self.rt.Aura.on_timestamp_set(now)

    # -- hooks ----------------------------------------------------------------------------------------

    def on_initialize(self, n: int) -> Weight:
        """Reserve the weight of `on_finalize` (FRAME returns `WeightInfo::on_finalize()`)."""
        return weights.ON_FINALIZE

    def on_finalize(self, n: int) -> None:
        """Check that `set` ran in this block, and clear `DidUpdate` for the next one."""
        if not self.DidUpdate.take():
            raise InvalidTimestamp("Timestamp must be updated once in the block")

    # -- inherent -------------------------------------------------------------------------------------

    def create_inherent(self, now_ms: int) -> Call:
        """The `set` call for a block authored at wall-clock `now_ms`, never earlier than Now + MinimumPeriod."""
        next_time = max(now_ms, self.Now.get() + self.MinimumPeriod)
        return self.rt.runtime.make_call("Timestamp", "set", now=next_time)

    def check_inherent(self, call: Call, inherent_now_ms: int) -> None:
        """Check a block's `set` against the importer's clock; raise InherentError (fatal) when off.

        Calls other than `Timestamp.set` pass, as in FRAME.
        """
        if call.pallet is not Timestamp or call.spec.name != "set":
            return
        t: int = call.args["now"]
        minimum = self.Now.get() + self.MinimumPeriod
        if t > inherent_now_ms + MAX_TIMESTAMP_DRIFT_MILLIS:
            raise InherentError("TooFarInFuture", "timestamp inherent: too far in the future")
        if t < minimum:
            raise InherentError("TooEarly", "timestamp inherent: earlier than Now + MinimumPeriod")

    @staticmethod
    def is_inherent(call: Call) -> bool:
        """True for `Timestamp.set` (FRAME's `ProvideInherent::is_inherent`)."""
        return call.pallet is Timestamp and call.spec.name == "set"

    # -- API ------------------------------------------------------------------------------------------

    def now(self) -> int:
        """The current block's time in milliseconds (0 before the first `set`)."""
        return int(self.Now.get())

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """pallet_timestamp has no genesis config; only the storage version is written."""
        write_storage_version(self, 0)


def write_storage_version(pallet: Pallet, version: int) -> None:
    """Write `:__STORAGE_VERSION__:` (u16) under the pallet's prefix, as FRAME does at genesis."""
    from runtime.primitives.hashing import twox_128

    key = twox_128(pallet.spec.name.encode()) + twox_128(b":__STORAGE_VERSION__:")
    pallet.ext.storage.set(key, version.to_bytes(2, "little"))
