"""SCALE codec: type objects that encode, decode strictly and describe themselves to the type registry."""

from .compact import decode_compact as decode_compact
from .compact import encode_compact as encode_compact
from .errors import ScaleDecodeError as ScaleDecodeError
from .errors import ScaleEncodeError as ScaleEncodeError
from .errors import ScaleError as ScaleError
from .registry import TypeInfo as TypeInfo
from .registry import TypeRegistry as TypeRegistry
from .types import (
    I8 as I8,
    I16 as I16,
    I32 as I32,
    I64 as I64,
    I128 as I128,
    U8 as U8,
    U16 as U16,
    U32 as U32,
    U64 as U64,
    U128 as U128,
    U256 as U256,
    Array as Array,
    Bool as Bool,
    ByteArray as ByteArray,
    Bytes as Bytes,
    Compact as Compact,
    CompactType as CompactType,
    Enum as Enum,
    Field as Field,
    Lazy as Lazy,
    Option as Option,
    Result as Result,
    ScaleType as ScaleType,
    Str as Str,
    Struct as Struct,
    Tuple as Tuple,
    UInt as UInt,
    Unit as Unit,
    Variant as Variant,
    Vec as Vec,
)
