"""Keep Phala's error indices where its `Error` enum has deprecated `_Name` placeholders.

The framework's `Errors` collector skips attributes whose names start with `_` (framework gap,
reported), so `_InvalidMessage` (PhalaComputation index 1) or `_PoolIsBusy` (PhalaStakePoolv2 index
11) could not be declared and every later error would shift by one. `insert_reserved_errors` rebuilds
the pallet's frozen spec with those variants inserted at their Phala index.
"""

from __future__ import annotations

import dataclasses

from runtime.scale import Variant
from runtime.support import ModuleError, Pallet
from runtime.support.pallet import _enum, variant_docs


def insert_reserved_errors(pallet: type[Pallet], reserved: dict[int, tuple[str, str]]) -> None:
    """Insert `{index: (name, doc)}` placeholder errors and renumber the rest, as declared in Rust."""
    errors = list(pallet.spec.errors)
    for index in sorted(reserved):
        name, doc = reserved[index]
        exc = type(name, (ModuleError,), {"pallet": pallet, "index": index, "doc": doc, "__doc__": doc,
                                          "__module__": pallet.__module__})
        errors.insert(index, exc)
    for i, exc in enumerate(errors):
        exc.index = i
    variants = [Variant(e.__name__, e.index, (), variant_docs(e.doc)) for e in errors]
    old = pallet.spec.error_type
    params = old.params if old is not None else (("T", None),)
    error_type = _enum(pallet.spec.rust_module, "Error", variants, params, old.docs if old is not None else ())
    pallet.spec = dataclasses.replace(pallet.spec, errors=tuple(errors), error_type=error_type)
    pallet.Error.variants = tuple(errors)
