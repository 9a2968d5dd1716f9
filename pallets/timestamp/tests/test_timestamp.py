"""Timestamp: metadata against the reference chain, the `set` inherent, on_finalize, inherent checks."""

from __future__ import annotations

import pytest

from pallets.aura import InvalidSlot
from pallets.system import System
from pallets.timestamp import InherentError, InvalidTimestamp, Timestamp
from runtime.scale.compact import encode_compact
from runtime.support import NONE, ROOT, BadOrigin, DispatchClass, Runtime, Signed, Weight
from runtime.support.testing import TestExt

from .support import ALICE, dump, full_runtime, new_ext, ours, reference_pallet


@pytest.fixture
def ext() -> TestExt:
    """System + Timestamp only: no OnTimestampSet handler."""
    return new_ext(Runtime("test_runtime", [(0, System), (1, Timestamp)]))


def test_metadata_matches_reference() -> None:
    new_ext(full_runtime())
    mine, ref = ours(Timestamp), reference_pallet("Timestamp")
    for kind in ("storage", "constants", "calls", "event", "error"):
        assert mine[kind] == ref[kind], dump(mine[kind])


def test_set_stores_now_and_did_update(ext: TestExt) -> None:
    ext.call(NONE, "Timestamp", "set", now=1_700_000_000_000)
    assert ext.rt.Timestamp.now() == 1_700_000_000_000
    assert ext.rt.Timestamp.DidUpdate.get() is True
    assert ext.events() == []


def test_set_requires_none_origin(ext: TestExt) -> None:
    for origin in (ROOT, Signed(ALICE)):
        with pytest.raises(BadOrigin):
            ext.call(origin, "Timestamp", "set", now=5_000)
    assert ext.rt.Timestamp.Now.exists() is False


def test_second_set_in_a_block_is_invalid_and_rolled_back(ext: TestExt) -> None:
    ext.call(NONE, "Timestamp", "set", now=10_000)
    with pytest.raises(InvalidTimestamp, match="only once"):
        ext.call(NONE, "Timestamp", "set", now=20_000)
    assert ext.rt.Timestamp.now() == 10_000


def test_set_must_advance_by_minimum_period(ext: TestExt) -> None:
    ext.call(NONE, "Timestamp", "set", now=10_000)
    ext.rt.Timestamp.on_finalize(1)
    with pytest.raises(InvalidTimestamp, match="MinimumPeriod"):
        ext.call(NONE, "Timestamp", "set", now=12_999)
    assert ext.rt.Timestamp.now() == 10_000
    assert not ext.rt.Timestamp.DidUpdate.exists()
    ext.call(NONE, "Timestamp", "set", now=13_000)
    assert ext.rt.Timestamp.now() == 13_000


def test_first_set_may_be_any_time(ext: TestExt) -> None:
    ext.call(NONE, "Timestamp", "set", now=1)
    assert ext.rt.Timestamp.now() == 1


def test_on_finalize_requires_set_and_clears_flag(ext: TestExt) -> None:
    with pytest.raises(InvalidTimestamp, match="updated once"):
        ext.rt.Timestamp.on_finalize(1)
    ext.call(NONE, "Timestamp", "set", now=6_000)
    ext.rt.Timestamp.on_finalize(1)
    assert not ext.rt.Timestamp.DidUpdate.exists()


def test_weights_class_and_encoding(ext: TestExt) -> None:
    spec = Timestamp.spec.calls_by_name["set"]
    # reference chain payment_queryInfo: ref_time 158_684_000, proof_size 1_493, class Mandatory
    assert spec.weight_of({"now": 1}) == Weight(158_684_000, 1_493)
    assert spec.dispatch_class is DispatchClass.Mandatory
    assert ext.rt.Timestamp.on_initialize(1) == Weight(4_118_000, 0)
    encoded = ext.encoded_call("Timestamp", "set", now=1_700_000_000_000)
    assert encoded == b"\x01\x00" + encode_compact(1_700_000_000_000)
    assert len(encoded) == 9  # as substrate-interface composes it against the reference chain
    assert ext.runtime.decode_call_exact(encoded).args == {"now": 1_700_000_000_000}


def test_create_and_check_inherent(ext: TestExt) -> None:
    ts = ext.rt.Timestamp
    assert ts.create_inherent(50_000).args == {"now": 50_000}
    ext.call(NONE, "Timestamp", "set", now=50_000)
    ts.on_finalize(1)
    early = ts.create_inherent(51_000)
    assert early.args == {"now": 53_000}  # never earlier than Now + MinimumPeriod
    ts.check_inherent(early, 53_000)
    with pytest.raises(InherentError) as too_early:
        ts.check_inherent(ext.runtime.make_call("Timestamp", "set", now=52_999), 60_000)
    assert too_early.value.kind == "TooEarly"
    assert too_early.value.is_fatal
    with pytest.raises(InherentError) as future:
        ts.check_inherent(ext.runtime.make_call("Timestamp", "set", now=90_001), 60_000)
    assert future.value.kind == "TooFarInFuture"
    ts.check_inherent(ext.runtime.make_call("Timestamp", "set", now=90_000), 60_000)
    ts.check_inherent(ext.runtime.make_call("System", "remark", remark=b""), 0)  # other calls pass
    assert Timestamp.is_inherent(early)
    assert not Timestamp.is_inherent(ext.runtime.make_call("System", "remark", remark=b""))


def test_on_timestamp_set_reaches_aura() -> None:
    ext = new_ext(full_runtime())
    ext.rt.Aura.CurrentSlot.put({"0": 283_333_333})
    ext.call(NONE, "Timestamp", "set", now=283_333_333 * 6_000 + 5_999)
    assert ext.rt.Timestamp.now() == 283_333_333 * 6_000 + 5_999
    ext.rt.Timestamp.on_finalize(1)
    with pytest.raises(InvalidSlot, match="must match"):
        ext.call(NONE, "Timestamp", "set", now=283_333_334 * 6_000 + 3_000)
    assert ext.rt.Timestamp.now() == 283_333_333 * 6_000 + 5_999  # rolled back


def test_genesis_writes_storage_version() -> None:
    from .support import REFERENCE_GENESIS, under

    ext = new_ext(full_runtime())
    ext.rt.Timestamp.genesis_build({})
    assert under(ext.commit(), "Timestamp") == under(REFERENCE_GENESIS, "Timestamp")
