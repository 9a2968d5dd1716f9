"""Utility: batch / batch_all / force_batch semantics, as_derivative, dispatch_as, with_weight, weights."""

from __future__ import annotations

from typing import Any

import pytest

from pallets.system import System
from pallets.timestamp.tests.support import (
    ALICE,
    BOB,
    canon_ours,
    do,
    dump,
    encode,
    full_runtime,
    new_ext,
    ours,
)
from pallets.utility import OriginCaller, Utility, derivative_account_id
from pallets.utility import weights as w
from pallets.utility.pallet import BATCHED_CALLS_LIMIT
from runtime.primitives.hashing import blake2_256
from runtime.support import NONE, ROOT, BadOrigin, Signed, Weight
from runtime.support.testing import TestExt

OK = ("Ok", ())
SYSTEM_ERRORS: Any = System.Error
BAD_ORIGIN = ("BadOrigin", None)


@pytest.fixture
def ext() -> TestExt:
    """The full mock runtime."""
    return new_ext(full_runtime())


def stall(ext: TestExt, delay: int = 7) -> Any:
    """A root-only call with a visible effect (Grandpa.Stalled)."""
    return ext.runtime.make_call("Grandpa", "note_stalled", delay=delay, best_finalized_block_number=1)


def remark(ext: TestExt, text: bytes = b"hi") -> Any:
    """A signed-only call that emits System.Remarked."""
    return ext.runtime.make_call("System", "remark_with_event", remark=text)


def test_metadata_shape() -> None:
    new_ext(full_runtime())
    mine = ours(Utility)
    calls = mine["calls"][0][3]
    assert [(name, index) for name, index, _ in calls] == [
        ("batch", 0), ("as_derivative", 1), ("batch_all", 2), ("dispatch_as", 3), ("force_batch", 4), ("with_weight", 5)]
    assert calls[1][2] == (("index", "u16", "u16"), ("call", "Box<<T as Config>::RuntimeCall>", ("outer", "RuntimeCall")))
    assert calls[3][2][0] == ("as_origin", "Box<T::PalletsOrigin>", ("outer", "OriginCaller"))
    event = mine["event"][0]
    assert event[2] == ()  # `pub enum Event` has no type parameter
    assert [v[0] for v in event[3]] == ["BatchInterrupted", "BatchCompleted", "BatchCompletedWithErrors",
                                        "ItemCompleted", "ItemFailed", "DispatchedAs"]
    assert mine["event"][2][0] == ("Batch of dispatches did not complete fully. Index of first failing dispatch given, as",
                                   "well as the error.")
    assert mine["error"][0][3] == (("TooManyCalls", 0, ()),)
    assert mine["constants"] == [("batched_calls_limit", "u32", (10_922).to_bytes(4, "little"),
                                  ("The limit on the number of batched calls.",))]
    caller: Any = OriginCaller.target
    origin = canon_ours(caller.variants[0].fields[0].type)[0]
    assert origin[1] == ("frame_support", "dispatch", "RawOrigin"), dump(origin)


def test_batch_all_succeed(ext: TestExt) -> None:
    calls = [stall(ext, 1), stall(ext, 2)]
    actual = do(ext, ROOT, "Utility", "batch", calls=calls)
    assert ext.rt.Grandpa.Stalled.get() == (2, 1)
    assert ext.event_names() == ["Utility.ItemCompleted", "Utility.ItemCompleted", "Utility.BatchCompleted"]
    assert actual == w.batch(2) + Weight(2 * 103_000_000, 0)


def test_batch_interrupted_keeps_earlier_items_and_succeeds(ext: TestExt) -> None:
    calls = [remark(ext), stall(ext), remark(ext, b"never")]
    actual = do(ext, Signed(ALICE), "Utility", "batch", calls=calls)
    assert ext.event_names() == ["System.Remarked", "Utility.ItemCompleted", "Utility.BatchInterrupted"]
    assert ext.last_event() == Utility.Event.BatchInterrupted(index=1, error=BAD_ORIGIN)
    assert ext.last_event().encoded == b"\x00" + (1).to_bytes(4, "little") + b"\x02"
    assert ext.rt.Grandpa.Stalled.get() is None
    pre = System.spec.calls_by_name["remark_with_event"].weight_of({"remark": b"hi"}) + Weight(103_000_000, 0)
    assert actual == w.batch(2) + pre


def test_batch_all_is_atomic(ext: TestExt) -> None:
    with pytest.raises(BadOrigin):
        do(ext, Signed(ALICE), "Utility", "batch_all", calls=[remark(ext), stall(ext)])
    assert ext.events() == []
    do(ext, ROOT, "Utility", "batch_all", calls=[stall(ext, 3)])
    assert ext.event_names() == ["Utility.ItemCompleted", "Utility.BatchCompleted"]
    ext.clear_events()
    failing = ext.runtime.make_call("System", "apply_authorized_upgrade", code=b"x")
    with pytest.raises(SYSTEM_ERRORS.NothingAuthorized):
        do(ext, ROOT, "Utility", "batch_all", calls=[stall(ext, 9), failing])
    assert ext.rt.Grandpa.Stalled.get() == (3, 1)
    assert ext.events() == []


def test_force_batch_continues(ext: TestExt) -> None:
    actual = do(ext, Signed(ALICE), "Utility", "force_batch", calls=[stall(ext), remark(ext)])
    assert ext.event_names() == ["Utility.ItemFailed", "System.Remarked", "Utility.ItemCompleted",
                                 "Utility.BatchCompletedWithErrors"]
    assert ext.events()[0] == Utility.Event.ItemFailed(error=BAD_ORIGIN)
    pre = System.spec.calls_by_name["remark_with_event"].weight_of({"remark": b"hi"}) + Weight(103_000_000, 0)
    assert actual == w.batch(2) + pre  # FRAME charges batch(c), not force_batch(c), here
    ext.clear_events()
    do(ext, Signed(ALICE), "Utility", "force_batch", calls=[remark(ext)])
    assert ext.event_names()[-1] == "Utility.BatchCompleted"


@pytest.mark.parametrize("name", ["batch", "batch_all", "force_batch"])
def test_batches_reject_none_origin_and_too_many_calls(ext: TestExt, name: str) -> None:
    with pytest.raises(BadOrigin):
        do(ext, NONE, "Utility", name, calls=[])
    with pytest.raises(Utility.Error.TooManyCalls) as err:
        do(ext, Signed(ALICE), "Utility", name, calls=[remark(ext)] * (BATCHED_CALLS_LIMIT + 1))
    assert ext.rt.dispatch_error_value(err.value) == ("Module", {"index": 7, "error": b"\x00\x00\x00\x00"})
    assert ext.events() == []


def test_nested_batch_all_is_filtered_for_signed_origins(ext: TestExt) -> None:
    inner = ext.runtime.make_call("Utility", "batch_all", calls=[remark(ext)])
    with pytest.raises(SYSTEM_ERRORS.CallFiltered):
        do(ext, Signed(ALICE), "Utility", "batch_all", calls=[inner])
    via_batch = ext.runtime.make_call("Utility", "batch", calls=[inner])
    do(ext, Signed(ALICE), "Utility", "batch_all", calls=[via_batch])  # the filter rides along
    assert ext.events()[-3] == Utility.Event.BatchInterrupted(
        index=0, error=("Module", {"index": 0, "error": b"\x05\x00\x00\x00"}))
    ext.clear_events()
    do(ext, Signed(ALICE), "Utility", "batch", calls=[inner])  # plain batch adds no filter
    do(ext, ROOT, "Utility", "batch_all", calls=[ext.runtime.make_call("Utility", "batch_all", calls=[stall(ext)])])
    assert "Utility.BatchInterrupted" not in ext.event_names()


def test_as_derivative(ext: TestExt) -> None:
    pseudonym = blake2_256(b"modlpy/utilisuba" + ALICE + b"\x02\x00")
    assert derivative_account_id(ALICE, 2) == pseudonym == Utility.derivative_account_id(ALICE, 2)
    actual = do(ext, Signed(ALICE), "Utility", "as_derivative", index=2, call=remark(ext))
    assert ext.events()[0].fields["sender"] == pseudonym
    base = Weight(10_896_000 + 50_000_000 + 125_000_000, 3_997)
    assert actual == base + System.spec.calls_by_name["remark_with_event"].weight_of({"remark": b"hi"})
    with pytest.raises(BadOrigin):
        do(ext, ROOT, "Utility", "as_derivative", index=0, call=remark(ext))
    with pytest.raises(BadOrigin):  # the inner failure is the call's failure
        do(ext, Signed(ALICE), "Utility", "as_derivative", index=0, call=stall(ext))


def test_dispatch_as(ext: TestExt) -> None:
    do(ext, ROOT, "Utility", "dispatch_as", as_origin=("system", ("Signed", BOB)), call=remark(ext))
    assert ext.events()[0].fields["sender"] == BOB
    assert ext.last_event() == Utility.Event.DispatchedAs(result=OK)
    do(ext, ROOT, "Utility", "dispatch_as", as_origin=("system", ("None", None)), call=remark(ext))
    assert ext.last_event() == Utility.Event.DispatchedAs(result=("Err", BAD_ORIGIN))
    assert ext.last_event().encoded == b"\x05\x01\x02"
    do(ext, ROOT, "Utility", "dispatch_as", as_origin=("system", ("Root", None)), call=stall(ext))
    assert ext.rt.Grandpa.Stalled.get() == (7, 1)
    with pytest.raises(BadOrigin):
        do(ext, Signed(ALICE), "Utility", "dispatch_as", as_origin=("system", ("Root", None)), call=stall(ext))


def test_with_weight(ext: TestExt) -> None:
    weight = {"ref_time": 5, "proof_size": 6}
    do(ext, ROOT, "Utility", "with_weight", call=stall(ext), weight=weight)
    assert ext.rt.Grandpa.Stalled.get() == (7, 1)
    with pytest.raises(BadOrigin):
        do(ext, Signed(ALICE), "Utility", "with_weight", call=remark(ext), weight=weight)
    with pytest.raises(BadOrigin):  # root dispatching a signed-only call fails with the inner error
        do(ext, ROOT, "Utility", "with_weight", call=remark(ext), weight=weight)
    assert Utility.spec.calls_by_name["with_weight"].weight_of({"call": remark(ext), "weight": weight}) == Weight(5, 6)


def test_pre_dispatch_weights(ext: TestExt) -> None:
    calls = [stall(ext), stall(ext)]
    spec = Utility.spec.calls_by_name
    assert spec["batch"].weight_of({"calls": calls}) == Weight(19_388_813 + 2 * 4_591_113 + 50_000_000 + 206_000_000, 3_997)
    assert spec["batch_all"].weight_of({"calls": calls}) == w.batch_all(2) + Weight(206_000_000, 0)
    assert spec["force_batch"].weight_of({"calls": []}) == Weight(23_270_604 + 50_000_000, 3_997)
    assert spec["dispatch_as"].weight_of({"call": stall(ext)}) == Weight(6_985_000 + 103_000_000, 0)


def test_codec_round_trip(ext: TestExt) -> None:
    encoded = encode(ext, "Utility", "batch", calls=[stall(ext), remark(ext, b"")])
    assert encoded == b"\x07\x00\x08" + b"\x03\x02" + (7).to_bytes(4, "little") + (1).to_bytes(4, "little") + b"\x00\x07\x00"
    assert ext.runtime.decode_call_exact(encoded).args["calls"] == (stall(ext), remark(ext, b""))
    as_bob = encode(ext, "Utility", "dispatch_as", as_origin=("system", ("Signed", BOB)), call=remark(ext, b""))
    assert as_bob == b"\x07\x03\x00\x01" + BOB + b"\x00\x07\x00"
    assert ext.runtime.decode_call_exact(as_bob).args["as_origin"] == ("system", ("Signed", BOB))


def test_genesis_writes_storage_version(ext: TestExt) -> None:
    from runtime.primitives.hashing import twox_128

    ext.rt.Utility.genesis_build({})
    assert ext.commit() == {twox_128(b"Utility") + twox_128(b":__STORAGE_VERSION__:"): b"\x00\x00"}
