"""Dispatchable calls: `@call(index=…, weight=…)` on a pallet method declares one variant of its Call enum.

The argument list is read from the method's type hints: every parameter after `origin` is annotated
`Annotated[<py type>, <ScaleType>, "<Rust type name>"]`, so mypy sees the Python type and the codec
sees the SCALE type. The docstring becomes the call's metadata docs.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runtime.scale import Field, ScaleType, Variant

from .weights import DispatchClass, DispatchInfo, Pays, Weight

WeightFn = Callable[[dict[str, Any]], Weight]


@dataclass(frozen=True)
class CallSpec:
    """Everything derived from one `@call` declaration."""

    name: str
    index: int
    fn: Callable[..., Any]
    args: tuple[Field, ...]
    py_names: tuple[str, ...]
    weight: Weight | WeightFn
    dispatch_class: DispatchClass
    pays: Pays
    docs: tuple[str, ...]
    static_info: DispatchInfo | None = field(init=False, compare=False, repr=False)
    """The call's DispatchInfo when its weight does not depend on the arguments (shared: it is immutable)."""
    _decoders: tuple[tuple[str, Callable[..., Any]], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        static = None if callable(self.weight) else DispatchInfo(self.weight, self.dispatch_class, self.pays)
        object.__setattr__(self, "static_info", static)
        object.__setattr__(self, "_decoders", tuple((n, f.type.decode_at)
                                                    for n, f in zip(self.py_names, self.args, strict=True)))

    def weight_of(self, args: dict[str, Any]) -> Weight:
        """The pre-dispatch weight for these arguments."""
        return self.weight(args) if callable(self.weight) else self.weight

    def variant(self) -> Variant:
        """The metadata variant of this call."""
        return Variant(self.name, self.index, self.args, self.docs)

    def decode_args(self, data: bytes | memoryview, offset: int) -> tuple[dict[str, Any], int]:
        """Decode the arguments at `offset` into a dict keyed by Python parameter name."""
        args: dict[str, Any] = {}
        for py_name, decode_at in self._decoders:
            args[py_name], offset = decode_at(data, offset)
        return args, offset

    def encode_args(self, args: dict[str, Any]) -> bytes:
        """Encode arguments given by Python parameter name."""
        return b"".join(f.type.encode(args[n]) for n, f in zip(self.py_names, self.args, strict=True))


def call(index: int, weight: Weight | WeightFn, *, dispatch_class: DispatchClass = DispatchClass.Normal,
         pays: Pays = Pays.Yes) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a pallet method as the dispatchable call with `index`."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__pallet_call__ = (index, weight, dispatch_class, pays)  # type: ignore[attr-defined]
        return fn

    return mark


def doc_lines(obj: Any) -> tuple[str, ...]:
    """A docstring as metadata docs: one entry per line, common indentation removed."""
    doc = inspect.getdoc(obj)
    return tuple(doc.splitlines()) if doc else ()


def build_call_spec(name: str, fn: Callable[..., Any]) -> CallSpec:
    """Read a marked method's signature into a CallSpec; TypeError when a parameter has no SCALE type."""
    index, weight, dispatch_class, pays = fn.__pallet_call__  # type: ignore[attr-defined]
    hints = typing.get_type_hints(fn, include_extras=True)
    params = list(inspect.signature(fn).parameters)
    if params[:2] != ["self", "origin"]:
        raise TypeError(f"call {name}: parameters must start with (self, origin)")
    fields = []
    for param in params[2:]:
        hint = hints.get(param)
        meta = getattr(hint, "__metadata__", ())
        scale = next((m for m in meta if isinstance(m, ScaleType)), None)
        if scale is None:
            raise TypeError(f"call {name}: parameter {param!r} has no SCALE type (use Annotated[..., Type])")
        type_name = next((m for m in meta if isinstance(m, str)), None)
        fields.append(Field(param.rstrip("_"), scale, type_name))
    return CallSpec(name, index, fn, tuple(fields), tuple(params[2:]), weight, dispatch_class, pays,
                    doc_lines(fn))
