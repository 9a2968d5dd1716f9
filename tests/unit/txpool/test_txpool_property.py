"""Property tests: any submission order of nonce sequences ends all-ready, iterated in dependency order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from txpool_helpers import FakeChain, account, decode, make_pool, xt

from node.txpool import Limit, PoolOptions

OPTS = PoolOptions(future=Limit(10_000, 10**8))


@st.composite
def submissions(draw: st.DrawFn) -> list[bytes]:
    senders = draw(st.integers(min_value=1, max_value=3))
    txs = []
    for who in range(1, senders + 1):
        count = draw(st.integers(min_value=1, max_value=25))
        for nonce in range(count):
            priority = draw(st.integers(min_value=0, max_value=3))
            txs.append(xt(account(who), nonce, priority=priority))
    return draw(st.permutations(txs))


def assert_dependency_order(order: list[bytes]) -> None:
    next_nonce: dict[bytes, int] = {}
    for data in order:
        who, nonce, _, _ = decode(data)
        assert nonce == next_nonce.get(who, 0), "a transaction came before the one providing its requirement"
        next_nonce[who] = nonce + 1


@settings(max_examples=150, deadline=None)
@given(submissions())
def test_any_order_ends_all_ready_in_dependency_order(txs: list[bytes]) -> None:
    pool = make_pool(FakeChain(), options=OPTS)
    for data in txs:
        pool.submit(data, at_number=1)
    status = pool.status()
    assert status.future == 0
    assert status.ready == len(txs)
    order = [tx.data for tx in pool.ready()]
    assert sorted(order) == sorted(txs)
    assert_dependency_order(order)


@settings(max_examples=100, deadline=None)
@given(submissions(), st.integers(min_value=0, max_value=100))
def test_including_a_prefix_keeps_the_rest_ready_and_ordered(txs: list[bytes], cut: int) -> None:
    chain = FakeChain()
    pool = make_pool(chain, options=OPTS)
    for data in txs:
        pool.submit(data, at_number=1)
    order = [tx.data for tx in pool.ready()]
    included = order[: cut % (len(order) + 1)]
    chain.include(included)
    pool.on_block_imported(included, at_number=2, block_hash=b"\x02" * 32)
    rest = [tx.data for tx in pool.ready()]
    assert sorted(rest) == sorted(set(txs) - set(included))
    assert pool.status().future == 0
    for data in rest:  # every remaining sender chain continues from its on-chain nonce
        who, _, _, _ = decode(data)
        first = min(decode(d)[1] for d in rest if decode(d)[0] == who)
        assert first == chain.nonces.get(who, 0)
    next_nonce = dict(chain.nonces)
    for data in rest:
        who, nonce, _, _ = decode(data)
        assert nonce == next_nonce.get(who, 0)
        next_nonce[who] = nonce + 1
