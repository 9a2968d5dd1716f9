"""Assembling pallets into a runtime (construct_runtime!) and running calls in one execution context.

`Runtime` owns the pallet table: index ↔ pallet, the outer RuntimeCall / RuntimeEvent / RuntimeError
enums (paths `<crate>::RuntimeCall` etc., as clients expect), and call decoding. `RuntimeInstance`
binds the runtime to one storage overlay: it hands out pallet views (`rt.Balances`), deposits events
for the current phase and dispatches calls inside a transactional layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.scale import Enum, Field, Lazy, ScaleDecodeError, ScaleEncodeError, ScaleType, Variant

from .calls import CallSpec
from .errors import DispatchError
from .events import EventDef, PalletEvent, stored_event
from .origin import Origin
from .overlay import Overlay
from .pallet import Pallet, PalletSpec


@dataclass(frozen=True, slots=True)
class Call:
    """A decoded runtime call: the pallet, the call's spec and its arguments by Python name."""

    pallet: type[Pallet]
    spec: CallSpec
    args: dict[str, Any]


class RuntimeCallType(Enum):
    """The outer RuntimeCall enum; values are `Call` objects rather than nested tuples."""

    runtime: Runtime

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, Call):
            raise ScaleEncodeError("RuntimeCall: value is not a Call")
        return self.runtime.encode_call(value)

    def decode_at(self, data: bytes | memoryview, offset: int) -> tuple[Call, int]:
        return self.runtime.decode_call(data, offset)


class _OuterType(Lazy):
    """Stands for an outer enum of the runtime assembled last, so pallets (Utility, Sudo, System) can name it."""

    def __init__(self, kind: str) -> None:
        super().__init__(self._resolve)
        self.kind = kind
        self.bound: ScaleType[Any] | None = None

    def _resolve(self) -> ScaleType[Any]:
        if self.bound is None:
            raise TypeError(f"{self.kind} used before a runtime was assembled")
        return self.bound

    @property
    def target(self) -> ScaleType[Any]:
        return self._resolve()


OuterCall = _OuterType("RuntimeCall")
OuterEvent = _OuterType("RuntimeEvent")
"""The outer call and event enums, for pallets whose items hold them (Utility.batch, System.Events)."""


class Runtime:
    """An assembled runtime: pallets at explicit indices plus the outer enums derived from them."""

    def __init__(self, crate: str, pallets: Sequence[tuple[int, type[Pallet]]]) -> None:
        self.crate = crate
        self.pallets = tuple(sorted(pallets, key=lambda p: p[0]))
        self.by_index: dict[int, type[Pallet]] = {}
        self.index_of: dict[type[Pallet], int] = {}
        self.index_byte: dict[type[Pallet], bytes] = {}  # the index as the one byte that prefixes calls and events
        self.event_heads: dict[Any, bytes] = {}  # PalletEvent key (declaration number or pallet) -> index byte
        self.by_name: dict[str, type[Pallet]] = {}
        for index, pallet in self.pallets:
            name = pallet.spec.name
            if index in self.by_index or name in self.by_name or not 0 <= index < 256:
                raise TypeError(f"runtime {crate}: pallet {name} index {index} is invalid or used twice")
            self.by_index[index] = pallet
            self.index_of[pallet] = index
            self.index_byte[pallet] = bytes((index,))
            self.by_name[name] = pallet
        self.call_type = RuntimeCallType((crate, "RuntimeCall"), self._outer("call_type", _call_type_name))
        self.call_type.runtime = self
        self.event_type = Enum((crate, "RuntimeEvent"), self._outer("event_type", _item_type_name("Event")))
        self.error_type = Enum((crate, "RuntimeError"), self._outer("error_type", _item_type_name("Error")))
        OuterCall.bound = self.call_type
        OuterEvent.bound = self.event_type

    def _outer(self, attr: str, type_name: Callable[[PalletSpec], str]) -> tuple[Variant, ...]:
        """One variant per pallet that has the `attr` enum: name and index of the pallet, one field."""
        variants = []
        for index, pallet in self.pallets:
            inner = getattr(pallet.spec, attr)
            if inner is not None:
                variants.append(Variant(pallet.spec.name, index, (Field(None, inner, type_name(pallet.spec)),)))
        return tuple(variants)

    def pallet_index(self, pallet: type[Pallet]) -> int:
        """The index byte of `pallet` in this runtime."""
        return self.index_of[pallet]

    def decode_call(self, data: bytes | memoryview, offset: int = 0) -> tuple[Call, int]:
        """Decode a RuntimeCall at `offset`: pallet index, call index, arguments."""
        if offset + 2 > len(data):
            raise ScaleDecodeError("RuntimeCall: input truncated (pallet and call index)")
        pallet = self.by_index.get(data[offset])
        if pallet is None:
            raise ScaleDecodeError(f"RuntimeCall: unknown pallet index {data[offset]}")
        spec = pallet.spec.calls_by_index.get(data[offset + 1])
        if spec is None:
            raise ScaleDecodeError(f"RuntimeCall: {pallet.spec.name} has no call index {data[offset + 1]}")
        args, end = spec.decode_args(data, offset + 2)
        return Call(pallet, spec, args), end

    def decode_call_exact(self, data: bytes) -> Call:
        """Decode exactly one call; trailing bytes are an error."""
        n = len(data)
        if n < 2:
            raise ScaleDecodeError("RuntimeCall: input truncated (pallet and call index)")
        pallet = self.by_index.get(data[0])
        spec = None if pallet is None else pallet.spec.calls_by_index.get(data[1])
        if spec is None:
            call, end = self.decode_call(data, 0)  # raises the error that names what is unknown
        else:
            args, end = spec.decode_args(data, 2)
            call = Call(pallet, spec, args)  # type: ignore[arg-type]
        if end != n:
            raise ScaleDecodeError(f"RuntimeCall: {n - end} trailing bytes")
        return call

    def encode_call(self, call: Call) -> bytes:
        """SCALE of a Call."""
        return bytes((self.index_of[call.pallet], call.spec.index)) + call.spec.encode_args(call.args)

    def make_call(self, pallet_name: str, call_name: str, **args: Any) -> Call:
        """Build a Call by names (tests, genesis, the off-chain signer)."""
        pallet = self.by_name[pallet_name]
        spec = pallet.spec.calls_by_name[call_name]
        return Call(pallet, spec, args)

    def instance(self, storage: Overlay, block_number: int = 0) -> RuntimeInstance:
        """A view of this runtime over `storage`."""
        return RuntimeInstance(self, storage, block_number)


def _call_type_name(spec: PalletSpec) -> str:
    """construct_runtime!'s typeName for a RuntimeCall variant's field."""
    return ("self::sp_api_hidden_includes_construct_runtime::hidden_include::dispatch\n"
            f"::CallableCallFor<{spec.name}, Runtime>")


def _item_type_name(kind: str) -> Callable[[PalletSpec], str]:
    """construct_runtime!'s typeName for a RuntimeEvent / RuntimeError variant's field."""
    return lambda spec: f"{spec.rust_module}::{kind}<Runtime>"


_PHASE_INIT = b"\x02"
_PHASE_FINAL = b"\x01"


class RuntimeInstance:
    """One execution context: storage overlay, block number, current phase and pallet views."""

    def __init__(self, runtime: Runtime, storage: Overlay, block_number: int = 0) -> None:
        self.runtime = runtime
        self.storage = storage
        self.block_number = block_number
        self._phase = _PHASE_INIT
        self._views: dict[str, Pallet] = {}

    def __getattr__(self, name: str) -> Any:
        pallet = self.runtime.by_name.get(name)
        if pallet is None:
            raise AttributeError(name)
        view = pallet(self)
        self._views[name] = view
        self.__dict__[name] = view
        return view

    @property
    def ext(self) -> RuntimeInstance:
        """The execution context pallets read storage through (the instance itself)."""
        return self

    def pallet(self, pallet: type[Pallet]) -> Any:
        """The view of `pallet` in this context."""
        return getattr(self, pallet.spec.name)

    def set_phase_apply(self, index: int) -> None:
        """Events from now on belong to extrinsic `index`."""
        self._phase = b"\x00" + index.to_bytes(4, "little")

    def set_phase_finalization(self) -> None:
        """Events from now on belong to block finalization."""
        self._phase = _PHASE_FINAL

    def set_phase_initialization(self) -> None:
        """Events from now on belong to block initialization."""
        self._phase = _PHASE_INIT

    def deposit_event(self, event: PalletEvent) -> None:
        """Append an EventRecord (phase, RuntimeEvent, no topics) for `event`."""
        heads = self.runtime.event_heads
        head = heads.get(event[0])  # keyed by what the event holds: its declaration's number (or pallet class)
        if head is None:
            head = heads[event[0]] = self.runtime.index_byte[event.pallet]
        record = self._phase + head + event.encoded + b"\x00"
        self.storage.events.append((record, stored_event(event)))

    def deposit_encoded(self, decl: EventDef, encoded_fields: bytes) -> None:
        """`deposit_event(decl.from_encoded(None, encoded_fields))` without building the event object."""
        encoded = decl.head() + encoded_fields
        heads = self.runtime.event_heads
        head = heads.get(decl.uid)
        if head is None:
            head = heads[decl.uid] = self.runtime.index_byte[decl.pallet]  # type: ignore[index]
        self.storage.events.append((self._phase + head + encoded + b"\x00", (decl.uid, encoded)))

    def dispatch(self, origin: Origin, call: Call) -> Any:
        """Run `call` in its own storage layer: committed on success, rolled back on DispatchError."""
        self.storage.begin()
        try:
            view = self.__dict__.get(call.pallet.spec.name)
            if view is None:
                view = self.pallet(call.pallet)
            result = call.spec.fn(view, origin, **call.args)
        except BaseException:
            self.storage.rollback()
            raise
        self.storage.commit()
        return result

    def dispatch_error_value(self, error: DispatchError) -> Any:
        """The SCALE value of `error` as sp_runtime::DispatchError."""
        return error.to_scale_value(self.runtime.pallet_index)
