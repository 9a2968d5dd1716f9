"""A minimal blocking WebSocket JSON-RPC client for the benchmarks, and a helper that starts the node.

The benchmark client must cost far less than the server it measures, so it is a raw socket: requests are
pre-framed (masked text frames) and responses are split from the byte stream by hand; orjson parses
them. It speaks just enough RFC 6455 for a loopback JSON-RPC server (no fragmentation, no extensions).
`NodeProcess` starts `python -m node` on a free port, optionally pinned to one CPU, and waits until it
answers `system_chain`.
"""

from __future__ import annotations

import base64
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
_MASK = b"\x11\x22\x33\x44"


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def frame(payload: bytes) -> bytes:
    """A final, masked client text frame (fixed mask key: fine for a benchmark)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x81, 0x80 | n))
    elif n < 65536:
        head = struct.pack("!BBH", 0x81, 0xFE, n)
    else:
        head = struct.pack("!BBQ", 0x81, 0xFF, n)
    key = (_MASK * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
    return head + _MASK + masked


def request(method: str, params: Sequence[Any] = (), req_id: int = 1) -> bytes:
    """A framed JSON-RPC 2.0 request."""
    return frame(orjson.dumps({"jsonrpc": "2.0", "id": req_id, "method": method, "params": list(params)}))



def pop_frames(buf: bytearray) -> list[tuple[int, bytes]]:
    """Remove every complete (unmasked, server-sent) WebSocket frame from `buf`: (opcode, payload) each."""
    out = []
    pos = 0
    while len(buf) - pos >= 2:
        opcode = buf[pos] & 0x0F
        length = buf[pos + 1] & 0x7F
        header = 2
        if length == 126:
            if len(buf) - pos < 4:
                break
            length = struct.unpack_from("!H", buf, pos + 2)[0]
            header = 4
        elif length == 127:
            if len(buf) - pos < 10:
                break
            length = struct.unpack_from("!Q", buf, pos + 2)[0]
            header = 10
        if len(buf) - pos < header + length:
            break
        out.append((opcode, bytes(buf[pos + header: pos + header + length])))
        pos += header + length
    del buf[:pos]
    return out

class WsClient:
    """One blocking WebSocket connection: send frames, receive whole server text messages."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16))
        self.sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.buf = bytearray()
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            self.buf += chunk
        head = bytes(self.buf[: self.buf.index(b"\r\n\r\n")])
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:80]!r}")
        del self.buf[: self.buf.index(b"\r\n\r\n") + 4]
        self._next_id = 1

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()

    def send(self, data: bytes) -> None:
        """Send pre-framed bytes (one or many frames)."""
        self.sock.sendall(data)

    def _split(self) -> list[bytes]:
        out = []
        for opcode, payload in pop_frames(self.buf):
            if opcode == 0x8:
                raise ConnectionError("server closed the websocket")
            if opcode == 0x1:
                out.append(payload)
        return out

    def recv_messages(self) -> list[bytes]:
        """Block until at least one whole text message arrived; return all complete ones."""
        while True:
            msgs = self._split()
            if msgs:
                return msgs
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf += chunk

    def call(self, method: str, params: Sequence[Any] = ()) -> Any:
        """A request → response round trip; returns `result` (raises on a JSON-RPC error)."""
        req_id = self._next_id
        self._next_id += 1
        self.send(request(method, params, req_id))
        while True:
            for raw in self.recv_messages():
                msg = orjson.loads(raw)
                if msg.get("id") == req_id:
                    if "error" in msg:
                        raise RuntimeError(f"{method}: {msg['error']}")
                    return msg.get("result")


class NodeProcess:
    """`python -m node --dev --tmp` on a free port; a context manager that stops it (SIGTERM) on exit."""

    def __init__(self, *extra: str, cpu: int | None = None, dev: bool = True, profile: str | None = None) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-node-", suffix=".log", delete=False)
        prof = ("-m", "cProfile", "-o", profile) if profile else ()
        cmd = [sys.executable, *prof, "-m", "node", *(("--dev", "--tmp") if dev else ()), "--rpc-port", str(self.port),
               "--no-prometheus", *extra]
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            cmd = ["taskset", "-c", str(cpu % (os.cpu_count() or 1)), *cmd]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        self.ready_seconds = self.wait_ready()

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Poll until `system_chain` answers; seconds since launch."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                ws = WsClient(self.port, timeout=5)
            except OSError:
                time.sleep(0.005)
                continue
            try:
                ws.call("system_chain")
                return time.perf_counter() - self.started
            finally:
                ws.close()
        raise RuntimeError(f"node did not answer within {timeout} s: {self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the node's output."""
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; removes the log file."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.unlink(self.log.name)

    def __enter__(self) -> NodeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
