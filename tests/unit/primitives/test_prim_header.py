"""Header / DigestItem codec and block hash, against client-compat.md §9.2 and scalecodec."""

from __future__ import annotations

from typing import Any

import pytest
from scalecodec.base import ScaleBytes  # type: ignore[attr-defined]

from runtime.primitives.header import (
    DigestItem,
    Header,
    HeaderDecodeError,
    aura_pre_digest,
    aura_seal,
    aura_slot,
)
from runtime.scale.errors import ScaleEncodeError

VECTOR = Header(
    parent_hash=bytes(32),
    number=1,
    state_root=b"\x11" * 32,
    extrinsics_root=b"\x22" * 32,
    digest=(aura_pre_digest(123456), aura_seal(bytes(64))),
)


def test_design_vector_hash() -> None:
    assert aura_pre_digest(123456).encode().hex() == "066175726120" + "40e2010000000000"
    assert aura_seal(bytes(64)).encode().hex() == "05617572610101" + "00" * 64
    assert VECTOR.hash().hex() == "3f4ed7ea09be0cd948270bf992070db8c7fe4746c708fce5f9a0590b27fd0a2f"


def test_roundtrip_and_scalecodec_agree() -> None:
    from scalecodec.base import RuntimeConfigurationObject
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("legacy") or {})
    encoded = VECTOR.encode()
    assert Header.decode(encoded) == VECTOR
    oracle = config.create_scale_object("Header", data=ScaleBytes(encoded))
    value = oracle.decode()
    assert value["number"] == 1
    assert value["state_root"] == "0x" + "11" * 32
    assert value["extrinsics_root"] == "0x" + "22" * 32
    pre, seal = value["digest"]["logs"]
    assert pre == {"PreRuntime": {"engine": "aura", "data": {"slot_number": 123456}}}
    assert seal == {"Seal": {"engine": "aura", "data": "0x" + "00" * 64}}
    assert oracle.data is not None
    assert oracle.data.offset == len(encoded)


def test_all_digest_variants_roundtrip() -> None:
    items = (
        DigestItem.other(b"\x01\x02"),
        DigestItem.consensus(b"FRNK", b"\x00" * 3),
        DigestItem.seal(b"BABE", b""),
        DigestItem.pre_runtime(b"aura", b"\x05" * 8),
        DigestItem.runtime_environment_updated(),
    )
    header = Header(b"\x01" * 32, 2**32 - 1, b"\x02" * 32, b"\x03" * 32, items)
    assert Header.decode(header.encode()) == header
    assert DigestItem.runtime_environment_updated().encode() == b"\x08"
    assert aura_slot(items) == int.from_bytes(b"\x05" * 8, "little")
    assert aura_slot(()) is None


def test_json_shape() -> None:
    obj = VECTOR.to_json()
    assert obj["number"] == "0x1"
    assert obj["parentHash"] == "0x" + "00" * 32
    assert obj["digest"]["logs"][0] == "0x066175726120" + "40e2010000000000"
    assert Header.from_json(obj) == VECTOR
    big = Header(bytes(32), 26, bytes(32), bytes(32))
    assert big.to_json()["number"] == "0x1a"
    assert big.to_json()["digest"] == {"logs": []}


@pytest.mark.parametrize(
    ("mutate", "check"),
    [
        (lambda b: b + b"\x00", "trailing"),
        (lambda b: b[:-1], "truncated"),
        (lambda b: b[:32], "compact: input truncated"),
        (lambda b: b[:-71] + b"\x07" + b[-70:], "unknown variant 7"),
    ],
)
def test_decode_rejects(mutate: Any, check: str) -> None:
    with pytest.raises(HeaderDecodeError, match=check):
        Header.decode(mutate(VECTOR.encode()))


def test_json_rejects() -> None:
    obj = VECTOR.to_json()
    with pytest.raises(HeaderDecodeError, match="number"):
        Header.from_json({**obj, "number": 5})
    with pytest.raises(HeaderDecodeError, match="parentHash"):
        Header.from_json({**obj, "parentHash": "0x00"})
    with pytest.raises(HeaderDecodeError, match="missing"):
        Header.from_json({"number": "0x1"})
    with pytest.raises(HeaderDecodeError, match="trailing"):
        Header.from_json({**obj, "digest": {"logs": ["0x0800"]}})


def test_constructor_validates() -> None:
    with pytest.raises(ScaleEncodeError):
        Header(bytes(31), 1, bytes(32), bytes(32))
    with pytest.raises(ScaleEncodeError):
        Header(bytes(32), 2**32, bytes(32), bytes(32))
    with pytest.raises(ScaleEncodeError):
        DigestItem(4, b"abc", b"")
