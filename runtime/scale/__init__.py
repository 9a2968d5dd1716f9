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
)
from .types import (
    I16 as I16,
)
from .types import (
    I32 as I32,
)
from .types import (
    I64 as I64,
)
from .types import (
    I128 as I128,
)
from .types import (
    U8 as U8,
)
from .types import (
    U16 as U16,
)
from .types import (
    U32 as U32,
)
from .types import (
    U64 as U64,
)
from .types import (
    U128 as U128,
)
from .types import (
    U256 as U256,
)
from .types import (
    Array as Array,
)
from .types import (
    Bool as Bool,
)
from .types import (
    ByteArray as ByteArray,
)
from .types import (
    Bytes as Bytes,
)
from .types import (
    Compact as Compact,
)
from .types import (
    CompactType as CompactType,
)
from .types import (
    Enum as Enum,
)
from .types import (
    Field as Field,
)
from .types import (
    Lazy as Lazy,
)
from .types import (
    Option as Option,
)
from .types import (
    Result as Result,
)
from .types import (
    ScaleType as ScaleType,
)
from .types import (
    Str as Str,
)
from .types import (
    Struct as Struct,
)
from .types import (
    Tuple as Tuple,
)
from .types import (
    UInt as UInt,
)
from .types import (
    Unit as Unit,
)
from .types import (
    Variant as Variant,
)
from .types import (
    Vec as Vec,
)
