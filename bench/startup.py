"""Benchmark (issue 4): node start-up, process launch → first `system_chain` answer over WebSocket.

Run: `.venv/bin/python bench/startup.py [--runs 5]`.

Each run launches `python -m node --dev --tmp --no-prometheus` on a free port and polls (every 5 ms) a
WebSocket `system_chain` call until it answers. The ceiling measured in the same run is a bare
interpreter that imports the node's own dependencies (`trio`, `wsproto`, `orjson`, `sr25519`, `lmdb`):
the part of the start-up no node code can avoid. Target: ≤ 1.0 s (median).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Stats, noise_line  # noqa: E402
from _ws import NodeProcess  # noqa: E402

FLOOR_IMPORTS = "import trio, wsproto, orjson, sr25519, lmdb, xxhash"


def floor_seconds() -> float:
    """Wall time of a fresh interpreter that only imports the node's third-party dependencies."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR_IMPORTS], check=True)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print figures with ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    starts, floors = [], []
    for run in range(args.runs):
        floors.append(floor_seconds())
        with NodeProcess() as node:
            starts.append(node.ready_seconds)
        print(f"run {run + 1}: first system_chain answer after {starts[-1] * 1000:.0f} ms "
              f"(bare imports {floors[-1] * 1000:.0f} ms; {noise_line()})")
    start = Stats.of([s * 1000 for s in starts])
    floor = Stats.of([f * 1000 for f in floors])
    ratio = Stats.of([s / f for s, f in zip(starts, floors, strict=False)])
    print(f"\nstart-up → first system_chain: {start.fmt('ms')}")
    print(f"floor (interpreter + dependency imports): {floor.fmt('ms')}")
    print(f"ratio start-up ÷ floor: {ratio.fmt(digits=2)}")
    print(f"target ≤ 1,000 ms: {'met' if start.median <= 1000 else 'NOT met'}  ({noise_line()})")


if __name__ == "__main__":
    main()
