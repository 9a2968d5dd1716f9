"""Executive.validation_context gives exactly validate_transaction's answers and leaves no trace between
validations; the overlay's memo caches never outlive the bytes they were made from.

Runs the assembled runtime on the dev genesis (a dict base), with transfers that are valid, ahead of the
nonce, stale, unable to pay, badly signed and malformed.
"""

from __future__ import annotations

from functools import cache

import pytest

from runtime.assembly import Assembly, build_assembly
from runtime.executive import ExtrinsicFormatError
from runtime.genesis import build_genesis_storage
from runtime.presets import development
from runtime.primitives.extrinsic import sign_extrinsic
from runtime.primitives.keyring import dev_keypair
from runtime.scale import ScaleEncodeError
from runtime.support.overlay import DictReader, Overlay
from runtime.validity import TransactionSource, TransactionValidityError, ValidTransaction

GENESIS = b"\x11" * 32
ED = 500


@cache
def _assembly() -> Assembly:
    return build_assembly()


@cache
def _genesis() -> dict[bytes, bytes]:
    return build_genesis_storage(_assembly(), development())


def _transfer(sender: str, dest: str, value: int, nonce: int) -> bytes:
    rt = _assembly().runtime
    call = rt.encode_call(rt.make_call("Balances", "transfer_keep_alive", dest=("Id", dev_keypair(dest).public),
                                       value=value))
    return sign_extrinsic(dev_keypair(sender), call, nonce=nonce, spec_version=100, tx_version=1,
                          genesis_hash=GENESIS)


def _outcome(fn: object, *args: object) -> ValidTransaction | tuple[str, str]:
    try:
        return fn(*args)  # type: ignore[operator,no-any-return]
    except (TransactionValidityError, ExtrinsicFormatError) as exc:
        return type(exc).__name__, str(exc)


def _cases() -> list[bytes]:
    from runtime.primitives.keyring import keypair_from_uri

    poor = keypair_from_uri("//NoFunds")
    rt = _assembly().runtime
    remark = rt.encode_call(rt.make_call("System", "remark", remark=b"hi"))
    good = _transfer("Alice", "Bob", 10**12, 0)
    forged = bytearray(good)
    forged[40] ^= 1  # inside the signature: length (2) + version (1) + MultiAddress::Id (33) + kind (1) come first
    return [
        good,
        _transfer("Alice", "Bob", 10**12, 3),  # ahead: requires nonce 2's tag
        _transfer("Bob", "Alice", 10**12, 0),
        sign_extrinsic(poor, remark, nonce=0, spec_version=100, tx_version=1, genesis_hash=GENESIS),  # Payment
        bytes(forged),  # BadProof
        b"\x00",  # malformed
        good,  # again: the first validation left nothing behind
    ]


def _base() -> DictReader:
    data = dict(_genesis())
    block_hash_0 = _assembly().runtime.by_name["System"].BlockHash.storage_key(0)  # type: ignore[attr-defined]
    data[block_hash_0] = GENESIS
    return DictReader(data)


def test_context_answers_as_validate_transaction() -> None:
    executive = _assembly().executive
    base = _base()
    ctx = executive.validation_context(base, GENESIS, 0)
    assert (ctx.block_number, ctx.block_hash) == (0, GENESIS)
    for raw in _cases():
        for source in (TransactionSource.External, TransactionSource.InBlock):
            expected = _outcome(executive.validate_transaction, base, source, raw, GENESIS, 0)
            assert _outcome(ctx.validate, source, raw) == expected
    valid = ctx.validate(TransactionSource.External, _cases()[0])
    assert valid.requires == ()
    assert valid.priority > 0
    assert ctx.block.overlay.depth == 0  # every child layer was rolled back
    assert ctx.block.overlay.events == []  # no event survived


def test_context_validation_leaves_no_writes() -> None:
    executive = _assembly().executive
    ctx = executive.validation_context(_base(), GENESIS, 0)
    before = dict(ctx.block.overlay.changes())
    for raw in _cases():
        _outcome(ctx.validate, TransactionSource.External, raw)
    assert ctx.block.overlay.changes() == before


def test_decoded_memo_follows_the_stored_bytes() -> None:
    overlay = Overlay(DictReader({b"k": (5).to_bytes(4, "little")}))
    decode_calls: list[bytes | None] = []

    def decode(raw: bytes | None) -> int:
        decode_calls.append(raw)
        return 0 if raw is None else int.from_bytes(raw, "little")

    assert overlay.get_decoded(b"k", decode) == 5
    assert overlay.get_decoded(b"k", decode) == 5
    assert len(decode_calls) == 1  # memoised
    overlay.begin()
    overlay.set(b"k", (7).to_bytes(4, "little"))
    assert overlay.get_decoded(b"k", decode) == 7
    overlay.rollback()
    assert overlay.get_decoded(b"k", decode) == 5  # the rolled-back bytes are no longer stored
    overlay.set_decoded(b"k", (9).to_bytes(4, "little"), 9)
    assert overlay.get_decoded(b"k", decode) == 9
    assert len(decode_calls) == 3
    overlay.set(b"k", None)
    assert overlay.get_decoded(b"k", decode) == 0


def test_storage_key_memo_matches_the_hasher() -> None:
    system = _assembly().runtime.by_name["System"]
    item = system.Account  # type: ignore[attr-defined]
    who = dev_keypair("Alice").public
    from runtime.primitives.hashing import blake2_128

    expected = item.prefix + blake2_128(who) + who
    assert item.storage_key(who) == expected
    assert item.storage_key(who) == expected  # memoised value
    assert item.storage_key(bytearray(who)) == expected  # not memoised, same key
    with pytest.raises(ScaleEncodeError, match="expected 32 bytes"):
        item.storage_key(b"short")
