"""SCALE type objects: each one encodes, decodes strictly, and describes itself to the type registry.

A type object carries what scale-info records for the Rust type it stands for (path, generic params,
docs), so that one declaration feeds both the codec and the metadata. Anonymous shapes (Vec, Option,
Compact, tuples, arrays) compare structurally, so the registry stores each shape once; named types
(structs and enums with a path) compare by identity, which also lets recursive types (a call enum that
holds the outer RuntimeCall) be declared through `Lazy`.

Values: ints for integers, `bytes` for `Vec<u8>` and `[u8; N]`, `str` for strings, tuples for Vec,
arrays and tuples, `None`/value for Option, `dict` for structs (or a bound class), and for enums a
`(variant_name, payload)` pair where payload is None (unit), a dict (named fields), a single value
(one unnamed field) or a tuple (several unnamed fields). A bare `str` is accepted for unit variants.
"""

from __future__ import annotations

from typing import Any

from .base import Buf as Buf
from .base import ScaleType as ScaleType
from .composite import Array as Array
from .composite import CompactUnitType as CompactUnitType
from .composite import Enum as Enum
from .composite import Field as Field
from .composite import Lazy as Lazy
from .composite import OptionType as OptionType
from .composite import ResultType as ResultType
from .composite import Struct as Struct
from .composite import Tuple as Tuple
from .composite import Variant as Variant
from .composite import Vec as Vec
from .composite import field_list as field_list
from .primitive import U8 as U8
from .primitive import BoolType as BoolType
from .primitive import ByteArray as ByteArray
from .primitive import BytesType as BytesType
from .primitive import CompactType as CompactType
from .primitive import SInt as SInt
from .primitive import StrType as StrType
from .primitive import UInt as UInt

U16 = UInt(16)
U32 = UInt(32)
U64 = UInt(64)
U128 = UInt(128)
U256 = UInt(256)
I8 = SInt(8)
I16 = SInt(16)
I32 = SInt(32)
I64 = SInt(64)
I128 = SInt(128)
Bool = BoolType()
Str = StrType()
Bytes = BytesType()
Unit = Tuple(())


def Compact(inner: UInt) -> CompactType:  # noqa: N802 - reads like the Rust type
    """Compact<inner>."""
    return CompactType(inner)


def Option(inner: ScaleType[Any]) -> OptionType:  # noqa: N802
    """Option<inner>."""
    return OptionType(inner)


def Result(ok: ScaleType[Any], err: ScaleType[Any]) -> ResultType:  # noqa: N802
    """Result<ok, err>."""
    return ResultType(ok, err)
