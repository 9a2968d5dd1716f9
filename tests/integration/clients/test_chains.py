"""Unit tests of the harness's process handling (no chain needed): failure messages and group kill."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from chains import ChainStartError, _spawn, free_port, stop, wait_until_ready


def test_exit_before_ready_names_code_and_log(tmp_path: Path) -> None:
    """A process that dies before answering system_chain fails with its exit code and log tail."""
    chain = _spawn("dummy", [sys.executable, "-c", "print('boom-log-line'); raise SystemExit(3)"], free_port(),
                   tmp_path, tmp_path, {})
    with pytest.raises(ChainStartError, match=r"exited with code 3[\s\S]*boom-log-line"):
        wait_until_ready(chain, timeout=10)


def test_timeout_then_group_killed(tmp_path: Path) -> None:
    """A silent process times out with a message naming the wait, and stop() kills its whole group."""
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    chain = _spawn("silent", [sys.executable, "-c", script], free_port(), tmp_path, tmp_path, {})
    with pytest.raises(ChainStartError, match="did not answer system_chain within 1 s"):
        wait_until_ready(chain, timeout=1)
    stop(chain)
    assert chain.process.poll() is not None
