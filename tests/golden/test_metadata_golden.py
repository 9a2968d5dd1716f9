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

from runtime.assembly import build_assembly
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


def test_v14_size_and_build_time() -> None:
    """V14 within the stated 48 KB target; build time reported (fresh assembly, IR + V14 + V15)."""
    a = build_assembly()
    t0 = time.perf_counter()
    v14 = a.metadata_v14()
    t1 = time.perf_counter()
    v15 = a.metadata_v15()
    t2 = time.perf_counter()
    print(f"\nmetadata: V14 {len(v14)} bytes in {(t1 - t0) * 1000:.1f} ms (incl. IR), "
          f"V15 {len(v15)} bytes in {(t2 - t1) * 1000:.1f} ms")
    assert len(v14) <= V14_SIZE_TARGET
    assert v14[:5] == b"meta\x0e"
    assert v15[:5] == b"meta\x0f"
