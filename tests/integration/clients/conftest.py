"""Shared fixtures of the real-client interop tests: the chains under test and the client toolchains.

Owns session-scoped, process-managing fixtures:

* ``reference_chain``: chopsticks running a real FRAME runtime (``shared/reference-chain/start.sh``) on a
  free port; skipped, with the reason, when it cannot start on this machine.
* ``our_node``: ``python -m node --dev --tmp --rpc-port P`` from the repository root; skipped only when
  ``node/__main__.py`` does not exist yet, otherwise a node that does not answer ``system_chain`` within
  20 s fails the test with its log tail.
* ``chain``: parameterized over both targets, for tests that run the same flow on each.
* ``js_client``: ``npm ci`` of ``tests/interop/js`` once per session (skipped without node/npm).
* ``async_client_python`` / ``clean_substrate_interface_python``: private venvs for Python clients that
  cannot share the project venv.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from chains import REPO_ROOT, ChainProcess, ChainStartError
from chains import our_node as start_our_node
from chains import reference_chain as start_ref
from runners import PY_REQ_DIR, ClientUnavailable, ensure_venv, npm_install

NODE_MAIN = REPO_ROOT / "node" / "__main__.py"


@pytest.fixture(scope="session")
def interop_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session directory for the chain processes' logs."""
    return tmp_path_factory.mktemp("interop-logs")


@pytest.fixture(scope="session")
def reference_chain(interop_log_dir: Path) -> Iterator[ChainProcess]:
    """The reference chain (chopsticks, Instant block mode) for the whole session."""
    try:
        with start_ref(interop_log_dir) as chain:
            sys.stderr.write(f"\n[interop] reference chain ready on {chain.url} in {chain.ready_seconds} s\n")
            yield chain
    except ChainStartError as exc:
        pytest.skip(f"reference chain could not start: {exc}")


@pytest.fixture(scope="session")
def our_node(interop_log_dir: Path) -> Iterator[ChainProcess]:
    """phala-node in --dev --tmp mode for the whole session (fails, with its log, if it does not answer)."""
    if not NODE_MAIN.is_file():
        pytest.skip(f"phala-node has no entry point yet ({NODE_MAIN} missing)")
    try:
        with start_our_node(sys.executable, interop_log_dir) as chain:
            sys.stderr.write(f"\n[interop] phala-node ready on {chain.url} in {chain.ready_seconds} s\n")
            yield chain
    except ChainStartError as exc:
        pytest.fail(f"phala-node did not start: {exc}", pytrace=False)


@pytest.fixture(params=["reference", "node"])
def chain(request: pytest.FixtureRequest) -> ChainProcess:
    """Each target in turn: the reference chain, then phala-node."""
    name = "reference_chain" if request.param == "reference" else "our_node"
    target: ChainProcess = request.getfixturevalue(name)
    return target


@pytest.fixture(scope="session")
def js_client() -> float:
    """Install the polkadot.js flows' dependencies once per session; returns the seconds ``npm ci`` took."""
    try:
        return npm_install()
    except ClientUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def async_client_python() -> Path:
    """Python of a private venv with async-substrate-interface 2.2.1 (its cyscale clashes with scalecodec)."""
    try:
        return ensure_venv("async", PY_REQ_DIR / "requirements-async.txt")
    except ClientUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def clean_substrate_interface_python() -> Path:
    """Python of a private venv with a pure substrate-interface 1.8.1 + scalecodec 1.2.12."""
    try:
        return ensure_venv("substrate-interface", PY_REQ_DIR / "requirements-substrate-interface.txt")
    except ClientUnavailable as exc:
        pytest.skip(str(exc))
