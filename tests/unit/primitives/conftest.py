"""Shared fixtures for the primitives tests: scalecodec configured with the reference chain's metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def scale_runtime() -> tuple[Any, Any]:
    """(RuntimeConfigurationObject, decoded MetadataVersioned) for solochain-template-runtime spec 100."""
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes  # type: ignore[attr-defined]
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core") or {})
    text = (FIXTURES / "solochain_metadata_v14.hex").read_text().strip()
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(text))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata
