"""Round trips of every SCALE type-object kind against scalecodec 1.2.12 as the oracle: for random types
(ints, Compact, bool, str, bytes, byte arrays, Vec, arrays, tuples, Option, Result, structs, enums, nested)
and random values, our encoding equals scalecodec's, each side decodes the other's bytes to the same value,
and every proper prefix or one-byte extension of the encoding is rejected with ScaleDecodeError."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scale_cases import CASES, LEAVES, Case, their_decode, their_encode

from runtime.scale import ScaleDecodeError

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(case: Case, value: Any) -> bytes:
    ours = case.ours.encode(value)
    assert ours == their_encode(case.theirs, case.enc(value)), case
    assert case.ours.decode(ours) == value
    assert their_decode(case.theirs, ours) == case.dec(value)
    return ours


@pytest.mark.parametrize("case", LEAVES, ids=repr)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_leaf_types_match_scalecodec(case: Case, data: st.DataObject) -> None:
    _check(case, data.draw(case.values))


@SETTINGS
@given(data=st.data())
def test_composite_types_match_scalecodec(data: st.DataObject) -> None:
    case = data.draw(CASES)
    _check(case, data.draw(case.values))


@SETTINGS
@given(data=st.data())
def test_prefixes_and_extensions_are_rejected(data: st.DataObject) -> None:
    """SCALE is self-delimiting for a given type: a proper prefix can only be truncated input, and any
    extra byte is trailing input; both must raise the codec's own error, nothing else."""
    case = data.draw(CASES)
    encoded = case.ours.encode(data.draw(case.values))
    for cut in range(len(encoded)):
        with pytest.raises(ScaleDecodeError):
            case.ours.decode(encoded[:cut])
    with pytest.raises(ScaleDecodeError, match="trailing"):
        case.ours.decode(encoded + data.draw(st.binary(min_size=1, max_size=3)))


@SETTINGS
@given(data=st.data())
def test_random_bytes_raise_only_scale_errors(data: st.DataObject) -> None:
    case = data.draw(CASES)
    raw = data.draw(st.binary(max_size=64))
    try:
        value = case.ours.decode(raw)
    except ScaleDecodeError:
        return
    assert case.ours.encode(value) == raw  # whatever decodes is canonical: it re-encodes to the same bytes
