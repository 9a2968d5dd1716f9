"""Shared fixtures for the metadata tests: our assembled runtime's V14/V15, decoded by scalecodec, and the reference."""

from __future__ import annotations

import time
from typing import Any

import pytest
from metadata_oracle import Decoded, decode_metadata, reference

from runtime.assembly import Assembly, build_assembly


@pytest.fixture(scope="session")
def assembly() -> Assembly:
    """A freshly assembled runtime (its metadata is built by the tests that need it)."""
    return build_assembly()


@pytest.fixture(scope="session")
def metadata_blobs(assembly: Assembly) -> dict[str, Any]:
    """`{"v14": bytes, "v15": bytes, "v14_ms": float, "v15_ms": float}`: the blobs and how long each took to build."""
    t0 = time.perf_counter()
    v14 = assembly.metadata_v14()
    t1 = time.perf_counter()
    v15 = assembly.metadata_v15()
    t2 = time.perf_counter()
    return {"v14": v14, "v15": v15, "v14_ms": (t1 - t0) * 1000, "v15_ms": (t2 - t1) * 1000}


@pytest.fixture(scope="session")
def ours14(metadata_blobs: dict[str, Any]) -> Decoded:
    """Our V14, decoded by scalecodec."""
    return decode_metadata(metadata_blobs["v14"])


@pytest.fixture(scope="session")
def ours15(metadata_blobs: dict[str, Any]) -> Decoded:
    """Our V15, decoded by scalecodec (with the V15 layout added)."""
    return decode_metadata(metadata_blobs["v15"])


@pytest.fixture(scope="session")
def ref14() -> Decoded:
    """The reference solochain's V14."""
    return reference()
