"""Benchmark (issue 4): `state_getStorage` req/s and p50 round trip of the real node over 8 WebSockets.

Run: `.venv/bin/python bench/rpc_storage.py [--connections 8] [--seconds 3] [--runs 5]`.

Starts `python -m node --dev --tmp` pinned to CPU 1; the client (this process, trio, raw pre-framed
requests, responses counted by frame headers so it costs far less than the server) is pinned to CPU 0.
Each run measures, on the same node and connections, alternately:

* `state_getStorage(System.Account(Alice))` — the benchmarked method;
* `system_name` — a trivial handler: the null-handler ceiling of the node's own RPC stack.

Each connection keeps one request outstanding (request → response). With 8 connections multiplexed by one
client trio loop, p50 includes client-side queueing, so each run also measures one connection alone
(`1-conn p50`: the plain round trip). A 1 s warm-up precedes the runs. Reports req/s, p50 and the ratio
storage ÷ null. Targets: ≥ 8,000 req/s, p50 ≤ 350 µs.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

import trio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Stats, noise_line, pin  # noqa: E402
from _ws import NodeProcess, pop_frames, request  # noqa: E402

from runtime.primitives.hashing import blake2_128_concat, twox_128  # noqa: E402
from runtime.primitives.keyring import dev_keypair  # noqa: E402


def account_key(name: str) -> str:
    """Hex storage key of System.Account(name)."""
    who = dev_keypair(name).account_id
    return "0x" + (twox_128(b"System") + twox_128(b"Account") + blake2_128_concat(who)).hex()


def frames_in(buf: bytearray) -> int:
    """Remove complete server frames from `buf`; how many there were."""
    return len(pop_frames(buf))


async def connection(port: int, req: bytes, stop: trio.Event, counts: list[int], rtts: list[float]) -> None:
    """One connection, one request outstanding, until `stop`."""
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16))
    await stream.send_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    buf = bytearray()
    while b"\r\n\r\n" not in buf:
        buf += await stream.receive_some(65536)
    del buf[:buf.index(b"\r\n\r\n") + 4]
    clock = time.perf_counter
    while not stop.is_set():
        sent = clock()
        await stream.send_all(req)
        while not frames_in(buf):
            buf += await stream.receive_some(65536)
        rtts.append(clock() - sent)
        counts[0] += 1
    await stream.aclose()


async def measure(port: int, req: bytes, connections: int, seconds: float) -> tuple[float, float]:
    """(req/s, p50 round trip µs) of one timed window after a 0.3 s warm-up."""
    counts = [0]
    rtts: list[float] = []
    stop = trio.Event()
    async with trio.open_nursery() as nursery:
        for _ in range(connections):
            nursery.start_soon(connection, port, req, stop, counts, rtts)
        await trio.sleep(0.3)
        rtts.clear()
        c0, t0 = counts[0], time.perf_counter()
        await trio.sleep(seconds)
        total, elapsed = counts[0] - c0, time.perf_counter() - t0
        stop.set()
    return total / elapsed, statistics.median(rtts) * 1e6


def main() -> None:
    """Run the benchmark and print figures with ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    storage_req = request("state_getStorage", [account_key("Alice")])
    null_req = request("system_name")
    rows: list[tuple[float, float, float, float]] = []
    singles: list[float] = []
    with NodeProcess(cpu=1) as node:
        pin(0)
        trio.run(measure, node.port, storage_req, args.connections, 1.0)
        for run in range(args.runs):
            singles.append(trio.run(measure, node.port, storage_req, 1, 1.0)[1])
            s_rate, s_p50 = trio.run(measure, node.port, storage_req, args.connections, args.seconds)
            n_rate, n_p50 = trio.run(measure, node.port, null_req, args.connections, args.seconds)
            rows.append((s_rate, s_p50, n_rate, n_p50))
            print(f"run {run + 1}: state_getStorage {s_rate:,.0f} req/s p50 {s_p50:.0f} µs; "
                  f"system_name {n_rate:,.0f} req/s p50 {n_p50:.0f} µs; 1-conn storage p50 {singles[-1]:.0f} µs "
                  f"({noise_line()})")
    sr = Stats.of([r[0] for r in rows])
    sp = Stats.of([r[1] for r in rows])
    nr = Stats.of([r[2] for r in rows])
    np_ = Stats.of([r[3] for r in rows])
    ratio = Stats.of([r[0] / r[2] for r in rows])
    print(f"\n{args.connections} connections, request → response each")
    print(f"state_getStorage(System.Account(Alice)): {sr.fmt('req/s')}; p50 {sp.fmt('µs')}")
    print(f"null handler (system_name), same node:   {nr.fmt('req/s')}; p50 {np_.fmt('µs')}")
    print(f"state_getStorage over 1 connection: p50 {Stats.of(singles).fmt('µs')}")
    print(f"ratio storage ÷ null req/s: {ratio.fmt(digits=3)}")
    print(f"targets ≥ 8,000 req/s: {'met' if sr.median >= 8000 else 'NOT met'}; p50 ≤ 350 µs: "
          f"{'met' if sp.median <= 350 else 'NOT met'}  ({noise_line()})")


if __name__ == "__main__":
    main()
