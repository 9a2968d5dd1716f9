"""Era encoding against client-compat.md §8.4 examples and scalecodec's Era."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.primitives.era import IMMORTAL, Era, EraDecodeError


@pytest.mark.parametrize(
    ("period", "current", "encoded", "birth"),
    [(64, 1234, "2501", 1234), (64, 100, "4502", 100), (4096, 1000000, "0b24", 1000000)],
)
def test_design_examples(period: int, current: int, encoded: str, birth: int) -> None:
    era = Era.mortal(period, current)
    assert era.encode().hex() == encoded
    assert era.birth(current) == birth
    assert era.death(current) == birth + era.period
    assert Era.decode(bytes.fromhex(encoded)) == (era, 2)


def test_immortal() -> None:
    assert IMMORTAL.encode() == b"\x00"
    assert Era.decode(b"\x00") == (IMMORTAL, 1)
    assert IMMORTAL.is_immortal
    assert IMMORTAL.birth(99) == 0
    assert IMMORTAL.death(99) == 2**64 - 1


def test_period_clamped_and_rounded() -> None:
    assert Era.mortal(1, 7).period == 4
    assert Era.mortal(100, 7).period == 128
    assert Era.mortal(10**6, 7).period == 65536
    # quantized phase for large periods: 65536 >> 12 = 16
    assert Era.mortal(65536, 1000).phase == 992


def test_birth_of_later_block() -> None:
    era = Era.mortal(64, 1234)  # phase 18
    assert era.birth(1250) == 1234
    assert era.birth(1298) == 1298
    assert era.birth(1297) == 1234


@pytest.mark.parametrize(
    ("raw", "check"),
    [("", "no first byte"), ("25", "needs two bytes"), ("1000", "invalid period 2"), ("4100", "phase 4")],
)
def test_decode_rejects(raw: str, check: str) -> None:
    with pytest.raises(EraDecodeError, match=check):
        Era.decode(bytes.fromhex(raw))


@given(period=st.integers(1, 70000), current=st.integers(0, 2**32 - 1))
def test_matches_scalecodec(period: int, current: int) -> None:
    from scalecodec.base import RuntimeConfigurationObject
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core") or {})
    oracle: Any = config.create_scale_object("Era")
    oracle.encode({"period": period, "current": current})
    era = Era.mortal(period, current)
    assert era.encode() == bytes(oracle.data.data)
    assert era.birth(current) == oracle.birth(current)
    assert Era.decode(era.encode())[0] == era


@given(st.binary(min_size=2, max_size=2))
def test_any_two_bytes_decode_or_raise_typed(raw: bytes) -> None:
    try:
        era, _ = Era.decode(raw)
    except EraDecodeError:
        return
    assert era.encode() == raw or raw[0] == 0
