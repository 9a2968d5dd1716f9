"""Pool tests: submission errors (Substrate codes), bans, replacement, limits, pipelined nonces, maintenance."""

from __future__ import annotations

import random

import pytest
from txpool_helpers import FakeChain, FakeClock, account, decode, make_pool, tag, xt

from node.txpool import (
    AlreadyImported,
    ImmediatelyDropped,
    Limit,
    NoTagsProvided,
    Pool,
    PoolInvalidTransaction,
    PoolOptions,
    PoolUnknownTransaction,
    TemporarilyBanned,
    TooLowPriority,
    Validator,
    hash_of,
)
from runtime.primitives.hashing import blake2_256
from runtime.validity import (
    InvalidKind,
    InvalidTransaction,
    UnknownKind,
    UnknownTransaction,
    ValidTransaction,
)

ALICE, BOB = account(1), account(2)
BIG_FUTURE = PoolOptions(future=Limit(5000, 10**8))


def nonces(pool_iter: object) -> list[int]:
    return [decode(tx.data)[1] for tx in pool_iter]  # type: ignore[attr-defined]


def test_submit_returns_blake2_of_full_bytes_and_is_ready() -> None:
    pool = make_pool(FakeChain())
    data = xt(ALICE, 0)
    assert pool.submit(data, at_number=1) == blake2_256(data) == hash_of(data)
    assert pool.status().ready == 1
    assert pool.status().ready_bytes == len(data)
    assert pool.pending() == [data]


def test_duplicate_is_1013_with_hash_data() -> None:
    pool = make_pool(FakeChain())
    h = pool.submit(xt(ALICE, 0), at_number=1)
    with pytest.raises(AlreadyImported) as info:
        pool.submit(xt(ALICE, 0), at_number=1)
    assert info.value.to_json() == {"code": 1013, "message": "Transaction Already Imported", "data": "0x" + h.hex()}


def test_invalid_is_1010_and_then_banned_1012() -> None:
    chain = FakeChain()
    bad = xt(ALICE, 0, salt=7)
    chain.bad.add(bad)
    pool = make_pool(chain)
    with pytest.raises(PoolInvalidTransaction) as info:
        pool.submit(bad, at_number=1)
    assert info.value.to_json() == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction has a bad signature"}
    calls = chain.calls
    with pytest.raises(TemporarilyBanned) as banned:
        pool.submit(bad, at_number=1)
    assert banned.value.to_json() == {"code": 1012, "message": "Transaction is temporarily banned"}
    assert chain.calls == calls  # refused before validation


def test_stale_nonce_message_and_custom() -> None:
    chain = FakeChain(nonces={ALICE: 5})
    pool = make_pool(chain)
    with pytest.raises(PoolInvalidTransaction) as info:
        pool.submit(xt(ALICE, 4), at_number=1)
    assert info.value.data == "Transaction is outdated"

    def custom(_: bytes, __: int) -> ValidTransaction:
        raise InvalidTransaction(InvalidKind.Custom, 42)

    with pytest.raises(PoolInvalidTransaction) as info2:
        make_pool_with(custom).submit(b"x", at_number=1)
    assert info2.value.data == "Custom error: 42"


def make_pool_with(validate: Validator) -> Pool:
    return Pool(validate, clock=FakeClock())


def test_unknown_is_1011_and_not_banned() -> None:
    def unknown(_: bytes, __: int) -> ValidTransaction:
        raise UnknownTransaction(UnknownKind.CannotLookup)

    pool = make_pool_with(unknown)
    for _ in range(2):
        with pytest.raises(PoolUnknownTransaction) as info:
            pool.submit(b"abc", at_number=1)
        assert info.value.to_json() == {"code": 1011, "message": "Unknown Transaction Validity", "data": "CannotLookup"}


def test_no_provides_is_rejected() -> None:
    pool = make_pool_with(lambda _x, _n: ValidTransaction(provides=()))
    with pytest.raises(NoTagsProvided) as info:
        pool.submit(b"abc", at_number=1)
    assert info.value.code == 1019


def test_ban_lasts_30_minutes_with_fake_clock() -> None:
    chain, clock = FakeChain(), FakeClock()
    bad = xt(ALICE, 0)
    chain.bad.add(bad)
    pool = make_pool(chain, clock)
    with pytest.raises(PoolInvalidTransaction):
        pool.submit(bad, at_number=1)
    clock.now += 1799
    with pytest.raises(TemporarilyBanned):
        pool.submit(bad, at_number=1)
    assert pool.is_banned(hash_of(bad))
    clock.now += 2
    assert not pool.is_banned(hash_of(bad))
    with pytest.raises(PoolInvalidTransaction):
        pool.submit(bad, at_number=1)


def test_dev_options_ban_for_zero_seconds() -> None:
    opts = PoolOptions.from_cli(is_dev=True)
    assert opts.ban_seconds == 0
    assert opts.future == Limit(819, 2097152)
    assert opts.ready == Limit(8192, 20971520)
    assert PoolOptions().future == Limit(512, 1 << 20)
    assert PoolOptions().ban_seconds == 1800


def test_priority_replacement_1014_then_usurp() -> None:
    pool = make_pool(FakeChain())
    low = pool.submit(xt(ALICE, 0, priority=10), at_number=1)
    with pytest.raises(TooLowPriority) as info:
        pool.submit(xt(ALICE, 0, priority=10, salt=1), at_number=1)
    assert info.value.to_json()["message"] == "Priority is too low: (10 vs 10)"
    assert info.value.code == 1014
    high = pool.submit(xt(ALICE, 0, priority=11, salt=2), at_number=1)
    assert low not in pool
    assert high in pool
    assert pool.status().ready == 1


def test_future_waits_and_is_promoted() -> None:
    pool = make_pool(FakeChain())
    h1 = pool.submit(xt(ALICE, 1), at_number=1)
    assert pool.status().future == 1
    assert list(pool.ready()) == []
    assert [tx.hash for tx in pool.futures()] == [h1]
    pool.submit(xt(ALICE, 0), at_number=1)
    assert pool.status().future == 0
    assert nonces(pool.ready()) == [0, 1]
    assert pool.pending(include_future=True) == pool.pending()


def test_1000_shuffled_nonces_all_ready_in_order() -> None:
    pool = make_pool(FakeChain(), options=BIG_FUTURE)
    txs = [xt(ALICE, n) for n in range(1000)]
    random.Random(7).shuffle(txs)
    for data in txs:
        pool.submit(data, at_number=1)
    assert pool.status().ready == 1000
    assert pool.status().future == 0
    assert nonces(pool.ready()) == list(range(1000))


def test_interleaved_senders_respect_priority_and_dependencies() -> None:
    pool = make_pool(FakeChain())
    pool.submit(xt(ALICE, 1, priority=100), at_number=1)
    pool.submit(xt(BOB, 0, priority=5), at_number=1)
    pool.submit(xt(ALICE, 0, priority=1), at_number=1)
    order = [(decode(tx.data)[0], decode(tx.data)[1]) for tx in pool.ready()]
    assert order == [(BOB, 0), (ALICE, 0), (ALICE, 1)]


def test_ready_limit_evicts_and_immediately_drops() -> None:
    opts = PoolOptions(ready=Limit(3, 10**6))
    pool = make_pool(FakeChain(), options=opts)
    for who in (1, 2, 3):
        pool.submit(xt(account(who), 0, priority=5), at_number=1)
    with pytest.raises(ImmediatelyDropped) as info:
        pool.submit(xt(account(4), 0, priority=1), at_number=1)
    assert info.value.to_json() == {"code": 1016, "message": "Immediately Dropped",
                                    "data": "The transaction couldn't enter the pool because of the limit"}
    assert pool.status().ready == 3
    assert pool.is_banned(hash_of(xt(account(4), 0, priority=1)))
    # a higher-priority newcomer evicts the oldest lowest-priority one instead
    pool.submit(xt(account(5), 0, priority=9), at_number=1)
    assert hash_of(xt(account(1), 0, priority=5)) not in pool
    assert pool.status().ready == 3


def test_byte_limit_and_future_limit() -> None:
    size = len(xt(ALICE, 0))
    pool = make_pool(FakeChain(), options=PoolOptions(ready=Limit(100, 2 * size), future=Limit(2, 10**6)))
    pool.submit(xt(ALICE, 0), at_number=1)
    pool.submit(xt(BOB, 0), at_number=1)
    pool.submit(xt(account(3), 0), at_number=1)  # over the byte limit: the oldest equal-priority one goes
    assert hash_of(xt(ALICE, 0)) not in pool
    assert pool.status().ready_bytes == 2 * size
    f1 = pool.submit(xt(ALICE, 5), at_number=1)
    pool.submit(xt(ALICE, 6), at_number=1)
    pool.submit(xt(ALICE, 7), at_number=1)  # oldest future goes
    assert f1 not in pool
    assert pool.status().future == 2


def test_block_import_prunes_promotes_and_revalidates() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    txs = [xt(ALICE, n) for n in range(5)]
    for data in txs:
        pool.submit(data, at_number=1)
    chain.include(txs[:3])
    report = pool.on_block_imported(txs[:3], at_number=2, block_hash=b"\x02" * 32)
    assert report.in_block == [hash_of(d) for d in txs[:3]]
    assert nonces(pool.ready()) == [3, 4]
    assert pool.get(hash_of(txs[3])).requires == ()  # type: ignore[union-attr]  # re-validated: nonce 3 is next
    assert report.revalidated == 2
    assert report.invalid == []
    with pytest.raises(TemporarilyBanned):  # included hashes are banned, as after Substrate's re-verification
        pool.submit(txs[0], at_number=2)
    # the next nonce after a block lands straight in ready
    pool.submit(xt(ALICE, 5), at_number=2)
    assert nonces(pool.ready()) == [3, 4, 5]


def test_block_from_elsewhere_prunes_by_tags_and_reverifies_displaced() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    mine = pool.submit(xt(ALICE, 0), at_number=1)
    pool.submit(xt(ALICE, 1), at_number=1)
    other = xt(ALICE, 0, salt=99)  # same nonce, different transaction, included by someone else
    chain.include([other], parent=1)
    report = pool.on_block_imported([other], at_number=2, block_hash=b"\x02" * 32, revalidate=False)
    assert mine not in pool
    assert mine in report.invalid
    assert pool.is_banned(mine)
    assert nonces(pool.ready()) == [1]


def test_revalidation_removes_invalid_with_dependents_and_bans_root() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    txs = [xt(ALICE, n) for n in range(3)]
    for data in txs:
        pool.submit(data, at_number=1)
    keep = pool.submit(xt(BOB, 0), at_number=1)
    chain.bad.add(txs[0])
    report = pool.on_block_imported([], at_number=2, block_hash=b"\x02" * 32)
    assert set(report.invalid) == {hash_of(d) for d in txs}
    assert pool.is_banned(hash_of(txs[0]))
    assert not pool.is_banned(hash_of(txs[1]))
    assert [tx.hash for tx in pool.ready()] == [keep]


def test_partial_revalidation_rotates() -> None:
    chain = FakeChain()
    pool = make_pool(chain)
    for who in range(1, 7):
        pool.submit(xt(account(who), 0), at_number=1)
    before = chain.calls
    assert pool.on_block_imported([], at_number=2, block_hash=b"\x02" * 32, revalidate=4).revalidated == 4
    assert pool.on_block_imported([], at_number=3, block_hash=b"\x03" * 32, revalidate=4).revalidated == 4
    assert chain.calls - before == 8
    assert pool.on_block_imported([], at_number=4, block_hash=b"\x04" * 32, revalidate=False).revalidated == 0


def test_stale_transactions_are_removed_as_invalid() -> None:
    pool = make_pool(FakeChain())
    short = pool.submit(xt(ALICE, 0, longevity=3), at_number=1)  # valid_till = 4
    dependent = pool.submit(xt(ALICE, 1), at_number=1)
    assert pool.on_block_imported([], at_number=3, block_hash=b"\x03" * 32, revalidate=False).invalid == []
    report = pool.on_block_imported([], at_number=4, block_hash=b"\x04" * 32, revalidate=False)
    assert set(report.invalid) == {short, dependent}
    assert pool.is_banned(short)
    assert pool.status().total == 0


def test_remove_and_count_consecutive() -> None:
    pool = make_pool(FakeChain(), options=BIG_FUTURE)
    hashes = [pool.submit(xt(ALICE, n), at_number=1) for n in (0, 1, 2, 4)]
    assert pool.count_consecutive(lambda n: tag(ALICE, n), 0) == 3
    assert pool.count_consecutive(lambda n: tag(BOB, n), 0) == 0
    assert tag(ALICE, 2) in pool.provides_tags()
    removed = pool.remove([hashes[1]])
    assert removed == [hashes[1], hashes[2]]  # dependent goes too
    assert pool.count_consecutive(lambda n: tag(ALICE, n), 0) == 1
    assert pool.is_banned(hashes[1])
    assert not pool.is_banned(hashes[2])
    assert pool.remove([]) == []
