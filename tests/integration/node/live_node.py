"""Start, talk to and stop a real phala-node process for the node's black-box integration tests.

Owns the process side (``python -m node --dev ...`` in its own process group, readiness probe, SIGTERM /
SIGKILL, log tail) and a small synchronous JSON-RPC client over WebSocket (websocket-client) that can
also send raw frames. Kept free of pytest so fixtures and scripts can share it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

REPO_ROOT = Path(__file__).resolve().parents[3]


class NodeError(Exception):
    """The node did not start, did not answer, or answered a call with an error."""


class RpcFailure(NodeError):
    """A JSON-RPC call answered with an error object; `error` holds it."""

    def __init__(self, method: str, error: dict[str, Any]) -> None:
        super().__init__(f"{method} returned error {error}")
        self.error = error


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Rpc:
    """One WebSocket connection speaking JSON-RPC 2.0 synchronously (ids are consecutive integers)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.ws = websocket.create_connection(url, timeout=timeout, skip_utf8_validation=True)
        self._ids = itertools.count(1)
        self.notifications: list[dict[str, Any]] = []

    def close(self) -> None:
        """Close the connection (errors ignored: the node may have closed it already)."""
        with contextlib.suppress(Exception):
            self.ws.close()

    def send(self, method: str, params: Any = None) -> int:
        """Send a request without waiting; returns its id."""
        rid = next(self._ids)
        self.ws.send(json.dumps({"jsonrpc": "2.0", "id": rid, "method": method,
                                 "params": [] if params is None else params}))
        return rid

    def recv_json(self) -> Any:
        """Receive and decode the next message."""
        return json.loads(self.ws.recv())

    def reply(self, rid: int) -> dict[str, Any]:
        """Wait for the response with id `rid`; notifications seen meanwhile are kept in `notifications`."""
        while True:
            msg = self.recv_json()
            if isinstance(msg, dict) and msg.get("id") == rid and ("result" in msg or "error" in msg):
                return msg
            if isinstance(msg, dict) and "method" in msg:
                self.notifications.append(msg)

    def raw(self, method: str, params: Any = None) -> dict[str, Any]:
        """Call `method` and return the whole response object (result or error)."""
        return self.reply(self.send(method, params))

    def call(self, method: str, params: Any = None) -> Any:
        """Call `method` and return its result; RpcFailure when it answers with an error."""
        msg = self.raw(method, params)
        if "error" in msg:
            raise RpcFailure(method, msg["error"])
        return msg["result"]

    def error(self, method: str, params: Any = None) -> dict[str, Any]:
        """Call `method` expecting an error; NodeError when it succeeds."""
        msg = self.raw(method, params)
        if "error" not in msg:
            raise NodeError(f"{method}{params!r} unexpectedly succeeded: {msg.get('result')!r}"[:400])
        err: dict[str, Any] = msg["error"]
        return err

    def next_notification(self, method: str, sub_id: str | None = None) -> Any:
        """Return the `result` of the next notification of `method` (for `sub_id` when given)."""
        for i, msg in enumerate(self.notifications):
            if msg["method"] == method and (sub_id is None or msg["params"]["subscription"] == sub_id):
                del self.notifications[i]
                return msg["params"]["result"]
        while True:
            msg = self.recv_json()
            if isinstance(msg, dict) and msg.get("method") == method and (
                    sub_id is None or msg["params"]["subscription"] == sub_id):
                return msg["params"]["result"]
            if isinstance(msg, dict) and "method" in msg:
                self.notifications.append(msg)


@dataclass
class LiveNode:
    """A running node process: port, base path (None with --tmp), log file and argv."""

    argv: list[str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]
    base_path: Path | None = None
    ready_seconds: float = 0.0
    _conns: list[Rpc] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The WebSocket URL of the node's RPC server."""
        return f"ws://127.0.0.1:{self.port}"

    def rpc(self, timeout: float = 30.0) -> Rpc:
        """Open a new connection (closed at teardown)."""
        conn = Rpc(self.url, timeout)
        self._conns.append(conn)
        return conn

    def call(self, method: str, params: Any = None) -> Any:
        """One call on a fresh connection."""
        conn = Rpc(self.url, 10.0)
        try:
            return conn.call(method, params)
        finally:
            conn.close()

    def log_tail(self, lines: int = 40) -> str:
        """The last `lines` lines of the node's log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError as exc:
            return f"<log unreadable: {exc}>"

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def close_connections(self) -> None:
        """Close every connection opened through `rpc()`."""
        for conn in self._conns:
            conn.close()
        self._conns.clear()

    def terminate(self, timeout: float = 15.0, sig: int = signal.SIGTERM) -> int:
        """Send `sig` (SIGTERM) to the process group and wait; SIGKILL if it does not exit. Returns the exit code."""
        self.close_connections()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return int(self.process.returncode)

    def kill(self) -> None:
        """SIGKILL the process group (a crash) and reap it."""
        self.close_connections()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)


def spawn(log_dir: Path, extra: Sequence[str] = (), base_path: Path | None = None,
          port: int | None = None, timeout: float = 30.0, env: dict[str, str] | None = None) -> LiveNode:
    """Start ``python -m node --dev`` (``--tmp`` unless `base_path`) and wait until it answers.

    `env` entries are added to this process's environment (e.g. TMPDIR to watch where --tmp goes).
    """
    port = port or free_port()
    argv = [sys.executable, "-m", "node", "--dev", "--rpc-port", str(port)]
    argv += [] if "--prometheus-port" in extra else ["--no-prometheus"]
    argv += ["--base-path", str(base_path)] if base_path is not None else ["--tmp"]
    argv += list(extra)
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"node-{port}-{int(time.time() * 1000)}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})})
    node = LiveNode(argv, port, log_path, process, base_path)
    started = time.monotonic()
    last = "no attempt"
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise NodeError(f"node exited with {process.returncode} before answering\n{node.log_tail()}")
        try:
            node.call("system_chain")
            node.ready_seconds = time.monotonic() - started
            return node
        except (OSError, websocket.WebSocketException, ValueError, NodeError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.1)
    node.kill()
    raise NodeError(f"node did not answer within {timeout} s ({last})\n{node.log_tail()}")


@contextlib.contextmanager
def running(log_dir: Path, extra: Sequence[str] = (), base_path: Path | None = None) -> Iterator[LiveNode]:
    """`spawn` for the duration of a `with` block, terminated afterwards."""
    node = spawn(log_dir, extra, base_path)
    try:
        yield node
    finally:
        node.terminate()


def wait_for(predicate: Any, timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll `predicate()` until it returns a truthy value; NodeError naming `what` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise NodeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
