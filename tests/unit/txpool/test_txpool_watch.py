"""Watcher tests: status streams in Substrate's order and JSON shapes, finality, bounded buffers."""

from __future__ import annotations

import logging

import pytest
import trio
import trio.lowlevel
from txpool_helpers import FakeChain, account, make_pool, xt

from node.txpool import Limit, PoolOptions, TemporarilyBanned, TransactionStatus, hash_of
from node.txpool.watch import MAX_FINALITY_WATCHERS

ALICE, BOB = account(1), account(2)
B2, B3 = b"\x02" * 32, b"\x03" * 32


def shapes(statuses: list[TransactionStatus]) -> list[object]:
    return [s.to_json() for s in statuses]


async def test_ready_inblock_finalized_then_stream_ends() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    data = xt(ALICE, 0)
    watcher = pool.submit_and_watch(data, at_number=1)
    assert watcher.hash == hash_of(data)
    chain.include([data])
    pool.on_block_imported([data], at_number=2, block_hash=B2)
    pool.on_block_finalized(B2)
    seen = [s.to_json() async for s in watcher]  # ends: finalized is final
    assert seen == ["ready", {"inBlock": "0x" + B2.hex()}, {"finalized": "0x" + B2.hex()}]


async def test_future_then_ready_then_inblock_for_pipelined_nonces() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    w1 = pool.submit_and_watch(xt(ALICE, 1), at_number=1)
    w0 = pool.submit_and_watch(xt(ALICE, 0), at_number=1)
    assert shapes(w1.drain()) == ["future", "ready"]
    assert shapes(w0.drain()) == ["ready"]
    chain.include([xt(ALICE, 0), xt(ALICE, 1)])
    pool.on_block_imported([xt(ALICE, 0), xt(ALICE, 1)], at_number=2, block_hash=B2)
    pool.on_block_finalized(B2)
    for w in (w0, w1):
        assert shapes(w.drain()) == [{"inBlock": "0x" + B2.hex()}, {"finalized": "0x" + B2.hex()}]
        with pytest.raises(trio.EndOfChannel):
            w.receive_nowait()


async def test_usurped_carries_replacing_hash() -> None:
    pool = make_pool(FakeChain())
    w = pool.submit_and_watch(xt(ALICE, 0, priority=1), at_number=1)
    better = pool.submit(xt(ALICE, 0, priority=2, salt=1), at_number=1)
    assert shapes(w.drain()) == ["ready", {"usurped": "0x" + better.hex()}]
    with pytest.raises(trio.EndOfChannel):
        w.receive_nowait()


async def test_dropped_by_limits_and_invalid_on_revalidation() -> None:
    chain = FakeChain()
    pool = make_pool(chain, options=PoolOptions(ready=Limit(1, 10**6)))
    w_old = pool.submit_and_watch(xt(ALICE, 0), at_number=1)
    pool.submit(xt(BOB, 0, priority=5), at_number=1)
    assert shapes(w_old.drain()) == ["ready", "dropped"]
    pool = make_pool(chain)
    w_bob = pool.submit_and_watch(xt(BOB, 1, priority=5), at_number=1)
    w_next = pool.submit_and_watch(xt(BOB, 2, priority=5), at_number=1)
    chain.bad.add(xt(BOB, 1, priority=5))
    pool.on_block_imported([], at_number=2, block_hash=B2)
    assert shapes(w_bob.drain()) == ["future", "invalid"]
    assert shapes(w_next.drain()) == ["future"]  # future dependents are not part of the ready subtree


async def test_retracted_then_reincluded() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    data = xt(ALICE, 0)
    w = pool.submit_and_watch(data, at_number=1)
    pool.on_block_imported([data], at_number=2, block_hash=B2, revalidate=False)
    pool.on_block_retracted(B2)
    assert pool.resubmit([data], at_number=1) == [hash_of(data)]  # included hashes are banned; resubmit ignores it
    pool.on_block_imported([data], at_number=2, block_hash=B3, revalidate=False)
    pool.on_block_finalized(B3)
    assert shapes(w.drain()) == [
        "ready", {"inBlock": "0x" + B2.hex()}, {"retracted": "0x" + B2.hex()}, "ready",
        {"inBlock": "0x" + B3.hex()}, {"finalized": "0x" + B3.hex()},
    ]


async def test_finality_timeout_after_512_unfinalized_blocks() -> None:
    pool = make_pool(FakeChain())
    data = xt(ALICE, 0)
    w = pool.submit_and_watch(data, at_number=1)
    pool.on_block_imported([data], at_number=2, block_hash=B2, revalidate=False)
    for n in range(MAX_FINALITY_WATCHERS):
        other = xt(BOB, n)
        pool.submit_and_watch(other, at_number=1)
        pool.on_block_imported([other], at_number=3 + n, block_hash=(3 + n).to_bytes(32, "big"), revalidate=False)
    assert shapes(w.drain())[-1] == {"finalityTimeout": "0x" + B2.hex()}


async def test_failed_submission_leaves_no_watcher() -> None:
    chain = FakeChain()
    bad = xt(ALICE, 0)
    chain.bad.add(bad)
    pool = make_pool(chain)
    with pytest.raises(Exception, match="1010"):
        pool.submit_and_watch(bad, at_number=1)
    with pytest.raises(TemporarilyBanned):
        pool.submit_and_watch(bad, at_number=1)


async def test_full_buffer_closes_stream_without_blocking(caplog: pytest.LogCaptureFixture) -> None:
    chain = FakeChain()
    pool = make_pool(chain, options=PoolOptions(watcher_buffer=1))
    data = xt(ALICE, 0)
    w = pool.submit_and_watch(data, at_number=1)  # "ready" fills the buffer
    with caplog.at_level(logging.WARNING, logger="node.txpool.watch"):
        pool.on_block_imported([data], at_number=2, block_hash=B2)
    assert "not being read" in caplog.text
    assert shapes(w.drain()) == ["ready"]
    with pytest.raises(trio.EndOfChannel):
        w.receive_nowait()


async def test_async_consumer_sees_updates_as_they_happen() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    data = xt(ALICE, 0)
    w = pool.submit_and_watch(data, at_number=1)
    seen: list[object] = []

    async def consume() -> None:
        async for status in w:
            seen.append(status.to_json())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(consume)
        await trio.lowlevel.checkpoint()
        pool.on_block_imported([data], at_number=2, block_hash=B2)
        await trio.lowlevel.checkpoint()
        pool.on_block_finalized(B2)
    assert seen == ["ready", {"inBlock": "0x" + B2.hex()}, {"finalized": "0x" + B2.hex()}]


async def test_unwatched_stream_is_forgotten() -> None:
    pool = make_pool(FakeChain())
    data = xt(ALICE, 0)
    w = pool.submit_and_watch(data, at_number=1)
    w.close()
    pool.on_block_imported([data], at_number=2, block_hash=B2)  # must not raise
    assert not pool._listener.is_watched(w.hash)


async def test_import_notifications() -> None:
    pool = make_pool(FakeChain())
    rx = pool.import_notifications()
    h1 = pool.submit(xt(ALICE, 1), at_number=1)
    h0 = pool.submit(xt(ALICE, 0), at_number=1)
    assert [rx.receive_nowait(), rx.receive_nowait()] == [h0, h1]


def test_status_json_shapes() -> None:
    assert TransactionStatus("ready").to_json() == "ready"
    assert TransactionStatus("inBlock", b"\xab" * 32).to_json() == {"inBlock": "0x" + "ab" * 32}
    assert TransactionStatus("dropped").is_final
    assert not TransactionStatus("inBlock", b"").is_final
