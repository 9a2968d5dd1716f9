"""Aura: metadata against the reference chain, genesis bytes, slot handling from the pre-runtime digest."""

from __future__ import annotations

import pytest

from pallets.aura import Aura, InvalidSlot, pre_digest
from pallets.timestamp.tests.support import (
    REFERENCE_GENESIS,
    dump,
    full_runtime,
    new_ext,
    ours,
    reference_pallet,
    under,
)
from runtime.primitives.account import ss58_encode
from runtime.support import Weight
from runtime.support.testing import TestExt

# the reference chain's three Aura authorities (sr25519), from its raw genesis
KEYS = [bytes.fromhex(h) for h in (
    "72a4fde8aeeab2fd90d577b588418eb0e175ef3f7984c10e11f887a2a158f07c",
    "96411bf7a592e11b8b86059fa7b2dc683d07b2217c650481198221bfc6ca3152",
    "045885cbad88ff2539e9371833ec3ca2bd114bfdfdd34c869798e32340c65727",
)]


@pytest.fixture
def ext() -> TestExt:
    """Full mock runtime with the reference authorities at genesis."""
    ext = new_ext(full_runtime())
    ext.rt.Aura.genesis_build({"authorities": [ss58_encode(KEYS[0]), "0x" + KEYS[1].hex(), ss58_encode(KEYS[2])]})
    return ext


def _digest(ext: TestExt, *logs: object) -> None:
    ext.rt.System.Digest.put({"logs": logs})


def test_metadata_matches_reference() -> None:
    new_ext(full_runtime())
    mine, ref = ours(Aura), reference_pallet("Aura")
    for kind in ("storage", "constants", "calls", "event", "error"):
        assert mine[kind] == ref[kind], dump(mine[kind])


def test_genesis_bytes_match_reference(ext: TestExt) -> None:
    assert ext.rt.Aura.authorities() == KEYS
    assert under(ext.commit(), "Aura") == under(REFERENCE_GENESIS, "Aura")


def test_genesis_twice_is_rejected(ext: TestExt) -> None:
    with pytest.raises(ValueError, match="already initialized"):
        ext.rt.Aura.genesis_build({"authorities": [KEYS[0]]})


def test_on_initialize_stores_the_digest_slot(ext: TestExt) -> None:
    _digest(ext, ("Other", b"x"), ("PreRuntime", (b"BABE", (9).to_bytes(8, "little"))), pre_digest(283_000_001))
    assert ext.rt.Aura.on_initialize(1) == Weight(150_000_000, 0)
    assert ext.rt.Aura.current_slot() == 283_000_001
    assert ext.rt.Aura.slot_author(283_000_001) == KEYS[283_000_001 % 3]


def test_slot_must_increase(ext: TestExt) -> None:
    _digest(ext, pre_digest(10))
    ext.rt.Aura.on_initialize(1)
    with pytest.raises(InvalidSlot, match="Slot must increase"):
        ext.rt.Aura.on_initialize(2)
    _digest(ext, pre_digest(9))
    with pytest.raises(InvalidSlot):
        ext.rt.Aura.on_initialize(2)
    _digest(ext, pre_digest(11))
    ext.rt.Aura.on_initialize(2)
    assert ext.rt.Aura.current_slot() == 11


def test_no_or_short_digest_leaves_slot(ext: TestExt) -> None:
    assert ext.rt.Aura.on_initialize(1) == Weight(25_000_000, 0)
    _digest(ext, ("PreRuntime", (b"aura", b"\x01\x02")))
    assert ext.rt.Aura.on_initialize(1) == Weight(25_000_000, 0)
    assert ext.rt.Aura.current_slot() == 0
    assert not ext.rt.Aura.CurrentSlot.exists()


def test_timestamp_must_fall_in_current_slot(ext: TestExt) -> None:
    _digest(ext, pre_digest(5))
    ext.rt.Aura.on_initialize(1)
    ext.rt.Aura.on_timestamp_set(5 * 6_000)
    ext.rt.Aura.on_timestamp_set(5 * 6_000 + 5_999)
    with pytest.raises(InvalidSlot):
        ext.rt.Aura.on_timestamp_set(6 * 6_000)


def test_api_without_authorities() -> None:
    ext = new_ext(full_runtime())
    assert ext.rt.Aura.authorities() == []
    assert ext.rt.Aura.slot_author(7) is None
    assert ext.rt.Aura.slot_duration() == 6_000
    ext.rt.Aura.genesis_build({})
    assert not ext.rt.Aura.Authorities.exists()
    with pytest.raises(ValueError, match="MaxAuthorities"):
        ext.rt.Aura.genesis_build({"authorities": [bytes([i]) * 32 for i in range(33)]})
