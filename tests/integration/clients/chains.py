"""Start, probe and stop the chains that the client interop tests talk to.

Owns the process side of the harness: the reference chain (chopsticks running a real FRAME runtime,
``/work/shared/reference-chain/start.sh``) and phala-node (``python -m node --dev --tmp --rpc-port P``).
Both are started in their own process group, probed with ``system_chain`` over WebSocket until they
answer, and killed as a group at teardown. Kept free of pytest so it can be reused from scripts.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import websocket

REPO_ROOT = Path(__file__).resolve().parents[3]
def _shared_dir() -> Path:
    """The design material folder: $PHALA_SHARED_DIR, else ../shared beside the checkout, else /work/shared."""
    explicit = os.environ.get("PHALA_SHARED_DIR")
    if explicit:
        return Path(explicit)
    beside = REPO_ROOT.parent / "shared"
    return beside if beside.is_dir() else Path("/work/shared")


SHARED = _shared_dir()
REFCHAIN_START = Path(os.environ.get("REFCHAIN_START", str(SHARED / "reference-chain" / "start.sh")))
CACHE_DIR = Path(os.environ.get("PHALA_INTEROP_CACHE", str(Path.home() / ".cache" / "phala-interop")))
# A home of our own: another tool installing chopsticks into the default home at the same time
# makes `npm ci` of both fail.
REFCHAIN_HOME = Path(os.environ.get("REFCHAIN_HOME", str(CACHE_DIR / "reference-chain")))


class ChainStartError(Exception):
    """A chain process could not be started or never answered ``system_chain``."""


@dataclass
class ChainProcess:
    """A running chain: its name, WS URL, process (own group) and log file."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    started_at: float = field(default_factory=time.monotonic)
    ready_seconds: float = 0.0
    system_chain: str = ""

    @property
    def url(self) -> str:
        """The WebSocket URL of the chain's RPC server."""
        return f"ws://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        """Return the last ``lines`` lines of the process log (for failure messages)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"<log unreadable: {exc}>"
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rpc_call(url: str, method: str, params: list[object] | None = None, timeout: float = 5.0) -> object:
    """Send one JSON-RPC request over a fresh WebSocket and return its ``result``."""
    conn = websocket.create_connection(url, timeout=timeout)
    try:
        conn.send(json.dumps({"id": 1, "jsonrpc": "2.0", "method": method, "params": params or []}))
        reply = json.loads(conn.recv())
    finally:
        conn.close()
    if "error" in reply:
        raise ChainStartError(f"{method} returned error {reply['error']}")
    return reply.get("result")


def wait_until_ready(chain: ChainProcess, timeout: float) -> None:
    """Poll ``system_chain`` until it answers; raise ChainStartError on exit or timeout."""
    deadline = time.monotonic() + timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        code = chain.process.poll()
        if code is not None:
            raise ChainStartError(
                f"{chain.name} exited with code {code} before answering system_chain\n{chain.log_tail()}"
            )
        try:
            chain.system_chain = str(rpc_call(chain.url, "system_chain", timeout=2.0))
            chain.ready_seconds = round(time.monotonic() - chain.started_at, 2)
            return
        except (OSError, websocket.WebSocketException, ValueError, ChainStartError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        time.sleep(0.25)
    raise ChainStartError(
        f"{chain.name} did not answer system_chain within {timeout:.0f} s (last: {last_error})\n{chain.log_tail()}"
    )


def stop(chain: ChainProcess) -> None:
    """Terminate the chain's whole process group (SIGTERM, then SIGKILL after 10 s)."""
    if chain.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(chain.process.pid, signal.SIGTERM)
    try:
        chain.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(chain.process.pid, signal.SIGKILL)
        chain.process.wait(timeout=10)


def _spawn(name: str, argv: list[str], port: int, log_dir: Path, cwd: Path, env: dict[str, str]) -> ChainProcess:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return ChainProcess(name=name, port=port, process=process, log_path=log_path)


@contextlib.contextmanager
def reference_chain(log_dir: Path, mode: str = "Instant", timeout: float = 360.0) -> Iterator[ChainProcess]:
    """Run the reference chain on a free port for the duration of the ``with`` block.

    The first start installs chopsticks (``npm ci``, 1-3 minutes); a file lock keeps concurrent
    harness runs from installing into the same home at once.
    """
    if not REFCHAIN_START.is_file():
        raise ChainStartError(f"reference chain start script not found: {REFCHAIN_START}")
    REFCHAIN_HOME.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, REFCHAIN_HOME=str(REFCHAIN_HOME))
    lock_path = CACHE_DIR / "reference-chain.install.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held until the chain answers: the install is then done
        port = free_port()
        chain = _spawn("reference-chain", ["bash", str(REFCHAIN_START), str(port), mode], port, log_dir,
                       REPO_ROOT, env)
        _await_ready(chain, timeout)
    try:
        yield chain
    finally:
        stop(chain)


@contextlib.contextmanager
def our_node(python: str, log_dir: Path, timeout: float = 20.0) -> Iterator[ChainProcess]:
    """Run ``python -m node --dev --tmp --rpc-port P`` from the repository root for the ``with`` block."""
    port = free_port()
    argv = [python, "-m", "node", "--dev", "--tmp", "--rpc-port", str(port), "--no-prometheus"]
    chain = _spawn("phala-node", argv, port, log_dir, REPO_ROOT, dict(os.environ))
    _await_ready(chain, timeout)
    try:
        yield chain
    finally:
        stop(chain)


def _await_ready(chain: ChainProcess, timeout: float) -> None:
    """`wait_until_ready`, stopping the process if it never gets there."""
    try:
        wait_until_ready(chain, timeout)
    except BaseException:
        stop(chain)
        raise
