"""Memos on System's hot storage items give the bytes and values of the type objects: BlockWeight written by
CheckWeight (encoded tail reused), and plain values stored with `put` (decoded value remembered)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pallets.balances.tests.mock import new_ext
from pallets.system.types import ConsumedWeight
from runtime.extensions import read_consumed, write_consumed

u64 = st.one_of(st.integers(0, (1 << 64) - 1), st.sampled_from([0, 63, 64, 1 << 14, 1 << 30, (1 << 64) - 1]))


@given(st.lists(st.lists(u64, min_size=6, max_size=6), min_size=1, max_size=4))
def test_block_weight_bytes_match_the_type_object(series: list[list[int]]) -> None:
    ext = new_ext()
    system = ext.rt.System
    names = ("normal", "operational", "mandatory")
    for values in series * 2:  # each value twice: the second time the encoded tail comes from the memo
        write_consumed(ext.rt, list(values))
        expected = ConsumedWeight.encode({n: {"ref_time": values[2 * i], "proof_size": values[2 * i + 1]}
                                          for i, n in enumerate(names)})
        assert ext.overlay.get(system.BlockWeight.item.prefix) == expected
        assert read_consumed(ext.rt) == values
        assert system.BlockWeight.get() == ConsumedWeight.decode(expected)


def test_put_remembers_only_values_the_bytes_decode_to() -> None:
    ext = new_ext()
    system = ext.rt.System
    system.ExtrinsicCount.put(7)
    assert system.ExtrinsicCount.get() == 7
    system.InherentsApplied.put(True)
    assert system.InherentsApplied.get() is True
    system.InherentsApplied.put(False)
    assert system.InherentsApplied.get() is False
    ext.rt.Balances.TotalIssuance.put(10**20)
    assert ext.rt.Balances.TotalIssuance.get() == 10**20
    assert ext.overlay.get(ext.rt.Balances.TotalIssuance.item.prefix) == (10**20).to_bytes(16, "little")
    ext.overlay.begin()
    ext.rt.Balances.TotalIssuance.put(5)
    ext.overlay.rollback()
    assert ext.rt.Balances.TotalIssuance.get() == 10**20


def test_identity_memo_answers_only_for_the_same_object() -> None:
    from runtime.support.memo import IdentityMemo
    from runtime.support.weights import DispatchInfo, Weight

    memo: IdentityMemo[str] = IdentityMemo(capacity=2)
    info = DispatchInfo(Weight(1, 2))
    assert memo.put(info, "a") == "a"
    assert memo.get(info) == "a"
    assert memo.get(DispatchInfo(Weight(1, 2))) is None  # equal, not the same object
    memo.put(object(), "b")
    memo.put(object(), "c")  # full: everything before is dropped
    assert memo.get(info) is None
