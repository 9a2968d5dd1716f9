"""Grandpa: metadata and genesis against the reference chain, calls, scheduled transitions, digest logs."""

from __future__ import annotations

import pytest

from pallets.grandpa import GRANDPA_ENGINE_ID, Grandpa
from pallets.grandpa.types import ConsensusLog
from pallets.timestamp.tests.support import (
    ALICE,
    REFERENCE_GENESIS,
    dump,
    full_runtime,
    new_ext,
    ours,
    reference_pallet,
    under,
)
from runtime.scale import ScaleDecodeError
from runtime.support import NONE, ROOT, BadOrigin, Signed, Weight
from runtime.support.testing import TestExt

KEYS = [bytes.fromhex(h) for h in (
    "4e558158a2afd092c7f655c2d63d210a36902ae76f7b124a44720f28063521c5",
    "7935ec050ad8b02d103bb0e7c30a60da0d93aa14baf119255f8c95a8310cb71f",
    "4b9667a0603960b40d17590c29ecc28bbc46614ba1246db45d2bd3b8b0852f5f",
)]
NEW_SET = [(bytes([9]) * 32, 1), (bytes([8]) * 32, 2)]


@pytest.fixture
def ext() -> TestExt:
    """Full mock runtime at block 1 with the reference GRANDPA authorities."""
    ext = new_ext(full_runtime())
    ext.rt.Grandpa.genesis_build({"authorities": ["0x" + KEYS[0].hex(), ["0x" + KEYS[1].hex(), 1], KEYS[2]]})
    ext.rt.System.Number.put(1)
    return ext


def _proof() -> dict[str, object]:
    vote = {"target_hash": bytes(32), "target_number": 1}
    side = (vote, bytes(64))
    return {"set_id": 0, "equivocation": ("Prevote", {"round_number": 1, "identity": KEYS[0],
                                                      "first": side, "second": side})}


def _logs(ext: TestExt) -> list[object]:
    return [ConsensusLog.decode(data) for kind, (engine, data) in ext.rt.System.Digest.get()["logs"]
            if kind == "Consensus" and engine == GRANDPA_ENGINE_ID]


def test_metadata_matches_reference() -> None:
    new_ext(full_runtime())
    mine, ref = ours(Grandpa), reference_pallet("Grandpa")
    for kind in ("storage", "constants", "calls", "event", "error"):
        assert mine[kind] == ref[kind], dump(mine[kind])


def test_genesis_bytes_match_reference(ext: TestExt) -> None:
    assert ext.rt.Grandpa.authorities() == [(k, 1) for k in KEYS]
    assert ext.rt.Grandpa.current_set_id() == 0
    ext.rt.System.Number.kill()
    assert under(ext.commit(), "Grandpa") == under(REFERENCE_GENESIS, "Grandpa")


def test_note_stalled_is_root_only(ext: TestExt) -> None:
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "Grandpa", "note_stalled", delay=1000, best_finalized_block_number=5)
    assert ext.rt.Grandpa.Stalled.get() is None
    ext.call(ROOT, "Grandpa", "note_stalled", delay=1000, best_finalized_block_number=5)
    assert ext.rt.Grandpa.Stalled.get() == (1000, 5)
    assert ext.events() == []


def test_equivocation_reports_fail_as_invalid_proofs(ext: TestExt) -> None:
    with pytest.raises(Grandpa.Error.InvalidEquivocationProof) as err:
        ext.call(Signed(ALICE), "Grandpa", "report_equivocation", equivocation_proof=_proof(), key_owner_proof=None)
    assert ext.rt.dispatch_error_value(err.value) == ("Module", {"index": 3, "error": b"\x05\x00\x00\x00"})
    with pytest.raises(Grandpa.Error.InvalidEquivocationProof):
        ext.call(NONE, "Grandpa", "report_equivocation_unsigned", equivocation_proof=_proof(), key_owner_proof=None)
    with pytest.raises(BadOrigin):
        ext.call(NONE, "Grandpa", "report_equivocation", equivocation_proof=_proof(), key_owner_proof=None)
    with pytest.raises(BadOrigin):
        ext.call(Signed(ALICE), "Grandpa", "report_equivocation_unsigned", equivocation_proof=_proof(),
                 key_owner_proof=None)


def test_report_calls_cannot_be_decoded(ext: TestExt) -> None:
    spec = Grandpa.spec.calls_by_name["report_equivocation"]
    proof = spec.args[0].type.encode(_proof())
    with pytest.raises(ScaleDecodeError, match="Void"):  # KeyOwnerProof = sp_core::Void has no values
        ext.runtime.decode_call_exact(b"\x03\x00" + proof + b"\x00")


def test_weights() -> None:
    assert Grandpa.spec.calls_by_name["note_stalled"].weight_of({}) == Weight(103_000_000, 0)  # reference chain
    for name in ("report_equivocation", "report_equivocation_unsigned"):
        assert Grandpa.spec.calls_by_name[name].weight_of({}) == Weight(1_782_500_000, 0)


def test_pause_then_resume(ext: TestExt) -> None:
    g = ext.rt.Grandpa
    g.schedule_pause(2)
    with pytest.raises(Grandpa.Error.PauseFailed):
        g.schedule_pause(1)
    with pytest.raises(Grandpa.Error.ResumeFailed):
        g.schedule_resume(1)
    g.on_finalize(1)
    assert _logs(ext) == [("Pause", 2)]
    assert ext.events() == []
    g.on_finalize(2)
    assert g.State.get() == ("PendingPause", {"scheduled_at": 1, "delay": 2})
    g.on_finalize(3)
    assert g.State.get() == ("Paused", None)
    assert ext.event_names() == ["Grandpa.Paused"]
    ext.rt.System.Number.put(4)
    g.schedule_resume(0)
    g.on_finalize(4)
    assert g.State.get() == ("Live", None)
    assert _logs(ext)[-1] == ("Resume", 0)
    assert ext.event_names() == ["Grandpa.Paused", "Grandpa.Resumed"]


def test_scheduled_change_is_signalled_then_enacted(ext: TestExt) -> None:
    g = ext.rt.Grandpa
    g.schedule_change(NEW_SET, 3)
    with pytest.raises(Grandpa.Error.ChangePending):
        g.schedule_change(NEW_SET, 3)
    g.on_finalize(1)
    assert _logs(ext) == [("ScheduledChange", {"next_authorities": tuple(NEW_SET), "delay": 3})]
    g.on_finalize(2)
    assert g.authorities() == [(k, 1) for k in KEYS]
    g.on_finalize(4)
    assert g.authorities() == NEW_SET
    assert g.PendingChange.get() is None
    assert ext.last_event() == Grandpa.Event.NewAuthorities(authority_set=tuple(NEW_SET))
    assert ext.last_event().encoded == b"\x00" + g.Authorities.item.value_type.encode({"0": tuple(NEW_SET)})


def test_forced_change_and_too_soon(ext: TestExt) -> None:
    g = ext.rt.Grandpa
    g.schedule_change(NEW_SET, 5, forced=0)
    assert g.NextForced.get() == 11
    g.on_finalize(1)
    assert _logs(ext) == [("ForcedChange", (0, {"next_authorities": tuple(NEW_SET), "delay": 5}))]
    g.on_finalize(6)
    ext.rt.System.Number.put(10)
    with pytest.raises(Grandpa.Error.TooSoon):
        g.schedule_change(NEW_SET, 1, forced=9)
    ext.rt.System.Number.put(11)
    g.schedule_change(NEW_SET, 1, forced=9)
    assert g.NextForced.get() == 13
