"""AccountInfo's packed codec gives the bytes and errors of a field-by-field encoding, and the overlay memo of
decoded records never hands out a shared or stale object."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pallets.balances.tests.mock import ALICE, BOB, new_ext
from pallets.system.types import AccountInfo, AccountInfoCodec, decode_account_fields
from runtime.scale import ScaleDecodeError, ScaleEncodeError

EDGES = [0, 1, -1, (1 << 32) - 1, 1 << 32, (1 << 64) - 1, 1 << 64, (1 << 128) - 1, 1 << 128, -(1 << 64), True]
ints = st.one_of(st.sampled_from(EDGES), st.integers(-(1 << 130), 1 << 130), st.integers(0, (1 << 128) - 1))


def _reference(value: AccountInfo) -> bytes:
    widths = (4, 4, 4, 4, 16, 16, 16, 16)
    fields = (value.nonce, value.consumers, value.providers, value.sufficients, value.free, value.reserved,
              value.frozen, value.flags)
    try:
        return b"".join(v.to_bytes(w, "little") for v, w in zip(fields, widths, strict=True))
    except OverflowError:
        raise ScaleEncodeError("AccountInfo: a field is out of range") from None


def _outcome(fn: Any, value: Any) -> Any:
    try:
        return fn(value)
    except Exception as exc:  # compare the exception type and text
        return type(exc).__name__, str(exc)


@given(st.lists(ints, min_size=8, max_size=8))
def test_encode_matches_field_by_field(values: list[int]) -> None:
    info = AccountInfo(*values)
    expected = _outcome(_reference, info)
    assert _outcome(AccountInfoCodec.encode, info) == expected
    if isinstance(expected, bytes):
        assert decode_account_fields(expected) == tuple(int(v) for v in values)
        assert AccountInfoCodec.decode(expected) == AccountInfo(*(int(v) for v in values))


def test_non_integer_field_raises_as_before() -> None:
    info = AccountInfo(free=1.5)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        AccountInfoCodec.encode(info)
    with pytest.raises(ScaleDecodeError):
        decode_account_fields(b"\x00" * 79)


def test_account_reads_are_private_copies_of_the_stored_record() -> None:
    ext = new_ext()
    system = ext.rt.System
    first = system.account(ALICE)
    first.nonce += 7  # a caller mutating its copy changes nothing stored
    assert system.account(ALICE).nonce == 0
    assert system.account(ALICE) is not system.account(ALICE)
    stored = AccountInfo(3, 0, 1, 0, 10**15, 0, 0, 1 << 127)
    system.store_account(BOB, stored)
    stored.free = 1  # nor does mutating the object after storing it
    assert system.account(BOB) == AccountInfo(3, 0, 1, 0, 10**15, 0, 0, 1 << 127)
    raw = ext.overlay.get(system.Account.item.key_of(BOB))
    assert raw == AccountInfoCodec.encode(AccountInfo(3, 0, 1, 0, 10**15, 0, 0, 1 << 127))
    ext.overlay.begin()
    system.store_account(BOB, AccountInfo(4, 0, 1, 0, 5, 0, 0, 0))
    assert system.account(BOB).nonce == 4
    ext.overlay.rollback()  # the memo follows the bytes that are stored again
    assert system.account(BOB).nonce == 3
