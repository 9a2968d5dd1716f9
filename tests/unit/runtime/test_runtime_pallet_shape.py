"""The pallet framework's metadata shape knobs: `event_generic=False` (FRAME's non-generic `enum Event`), enum
docs from the nested Event/Error class docstring, variant docs without rustdoc's leading space, and per-field
event docs through `event(field=(type, name, docs))`."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.scale import U32, U64, TypeRegistry
from runtime.support import Pallet
from runtime.support.errors import Errors
from runtime.support.events import Events, event


class Plain(Pallet, name="Plain", rust_module="pallet_plain", event_generic=False):
    """A pallet whose events are not generic."""

    class Event(Events):
        """Event for the Plain pallet."""

        Happened = event("Something happened,\nover two lines.", who=(U32, "u32", "Who did it."), at=U64)

    class Error(Errors):
        """Error for the Plain pallet."""

        Broke: Any = "It broke.\nBadly."


class Defaults(Pallet, name="Defaults", rust_module="pallet_defaults", instanced=True):
    """A pallet relying on the macro's defaults."""

    class Event(Events):
        Done = event("Done.")

    class Error(Errors):
        Failed: Any = "Failed."


def test_non_generic_event_and_own_enum_docs() -> None:
    spec = Plain.spec
    assert spec.event_type is not None
    assert spec.error_type is not None
    assert spec.event_type.params == ()
    assert spec.error_type.params == (("T", None),)  # FRAME's Error<T> is always generic
    assert spec.event_type.docs == ("Event for the Plain pallet.",)
    assert spec.error_type.docs == ("Error for the Plain pallet.",)


def test_variant_and_field_docs() -> None:
    (happened,) = Plain.spec.event_type.variants  # type: ignore[union-attr]
    assert happened.docs == ("Something happened,", "over two lines.")
    assert [(f.name, f.type_name, f.docs) for f in happened.fields] == [("who", "u32", ("Who did it.",)),
                                                                        ("at", None, ())]
    (broke,) = Plain.spec.error_type.variants  # type: ignore[union-attr]
    assert broke.docs == ("It broke.", "Badly.")


def test_defaults_unchanged() -> None:
    spec = Defaults.spec
    assert spec.event_type is not None
    assert spec.error_type is not None
    assert spec.event_type.params == (("T", None), ("I", None))
    assert spec.error_type.params == (("T", None), ("I", None))
    assert spec.event_type.docs == ("The `Event` enum of this pallet",)
    assert spec.error_type.docs == ("The `Error` enum of this pallet.",)


def test_registry_carries_field_docs() -> None:
    """The per-field docs reach the PortableRegistry bytes (Field.docs is the last Vec<String> of a field)."""
    reg = TypeRegistry()
    reg.register(Plain.spec.event_type)  # type: ignore[arg-type]
    blob = reg.encode()
    assert b"\x2cWho did it." in blob  # Compact(11) ++ text
    assert b"Event for the Plain pallet." in blob


def test_event_field_spec_is_checked() -> None:
    with pytest.raises(TypeError, match="expected type"):
        event("x", bad=(U32, "u32", "doc", "extra"))  # type: ignore[arg-type]
