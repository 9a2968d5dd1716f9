"""Benchmark (issue 4): transfers end to end, RPC submission → inclusion, against the real node process.

Run: `.venv/bin/python bench/e2e_transfers.py [--txs 5000] [--senders 6] [--runs 5] [--sealing instant]`.

Each run starts a fresh `python -m node --dev --tmp` (instant sealing by default) pinned to CPU 1; this
client is pinned to CPU 0. `--txs` `transfer_keep_alive` are pre-signed round-robin over the first
`--senders` dev accounts (each pays the next), then:

* a watcher thread follows `chain_subscribeNewHeads` on its own connection and reads each new block's
  body (`chain_getBlockHash` + `chain_getBlock`), counting signed extrinsics;
* the main thread sends every `author_submitExtrinsic` over ONE WebSocket without waiting (pipelined;
  a reader thread collects the responses concurrently so neither side's buffers can deadlock).

Figures: submission rate (first send → last response), tps (first send → arrival of the head of the
block that completes the count), blocks used. Ceilings measured in the same run: `system_name` sent
the same way (pipelined null handler: the RPC stack's submission ceiling) and raw sr25519 verify/s in
this process (each submission costs the node one verification). Ratio also to the reference chain's
~11–15 tps (performance.md). Targets: ≥ 2,000 tps and ≥ 5,000 submissions/s.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEV_NAMES, Stats, noise_line, pin, presign_transfers  # noqa: E402
from _ws import NodeProcess, WsClient, request  # noqa: E402

REFERENCE_TPS = (11.0, 15.0)


class Watcher(threading.Thread):
    """Follows new heads and counts signed extrinsics in each new block until `target` are seen."""

    def __init__(self, port: int, target: int) -> None:
        super().__init__(daemon=True)
        self.ws = WsClient(port)
        self.target = target
        self.included = 0
        self.blocks = 0
        self.done_at = 0.0
        self.error: BaseException | None = None
        self.ws.call("chain_subscribeNewHeads")  # the current best arrives first as a notification
        self.seen = int(self.ws.call("chain_getHeader")["number"], 16)

    def run(self) -> None:
        try:
            pending: list[bytes] = []
            while self.included < self.target:
                msgs = pending or self.ws.recv_messages()
                pending = []
                arrived = time.perf_counter()
                for raw in msgs:
                    msg = orjson.loads(raw)
                    if msg.get("method") != "chain_newHead":
                        continue
                    number = int(msg["params"]["result"]["number"], 16)
                    while self.seen < number:
                        self.seen += 1
                        self.included += self._count(self.seen, pending)
                        self.blocks += 1
                    if self.included >= self.target:
                        self.done_at = arrived
                        return
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        finally:
            self.ws.close()

    def _count(self, number: int, pending: list[bytes]) -> int:
        """Signed extrinsics of block `number` (notifications arriving meanwhile go to `pending`)."""
        block_hash = self._call("chain_getBlockHash", [number], pending)
        block = self._call("chain_getBlock", [block_hash], pending)
        return sum(1 for xt in block["block"]["extrinsics"] if _signed(xt))

    def _call(self, method: str, params: list[object], pending: list[bytes]) -> Any:
        self.ws.send(request(method, params, 7))
        while True:
            for raw in self.ws.recv_messages():
                msg = orjson.loads(raw)
                if msg.get("id") == 7:
                    return msg["result"]
                pending.append(raw)


def _signed(xt_hex: str) -> bool:
    """True when a hex extrinsic's version byte (after its compact length) has the signed bit."""
    data = bytes.fromhex(xt_hex[2:24])
    mode = data[0] & 3
    offset = (1, 2, 4)[mode] if mode < 3 else 1 + (data[0] >> 2) + 4
    return bool(data[offset] & 0x80)


def pipelined(ws: WsClient, frames: list[bytes]) -> tuple[float, int]:
    """Send every frame without waiting while a thread reads the responses; (seconds, error count)."""
    errors = [0]
    count = len(frames)
    done = [0.0]

    def reader() -> None:
        got = 0
        while got < count:
            for raw in ws.recv_messages():
                got += 1
                if b'"error"' in raw:
                    errors[0] += 1
                    if errors[0] <= 3:
                        print("  submission error:", raw[:200].decode(errors="replace"))
        done[0] = time.perf_counter()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    start = time.perf_counter()
    for i in range(0, count, 256):
        ws.send(b"".join(frames[i:i + 256]))
    thread.join(300)
    if thread.is_alive():
        raise RuntimeError("responses did not all arrive within 300 s")
    return done[0] - start, errors[0]


def one_run(xts: list[bytes], genesis: str, sealing: str, profile: str | None = None) -> dict[str, float]:
    """A fresh node: null-handler ceiling, then the transfers; the run's figures."""
    extra = () if sealing == "instant" else ("--sealing", sealing)
    with NodeProcess(*extra, cpu=1, profile=profile) as node:
        ws = WsClient(node.port)
        if ws.call("chain_getBlockHash", [0]) != genesis:
            raise RuntimeError("the node's genesis differs from the one the transfers were signed for")
        null_s, _ = pipelined(ws, [request("system_name", (), i) for i in range(len(xts))])
        frames = [request("author_submitExtrinsic", ["0x" + x.hex()], i) for i, x in enumerate(xts)]
        watcher = Watcher(node.port, len(xts))
        watcher.start()
        start = time.perf_counter()
        submit_s, errors = pipelined(ws, frames)
        watcher.join(300)
        if watcher.error is not None or watcher.is_alive():
            raise RuntimeError(f"watcher failed ({watcher.error!r}); included {watcher.included}: {node.log_tail()}")
        ws.close()
        return {"tps": len(xts) / (watcher.done_at - start), "submit": len(xts) / submit_s,
                "null": len(xts) / null_s, "errors": errors, "blocks": watcher.blocks,
                "seconds": watcher.done_at - start}


def verify_rate(xts: list[bytes], genesis: bytes) -> float:
    """Raw sr25519 verifications/s of these transfers in this process (the node's per-submission floor)."""
    import sr25519

    from runtime.primitives.extrinsic import decode_extrinsic

    items = []
    for raw in xts[:2000]:
        xt = decode_extrinsic(raw)
        if xt.signature is None or xt.signer is None:
            raise RuntimeError("unsigned transfer")
        items.append((xt.signature[1], xt.signing_payload(100, 1, genesis), xt.signer))
    start = time.perf_counter()
    for sig, msg, pub in items:
        sr25519.verify(sig, msg, pub)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    """Run the benchmark and print figures with ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--txs", type=int, default=5000)
    ap.add_argument("--senders", type=int, default=6)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sealing", default="instant")
    ap.add_argument("--profile-node", metavar="FILE",
                    help="one run with the node under cProfile (its trio thread only: block building runs in a "
                         "worker thread, profile it with block_import.py --profile); prints the top 30")
    args = ap.parse_args()
    pin(0)
    with NodeProcess() as probe:
        ws = WsClient(probe.port)
        genesis = ws.call("chain_getBlockHash", [0])
        ws.close()
    xts = presign_transfers(DEV_NAMES[:args.senders], args.txs, bytes.fromhex(genesis[2:]))
    if args.profile_node:
        print(one_run(xts, genesis, args.sealing, args.profile_node))
        import pstats
        pstats.Stats(args.profile_node).sort_stats("tottime").print_stats(30)
        return
    rows = []
    for run in range(args.runs):
        verify = verify_rate(xts, bytes.fromhex(genesis[2:]))
        row = one_run(xts, genesis, args.sealing)
        row["verify"] = verify
        rows.append(row)
        print(f"run {run + 1}: {row['tps']:,.0f} tps ({args.txs} in {row['seconds']:.2f} s, {row['blocks']:.0f} blocks), "
              f"submissions {row['submit']:,.0f}/s ({row['errors']:.0f} errors), null handler {row['null']:,.0f}/s, "
              f"sr25519 verify {verify:,.0f}/s  ({noise_line()})")
    tps = Stats.of([r["tps"] for r in rows])
    sub = Stats.of([r["submit"] for r in rows])
    null = Stats.of([r["null"] for r in rows])
    print(f"\n{args.txs} transfers over {args.senders} senders, one WebSocket, {args.sealing} sealing")
    print(f"end to end: {tps.fmt('tps')}")
    print(f"submission: {sub.fmt('/s')}")
    print(f"ceilings: pipelined null handler {null.fmt('/s')}; "
          f"sr25519 verify {Stats.of([r['verify'] for r in rows]).fmt('/s')}")
    print(f"ratios: submissions ÷ null handler {Stats.of([r['submit'] / r['null'] for r in rows]).fmt(digits=3)}; "
          f"tps ÷ sr25519 verify {Stats.of([r['tps'] / r['verify'] for r in rows]).fmt(digits=3)}; "
          f"tps ÷ reference chain {tps.median / REFERENCE_TPS[1]:,.0f}–{tps.median / REFERENCE_TPS[0]:,.0f}×")
    print(f"targets ≥ 2,000 tps: {'met' if tps.median >= 2000 else 'NOT met'}; ≥ 5,000 submissions/s: "
          f"{'met' if sub.median >= 5000 else 'NOT met'}  ({noise_line()})")


if __name__ == "__main__":
    main()
