"""Storage items declared on a pallet: StorageValue, StorageMap, StorageDoubleMap.

Each descriptor learns its name from the class body and its pallet prefix when the pallet is
declared; the key is twox_128(pallet) ++ twox_128(item) ++ hasher(SCALE(key)) for each map key, as in
FRAME. On a pallet instance the descriptor yields an accessor bound to that instance's storage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from runtime.primitives.hashing import blake2_128, blake2_256, twox_64, twox_128, twox_256
from runtime.scale import ScaleType, Tuple
from runtime.scale.types import BoolType, ByteArray, BytesType, CompactType, StrType, UInt

_IMMUTABLE_TYPES = (UInt, CompactType, ByteArray, BytesType, BoolType, StrType)
"""Type objects whose decoded values (int, bytes, bool, str) are immutable and can be shared."""
_DECODED_CLASS = ((UInt, int), (CompactType, int), (ByteArray, bytes), (BytesType, bytes), (BoolType, bool),
                  (StrType, str))
"""The exact Python class each immutable type object decodes to: a stored value of that class is what its
encoding decodes back to, so `put` can tell the overlay's memo without a decode."""

if TYPE_CHECKING:
    from .overlay import Overlay

V = TypeVar("V")

_KEY_CACHE_SIZE = 8192
"""Entries kept per map by `StorageMap.key_of` before the memo is dropped and refilled."""


@dataclass(frozen=True)
class Hasher:
    """A storage hasher: its metadata index, function and how many hash bytes precede the raw key."""

    name: str
    index: int
    fn: Callable[[bytes], bytes]
    prefix_len: int  # bytes of hash before the concatenated key; -1 when the key is not recoverable

    def __call__(self, data: bytes) -> bytes:
        return self.fn(data)


Blake2_128 = Hasher("Blake2_128", 0, blake2_128, -1)
Blake2_256 = Hasher("Blake2_256", 1, blake2_256, -1)
Blake2_128Concat = Hasher("Blake2_128Concat", 2, lambda d: blake2_128(d) + d, 16)
Twox128 = Hasher("Twox128", 3, twox_128, -1)
Twox256 = Hasher("Twox256", 4, twox_256, -1)
Twox64Concat = Hasher("Twox64Concat", 5, lambda d: twox_64(d) + d, 8)
Identity = Hasher("Identity", 6, lambda d: d, 0)


class StorageItem(Generic[V]):
    """Common part of all storage descriptors: name, prefix, value type, default and docs."""

    kind = "plain"

    def __init__(self, value: ScaleType[V], *, default: V | None = None, doc: str = "") -> None:
        self.value_type = value
        self.default = default
        self.doc = doc
        self.name = ""
        self.prefix = b""
        self._default_bytes = b"" if default is None else value.encode(default)
        # decoded values that can be shared between readers are memoised by the overlay (get_decoded)
        self._immutable = isinstance(value, _IMMUTABLE_TYPES) and isinstance(default, (type(None), int, bytes, str))
        self._decoded_class: type | None = next((cls for ty, cls in _DECODED_CLASS if isinstance(value, ty)), None)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def bind_pallet(self, pallet_name: str) -> None:
        """Fix the storage prefix once the pallet's wire name is known."""
        self.prefix = twox_128(pallet_name.encode()) + twox_128(self.name.encode())

    @property
    def modifier(self) -> str:
        """'Default' when a default is declared (ValueQuery), else 'Optional' (OptionQuery)."""
        return "Optional" if self.default is None else "Default"

    def default_bytes(self) -> bytes:
        """The metadata `default` field: encoded default, or encoded None for Optional items."""
        return b"\x00" if self.default is None else self._default_bytes

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        bound = self._bind(instance.ext.storage)
        instance.__dict__[self.name] = bound
        return bound

    def _bind(self, storage: Overlay) -> Any:
        raise NotImplementedError

    def _decode(self, raw: bytes | None) -> Any:
        if raw is None:
            if self.default is not None and not isinstance(self.default, (int, bytes, str, tuple)):  # no shared mutables
                return self.value_type.decode(self._default_bytes)
            return self.default
        return self.value_type.decode(raw)


class StorageValue(StorageItem[V]):
    """A single value under twox_128(pallet) ++ twox_128(name)."""

    def _bind(self, storage: Overlay) -> BoundValue[V]:
        return BoundValue(self, storage)


class BoundValue(Generic[V]):
    """A StorageValue bound to one storage overlay."""

    __slots__ = ("item", "storage")

    def __init__(self, item: StorageValue[V], storage: Overlay) -> None:
        self.item = item
        self.storage = storage

    def get(self) -> Any:
        """The value, or the declared default (None for Optional items)."""
        item = self.item
        if item._immutable:
            return self.storage.get_decoded(item.prefix, item._decode)
        return item._decode(self.storage.get(item.prefix))

    def exists(self) -> bool:
        """True when a value is stored."""
        return self.storage.get(self.item.prefix) is not None

    def put(self, value: V) -> None:
        """Store `value`."""
        item = self.item
        if item._immutable and type(value) is item._decoded_class:  # what the bytes decode to: memoise it
            self.storage.set_decoded(item.prefix, item.value_type.encode(value), value)
            return
        self.storage.set(item.prefix, item.value_type.encode(value))

    def kill(self) -> None:
        """Remove the value."""
        self.storage.set(self.item.prefix, None)

    def take(self) -> Any:
        """Remove and return the value."""
        value = self.get()
        self.kill()
        return value

    def mutate(self, fn: Callable[[Any], V]) -> V:
        """Store fn(current value) and return it."""
        value = fn(self.get())
        self.put(value)
        return value


class StorageMap(StorageItem[V]):
    """A map K → V under prefix ++ hasher(SCALE(key))."""

    kind = "map"

    def __init__(self, hasher: Hasher, key: ScaleType[Any], value: ScaleType[V], *, default: V | None = None,
                 doc: str = "") -> None:
        super().__init__(value, default=default, doc=doc)
        self.hashers: tuple[Hasher, ...] = (hasher,)
        self.key_types: tuple[ScaleType[Any], ...] = (key,)
        self._key_cache: dict[bytes | int, bytes] = {}  # single-key maps: full key by bytes/int map key

    def bind_pallet(self, pallet_name: str) -> None:
        """Fix the storage prefix (and forget keys memoised under an earlier one)."""
        super().bind_pallet(pallet_name)
        self._key_cache.clear()

    @property
    def key_type(self) -> ScaleType[Any]:
        """The metadata key type: the key itself, or a tuple of keys for double maps."""
        return self.key_types[0] if len(self.key_types) == 1 else Tuple(self.key_types)

    def storage_key(self, *keys: Any) -> bytes:
        """The full storage key for `keys` (one per hasher; fewer gives an iteration prefix)."""
        if len(keys) == 1 and len(self.hashers) == 1:
            return self.key_of(keys[0])
        out = [self.prefix]
        for hasher, ty, key in zip(self.hashers, self.key_types, keys, strict=False):
            out.append(hasher.fn(ty.encode(key)))
        return b"".join(out)

    def key_of(self, key: Any) -> bytes:
        """The full storage key of a single-key map entry; memoised for `bytes` and `int` keys (bounded)."""
        kind = type(key)
        if kind is bytes or kind is int:  # exact types: equal values of other types may encode differently
            cache = self._key_cache
            full = cache.get(key)
            if full is None:
                full = self.prefix + self.hashers[0].fn(self.key_types[0].encode(key))
                if len(cache) >= _KEY_CACHE_SIZE:
                    cache.clear()
                cache[key] = full
            return full
        return self.prefix + self.hashers[0].fn(self.key_types[0].encode(key))

    def decode_keys(self, raw_key: bytes) -> tuple[Any, ...]:
        """Recover the map keys from a full storage key (concat hashers only)."""
        offset = len(self.prefix)
        keys = []
        for hasher, ty in zip(self.hashers, self.key_types, strict=True):
            if hasher.prefix_len < 0:
                raise TypeError(f"{self.name}: hasher {hasher.name} does not keep the key")
            key, offset = ty.decode_at(raw_key, offset + hasher.prefix_len)
            keys.append(key)
        return tuple(keys)

    def _bind(self, storage: Overlay) -> BoundMap[V]:
        return BoundMap(self, storage)


class StorageDoubleMap(StorageMap[V]):
    """A map (K1, K2) → V under prefix ++ hasher1(K1) ++ hasher2(K2)."""

    def __init__(self, hasher1: Hasher, key1: ScaleType[Any], hasher2: Hasher, key2: ScaleType[Any],
                 value: ScaleType[V], *, default: V | None = None, doc: str = "") -> None:
        super().__init__(hasher1, key1, value, default=default, doc=doc)
        self.hashers = (hasher1, hasher2)
        self.key_types = (key1, key2)


class BoundMap(Generic[V]):
    """A StorageMap (or double map) bound to one storage overlay; keys are passed positionally."""

    __slots__ = ("item", "storage")

    def __init__(self, item: StorageMap[V], storage: Overlay) -> None:
        self.item = item
        self.storage = storage

    def get(self, *keys: Any) -> Any:
        """The value at `keys`, or the default."""
        item = self.item
        key = item.key_of(keys[0]) if len(keys) == 1 and len(item.hashers) == 1 else item.storage_key(*keys)
        if item._immutable:
            return self.storage.get_decoded(key, item._decode)
        return item._decode(self.storage.get(key))

    def contains(self, *keys: Any) -> bool:
        """True when a value is stored at `keys`."""
        return self.storage.get(self.item.storage_key(*keys)) is not None

    def insert(self, *keys_and_value: Any) -> None:
        """Store the last argument at the preceding keys."""
        item = self.item
        if len(keys_and_value) == 2 and len(item.hashers) == 1:
            self.storage.set(item.key_of(keys_and_value[0]), item.value_type.encode(keys_and_value[1]))
            return
        *keys, value = keys_and_value
        self.storage.set(self.item.storage_key(*keys), self.item.value_type.encode(value))

    def remove(self, *keys: Any) -> None:
        """Delete the value at `keys`."""
        self.storage.set(self.item.storage_key(*keys), None)

    def take(self, *keys: Any) -> Any:
        """Remove and return the value at `keys`."""
        key = self.item.storage_key(*keys)
        value = self.item._decode(self.storage.get(key))
        self.storage.set(key, None)
        return value

    def mutate(self, *keys_and_fn: Any) -> Any:
        """Store fn(current) at the keys and return it."""
        *keys, fn = keys_and_fn
        key = self.item.storage_key(*keys)
        value = fn(self.item._decode(self.storage.get(key)))
        self.storage.set(key, self.item.value_type.encode(value))
        return value

    def iter(self, *prefix_keys: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """(keys, value) for every entry, optionally under the first key(s), in storage-key order."""
        prefix = self.item.storage_key(*prefix_keys)
        for raw_key, raw_value in self.storage.iter_prefix(prefix):
            yield self.item.decode_keys(raw_key), self.item.value_type.decode(raw_value)

    def clear(self, *prefix_keys: Any) -> int:
        """Delete every entry (under the given first key(s)); return how many were removed."""
        prefix = self.item.storage_key(*prefix_keys)
        keys = [k for k, _ in self.storage.iter_prefix(prefix)]
        for k in keys:
            self.storage.set(k, None)
        return len(keys)
