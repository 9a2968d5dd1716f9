"""Local corrections to a frozen PalletSpec where the framework cannot yet say what FRAME emits.

`Pallet.__init_subclass__` always gives the Event and Error enums a `T` type parameter and one docs
entry per variant, and a fixed Error docstring. FRAME's metadata has no `T` on a non-generic
`enum Event` (Grandpa, Utility), one docs entry per source line, and the pallet's own Error doc
(Sudo). `refine_spec` rebuilds those enums; dispatch and event encoding are unaffected because they
read the EventDefs and CallSpecs, not these enums.
"""

from __future__ import annotations

import dataclasses

from runtime.scale import Enum, Variant
from runtime.support import Pallet


def _split(variants: tuple[Variant, ...]) -> tuple[Variant, ...]:
    return tuple(dataclasses.replace(v, docs=tuple(line for d in v.docs for line in d.split("\n")))
                 for v in variants)


def _rebuild(ty: Enum | None, params: tuple[tuple[str, None], ...] | None, docs: tuple[str, ...] | None) -> Enum | None:
    if ty is None:
        return None
    return Enum(ty.path, _split(ty.variants), ty.params if params is None else params,
                ty.docs if docs is None else docs)


def refine_spec(pallet: type[Pallet], *, event_generic: bool = True, error_docs: tuple[str, ...] | None = None) -> None:
    """Rebuild `pallet`'s Event/Error enums: multi-line docs split, optional no-`T` Event, own Error docs."""
    spec = pallet.spec
    pallet.spec = dataclasses.replace(
        spec,
        event_type=_rebuild(spec.event_type, None if event_generic else (), None),
        error_type=_rebuild(spec.error_type, None, error_docs),
    )
