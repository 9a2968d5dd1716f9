"""Run client flows that live outside this interpreter: polkadot.js scripts and Python clients in venvs.

Owns the "other process" side of the interop harness: ``npm ci`` of ``tests/interop/js`` (once per
lockfile), running one of its ``.mjs`` flows with a WS URL, building a private virtualenv from a pinned
requirements file (needed for async-substrate-interface, whose ``cyscale`` dependency claims the
``scalecodec`` import name that substrate-interface also needs), and running a Python flow script in
it. Every flow prints exactly one JSON object on stdout, which is parsed and returned.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from chains import CACHE_DIR, REPO_ROOT

JS_DIR = REPO_ROOT / "tests" / "interop" / "js"
PY_REQ_DIR = REPO_ROOT / "tests" / "interop" / "py"


class ClientUnavailable(Exception):
    """A client toolchain (node/npm, a venv) cannot be set up on this machine; the message says why."""


class FlowFailed(Exception):
    """A client flow exited non-zero or printed no JSON object; carries its output."""


def _stamp(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_install(js_dir: Path = JS_DIR) -> float:
    """Run ``npm ci`` in ``js_dir`` unless node_modules already matches the lockfile; return seconds spent."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise ClientUnavailable("node/npm not found on PATH: polkadot.js flows cannot run")
    lock = js_dir / "package-lock.json"
    stamp_file = js_dir / "node_modules" / ".phala-interop-lock.sha256"
    if stamp_file.is_file() and stamp_file.read_text() == _stamp(lock):
        return 0.0
    t0 = time.monotonic()
    proc = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=js_dir, capture_output=True, text=True, timeout=600, check=False,
    )
    if proc.returncode != 0:
        raise ClientUnavailable(f"npm ci failed in {js_dir} (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    stamp_file.write_text(_stamp(lock))
    return time.monotonic() - t0


def parse_flow_output(proc: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    """Return the JSON object a flow printed last on stdout; raise FlowFailed on non-zero exit or no JSON."""
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    parsed: dict[str, Any] | None = None
    if lines:
        try:
            parsed = json.loads(lines[-1])
        except json.JSONDecodeError:
            parsed = None
    if proc.returncode != 0 or parsed is None:
        raise FlowFailed(
            f"{what} exited {proc.returncode}\nstdout: {proc.stdout[-4000:]}\nstderr: {proc.stderr[-4000:]}"
        )
    return parsed


def run_js(script: str, url: str, *args: str, timeout: float = 180.0) -> dict[str, Any]:
    """Run ``node tests/interop/js/<script> <url> <args...>`` and return its JSON observation."""
    proc = subprocess.run(
        ["node", script, url, *args], cwd=JS_DIR, capture_output=True, text=True, timeout=timeout, check=False,
    )
    return parse_flow_output(proc, f"node {script} {url}")


def ensure_venv(name: str, requirements: Path) -> Path:
    """Create (or reuse) a virtualenv under the interop cache with ``requirements`` installed; return its python."""
    venv = CACHE_DIR / f"venv-{name}"
    python = venv / "bin" / "python"
    stamp_file = venv / ".requirements.sha256"
    if python.is_file() and stamp_file.is_file() and stamp_file.read_text() == _stamp(requirements):
        return python
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(requirements)],
    ]
    for argv in steps:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
        if proc.returncode != 0:
            raise ClientUnavailable(
                f"cannot build venv {name} ({' '.join(argv[:4])} exit {proc.returncode}):\n{proc.stderr[-3000:]}"
            )
    stamp_file.write_text(_stamp(requirements))
    return python


def run_python_flow(python: Path | str, script: Path, url: str, timeout: float = 240.0) -> dict[str, Any]:
    """Run ``<python> <script> <url>`` (a flow module used as a script) and return its JSON observation."""
    proc = subprocess.run(
        [str(python), str(script), url], cwd=script.parent, capture_output=True, text=True, timeout=timeout,
        check=False,
    )
    return parse_flow_output(proc, f"{python} {script.name} {url}")
