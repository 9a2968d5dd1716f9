"""Golden snapshot of our V14/V15 metadata (sha256 + size): any metadata change must be made on purpose.

Clients cache metadata by spec version (py-substrate-interface by specVersion, polkadot.js by
specName+specVersion), so a metadata change without a spec_version bump leaves them decoding with a
stale registry. When this test fails: bump `spec_version` in runtime/version.py if the change is
meant to ship, then rewrite the snapshot with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden/test_metadata_golden.py

and put a line in its `note` saying what changed. Also here: the V14 size target (≤ 48 KB) and the
build-time figure (printed, not asserted: it is a benchmark number).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from runtime.assembly import Assembly, build_assembly
from runtime.support.runtime import OuterCall, OuterEvent
from runtime.version import VERSION

SNAPSHOT = Path(__file__).parent / "fixtures" / "metadata_snapshot.json"
V14_SIZE_TARGET = 48 * 1024


def _current() -> dict[str, object]:
    a = build_assembly()
    v14, v15 = a.metadata_v14(), a.metadata_v15()
    return {
        "spec_version": VERSION.spec_version,
        "v14": {"sha256": hashlib.sha256(v14).hexdigest(), "size": len(v14)},
        "v15": {"sha256": hashlib.sha256(v15).hexdigest(), "size": len(v15)},
    }


def test_metadata_matches_snapshot() -> None:
    current = _current()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        old = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
        note = old.get("note", [])
        note.append(f"spec_version {current['spec_version']}: <say what changed>")
        SNAPSHOT.write_text(json.dumps({**current, "note": note}, indent=2) + "\n")
    snapshot = json.loads(SNAPSHOT.read_text())
    for version in ("v14", "v15"):
        assert current[version] == snapshot[version], (
            f"metadata {version} changed: bump spec_version (runtime/version.py) if this ships, then "
            "UPDATE_GOLDEN=1 pytest tests/golden/test_metadata_golden.py and describe the change in the note")
    assert snapshot["spec_version"] == current["spec_version"], "snapshot was taken at another spec_version"


def _measure(a: Assembly) -> tuple[bytes, bytes, float, float]:
    t0 = time.perf_counter()
    v14 = a.metadata_v14()
    t1 = time.perf_counter()
    v15 = a.metadata_v15()
    t2 = time.perf_counter()
    return v14, v15, (t1 - t0) * 1000, (t2 - t1) * 1000


def test_v14_size_and_build_time() -> None:
    """Issue 3's pallet set (System … Utility, indices 0-7) fits the stated V14 target of 48 KB; sizes and build
    times (fresh assembly: IR + V14, then V15) are printed for it and for the whole runtime."""
    full = build_assembly()
    saved = OuterCall.bound, OuterEvent.bound  # assembling a runtime rebinds the process-global outer enums
    try:
        core = Assembly([(i, p) for i, p in full.runtime.pallets if i <= 7])
        core_v14, core_v15, core_ms14, core_ms15 = _measure(core)
    finally:
        OuterCall.bound, OuterEvent.bound = saved
    v14, v15, ms14, ms15 = _measure(build_assembly())
    print(f"\nmetadata, issue-3 pallets: V14 {len(core_v14)} B in {core_ms14:.1f} ms (incl. IR), "
          f"V15 {len(core_v15)} B in {core_ms15:.1f} ms"
          f"\nmetadata, whole runtime ({len(full.runtime.pallets)} pallets): V14 {len(v14)} B in {ms14:.1f} ms, "
          f"V15 {len(v15)} B in {ms15:.1f} ms")
    assert [p.spec.name for _, p in core.runtime.pallets] == [
        "System", "Timestamp", "Aura", "Grandpa", "Balances", "TransactionPayment", "Sudo", "Utility"]
    assert len(core_v14) <= V14_SIZE_TARGET
    assert v14[:5] == core_v14[:5] == b"meta\x0e"
    assert v15[:5] == core_v15[:5] == b"meta\x0f"
