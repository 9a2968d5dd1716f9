"""Annotated parameter types for `@call` signatures: the Python type for mypy, the SCALE type for the codec.

Each alias also names the Rust type as the metadata's `typeName`, so polkadot.js and scalecodec show
the same argument types they show for a FRAME runtime.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.primitives.types import H256, AccountId, MultiAddress
from runtime.scale import U8, U16, U32, U64, U128, Bool, Bytes, Compact

CompactBalance = Annotated[int, Compact(U128), "T::Balance"]
Balance = Annotated[int, U128, "T::Balance"]
AccountIdParam = Annotated[bytes, AccountId, "T::AccountId"]
AccountIdLookup = Annotated[Any, MultiAddress, "AccountIdLookupOf<T>"]
HashParam = Annotated[bytes, H256, "T::Hash"]
BytesParam = Annotated[bytes, Bytes, "Vec<u8>"]
BoolParam = Annotated[bool, Bool, "bool"]
U8Param = Annotated[int, U8, "u8"]
U16Param = Annotated[int, U16, "u16"]
U32Param = Annotated[int, U32, "u32"]
U64Param = Annotated[int, U64, "u64"]
CompactMoment = Annotated[int, Compact(U64), "T::Moment"]
