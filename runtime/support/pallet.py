"""The pallet base class: a pallet is declared once and everything else derives from that declaration.

`class Balances(Pallet, name="Balances", rust_module="pallet_balances")` runs `__init_subclass__`, which
collects storage items, constants, the nested `Event` and `Error` classes and the `@call` methods,
checks them (duplicate indices, untyped parameters, over-long enums, bad defaults raise TypeError at
import time, standing in for FRAME's compile errors) and freezes them into `PalletSpec`. Dispatch,
storage keys and metadata read the spec, never the class body.

Metadata shape follows FRAME's macros: the Event and Error enums carry the type parameter `T` (and `I`
for instanced pallets) unless the pallet says `event_generic=False` (FRAME's non-generic `enum Event`,
e.g. Grandpa and Utility); a docstring on the nested `Event`/`Error` class becomes the enum's docs
(FRAME's doc comment on the enum, e.g. Sudo's "Error for the Sudo pallet."), else the macro's default
text; variant docs are the doc lines as written (no leading space), while storage and constant docs keep
rustdoc's leading space.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from runtime.scale import Enum, ScaleType, Variant

from .calls import CallSpec, build_call_spec, doc_lines
from .errors import Errors, ModuleError
from .events import EventDef, Events, PalletEvent
from .storage import StorageItem

if TYPE_CHECKING:
    from .runtime import RuntimeInstance

V = TypeVar("V")


class Constant(Generic[V]):
    """A pallet constant: type, value and docs; reads as the value on instances and classes."""

    def __init__(self, ty: ScaleType[V], value: V, doc: str = "") -> None:
        self.type = ty
        self.value = value
        self.doc = doc
        self.name = ""
        self.encoded = ty.encode(value)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> V:
        return self.value


def constant(ty: ScaleType[V], value: V, doc: str = "") -> Any:
    """Declare a pallet constant (exposed in metadata as `api.consts.<pallet>.<name>`)."""
    return Constant(ty, value, doc)


@dataclass(frozen=True)
class PalletSpec:
    """The frozen declaration of one pallet."""

    name: str
    rust_module: str
    docs: tuple[str, ...]
    storage: tuple[StorageItem[Any], ...]
    constants: tuple[Constant[Any], ...]
    calls: tuple[CallSpec, ...]
    events: tuple[EventDef, ...]
    errors: tuple[type[ModuleError], ...]
    call_type: Enum | None
    event_type: Enum | None
    error_type: Enum | None
    calls_by_index: dict[int, CallSpec]
    calls_by_name: dict[str, CallSpec]
    storage_version: int = 0


class Pallet:
    """Base of every pallet. An instance is a view of the pallet bound to one execution context."""

    spec: ClassVar[PalletSpec]
    Event: ClassVar[type[Events]] = Events
    Error: ClassVar[type[Errors]] = Errors

    def __init_subclass__(cls, *, name: str, rust_module: str, instanced: bool = False, storage_version: int = 0,
                          event_generic: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        storage = []
        constants = []
        calls = []
        for attr, value in list(cls.__dict__.items()):
            if isinstance(value, StorageItem):
                value.bind_pallet(name)
                storage.append(value)
            elif isinstance(value, Constant):
                constants.append(value)
            elif callable(value) and hasattr(value, "__pallet_call__"):
                calls.append(build_call_spec(attr, value))
        events = _collect_events(cls, name)
        errors = _collect_errors(cls, name)
        calls.sort(key=lambda c: c.index)
        by_index = {c.index: c for c in calls}
        if len(by_index) != len(calls):
            raise TypeError(f"pallet {name}: duplicate call index")
        cls.spec = PalletSpec(
            name=name,
            rust_module=rust_module,
            docs=doc_lines(cls),
            storage=tuple(storage),
            constants=tuple(constants),
            calls=tuple(calls),
            events=events,
            errors=errors,
            call_type=_enum(rust_module, "Call", [c.variant() for c in calls], _params(instanced)) if calls else None,
            event_type=_enum(rust_module, "Event", [e.variant() for e in events],
                             _params(instanced) if event_generic else (),
                             _own_docs(cls, "Event")) if events else None,
            error_type=_enum(rust_module, "Error", [Variant(e.__name__, e.index, (), variant_docs(e.doc))
                                                    for e in errors], _params(instanced),
                             _own_docs(cls, "Error")) if errors else None,
            calls_by_index=by_index,
            calls_by_name={c.name: c for c in calls},
            storage_version=storage_version,
        )

    def __init__(self, rt: RuntimeInstance) -> None:
        self.rt = rt
        self.ext = rt.ext
        self.deposit_event = rt.deposit_event  # type: ignore[method-assign]  # the same thing, one call less

    def deposit_event(self, event: PalletEvent) -> None:
        """Record `event` in System.Events for the current phase."""
        self.rt.deposit_event(event)


def _params(instanced: bool) -> tuple[tuple[str, Any], ...]:
    return (("T", None), ("I", None)) if instanced else (("T", None),)


def _own_docs(cls: type, kind: str) -> tuple[str, ...]:
    """Docs of the pallet's own nested `Event`/`Error` class (its docstring), or () when it has none."""
    nested = cls.__dict__.get(kind)
    doc = None if nested is None else nested.__dict__.get("__doc__")
    return doc_lines(nested) if isinstance(doc, str) and doc.strip() else ()


def _enum(rust_module: str, kind: str, variants: list[Variant], params: tuple[tuple[str, Any], ...],
          docs: tuple[str, ...] = ()) -> Enum:
    if len(variants) > 256:
        raise TypeError(f"{rust_module}::{kind}: more than 256 variants")
    return Enum((*rust_module.split("::"), "pallet", kind), tuple(variants), params=params, docs=docs or (_KIND_DOCS[kind],))


def rust_docs(text: str) -> tuple[str, ...]:
    """Docs as rustdoc hands them to scale-info: one entry per line, each `/// x` line keeping its space."""
    if not text:
        return ()
    return tuple((" " + line) if line else "" for line in text.splitlines())


def variant_docs(text: str) -> tuple[str, ...]:
    """Docs of an event/error variant or a field as FRAME's macros emit them: one entry per line, no leading space."""
    if not text:
        return ()
    return tuple(text.splitlines())


_KIND_DOCS = {
    "Call": "Contains a variant per dispatchable extrinsic that this pallet has.",
    "Event": "The `Event` enum of this pallet",
    "Error": "The `Error` enum of this pallet.",
}


def _collect_events(cls: type[Pallet], name: str) -> tuple[EventDef, ...]:
    event_cls = cls.__dict__.get("Event")
    if event_cls is None:
        return ()
    defs = [v for v in event_cls.__dict__.values() if isinstance(v, EventDef)]
    for i, d in enumerate(defs):
        d.index = i
        d.pallet = cls
    event_cls.variants = tuple(defs)
    return tuple(defs)


def _collect_errors(cls: type[Pallet], name: str) -> tuple[type[ModuleError], ...]:
    error_cls = cls.__dict__.get("Error")
    if error_cls is None:
        return ()
    out: list[type[ModuleError]] = []
    for attr, doc in list(error_cls.__dict__.items()):
        if attr.startswith("_") or not isinstance(doc, str):
            continue
        exc = type(attr, (ModuleError,), {"pallet": cls, "index": len(out), "doc": doc,
                                          "__doc__": doc, "__module__": cls.__module__})
        exc.__qualname__ = f"{cls.__name__}.Error.{attr}"
        setattr(error_cls, attr, exc)
        out.append(exc)
    error_cls.variants = tuple(out)
    return tuple(out)


__all__ = ["Constant", "Pallet", "PalletEvent", "PalletSpec", "constant"]
