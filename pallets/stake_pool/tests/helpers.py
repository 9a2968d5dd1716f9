"""Shared fixtures for the PhalaStakePoolv2 tests (the mock runtime lives with the computation tests)."""

from __future__ import annotations

from typing import Any

from pallets.computation import fixed as fp
from pallets.computation.messages import TOPIC_WORKING_UPDATE, WorkingInfoUpdateEvent
from pallets.computation.tests.mock import ALICE, deliver, register_worker, signed
from pallets.stake_pool import pool_sub_account, share_price
from runtime.support.testing import TestExt


def sp(ext: TestExt) -> Any:
    """The PhalaStakePoolv2 view."""
    return ext.rt.PhalaStakePoolv2


def pool(ext: TestExt, pid: int = 0) -> dict[str, Any]:
    """The StakePool record of `pid`."""
    return sp(ext).ensure_stake_pool(pid)  # type: ignore[no-any-return]


def price(ext: TestExt, pid: int = 0) -> int | None:
    """The pool's share price (U64F64 bits)."""
    return share_price(pool(ext, pid)["basepool"])


def create_pool_with_worker(ext: TestExt, owner: bytes = ALICE, n: int = 1) -> bytes:
    """Pool 0 owned by `owner`, with worker n (operator `owner`) added."""
    ext.call(signed(owner), "PhalaStakePoolv2", "create")
    pubkey = register_worker(ext, n, operator=owner)
    ext.call(signed(owner), "PhalaStakePoolv2", "add_worker", pid=0, pubkey=pubkey)
    return pubkey


def settle(ext: TestExt, pubkey: bytes, payout: int, ts_ms: int) -> None:
    """Deliver a GK settlement paying `payout` (raw units) to `pubkey`."""
    info = {"pubkey": pubkey, "v": fp.from_int(1), "payout": fp.to_fixed(payout), "treasury": 0}
    deliver(ext, ("Gatekeeper", None), TOPIC_WORKING_UPDATE, WorkingInfoUpdateEvent.encode(
        {"block_number": 1, "timestamp_ms": ts_ms, "offline": (), "recovered_to_online": (), "settle": (info,)}))


def session_of(pid: int, pubkey: bytes) -> bytes:
    """The pool worker's session account."""
    return pool_sub_account(pid, pubkey)
