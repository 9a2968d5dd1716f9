"""decode_extrinsic's inline two-byte Compact paths (length prefix, nonce) accept and refuse exactly what the
general Compact decoder does: values around each mode boundary, and non-canonical two-byte encodings."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.primitives.crypto import MultiSignature
from runtime.primitives.era import IMMORTAL, Era
from runtime.primitives.extrinsic import decode_extrinsic, encode_signed, signing_payload
from runtime.scale import ScaleDecodeError, ScaleEncodeError

SIGNER = bytes(range(32))
SIGNATURE = MultiSignature(1, bytes(64))
nonces = st.one_of(st.integers(0, (1 << 32) - 1), st.sampled_from([0, 63, 64, 65, 16383, 16384, (1 << 30) - 1, 1 << 30]))


@given(nonce=nonces, call_len=st.integers(2, 20_000))
def test_nonce_and_length_round_trip(nonce: int, call_len: int) -> None:
    call = bytes((4, 3)) + bytes(call_len - 2)
    raw = encode_signed(SIGNER, SIGNATURE, IMMORTAL, nonce, 0, call)
    xt = decode_extrinsic(raw)
    assert (xt.nonce, xt.call, xt.signer, xt.tip) == (nonce, call, SIGNER, 0)


def test_non_canonical_two_byte_forms_are_refused() -> None:
    call = bytes((4, 3, 0))
    raw = encode_signed(SIGNER, SIGNATURE, IMMORTAL, 5, 0, call)  # nonce 5 as one byte
    assert raw[0] & 3 == 1  # the length prefix is in the two-byte mode
    nonce_at = 2 + 1 + 33 + 65 + 1
    assert raw[nonce_at] == 5 << 2
    widened = raw[:nonce_at] + ((5 << 2) | 1).to_bytes(2, "little") + raw[nonce_at + 1:]  # 5 in two bytes
    length = len(widened) - 2
    widened = ((length << 2) | 1).to_bytes(2, "little") + widened[2:]
    with pytest.raises(ScaleDecodeError, match="extrinsic nonce: compact: non-canonical two-byte encoding"):
        decode_extrinsic(widened)
    tiny = bytes((4, 3, 0))  # a 3-byte body whose prefix is written in two bytes: non-canonical
    with pytest.raises(ScaleDecodeError, match="extrinsic length prefix: compact: non-canonical"):
        decode_extrinsic(((3 << 2) | 1).to_bytes(2, "little") + tiny)


eras = st.one_of(st.just(IMMORTAL), st.integers(0, 0xFFFF).map(lambda v: v.to_bytes(2, "little")).filter(
    lambda b: b[0] != 0 and _decodes(b)).map(lambda b: Era.decode(b)[0]))


def _decodes(two: bytes) -> bool:
    try:
        Era.decode(two)
    except ScaleDecodeError:
        return False
    return True


@given(era=eras, nonce=nonces, tip=st.one_of(st.integers(0, (1 << 128) - 1), st.sampled_from([0, 63, 64, 1 << 30])),
       call_len=st.sampled_from([2, 3, 100, 150, 300]), spec=st.sampled_from([0, 100, (1 << 32) - 1]),
       birth=st.sampled_from([None, b"\x07" * 32, b"\x01"]), genesis=st.sampled_from([b"\x09" * 32, b"\x09"]))
def test_signing_payload_from_the_raw_extra_equals_the_encoded_one(era: Era, nonce: int, tip: int, call_len: int,
                                                                   spec: int, birth: bytes | None,
                                                                   genesis: bytes) -> None:
    """The decoder's slice of the signed extra gives the payload (or the error) that encoding the values gives."""
    call = bytes((4, 3)) + bytes(call_len - 2)
    xt = decode_extrinsic(encode_signed(SIGNER, SIGNATURE, era, nonce, tip, call))
    assert xt.extra_offset > 0

    def outcome(fn: Any) -> Any:
        try:
            return fn()
        except ScaleEncodeError as exc:
            return str(exc)

    expected = outcome(lambda: signing_payload(call, era, nonce, tip, spec, 1, genesis, birth))
    assert outcome(lambda: xt.signing_payload(spec, 1, genesis, birth)) == expected
    assert outcome(lambda: xt._replace(extra_offset=0).signing_payload(spec, 1, genesis, birth)) == expected
