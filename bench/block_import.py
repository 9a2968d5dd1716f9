"""Benchmark (issue 3): importing blocks of pre-signed transfers through the node's import path, one core.

Run: `.venv/bin/python bench/block_import.py [--blocks 5] [--per-block 1000] [--runs 5] [--profile FILE]
[--gc-stats]`.

Each run opens a fresh LMDB `ChainDB` (durable commits, as the node opens it), writes the dev genesis
through `Client.ensure_genesis`, then for each block of `--per-block` pre-signed `transfer_keep_alive`
from the 12 dev accounts (//Alice … //Ferdie and each //stash, each paying the next):

* `build`  — `node.client.block_builder.build_block`: what the author runs (Timestamp inherent, every
  transaction checked (signature, nonce, fee) and dispatched, finalize_block, trie `apply_changes` for
  the state root, header with Aura pre-digest and seal, one LMDB commit);
* `import` — the same blocks re-executed on a second fresh database by `Executive.execute_block` and
  stored by `Client.commit` (state root recomputed and checked against the header's): a follower's path.

The ceiling is raw sr25519 verification (py-sr25519-bindings) of the same signing payloads, measured in
the same run on the same core; the ratio transfers/s ÷ verifications/s is the steadier figure.
The main process is pinned to CPU 0. Target: ≥ 8,000 transfers/s.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import TWELVE, Stats, noise_line, pin, presign_transfers  # noqa: E402

from node.client.block_builder import build_block  # noqa: E402
from node.client.client import Client  # noqa: E402
from node.db import ChainDB  # noqa: E402
from runtime.assembly import Assembly, build_assembly  # noqa: E402
from runtime.genesis import build_genesis_storage  # noqa: E402
from runtime.presets import development  # noqa: E402
from runtime.primitives.extrinsic import decode_extrinsic  # noqa: E402
from runtime.primitives.hashing import blake2_256  # noqa: E402
from runtime.primitives.header import Header  # noqa: E402
from runtime.primitives.keyring import dev_keypair  # noqa: E402

SLOT_MS = 6000
T0 = 1_700_000_000_000


def fresh_client(assembly: Assembly, storage: dict[bytes, bytes], tmp: str, name: str) -> Client:
    """A Client over a new durable LMDB ChainDB with the dev genesis written."""
    client = Client(ChainDB.open(Path(tmp) / name), assembly)
    client.ensure_genesis(storage)
    return client


def verify_ceiling(xts: list[bytes], genesis: bytes) -> float:
    """Raw sr25519 verifications per second over the transfers' own signing payloads."""
    import sr25519

    items = []
    for raw in xts:
        xt = decode_extrinsic(raw)
        assert xt.signature is not None
        assert xt.signer is not None
        items.append((xt.signature[1], xt.signing_payload(100, 1, genesis), xt.signer))
    verify = sr25519.verify
    start = time.perf_counter()
    for sig, msg, pub in items:
        if not verify(sig, msg, pub):
            raise RuntimeError("ceiling: a pre-signed transfer does not verify")
    return len(items) / (time.perf_counter() - start)


def build_chain(client: Client, blocks: list[list[bytes]]) -> tuple[float, list[tuple[Header, list[bytes]]]]:
    """Author every block with build_block; (seconds, [(header, body)]) — refuses any dropped transfer."""
    seal = dev_keypair("Alice")
    parent = client.best_hash()
    client.assembly.executive.verified.clear()  # an author verifies what it never saw validated
    out = []
    elapsed = 0.0
    for i, xts in enumerate(blocks):
        ts = T0 + (i + 1) * SLOT_MS
        candidates = [(blake2_256(x), x) for x in xts]
        start = time.perf_counter()
        result = build_block(client, parent_hash=parent, timestamp_ms=ts, slot=ts // SLOT_MS,
                             candidates=candidates, seal_key=seal, finalize=True, max_transactions=len(xts))
        elapsed += time.perf_counter() - start
        if len(result.included) != len(xts):
            raise RuntimeError(f"block {i + 1}: {len(result.included)} of {len(xts)} included, "
                               f"invalid: {result.invalid[:3]}")
        parent = result.imported.hash
        out.append((result.imported.header, list(result.imported.body)))
    return elapsed, out


def import_chain(client: Client, chain: list[tuple[Header, list[bytes]]]) -> float:
    """Re-execute and store authored blocks (execute_block + Client.commit with root check); seconds."""
    executive = client.assembly.executive
    executive.verified.clear()  # a follower verifies every signature of a block it imports
    elapsed = 0.0
    for header, body in chain:
        start = time.perf_counter()
        finished = executive.execute_block(client.state_at(header.parent_hash), header, body)
        imported = client.commit(finished, header, finalize=True)
        elapsed += time.perf_counter() - start
        if imported.header.state_root != header.state_root:
            raise RuntimeError(f"#{header.number}: state root differs after import")
    return elapsed


class GcStats:
    """Garbage-collector passes and their time per generation, counted through `gc.callbacks` (`--gc-stats`)."""

    def __init__(self) -> None:
        self.passes = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.passes[info["generation"]] += 1
            self.seconds[info["generation"]] += time.perf_counter() - self._start

    def take(self, transfers: int) -> str:
        """`gen N: passes, µs per transfer` for the passes since the last call (a run's build and import)."""
        line = ", ".join(f"gen{g} {n}× {1e6 * t / transfers:.1f} µs/transfer"
                         for g, (n, t) in enumerate(zip(self.passes, self.seconds, strict=True)))
        self.passes, self.seconds = [0, 0, 0], [0.0, 0.0, 0.0]
        return f"{line}; {len(gc.get_objects()):,} objects tracked"


def main() -> None:
    """Run the benchmark and print figures with ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", type=int, default=5)
    ap.add_argument("--per-block", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", help="write a cProfile of one build+import run to this file and print its top")
    ap.add_argument("--gc-stats", action="store_true",
                    help="also print the garbage-collector passes of each run and their time per transfer")
    args = ap.parse_args()
    gc_stats = GcStats() if args.gc_stats else None
    pin(0)
    assembly = build_assembly()
    storage = build_genesis_storage(assembly, development())
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        genesis = fresh_client(assembly, storage, tmp, "probe").genesis_hash
        total = args.blocks * args.per_block
        t = time.perf_counter()
        xts = presign_transfers(TWELVE, total, genesis)
        print(f"pre-signed {total} transfers from {len(TWELVE)} senders in {time.perf_counter() - t:.1f} s")
        blocks = [xts[i:i + args.per_block] for i in range(0, total, args.per_block)]
        if args.profile:
            profile(assembly, storage, tmp, blocks, args.profile)
            return
        build_rates, import_rates, ceilings = [], [], []
        for run in range(args.runs):
            ceilings.append(verify_ceiling(xts[:2000], genesis))
            built, chain = build_chain(fresh_client(assembly, storage, tmp, f"b{run}"), blocks)
            imported = import_chain(fresh_client(assembly, storage, tmp, f"i{run}"), chain)
            build_rates.append(total / built)
            import_rates.append(total / imported)
            print(f"run {run + 1}: build {total / built:,.0f}/s, import {total / imported:,.0f}/s, "
                  f"sr25519 verify {ceilings[-1]:,.0f}/s  ({noise_line()})")
            if gc_stats is not None:
                print(f"       gc during the run (ceiling, build, import): {gc_stats.take(total)}")
    report(Stats.of(build_rates), Stats.of(import_rates), Stats.of(ceilings), build_rates, import_rates, ceilings)


def report(build: Stats, imp: Stats, ceiling: Stats, build_rates: list[float], import_rates: list[float],
           ceilings: list[float]) -> None:
    """Print the summary: rates, per-transfer cost, ratios to the same-run verify ceiling."""
    build_ratio = Stats.of([b / c for b, c in zip(build_rates, ceilings, strict=False)])
    import_ratio = Stats.of([b / c for b, c in zip(import_rates, ceilings, strict=False)])
    print(f"\nceiling  sr25519 verify: {ceiling.fmt('/s')}  = {1e6 / ceiling.median:.1f} µs each")
    print(f"build    (build_block, author): {build.fmt('transfers/s')}  = {1e6 / build.median:.1f} µs per transfer")
    print(f"         ratio to verify ceiling: {build_ratio.fmt(digits=3)}")
    print(f"import   (execute_block + Client.commit): {imp.fmt('transfers/s')}  = "
          f"{1e6 / imp.median:.1f} µs per transfer")
    print(f"         ratio to verify ceiling: {import_ratio.fmt(digits=3)}")
    print(f"target ≥ 8,000/s: build {'met' if build.median >= 8000 else 'NOT met'}, "
          f"import {'met' if imp.median >= 8000 else 'NOT met'}  ({noise_line()})")


def profile(assembly: Assembly, storage: dict[bytes, bytes], tmp: str, blocks: list[list[bytes]],
            out: str) -> None:
    """cProfile one build run and one import run; dump to `out` and print the top 30 by own time."""
    prof = cProfile.Profile()
    prof.enable()
    _, chain = build_chain(fresh_client(assembly, storage, tmp, "pb"), blocks)
    import_chain(fresh_client(assembly, storage, tmp, "pi"), chain)
    prof.disable()
    prof.dump_stats(out)
    pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
