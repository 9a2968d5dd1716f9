"""The executive's one-step paths for signed transactions store and emit exactly what the general paths do.

Each generated case applies one signed Balances transfer (or a remark) from an account in an arbitrary
state through `Executive.apply_extrinsic`, twice from the same state: as the runtime runs it, and with
the one-step Balances paths disabled (`withdraw_plain`: the fee withdrawal stored together with the
incremented nonce; `_plain_transfer`). The outcome (or refusal), storage changes and event records must
be identical. Also: a zero refund (`refund_fee`'s shortcut) writes nothing whatever the stored record.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pallets.balances import fungible
from pallets.system.types import AccountInfo, AccountInfoCodec
from runtime.assembly import Assembly, build_assembly
from runtime.executive import ExtrinsicFormatError
from runtime.genesis import build_genesis_storage
from runtime.presets import development
from runtime.primitives.extrinsic import sign_extrinsic
from runtime.primitives.keyring import dev_keypair
from runtime.scale import ScaleEncodeError
from runtime.support.overlay import DictReader
from runtime.validity import TransactionValidityError

from .mock import ALICE, BOB, ED, new_ext

GENESIS = b"\x22" * 32
U128_MAX = (1 << 128) - 1
NEW_LOGIC = 1 << 127


@cache
def _assembly() -> Assembly:
    return build_assembly()


@cache
def _genesis() -> dict[bytes, bytes]:
    data = dict(build_genesis_storage(_assembly(), development()))
    system = _assembly().runtime.by_name["System"]
    data[system.BlockHash.storage_key(0)] = GENESIS  # type: ignore[attr-defined]
    return data


@cache
def _signed(call: str, dest: str, value: int, nonce: int, tip: int) -> bytes:
    rt = _assembly().runtime
    if call == "remark":
        encoded = rt.encode_call(rt.make_call("System", "remark", remark=b"x" * (value % 300)))
    else:
        encoded = rt.encode_call(rt.make_call("Balances", call, dest=("Id", dev_keypair(dest).public), value=value))
    return sign_extrinsic(dev_keypair("Alice"), encoded, nonce=nonce, tip=tip, spec_version=100, tx_version=1,
                          genesis_hash=GENESIS)


def _apply(raw: bytes, sender: AccountInfo, dest_free: int | None) -> tuple[Any, ...]:
    assembly = _assembly()
    system = assembly.runtime.by_name["System"]
    data = dict(_genesis())
    data[system.Account.storage_key(dev_keypair("Alice").public)] = AccountInfoCodec.encode(sender)  # type: ignore[attr-defined]
    bob_key = system.Account.storage_key(dev_keypair("Bob").public)  # type: ignore[attr-defined]
    if dest_free is None:
        data.pop(bob_key, None)
    else:
        data[bob_key] = AccountInfoCodec.encode(AccountInfo(0, 0, 1, 0, dest_free, 0, 0, NEW_LOGIC))
    executive = assembly.executive
    block = executive.initialize_block(DictReader(data), 1, GENESIS)
    try:
        applied = executive.apply_extrinsic(block, raw)
        error = applied.error
        outcome: Any = (None if error is None else (type(error).__name__, str(error)), applied.info)
    except (TransactionValidityError, ExtrinsicFormatError, ScaleEncodeError) as exc:
        outcome = (type(exc).__name__, str(exc))
    return outcome, dict(block.overlay.changes()), [record for record, _ in block.overlay.events]


balances = st.one_of(st.integers(0, 4 * ED), st.integers(0, 1 << 62),
                     st.sampled_from([ED - 1, ED, 270_233_145, 270_233_145 + ED, U128_MAX]))


@settings(max_examples=120, deadline=None)
@given(call=st.sampled_from(["transfer_keep_alive", "transfer_allow_death", "remark"]),
       dest=st.sampled_from(["Bob", "Alice"]), value=st.one_of(st.integers(0, 4 * ED), st.integers(0, 1 << 61)),
       nonce=st.sampled_from([0, 0, 1, 5]), tip=st.sampled_from([0, 0, 7]),
       account_nonce=st.sampled_from([0, 0, 1, 5, (1 << 32) - 1]),
       free=balances, reserved=st.sampled_from([0, 0, 0, ED, 10**9]), frozen=st.sampled_from([0, 0, 0, ED, 10**9]),
       flags=st.sampled_from([NEW_LOGIC, NEW_LOGIC, 0]), consumers=st.sampled_from([0, 0, 1]),
       providers=st.sampled_from([1, 1, 1, 0, 2]), sufficients=st.sampled_from([0, 0, 1]),
       dest_free=st.one_of(st.none(), st.integers(ED, 1 << 61), st.sampled_from([ED, U128_MAX - 10**6])))
def test_signed_transfer_fast_paths_equal_general_paths(call: str, dest: str, value: int, nonce: int, tip: int,
                                                        account_nonce: int, free: int, reserved: int, frozen: int,
                                                        flags: int, consumers: int, providers: int,
                                                        sufficients: int, dest_free: int | None) -> None:
    if nonce < account_nonce:
        nonce = account_nonce  # a stale nonce is refused before any fast path
    raw = _signed(call, dest, value, min(nonce, (1 << 32) - 1), tip)
    sender = AccountInfo(account_nonce, consumers, providers, sufficients, free, reserved, frozen, flags)
    fast = _apply(raw, sender, dest_free)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fungible, "withdraw_plain", lambda *a, **k: False)
        mp.setattr(fungible, "_plain_transfer", lambda *a, **k: False)
        general = _apply(raw, sender, dest_free)
    assert fast == general


def test_a_plain_transfer_takes_the_fast_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[str] = []
    for name in ("withdraw_plain", "_plain_transfer"):
        original = getattr(fungible, name)

        def spy(*args: Any, _name: str = name, _original: Any = original) -> bool:
            result: bool = _original(*args)
            if result:
                taken.append(_name)
            return result

        monkeypatch.setattr(fungible, name, spy)
    sender = AccountInfo(0, 0, 1, 0, 1 << 60, 0, 0, NEW_LOGIC)
    outcome, _, events = _apply(_signed("transfer_keep_alive", "Bob", 10**12, 0, 0), sender, 1 << 60)
    assert outcome[0] is None
    assert len(events) == 5  # Withdraw, Transfer, Deposit(0), TransactionFeePaid, ExtrinsicSuccess
    assert taken == ["withdraw_plain", "_plain_transfer"]


@settings(max_examples=150, deadline=None)
@given(free=st.one_of(st.integers(0, 4 * ED), st.integers(0, U128_MAX)), reserved=st.sampled_from([0, 0, ED, U128_MAX]),
       frozen=st.sampled_from([0, 0, ED, 10**9]), flags=st.sampled_from([NEW_LOGIC, 0, 1]),
       providers=st.sampled_from([0, 1, 2]), consumers=st.sampled_from([0, 1]))
def test_a_zero_deposit_writes_nothing(free: int, reserved: int, frozen: int, flags: int, providers: int,
                                       consumers: int) -> None:
    """What `refund_fee`'s zero-refund shortcut relies on: increase_balance(.., 0, BestEffort) of any stored
    record returns 0 and leaves storage and events untouched."""
    ext = new_ext({ALICE: 1 << 60})
    info = AccountInfo(3, consumers, providers, 0, free, reserved, frozen, flags)
    ext.rt.System.store_account(BOB, info)
    ext.clear_events()
    before = dict(ext.overlay.changes())
    stored = ext.rt.System.account(BOB)
    assert fungible.increase_balance(ext.rt.Balances, BOB, 0, fungible.Precision.BestEffort, stored) == 0
    assert ext.overlay.changes() == before
    assert ext.events() == []
