"""UncheckedExtrinsic v4: hand codec, signing payload, strict rejections and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.primitives.account import CannotLookup, MultiAddress
from runtime.primitives.crypto import MultiSignature
from runtime.primitives.era import IMMORTAL, Era
from runtime.primitives.extrinsic import (
    ExtrinsicDecodeError,
    decode_extrinsic,
    encode_extra,
    encode_signed,
    encode_unsigned,
    sign_extrinsic,
    signing_payload,
)
from runtime.primitives.hashing import blake2_256
from runtime.primitives.keyring import dev_keypair
from runtime.scale.compact import encode_compact
from runtime.scale.errors import ScaleDecodeError, ScaleEncodeError

ALICE = dev_keypair("Alice")
BOB = dev_keypair("Bob").public
GENESIS = b"\xaa" * 32
TRANSFER = bytes.fromhex("0403") + b"\x00" + BOB + bytes.fromhex("070010a5d4e8")  # transfer_keep_alive 10^12


def _signed(**kw: object) -> bytes:
    args: dict[str, object] = {"nonce": 0, "spec_version": 100, "tx_version": 1, "genesis_hash": GENESIS}
    args.update(kw)
    return sign_extrinsic(ALICE, TRANSFER, **args)  # type: ignore[arg-type]


def test_design_worked_example_layout() -> None:
    # client-compat.md §8.1 without the CheckMetadataHash byte: 143-byte body.
    payload = signing_payload(TRANSFER, IMMORTAL, 0, 0, 100, 1, GENESIS)
    assert payload == TRANSFER + b"\x00\x00\x00" + bytes.fromhex("6400000001000000") + GENESIS + GENESIS
    xt = _signed()
    assert xt[:3] == bytes.fromhex("3d0284")
    assert len(xt) == 145
    assert xt[3:36] == b"\x00" + ALICE.public
    assert xt[36] == 1
    assert xt[101:104] == b"\x00\x00\x00"
    assert xt[104:] == TRANSFER


@pytest.mark.parametrize("scheme", ["sr25519", "ed25519", "ecdsa"])
def test_roundtrip_all_schemes(scheme: str) -> None:
    pair = dev_keypair("Charlie", scheme)  # type: ignore[arg-type]
    era = Era.mortal(64, 1234)
    xt = sign_extrinsic(
        pair,
        TRANSFER,
        era=era,
        nonce=70000,
        tip=10**20,
        spec_version=100,
        tx_version=1,
        genesis_hash=GENESIS,
        birth_hash=b"\xbb" * 32,
    )
    d = decode_extrinsic(xt)
    assert d.signed
    assert d.signer == pair.account_id
    assert d.signature is not None
    assert (d.era, d.nonce, d.tip, d.call) == (era, 70000, 10**20, TRANSFER)
    assert d.raw == xt
    assert d.hash == blake2_256(xt)
    assert xt[d.call_offset :] == TRANSFER
    assert d.verify_signature(100, 1, GENESIS, b"\xbb" * 32)
    assert not d.verify_signature(101, 1, GENESIS, b"\xbb" * 32)
    assert not d.verify_signature(100, 1, GENESIS, b"\xcc" * 32)
    assert encode_signed(d.signer, d.signature, era, 70000, 10**20, TRANSFER) == xt


def test_unsigned_roundtrip() -> None:
    call = bytes.fromhex("0100") + encode_compact(1_700_000_000_000)  # timestamp.set
    xt = encode_unsigned(call)
    assert xt[1] == 0x04
    assert xt[0] == len(xt) - 1 << 2
    d = decode_extrinsic(xt)
    assert not d.signed
    assert d.call == call
    assert d.signer is None
    assert d.era is None
    assert d.call_offset == 2
    assert not d.verify_signature(100, 1, GENESIS)


def test_long_payload_is_hashed() -> None:
    long_call = b"\x00\x07" + encode_compact(300) + bytes(300)  # system.remark(300 bytes)
    payload = signing_payload(long_call, IMMORTAL, 0, 0, 100, 1, GENESIS)
    raw = long_call + encode_extra(IMMORTAL, 0, 0) + bytes.fromhex("6400000001000000") + GENESIS * 2
    assert payload == blake2_256(raw)
    d = decode_extrinsic(
        sign_extrinsic(ALICE, long_call, nonce=0, spec_version=100, tx_version=1, genesis_hash=GENESIS)
    )
    assert d.verify_signature(100, 1, GENESIS)


def test_mortal_needs_birth_hash() -> None:
    with pytest.raises(ScaleEncodeError, match="birth block hash"):
        signing_payload(TRANSFER, Era.mortal(64, 5), 0, 0, 100, 1, GENESIS)
    with pytest.raises(ScaleEncodeError, match="nonce"):
        encode_extra(IMMORTAL, 2**32, 0)


def _reprefix(body: bytes) -> bytes:
    return encode_compact(len(body)) + body


@pytest.mark.parametrize(
    ("make", "error", "check"),
    [
        (lambda xt: xt + b"\x00", ExtrinsicDecodeError, "trailing bytes"),
        (lambda xt: xt[:-1], ExtrinsicDecodeError, "3 present|bytes, .* present"),
        (lambda xt: b"", ExtrinsicDecodeError, "length prefix"),
        (lambda xt: b"\x00", ExtrinsicDecodeError, "empty body"),
        (lambda xt: _reprefix(b"\x85" + xt[3:]), ExtrinsicDecodeError, "version byte 0x85"),
        (lambda xt: _reprefix(b"\x05" + xt[3:]), ExtrinsicDecodeError, "version byte 0x05"),
        (lambda xt: _reprefix(b"\x84\x05" + xt[4:]), ScaleDecodeError, "unknown variant 5"),
        (lambda xt: _reprefix(b"\x84\x03" + xt[4:]), CannotLookup, "only Id"),
        (
            lambda xt: _reprefix(xt[2:36] + b"\x03" + xt[37:]),
            ExtrinsicDecodeError,
            "MultiSignature variant 3",
        ),
        (lambda xt: _reprefix(xt[2:36] + b"\x02" + xt[37:101]), ExtrinsicDecodeError, "signature: truncated"),
        (
            lambda xt: _reprefix(xt[2:101] + b"\x10\x00" + xt[102:]),
            ExtrinsicDecodeError,
            "era: invalid period",
        ),
        (
            lambda xt: _reprefix(xt[2:103] + b"\x37" + bytes(16) + b"\x01" + xt[104:]),
            ExtrinsicDecodeError,
            "tip: exceeds u128",
        ),
        (
            lambda xt: _reprefix(xt[2:102] + b"\x07" + bytes(4) + b"\x01"),
            ExtrinsicDecodeError,
            "nonce: exceeds u32",
        ),
        (lambda xt: _reprefix(xt[2:104] + b"\x04"), ExtrinsicDecodeError, "call: truncated"),
        (lambda xt: _reprefix(b"\x04\x00"), ExtrinsicDecodeError, "call: truncated"),
    ],
)
def test_decode_rejects(make: object, error: type[Exception], check: str) -> None:
    xt = _signed()
    with pytest.raises(error, match=check):
        decode_extrinsic(make(xt))  # type: ignore[operator]


def test_cannot_lookup_is_a_decode_error() -> None:
    assert issubclass(CannotLookup, ScaleDecodeError)
    xt = encode_signed(MultiAddress(1, 7), MultiSignature(1, bytes(64)), IMMORTAL, 0, 0, TRANSFER)
    with pytest.raises(CannotLookup):
        decode_extrinsic(xt)


@settings(max_examples=2000)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_decode_errors(raw: bytes) -> None:
    try:
        d = decode_extrinsic(raw)
    except ScaleDecodeError:
        return
    assert d.raw == raw


@settings(max_examples=1000)
@given(st.binary(min_size=1, max_size=200), st.integers(0, 300))
def test_mutated_extrinsics_raise_only_decode_errors(noise: bytes, where: int) -> None:
    xt = _signed(era=Era.mortal(128, 99), birth_hash=b"\x01" * 32, nonce=5)
    where %= len(xt)
    for candidate in (xt[:where] + noise + xt[where + len(noise) :], xt[:where] + noise, _reprefix(noise)):
        try:
            decode_extrinsic(candidate)
        except ScaleDecodeError:
            pass
