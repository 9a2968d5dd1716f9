"""Test helper: random SCALE type objects paired with their scalecodec 1.2.12 equivalents.

A `Case` holds one of our type objects, the scalecodec type string for the same Rust type (named structs,
enums and Result are registered in a shared scalecodec configuration under fresh names), a hypothesis
strategy for values in our convention, and two mappers: `enc` turns our value into scalecodec's input
form, `dec` into the form scalecodec's decoder returns.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from runtime.scale import (
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    U256,
    Array,
    Bool,
    ByteArray,
    Bytes,
    Compact,
    Enum,
    Field,
    Option,
    Result,
    ScaleType,
    Str,
    Struct,
    Tuple,
    Variant,
    Vec,
)

CONFIG = RuntimeConfigurationObject()
CONFIG.update_type_registry(load_type_registry_preset("core") or {})
_names = itertools.count()


def _register(definition: dict[str, Any] | str) -> str:
    name = f"PropType{next(_names)}"
    CONFIG.update_type_registry({"types": {name: definition}})
    return name


def their_encode(type_string: str, value: Any) -> bytes:
    """scalecodec's encoding of `value` as `type_string`."""
    return bytes(CONFIG.create_scale_object(type_string).encode(value).data)


def their_decode(type_string: str, data: bytes) -> Any:
    """scalecodec's decoding of `data` as `type_string` (all bytes must be consumed)."""
    return CONFIG.create_scale_object(type_string, data=ScaleBytes(data)).decode(check_remaining=True)


def _ident(v: Any) -> Any:
    return v


def _bytes_dec(v: bytes) -> str:
    try:
        return v.decode()
    except UnicodeDecodeError:
        return "0x" + v.hex()


@dataclass(frozen=True)
class Case:
    """One of our types, its scalecodec name, a value strategy and the value mappers."""

    ours: ScaleType[Any]
    theirs: str
    values: st.SearchStrategy[Any]
    enc: Callable[[Any], Any] = _ident
    dec: Callable[[Any], Any] = _ident

    def __repr__(self) -> str:
        return f"Case({self.ours.describe()} ~ {self.theirs})"


def _int_case(ty: ScaleType[int], name: str, lo: int, hi: int) -> Case:
    return Case(ty, name, st.integers(lo, hi))


LEAVES = [
    *[_int_case(t, f"u{b}", 0, (1 << b) - 1) for t, b in ((U8, 8), (U16, 16), (U32, 32), (U64, 64), (U128, 128),
                                                         (U256, 256))],
    *[_int_case(t, f"i{b}", -(1 << (b - 1)), (1 << (b - 1)) - 1)
      for t, b in ((I8, 8), (I16, 16), (I32, 32), (I64, 64), (I128, 128))],
    *[Case(Compact(t), f"Compact<u{b}>", st.integers(0, (1 << b) - 1))
      for t, b in ((U8, 8), (U16, 16), (U32, 32), (U64, 64), (U128, 128))],
    Case(Bool, "bool", st.booleans()),
    Case(Str, "Str", st.text(max_size=20)),
    Case(Bytes, "Bytes", st.binary(max_size=40), enc=lambda v: "0x" + v.hex(), dec=_bytes_dec),
    *[Case(ByteArray(n), f"[u8; {n}]", st.binary(min_size=n, max_size=n), enc=lambda v: "0x" + v.hex(),
           dec=lambda v: "0x" + v.hex()) for n in (1, 4, 32)],
]


def _is_u8(ty: ScaleType[Any]) -> bool:
    """u8, or a 1-tuple of such (scalecodec resolves both to u8 and then reads Vec/[_; n] of it as bytes)."""
    return ty == U8 or (isinstance(ty, Tuple) and len(ty.items) == 1 and _is_u8(ty.items[0]))


def _u8s(v: Any) -> bytes:
    return bytes(x if isinstance(x, int) else _u8s(x)[0] for x in v)


def _vec(c: Case) -> Case:
    if _is_u8(c.ours):  # scalecodec treats Vec<u8> as Bytes (also via an alias): text/hex values
        return Case(Vec(c.ours), "Vec<u8>", st.lists(c.values, max_size=4).map(tuple),
                    enc=lambda v: "0x" + _u8s(v).hex(), dec=lambda v: _bytes_dec(_u8s(v)))
    return Case(Vec(c.ours), f"Vec<{c.theirs}>",
                st.lists(c.values, max_size=4).map(tuple),
                enc=lambda v: [c.enc(x) for x in v], dec=lambda v: [c.dec(x) for x in v])


def _array(c: Case, n: int) -> Case:
    alias = _register(c.theirs)  # scalecodec parses `[T; n]` only for a plain type name T
    if _is_u8(c.ours):
        return Case(Array(c.ours, n), f"[u8; {n}]", st.lists(c.values, min_size=n, max_size=n).map(tuple),
                    enc=lambda v: "0x" + _u8s(v).hex(), dec=lambda v: "0x" + _u8s(v).hex())
    return Case(Array(c.ours, n), f"[{alias}; {n}]", st.lists(c.values, min_size=n, max_size=n).map(tuple),
                enc=lambda v: [c.enc(x) for x in v], dec=lambda v: [c.dec(x) for x in v])


def _tuple(cs: list[Case]) -> Case:
    if len(cs) == 1:  # (T,) has T's wire format; scalecodec parses "(T)" inconsistently, so compare with T
        (c,) = cs
        return Case(Tuple((c.ours,)), c.theirs, st.tuples(c.values),
                    enc=lambda v: c.enc(v[0]), dec=lambda v: c.dec(v[0]))
    return Case(Tuple(tuple(c.ours for c in cs)), "(" + ", ".join(c.theirs for c in cs) + ")",
                st.tuples(*(c.values for c in cs)),
                enc=lambda v: tuple(c.enc(x) for c, x in zip(cs, v, strict=True)),
                dec=lambda v: tuple(c.dec(x) for c, x in zip(cs, v, strict=True)))


def _option(c: Case) -> Case:
    return Case(Option(c.ours), f"Option<{c.theirs}>", st.none() | c.values,
                enc=lambda v: None if v is None else c.enc(v), dec=lambda v: None if v is None else c.dec(v))


def _result(ok: Case, err: Case) -> Case:
    name = _register({"type": "enum", "type_mapping": [["Ok", ok.theirs], ["Err", err.theirs]]})
    return Case(Result(ok.ours, err.ours), name,
                st.tuples(st.just("Ok"), ok.values) | st.tuples(st.just("Err"), err.values),
                enc=lambda v: {v[0]: (ok if v[0] == "Ok" else err).enc(v[1])},
                dec=lambda v: {v[0]: (ok if v[0] == "Ok" else err).dec(v[1])})


def _struct(cs: list[Case]) -> Case:
    names = [f"f{i}" for i in range(len(cs))]
    name = _register({"type": "struct", "type_mapping": [[n, c.theirs] for n, c in zip(names, cs, strict=True)]})
    ours = Struct(("prop", name), tuple(Field(n, c.ours) for n, c in zip(names, cs, strict=True)))
    return Case(ours, name, st.fixed_dictionaries({n: c.values for n, c in zip(names, cs, strict=True)}),
                enc=lambda v: {n: c.enc(v[n]) for n, c in zip(names, cs, strict=True)},
                dec=lambda v: {n: c.dec(v[n]) for n, c in zip(names, cs, strict=True)})


def _enum(cs: list[Case]) -> Case:
    """Variant 0 is a unit, variant i+1 wraps cs[i] as one unnamed field (indices consecutive, as scalecodec)."""
    name = _register({"type": "enum", "type_mapping": [["V0", "Null"]] + [[f"V{i + 1}", c.theirs]
                                                                            for i, c in enumerate(cs)]})
    variants = (Variant("V0", 0),) + tuple(Variant(f"V{i + 1}", i + 1, (Field(None, c.ours),))
                                           for i, c in enumerate(cs))
    by_name = {f"V{i + 1}": c for i, c in enumerate(cs)}
    values = st.just(("V0", None)) | st.one_of(*(st.tuples(st.just(n), c.values) for n, c in by_name.items()))

    def enc(v: Any) -> Any:
        return "V0" if v[0] == "V0" else {v[0]: by_name[v[0]].enc(v[1])}

    def dec(v: Any) -> Any:
        return "V0" if v[0] == "V0" else {v[0]: by_name[v[0]].dec(v[1])}

    return Case(Enum(("prop", name), variants), name, values, enc=enc, dec=dec)


def _named(c: Case) -> Case:
    """The same case under a fresh plain scalecodec name (its parser is unreliable on nested type strings)."""
    if c.theirs.startswith("PropType"):
        return c
    return Case(c.ours, _register(c.theirs), c.values, c.enc, c.dec)


def _extend(children: st.SearchStrategy[Case]) -> st.SearchStrategy[Case]:
    children = children.map(_named)
    some = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        children.map(_vec),
        st.tuples(children, st.integers(1, 3)).map(lambda a: _array(*a)),
        some.map(_tuple),
        children.filter(lambda c: not c.theirs.startswith("Option<")).map(_option),
        st.tuples(children, children).map(lambda a: _result(*a)),
        some.map(_struct),
        some.map(_enum),
    )


CASES: st.SearchStrategy[Case] = st.recursive(st.sampled_from(LEAVES), _extend, max_leaves=6)
