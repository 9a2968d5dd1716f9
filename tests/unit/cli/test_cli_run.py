"""The default `run` path: `python -m node --dev` starts the real node and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.integration
def test_dev_node_starts_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "node", "--dev", "--rpc-port", "0", "--no-prometheus"],
                            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Running JSON-RPC server" in line:
                break
        assert any("Running JSON-RPC server" in line for line in lines), "".join(lines)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = "".join(lines) + out
    assert proc.returncode == 0, log
    assert "Received SIGTERM, shutting down" in log
    assert "Initializing Genesis block/state" in log
