"""A mock runtime context for pallet tests (FRAME's `new_test_ext`): storage in a dict, no node.

Tests assemble a small `Runtime` from the pallets they need, then drive calls through `TestExt` and
inspect storage and events. Dispatch goes through the same transactional `RuntimeInstance.dispatch`
the executive uses, so a failing call is rolled back exactly as on chain.
"""

from __future__ import annotations

from typing import Any

from .events import PalletEvent, event_value
from .origin import Origin
from .overlay import DictReader, Overlay
from .runtime import Runtime, RuntimeInstance


class TestExt:
    """Storage, runtime view and event log for one pallet test."""

    __test__ = False  # not a pytest test class

    def __init__(self, runtime: Runtime, storage: dict[bytes, bytes] | None = None, block_number: int = 1) -> None:
        self.runtime = runtime
        self.backend = DictReader(dict(storage or {}))
        self.overlay = Overlay(self.backend)
        self.rt: RuntimeInstance = runtime.instance(self.overlay, block_number)
        self.rt.set_phase_apply(0)

    def call(self, origin: Origin, pallet: str, call: str, **args: Any) -> Any:
        """Dispatch `pallet.call(**args)` from `origin`; DispatchErrors propagate after rollback."""
        return self.rt.dispatch(origin, self.runtime.make_call(pallet, call, **args))

    def encoded_call(self, pallet: str, call: str, **args: Any) -> bytes:
        """SCALE bytes of a call (round-trips through the runtime's codec)."""
        return self.runtime.encode_call(self.runtime.make_call(pallet, call, **args))

    def events(self) -> list[PalletEvent]:
        """Events deposited so far, oldest first."""
        return [event_value(ev) for _, ev in self.overlay.events]

    def event_names(self) -> list[str]:
        """'Pallet.Event' names of the events so far."""
        return [f"{ev.pallet.spec.name}.{ev.name}" for ev in self.events()]

    def last_event(self) -> PalletEvent:
        """The most recent event."""
        return self.events()[-1]

    def clear_events(self) -> None:
        """Forget the events deposited so far."""
        self.overlay.events.clear()

    def commit(self) -> dict[bytes, bytes]:
        """Fold pending changes into the backing dict and return it."""
        for key, value in self.overlay.changes().items():
            if value is None:
                self.backend.data.pop(key, None)
            else:
                self.backend.data[key] = value
        self.overlay = Overlay(self.backend)
        self.rt = self.runtime.instance(self.overlay, self.rt.block_number)
        return self.backend.data
