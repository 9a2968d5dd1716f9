"""Benchmark of the transaction pool: pipelined submission, ready() drain, block maintenance.

Run: `.venv/bin/python bench/txpool.py [--txs 5000] [--senders 6] [--rounds 5]`.

A fake validator computes the runtime's nonce tags (provides (who, n), requires (who, n-1) above the
on-chain nonce) so the figures are the pool's own cost, not signature checks. Phases, each the median of
`--rounds` fresh pools:
  submit (in order)  — `--txs` extrinsics round-robin over `--senders` accounts, nonces ascending;
  submit (shuffled)  — same set in random order (future queue + promotions; future limit raised);
  submit_and_watch   — in order, one status stream each;
  drain ready()      — iterate the BestIterator over the full ready queue;
  block import       — include the first half, prune + revalidate the rest at the new head.
Target: the pool must not be the bottleneck at >= 20,000 submissions/s (<= 50 µs per submission).
"""

from __future__ import annotations

import argparse
import random
import statistics
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.txpool import Limit, Pool, PoolOptions  # noqa: E402
from runtime.validity import InvalidKind, InvalidTransaction, ValidTransaction  # noqa: E402


class FakeRuntime:
    """On-chain nonces and a validator returning the runtime's nonce tags."""

    def __init__(self) -> None:
        self.nonces: dict[bytes, int] = {}

    def validate(self, xt: bytes, at_number: int) -> ValidTransaction:
        """Tags as CheckNonce computes them; stale nonces are invalid."""
        who = xt[2:34]
        (nonce,) = struct.unpack_from("<I", xt, 34)
        onchain = self.nonces.get(who, 0)
        if nonce < onchain:
            raise InvalidTransaction(InvalidKind.Stale)
        provides = (who + xt[34:38],)
        requires = (who + struct.pack("<I", nonce - 1),) if nonce > onchain else ()
        return ValidTransaction(priority=0, requires=requires, provides=provides)


def make_txs(count: int, senders: int) -> list[bytes]:
    """`count` ~145-byte extrinsics round-robin over `senders` accounts with consecutive nonces."""
    accounts = [bytes([i + 1]) * 32 for i in range(senders)]
    return [b"\x45\x02" + accounts[i % senders] + struct.pack("<I", i // senders) + bytes(107) for i in range(count)]


def timed(fn: Callable[[], object]) -> float:
    """Seconds taken by `fn()`."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_round(txs: list[bytes], shuffled: list[bytes]) -> dict[str, float]:
    """One fresh pool per phase; returns seconds per phase."""
    big = PoolOptions(ready=Limit(100_000, 1 << 30), future=Limit(100_000, 1 << 30))
    out: dict[str, float] = {}

    rt = FakeRuntime()
    pool = Pool(rt.validate, options=big)
    out["submit (in order)"] = timed(lambda: [pool.submit(x, at_number=1) for x in txs])
    out["drain ready()"] = timed(lambda: sum(1 for _ in pool.ready()))
    assert pool.status().ready == len(txs)

    half = txs[: len(txs) // 2]

    def import_block() -> None:
        for x in half:
            who = x[2:34]
            rt.nonces[who] = max(rt.nonces.get(who, 0), struct.unpack_from("<I", x, 34)[0] + 1)
        pool.on_block_imported(half, at_number=2, block_hash=b"\x02" * 32)

    out["block import (half)"] = timed(import_block)
    assert pool.status().ready == len(txs) - len(half)

    pool2 = Pool(FakeRuntime().validate, options=big)
    out["submit (shuffled)"] = timed(lambda: [pool2.submit(x, at_number=1) for x in shuffled])
    assert pool2.status().ready == len(txs)

    pool3 = Pool(FakeRuntime().validate, options=big)
    out["submit_and_watch"] = timed(lambda: [pool3.submit_and_watch(x, at_number=1) for x in txs])

    rt4 = FakeRuntime()
    out["validator alone"] = timed(lambda: [rt4.validate(x, 1) for x in txs])
    return out


def main() -> None:
    """Parse arguments, run the rounds, print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--txs", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    txs = make_txs(args.txs, args.senders)
    shuffled = txs[:]
    random.Random(1).shuffle(shuffled)
    rounds = [run_round(txs, shuffled) for _ in range(args.rounds)]
    print(f"txpool bench: {args.txs} txs, {args.senders} senders, median of {args.rounds} rounds")
    print(f"{'phase':<22}{'total ms':>10}{'µs/tx':>10}{'tx/s':>12}")
    for phase in rounds[0]:
        secs = statistics.median(r[phase] for r in rounds)
        n = args.txs // 2 if phase.startswith("block import") else args.txs
        print(f"{phase:<22}{secs * 1e3:>10.1f}{secs / n * 1e6:>10.2f}{n / secs:>12,.0f}")


if __name__ == "__main__":
    main()
