"""Storage keys of our pallet declarations equal py-substrate-interface's (`StorageKey.create_from_storage_function`
with OUR metadata loaded offline into a RuntimeConfigurationObject) and the client-compat.md §9.1 vectors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chain_fixture import assembly
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset
from substrateinterface.storage import StorageKey

from runtime.assembly import Assembly
from runtime.primitives.types import AccountId
from runtime.scale import U32, U128
from runtime.support import Pallet
from runtime.support.runtime import OuterCall, OuterEvent
from runtime.support.storage import Blake2_128Concat, StorageDoubleMap, Twox64Concat

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")

# client-compat.md §9.1
VECTORS = {
    ("System", "Account", (ALICE,)):
        "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59f" + ALICE.hex(),
    ("System", "Events", ()): "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7",
    ("System", "Number", ()): "26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac",
    ("System", "BlockHash", (0,)):
        "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c118746b4def25cfda6ef3a00000000",
    ("System", "ParentHash", ()): "26aa394eea5630e07c48ae0c9558cef78a42f33323cb5ced3b44dd825fda9fcc",
    ("System", "Digest", ()): "26aa394eea5630e07c48ae0c9558cef799e7f93fc6a98f0874fd057f111c4d2d",
    ("Balances", "TotalIssuance", ()): "c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80",
    ("Balances", "Locks", ()): "c2261276cc9d1f8598ea4b6a74b15c2f218f26c73add634897550b4003b26bc6",
    ("Timestamp", "Now", ()): "f0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb",
    ("TransactionPayment", "NextFeeMultiplier", ()):
        "3f1467a096bcd71a5b6a0c8155e208103f2edf3bdf381debe331ab7446addfdc",
}


class KeyTest(Pallet, name="KeyTest", rust_module="pallet_key_test"):
    """A pallet with a double map, only for this test (the core pallets have none)."""

    Pairs = StorageDoubleMap(Blake2_128Concat, AccountId, Twox64Concat, U32, U128, default=0,
                             doc="Balance-like values per (account, id).")


def _scalecodec(metadata_v14: bytes) -> tuple[RuntimeConfigurationObject, Any]:
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core") or {})
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(metadata_v14))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata


@pytest.fixture(scope="module")
def oracle() -> tuple[RuntimeConfigurationObject, Any]:
    """scalecodec configured with our runtime's V14."""
    return _scalecodec(assembly().metadata_v14())


@pytest.fixture(scope="module")
def oracle_with_double_map() -> Iterator[tuple[RuntimeConfigurationObject, Any]]:
    """scalecodec configured with the V14 of our runtime plus KeyTest at index 250."""
    saved = OuterCall.bound, OuterEvent.bound  # assembling a runtime rebinds the process-global outer enums
    try:
        base = assembly()
        extended = Assembly([*base.runtime.pallets, (250, KeyTest)])
        yield _scalecodec(extended.metadata_v14())
    finally:
        OuterCall.bound, OuterEvent.bound = saved


def _ours(pallet: str, item: str, keys: tuple[Any, ...]) -> bytes:
    spec = assembly().runtime.by_name[pallet].spec
    (storage,) = [s for s in spec.storage if s.name == item]
    return storage.storage_key(*keys) if keys else storage.prefix  # type: ignore[attr-defined]


def _theirs(oracle: tuple[RuntimeConfigurationObject, Any], pallet: str, item: str, keys: tuple[Any, ...]) -> bytes:
    config, metadata = oracle
    params = ["0x" + k.hex() if isinstance(k, bytes) else k for k in keys]
    key = StorageKey.create_from_storage_function(pallet, item, params, runtime_config=config, metadata=metadata)
    return bytes(key.data)


@pytest.mark.parametrize(("pallet", "item", "keys"), list(VECTORS), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_keys_match_vectors_and_substrate_interface(pallet: str, item: str, keys: tuple[Any, ...],
                                                    oracle: tuple[RuntimeConfigurationObject, Any]) -> None:
    expected = bytes.fromhex(VECTORS[(pallet, item, keys)])
    assert _ours(pallet, item, keys) == expected
    if keys or item != "Locks":  # Locks is a map: the vector is its iteration prefix
        assert _theirs(oracle, pallet, item, keys) == expected


@pytest.mark.parametrize(("pallet", "item", "keys"), [
    ("System", "Account", (BOB,)),
    ("System", "BlockHash", (123_456,)),
    ("Balances", "Locks", (ALICE,)),
    ("Grandpa", "SetIdSession", (7,)),
    ("System", "EventTopics", (bytes(range(32)),)),
])
def test_map_keys_match_substrate_interface(pallet: str, item: str, keys: tuple[Any, ...],
                                            oracle: tuple[RuntimeConfigurationObject, Any]) -> None:
    assert _ours(pallet, item, keys) == _theirs(oracle, pallet, item, keys)


def test_double_map_key_matches_substrate_interface(
        oracle_with_double_map: tuple[RuntimeConfigurationObject, Any]) -> None:
    theirs = _theirs(oracle_with_double_map, "KeyTest", "Pairs", (ALICE, 42))
    ours = KeyTest.Pairs.storage_key(ALICE, 42)
    assert ours == theirs
    assert len(ours) == 32 + 16 + 32 + 8 + 4
    assert KeyTest.Pairs.decode_keys(ours) == (ALICE, 42)
