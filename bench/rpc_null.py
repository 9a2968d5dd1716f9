"""Benchmark: JSON-RPC req/s and round-trip p50 of node.rpc over WebSocket connections on loopback.

The server (node.rpc.serve with a null handler and a state_getStorage-like handler) runs in a child
process pinned to CPU 1; the client runs here, pinned to CPU 0. The client is a raw trio WebSocket client
that sends one precomputed masked frame per request and counts response frames, so that it costs far
less than the server and the figure measures the server.

    .venv/bin/python bench/rpc_null.py [--connections 8] [--window 1] [--seconds 3] [--runs 5]
        [--method bench_null|bench_getStorage]

`--window 1` is request → response per connection; a larger window pipelines that many requests.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import orjson
import trio

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _ws import frame as ws_frame  # noqa: E402
from _ws import pop_frames  # noqa: E402  (bench/ is the script's own directory)


def _pin(cpu: int) -> None:
    try:
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError):
        pass


def run_server(port_file: str) -> None:
    """Child process: serve the bench registry and write the port to `port_file`."""
    from node.rpc import CallContext, InvalidParams, Params, Registry, ServerConfig, serve

    _pin(1)
    reg = Registry()
    storage = {bytes([i]) * 32: bytes([i]) * 80 for i in range(256)}

    @reg.method("bench_null")
    async def null(params: Params, ctx: CallContext) -> Any:
        return None

    @reg.method("bench_getStorage")
    async def get_storage(params: Params, ctx: CallContext) -> Any:
        if not isinstance(params, list) or not params or type(params[0]) is not str:
            raise InvalidParams("expected [key]")
        key = params[0]
        value = storage.get(bytes.fromhex(key[2:] if key.startswith("0x") else key))
        return None if value is None else "0x" + value.hex()

    async def root() -> None:
        async with trio.open_nursery() as nursery:
            port = await nursery.start(serve, reg, "127.0.0.1", 0, ServerConfig())
            await trio.Path(port_file + ".tmp").write_text(str(port))
            await trio.Path(port_file + ".tmp").rename(port_file)

    trio.run(root)


def count_frames(buf: bytearray) -> int:
    """Remove complete server frames from `buf` and return how many there were."""
    return len(pop_frames(buf))


async def client_conn(port: int, frame: bytes, window: int, stop: trio.Event,
                      counts: list[int], rtts: list[float]) -> None:
    """One connection: keep `window` requests outstanding until `stop`; counts[0] accumulates responses."""
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16))
    await stream.send_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    buf = bytearray()
    while b"\r\n\r\n" not in buf:
        buf += await stream.receive_some(65536)
    del buf[:buf.index(b"\r\n\r\n") + 4]
    sent: list[float] = []
    clock = time.perf_counter
    await stream.send_all(frame * window)
    sent.extend([clock()] * window)
    while not stop.is_set():
        buf += await stream.receive_some(262144)
        n = count_frames(buf)
        if not n:
            continue
        now = clock()
        rtts.extend(now - t for t in sent[:n])
        del sent[:n]
        counts[0] += n
        await stream.send_all(frame * n)
        sent.extend([now] * n)
    await stream.aclose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time consumed so far by process `pid` (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(port: int, connections: int, window: int, seconds: float,
                  method: str, server_pid: int) -> tuple[float, float, float]:
    """Return (req/s, p50 round trip in µs, server CPU µs per request) of one timed run."""
    req = {"jsonrpc": "2.0", "id": 1, "method": method, "params": ["0x" + "07" * 32]}
    frame = ws_frame(orjson.dumps(req))
    counts = [0]
    rtts: list[float] = []
    stop = trio.Event()
    async with trio.open_nursery() as nursery:
        for _ in range(connections):
            nursery.start_soon(client_conn, port, frame, window, stop, counts, rtts)
        await trio.sleep(0.3)  # warm-up
        rtts.clear()
        start_count, cpu0, t0 = counts[0], cpu_seconds(server_pid), time.perf_counter()
        await trio.sleep(seconds)
        total, cpu1, elapsed = counts[0] - start_count, cpu_seconds(server_pid), time.perf_counter() - t0
        stop.set()
    p50 = statistics.median(rtts) * 1e6 if rtts else float("nan")
    return total / elapsed, p50, (cpu1 - cpu0) / max(total, 1) * 1e6


def main() -> None:
    """Parse arguments, start the server process and print the medians."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--window", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--method", default="bench_null")
    args = ap.parse_args()
    if args.serve:
        run_server(args.serve)
        return
    port_file = f"/tmp/rpc_bench_port.{os.getpid()}"
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", port_file])
    try:
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            port = int(f.read())
        _pin(0)
        results = [trio.run(measure, port, args.connections, args.window, args.seconds, args.method, proc.pid)
                   for _ in range(args.runs)]
        rates = [r[0] for r in results]
        p50s = [r[1] for r in results]
        cpus = [r[2] for r in results]
        print(f"{args.method}: {args.connections} connections, window {args.window}: "
              f"median {statistics.median(rates):,.0f} req/s (runs: {', '.join(f'{r:,.0f}' for r in rates)}), "
              f"p50 round trip {statistics.median(p50s):.0f} µs, "
              f"server CPU {statistics.median(cpus):.1f} µs/req "
              f"(one-core ceiling {1e6 / statistics.median(cpus):,.0f} req/s)")
    finally:
        proc.terminate()
        proc.wait()
        if os.path.exists(port_file):
            os.remove(port_file)


if __name__ == "__main__":
    main()
