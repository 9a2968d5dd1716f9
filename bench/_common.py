"""Shared helpers of the benchmarks: CPU pinning, load average, run statistics, pre-signed transfers.

Every benchmark reports the median, min and max over several runs and a ratio to a ceiling measured in
the same run, because the machine is shared and noisy; `noise_line()` records the load average so a
reader can judge each figure.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEV_NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")
TWELVE = DEV_NAMES + tuple(f"{n}//stash" for n in DEV_NAMES)


def pin(cpu: int) -> None:
    """Pin this process to one CPU (ignored where affinity is unavailable)."""
    try:
        os.sched_setaffinity(0, {cpu % (os.cpu_count() or 1)})
    except (AttributeError, OSError):
        pass


def noise_line() -> str:
    """The 1/5/15-minute load averages and the CPU count, to print beside the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


@dataclass(frozen=True)
class Stats:
    """Median, min and max of a series of run figures."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        """Statistics of a non-empty series."""
        return cls(statistics.median(values), min(values), max(values), len(values))

    def fmt(self, unit: str = "", digits: int = 0) -> str:
        """`median (min–max, n runs) unit`."""
        return (f"{self.median:,.{digits}f} {unit} (min {self.low:,.{digits}f}, max {self.high:,.{digits}f}, "
                f"{self.runs} runs)").replace("  ", " ")


def rss_kib(pid: int | str = "self") -> int:
    """VmRSS of a process in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def transfer_call(dest: bytes, value: int) -> bytes:
    """SCALE of `Balances.transfer_keep_alive(MultiAddress::Id(dest), Compact(value))` at index (4, 3)."""
    from runtime.scale.compact import encode_compact

    return bytes((4, 3, 0)) + dest + encode_compact(value)


def presign_transfers(names: Sequence[str], count: int, genesis_hash: bytes, *, first_nonce: int = 0,
                      value: int = 10**12, spec_version: int = 100, tx_version: int = 1) -> list[bytes]:
    """`count` signed immortal transfers round-robin over `names`; each pays the next sender in the list."""
    from runtime.primitives.extrinsic import sign_extrinsic
    from runtime.primitives.keyring import dev_keypair

    keys = [dev_keypair(n) for n in names]
    calls = [transfer_call(keys[(i + 1) % len(keys)].account_id, value) for i in range(len(keys))]
    out = []
    for i in range(count):
        k = i % len(keys)
        out.append(sign_extrinsic(keys[k], calls[k], nonce=first_nonce + i // len(keys),
                                  spec_version=spec_version, tx_version=tx_version, genesis_hash=genesis_hash))
    return out
