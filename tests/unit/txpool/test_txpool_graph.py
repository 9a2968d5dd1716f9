"""Dependency-graph tests for the ready/future queues, using sc-transaction-pool's own scenarios."""

from __future__ import annotations

import pytest

from node.txpool import CycleDetected, PoolTransaction, TooLowPriority
from node.txpool.base import BasePool
from node.txpool.ready import ReadyTransactions
from node.txpool.transaction import U64_MAX, Limit


def t(n: int) -> bytes:
    return bytes([n])


def mk(
    ident: int, *, requires: list[int] = (), provides: list[int] = (), priority: int = 5,  # type: ignore[assignment]
    valid_till: int = 64,
) -> PoolTransaction:
    return PoolTransaction(
        data=bytes([ident]), hash=bytes([ident]) * 32, priority=priority, valid_till=valid_till,
        requires=tuple(t(r) for r in requires), provides=tuple(t(p) for p in provides),
    )


def ids(txs: object) -> list[int]:
    return [tx.data[0] for tx in txs]  # type: ignore[attr-defined]


def populate(ready: ReadyTransactions) -> None:
    """ready.rs `populate_pool`: tx1 -> tx2 -> tx3, tx1 -> tx4 -> tx5 -> tx6, tx1 -> tx7 (tx3 also needs tx1)."""
    txs = [
        mk(1, provides=[3, 4], priority=1, valid_till=2),
        mk(2, requires=[3, 4], provides=[106], priority=1, valid_till=2),
        mk(3, requires=[3, 106], priority=1, valid_till=2),
        mk(7, requires=[3], priority=1, valid_till=U64_MAX),
        mk(4, requires=[3], provides=[107], priority=1, valid_till=2),
        mk(5, requires=[107], provides=[108], priority=1, valid_till=2),
        mk(6, requires=[108], priority=1, valid_till=2),
    ]
    for tx in txs:
        ready.import_(tx)


def test_best_iterator_order_matches_substrate() -> None:
    ready = ReadyTransactions()
    populate(ready)
    assert ids(ready.iterate()) == [1, 2, 3, 4, 5, 6, 7]


def test_report_invalid_skips_dependents() -> None:
    ready = ReadyTransactions()
    populate(ready)
    it = ready.iterate()
    assert ids([next(it), next(it), next(it)]) == [1, 2, 3]
    tx4 = next(it)
    assert tx4.data[0] == 4
    it.report_invalid(tx4.hash)
    assert ids(it) == [7]


def test_priority_then_longevity_then_insertion() -> None:
    ready = ReadyTransactions()
    for tx in [mk(1, provides=[1], priority=1), mk(2, provides=[2], priority=9), mk(3, provides=[3], priority=9),
               mk(4, provides=[4], priority=9, valid_till=10)]:
        ready.import_(tx)
    assert ids(ready.iterate()) == [4, 2, 3, 1]


def test_replace_requires_strictly_higher_priority() -> None:
    ready = ReadyTransactions()
    ready.import_(mk(2, provides=[3]))
    ready.import_(mk(3, provides=[4]))
    with pytest.raises(TooLowPriority) as info:
        ready.import_(mk(1, provides=[3, 4], priority=10))
    assert (info.value.old, info.value.new) == (10, 10)
    assert info.value.message == "Priority is too low: (10 vs 10)"
    replaced = ready.import_(mk(1, provides=[3, 4], priority=11))
    assert sorted(ids(replaced)) == [2, 3]
    assert ids(ready.iterate()) == [1]


def test_replace_drops_whole_subtree_when_a_tag_disappears() -> None:
    """base_pool/ready.rs `should_replace_multiple_transactions_correctly`: tx2 provided [2, 3], the
    replacement only [2], so tx2's dependents go (Substrate descends into all its unlocks)."""
    ready = ReadyTransactions()
    for tx in [mk(0, provides=[0]), mk(1, provides=[1]), mk(2, requires=[0, 1], provides=[2, 3]),
               mk(3, requires=[2], provides=[4]), mk(4, requires=[3], provides=[5])]:
        ready.import_(tx)
    ready.import_(mk(5, requires=[0, 1], provides=[2], priority=10))
    assert sorted(ids(ready.iterate())) == [0, 1, 5]
    assert len(ready) == 3


def test_replace_with_same_tags_keeps_dependents() -> None:
    ready = ReadyTransactions()
    for tx in [mk(1, provides=[1]), mk(2, requires=[1], provides=[2])]:
        ready.import_(tx)
    ready.import_(mk(3, provides=[1], priority=10))
    assert ids(ready.iterate()) == [3, 2]


def test_promote_a_subgraph() -> None:
    pool = BasePool()
    pool.import_(mk(1, requires=[0], provides=[1]))
    pool.import_(mk(3, requires=[2]))
    pool.import_(mk(2, requires=[1], provides=[3, 2]))
    pool.import_(mk(4, requires=[3, 4], priority=1000))
    assert ids(pool.ready_iter()) == []
    res = pool.import_(mk(5, provides=[0, 4]))
    assert ids(pool.ready_iter()) == [5, 1, 2, 4, 3]
    assert res.ready
    assert res.promoted == [bytes([i]) * 32 for i in (1, 2, 3, 4)]
    assert res.failed == []
    assert res.removed == []


def test_conflicting_future_is_removed_on_promotion() -> None:
    pool = BasePool()
    pool.import_(mk(3, requires=[1], provides=[3], priority=50))
    tx2 = mk(2, requires=[1], provides=[3])
    pool.import_(tx2)
    assert len(pool.future) == 2
    res = pool.import_(mk(1, provides=[1]))
    assert res.promoted == [bytes([3]) * 32]
    assert res.removed == [tx2]
    assert ids(pool.ready_iter()) == [1, 3]
    assert len(pool.future) == 0


def test_cycle_resolved_by_higher_priority() -> None:
    pool = BasePool()
    pool.import_(mk(1, requires=[0], provides=[1]))
    pool.import_(mk(3, requires=[1], provides=[2]))
    tx2 = mk(2, requires=[2], provides=[0])
    pool.import_(tx2)
    assert len(pool.future) == 3
    res = pool.import_(mk(4, provides=[0], priority=50))
    assert ids(pool.ready_iter()) == [4, 1, 3]
    assert res.removed == [tx2]
    assert len(pool.future) == 0


def test_cycle_with_low_priority_is_rejected() -> None:
    pool = BasePool()
    pool.import_(mk(1, requires=[0], provides=[1]))
    pool.import_(mk(3, requires=[1], provides=[2]))
    pool.import_(mk(2, requires=[2], provides=[0]))
    with pytest.raises(CycleDetected):
        pool.import_(mk(4, provides=[0], priority=1))
    assert len(pool.ready) == 0
    assert len(pool.future) == 0


def test_prune_tags_promotes_and_prunes_predecessors() -> None:
    pool = BasePool()
    pool.import_(mk(5, requires=[0], provides=[100]))
    pool.import_(mk(1, provides=[1]))
    pool.import_(mk(2, requires=[2], provides=[3]))
    pool.import_(mk(3, requires=[1], provides=[2]))
    pool.import_(mk(4, requires=[3, 2], provides=[4], priority=1000))
    assert len(pool.ready) == 4
    assert len(pool.future) == 1
    res = pool.prune_tags([t(0), t(2)])
    assert sorted(ids(res.pruned)) == [1, 3]
    assert res.failed == []
    assert [p.hash for p in res.promoted] == [bytes([5]) * 32]
    assert len(pool.future) == 0
    assert len(pool.ready) == 3
    assert sorted(ids(pool.ready_iter())) == [2, 4, 5]


def test_prune_removes_future_providing_the_tag() -> None:
    pool = BasePool()
    pool.import_(mk(0xAA, requires=[1], provides=[2]))
    res = pool.prune_tags([t(2)])
    assert res.failed == [bytes([0xAA]) * 32]
    assert res.pruned == []
    assert len(pool.future) == 0


def test_recently_pruned_tags_count_as_provided() -> None:
    pool = BasePool()
    pool.import_(mk(1, provides=[1]))
    pool.prune_tags([t(1)])
    assert pool.import_(mk(2, requires=[1], provides=[2])).ready
    pool.prune_tags([])
    pool.prune_tags([])
    assert not pool.import_(mk(3, requires=[1], provides=[3])).ready


def test_remove_subtree_ready_and_future() -> None:
    pool = BasePool()
    for tx in [mk(5, provides=[0, 4]), mk(1, requires=[0], provides=[1]), mk(3, requires=[2]),
               mk(2, requires=[1], provides=[3, 2]), mk(4, requires=[3, 4], priority=1000), mk(6, requires=[11])]:
        pool.import_(tx)
    assert len(pool.ready) == 5
    assert len(pool.future) == 1
    pool.remove_subtree([bytes([6]) * 32, bytes([1]) * 32])
    assert ids(pool.ready_iter()) == [5]
    assert len(pool.future) == 0


def test_enforce_limits_evicts_lowest_priority_oldest_first() -> None:
    pool = BasePool()
    for tx in [mk(1, provides=[1], priority=3), mk(2, provides=[2], priority=1), mk(3, provides=[3], priority=1),
               mk(4, requires=[2], provides=[4], priority=9)]:
        pool.import_(tx)
    removed = pool.enforce_limits(Limit(2, 10**6), Limit(10, 10**6))
    assert sorted(ids(removed)) == [2, 4]  # oldest of the priority-1 ones, with its dependent
    assert sorted(ids(pool.ready_iter())) == [1, 3]
    assert pool.status().ready_bytes == 2
