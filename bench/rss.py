"""Benchmark (issue 4): node RSS with 100k endowed accounts minus an empty (dev) chain's, and genesis time.

Run: `.venv/bin/python bench/rss.py [--accounts 100000] [--runs 3]`.

Builds a chain spec (again before each run, since its `:code` identifies the runtime build, which other
work in the tree may change) with `python -m node build-spec --chain dev`, adds `--accounts` endowed accounts
(deterministic ids) to `genesis.runtimeGenesis.patch.balances.balances`, and writes it to a temporary JSON
file. Each run starts `python -m node --dev --tmp --chain <file>` and the plain `--dev` node, and reads
VmRSS once `system_chain` answers and after 1 s idle. Genesis time is measured two ways: node start →
first answer with the big spec minus the same for the dev spec, and in this process
(`build_genesis_storage` + trie root of the genesis storage).

Ceiling measured in the same run (a fresh interpreter): the RSS growth of a plain dict holding the
accounts' 48-byte System.Account keys → 80-byte AccountInfo values, the least any in-memory design
pays (performance.md: ~26.5 MiB for 100k). Target: ≤ 80 MiB more than the empty chain.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, Stats, noise_line, rss_kib  # noqa: E402
from _ws import NodeProcess  # noqa: E402

ENDOW = 10**15
DICT_FLOOR = """
import os, sys
def rss():
    for l in open('/proc/self/status'):
        if l.startswith('VmRSS:'): return int(l.split()[1])
from hashlib import blake2b
n = int(sys.argv[1])
keys = [blake2b(i.to_bytes(8, 'little'), digest_size=32).digest() for i in range(n)]
before = rss()
d = {b'\\x26' * 32 + blake2b(k, digest_size=16).digest() + k: bytes(80) for k in keys}
print(rss() - before)
"""


def account_ids(n: int) -> list[bytes]:
    """`n` deterministic 32-byte account ids."""
    from hashlib import blake2b

    return [blake2b(i.to_bytes(8, "little"), digest_size=32).digest() for i in range(n)]


def write_spec(n: int, path: Path) -> None:
    """The dev spec plus `n` endowed accounts, as JSON at `path`."""
    from runtime.primitives.account import ss58_encode

    out = subprocess.run([sys.executable, "-m", "node", "build-spec", "--chain", "dev"], cwd=REPO,
                         capture_output=True, check=True).stdout
    spec = json.loads(out)
    balances = spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"]
    balances.extend([ss58_encode(a), ENDOW] for a in account_ids(n))
    path.write_text(json.dumps(spec))


def in_process_genesis(path: Path) -> float:
    """Seconds to build the genesis storage and its trie root from the spec (fresh interpreter)."""
    code = ("import time, json, sys; sys.path.insert(0, '.');"
            "from runtime.assembly import build_assembly; from runtime.genesis import build_genesis_storage;"
            "from node.client.client import genesis_of; a = build_assembly();"
            f"patch = json.load(open({str(path)!r}))['genesis']['runtimeGenesis']['patch'];"
            "t = time.perf_counter(); s = build_genesis_storage(a, patch); genesis_of(s);"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, check=True, text=True)
    return float(out.stdout.strip())


def node_rss(*extra: str) -> tuple[float, float, float]:
    """(seconds to first answer, RSS MiB at that moment, RSS MiB after 1 s idle) of a fresh node."""
    with NodeProcess(*extra) as node:
        first = rss_kib(node.proc.pid) / 1024
        time.sleep(1.0)
        return node.ready_seconds, first, rss_kib(node.proc.pid) / 1024


def main() -> None:
    """Run the benchmark and print figures with ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as tmp:
        spec = Path(tmp) / f"dev-{args.accounts}.json"
        t = time.perf_counter()
        write_spec(args.accounts, spec)
        print(f"spec with {args.accounts:,} extra accounts: {spec.stat().st_size / 2**20:.1f} MiB JSON, "
              f"written in {time.perf_counter() - t:.1f} s")
        rows = []
        for run in range(args.runs):
            write_spec(args.accounts, spec)  # fresh each run: :code names the current runtime build
            floor = int(subprocess.run([sys.executable, "-c", DICT_FLOOR, str(args.accounts)], capture_output=True,
                                       check=True, text=True).stdout) / 1024
            empty = node_rss()
            big = node_rss("--chain", str(spec))
            gen = in_process_genesis(spec)
            rows.append((empty, big, floor, gen))
            print(f"run {run + 1}: empty {empty[2]:.1f} MiB (ready {empty[0]:.2f} s); {args.accounts:,} accounts "
                  f"{big[2]:.1f} MiB (ready {big[0]:.2f} s); delta {big[2] - empty[2]:.1f} MiB; dict floor "
                  f"{floor:.1f} MiB; in-process genesis {gen:.2f} s  ({noise_line()})")
    delta = Stats.of([b[2] - e[2] for e, b, _, _ in rows])
    delta_first = Stats.of([b[1] - e[1] for e, b, _, _ in rows])
    floor_s = Stats.of([f for _, _, f, _ in rows])
    print(f"\nRSS empty dev chain: {Stats.of([e[2] for e, _, _, _ in rows]).fmt('MiB', 1)}")
    print(f"RSS with {args.accounts:,} accounts: {Stats.of([b[2] for _, b, _, _ in rows]).fmt('MiB', 1)}")
    print(f"delta after 1 s idle: {delta.fmt('MiB', 1)}  (at first answer: {delta_first.fmt('MiB', 1)})")
    print(f"ceiling (dict of encoded keys → values): {floor_s.fmt('MiB', 1)}; "
          f"ratio delta ÷ floor {Stats.of([(b[2] - e[2]) / f for e, b, f, _ in rows]).fmt(digits=2)}")
    print(f"genesis: node ready {Stats.of([b[0] for _, b, _, _ in rows]).fmt('s', 2)} vs "
          f"{Stats.of([e[0] for e, _, _, _ in rows]).fmt('s', 2)} for dev; in-process build + trie root "
          f"{Stats.of([g for *_, g in rows]).fmt('s', 2)}")
    print(f"target delta ≤ 80 MiB: {'met' if delta.median <= 80 else 'NOT met'}  ({noise_line()})")


if __name__ == "__main__":
    main()
