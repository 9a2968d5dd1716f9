"""Benchmark of the chain database: block import, state reads, reorg, and size of a 100k-account state.

Run: `.venv/bin/python bench/db_import.py [--blocks 100] [--keys 100000] [--changes 2000]`.

For sync=True and sync=False: a genesis with `--keys` accounts (32-byte key → 80-byte value), then
`--blocks` blocks each changing `--changes` random existing keys, one `commit_block` (one LMDB txn) each.
Reports ms per commit, µs per `state_get` at best and at an old block, `state_keys_paged` costs, a
10-deep reorg, and the RSS / on-disk size of the 100k-account database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.db import BlockCommit, ChainDB, GenesisCommit  # noqa: E402
from runtime.primitives.hashing import blake2_256  # noqa: E402
from runtime.primitives.header import Header  # noqa: E402

ZERO = b"\x00" * 32


def rss_mib(field: str = "VmRSS") -> float:
    """A resident-set figure of this process in MiB from /proc/self/status (VmRSS, RssAnon, RssFile)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def header(parent: bytes, number: int, salt: bytes = b"") -> bytes:
    """A real SCALE header."""
    root = blake2_256(number.to_bytes(4, "little") + salt)
    return Header(parent, number, root, root).encode()


def make_block(parent: bytes, number: int, changes: dict[bytes, bytes | None], salt: bytes = b"") -> BlockCommit:
    """A BlockCommit with one trie node."""
    head = header(parent, number, salt)
    return BlockCommit(
        hash=blake2_256(head), number=number, parent_hash=parent, header=head, body=(b"\x04xt",),
        state_changes=changes, trie_nodes={blake2_256(head + b"n"): head + b"n"},
    )


def time_reads(db: ChainDB, keys: list[bytes], at_number: int | None, rounds: int) -> float:
    """Mean µs per state_get over `rounds` random keys."""
    rng = random.Random(5)
    sample = [rng.choice(keys) for _ in range(rounds)]
    start = time.perf_counter()
    for key in sample:
        db.state_get(key, at_number=at_number)
    return (time.perf_counter() - start) / rounds * 1e6


def run(sync: bool, args: argparse.Namespace) -> None:
    """One full run at the given sync setting."""
    rng = random.Random(42)
    keys = sorted(rng.randbytes(32) for _ in range(args.keys))
    storage = {key: rng.randbytes(80) for key in keys}
    with tempfile.TemporaryDirectory(prefix="db-bench-") as tmp:
        rss0 = rss_mib()
        db = ChainDB.open(Path(tmp) / "db", sync=sync)
        start = time.perf_counter()
        parent = db.init_genesis(GenesisCommit(header=header(ZERO, 0), storage=storage))
        genesis_s = time.perf_counter() - start
        print(f"\n== sync={sync} ==")
        print(f"genesis with {args.keys} keys: {genesis_s * 1e3:.0f} ms, disk {db.disk_size() / 2**20:.1f} MiB, "
              f"RSS +{rss_mib() - rss0:.1f} MiB (python dict of the input included)")
        del storage
        commit_ms = []
        hashes = [parent]
        for number in range(1, args.blocks + 1):
            changes: dict[bytes, bytes | None] = {key: rng.randbytes(80) for key in rng.sample(keys, args.changes)}
            commit = make_block(parent, number, changes)
            start = time.perf_counter()
            db.commit_block(commit)
            commit_ms.append((time.perf_counter() - start) * 1e3)
            parent = commit.hash
            hashes.append(parent)
        commit_ms.sort()
        print(f"commit_block ({args.changes} changed keys): mean {statistics.mean(commit_ms):.1f} ms, "
              f"median {statistics.median(commit_ms):.1f} ms, p90 {commit_ms[int(len(commit_ms) * 0.9)]:.1f} ms")
        print(f"disk after {args.blocks} blocks: {db.disk_size() / 2**20:.1f} MiB")
        rounds = 50_000
        print(f"state_get at best:        {time_reads(db, keys, None, rounds):.2f} µs")
        print(f"state_get at block #1:    {time_reads(db, keys, 1, rounds):.2f} µs")
        print(f"state_get at block #{args.blocks // 2}:   {time_reads(db, keys, args.blocks // 2, rounds):.2f} µs")
        for at in (None, 1):
            start = time.perf_counter()
            page = db.state_keys_paged(b"", 1000, start_key=keys[len(keys) // 2], at_number=at)
            print(f"state_keys_paged 1000 keys at {'best' if at is None else '#1'}: "
                  f"{(time.perf_counter() - start) * 1e3:.2f} ms ({len(page)} keys)")
        depth = min(10, args.blocks)
        fork = make_block(hashes[-depth - 1], args.blocks - depth + 1, {keys[0]: b"fork"}, salt=b"fork")
        start = time.perf_counter()
        db.commit_block(fork)
        print(f"reorg undoing {depth} blocks ({depth * args.changes} key changes) + 1 new block: "
              f"{(time.perf_counter() - start) * 1e3:.1f} ms")
        start = time.perf_counter()
        db.set_best(hashes[-1])
        print(f"reorg back (undo 1, redo {depth}): {(time.perf_counter() - start) * 1e3:.1f} ms")
        db.close()


def memory_report(n_keys: int) -> None:
    """RSS and disk of a database holding `n_keys` accounts, built as genesis and as endowment blocks."""
    rng = random.Random(1)
    print(f"\n== memory: {n_keys} accounts (32-byte key, 80-byte value) ==")
    with tempfile.TemporaryDirectory(prefix="db-mem-") as tmp:
        anon0, file0 = rss_mib("RssAnon"), rss_mib("RssFile")
        db = ChainDB.open(Path(tmp) / "genesis", sync=False)
        db.init_genesis(GenesisCommit(header=header(ZERO, 0), storage={rng.randbytes(32): rng.randbytes(80)
                                                                      for _ in range(n_keys)}))
        print(f"as genesis: disk {db.disk_size() / 2**20:.1f} MiB (state + history #0); RSS after commit: "
              f"anon +{rss_mib('RssAnon') - anon0:.1f} MiB, mmap'd file +{rss_mib('RssFile') - file0:.1f} MiB")
        db.close()
        anon0, file0 = rss_mib("RssAnon"), rss_mib("RssFile")
        db = ChainDB.open(Path(tmp) / "blocks", sync=False)
        parent = db.init_genesis(GenesisCommit(header=header(ZERO, 0)))
        for number in range(1, n_keys // 10_000 + 1):  # endow in blocks of 10k random accounts
            changes: dict[bytes, bytes | None] = {rng.randbytes(32): rng.randbytes(80) for _ in range(10_000)}
            commit = make_block(parent, number, changes)
            db.commit_block(commit)
            parent = commit.hash
            del changes, commit
        written = rss_mib("RssAnon") - anon0, rss_mib("RssFile") - file0
        count = sum(1 for _ in db.state_iter_prefix(b""))
        print(f"as {n_keys // 10_000} blocks of 10k: disk {db.disk_size() / 2**20:.1f} MiB "
              f"(state + history + change sets, random-order B-tree fill); {count} keys in state")
        print(f"  RSS after writing: anon +{written[0]:.1f} MiB, mmap'd file +{written[1]:.1f} MiB; "
              f"after scanning all state: anon +{rss_mib('RssAnon') - anon0:.1f} MiB, "
              f"mmap'd file +{rss_mib('RssFile') - file0:.1f} MiB (file pages are page cache, evictable)")
        db.close()


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=100)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=2000)
    args = parser.parse_args()
    memory_report(args.keys)
    for sync in (False, True):
        run(sync, args)


if __name__ == "__main__":
    main()
