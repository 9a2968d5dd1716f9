"""§13.3 invariant 5 as a property over random adjust_stake sequences.

Σ ContractUserStakes[·, c] == ContractTotalStakes[c] for every contract; the escrow holds exactly ED
plus the sum of all totals; every account's free balance is its endowment minus its stakes (a
decrease is refunded at once and in full); failed calls change nothing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pallets.phat_contracts.tests.mock import ALICE, BOB, CHARLIE, ED, PHA, call, free, new_ext, state
from pallets.phat_tokenomic.types import ESCROW_ACCOUNT
from runtime.support import DispatchError

USERS = (ALICE, BOB, CHARLIE)
CONTRACTS = (b"\x01" * 32, b"\x02" * 32, b"\x03" * 32)
ENDOW = 50 * PHA
AMOUNTS = st.one_of(st.just(0), st.integers(1, 3 * ED), st.integers(0, 20 * PHA), st.integers(ENDOW - ED, ENDOW))

OPS = st.lists(st.tuples(st.sampled_from(range(3)), st.sampled_from(range(3)), AMOUNTS, st.booleans()),
               min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS, min_stake=st.sampled_from([0, ED, PHA]))
def test_stakes_balance_against_the_escrow(ops: list[tuple[int, int, int, bool]], min_stake: int) -> None:
    ext = new_ext(balances={u: ENDOW for u in USERS})
    ext.rt.PhalaPhatTokenomic.MinStake.put(min_stake)
    model = {(u, c): 0 for u in range(3) for c in range(3)}
    for u, c, amount, refund_all in ops:
        amount = 0 if refund_all and amount % 3 == 0 else amount
        before = state(ext)
        try:
            call(ext, USERS[u], "PhalaPhatTokenomic", "adjust_stake", contract=CONTRACTS[c], amount=amount)
        except DispatchError:
            assert state(ext) == before
            assert (amount != 0 and amount < min_stake) or amount > model[(u, c)]  # only min-stake or funds
            continue
        model[(u, c)] = amount
    p = ext.rt.PhalaPhatTokenomic
    for c in range(3):
        users_sum = sum(p.ContractUserStakes.get(USERS[u], CONTRACTS[c]) for u in range(3))
        assert users_sum == p.ContractTotalStakes.get(CONTRACTS[c]) == sum(model[(u, c)] for u in range(3))
    assert free(ext, ESCROW_ACCOUNT) == ED + sum(model.values())
    for u in range(3):
        assert free(ext, USERS[u]) == ENDOW - sum(model[(u, c)] for c in range(3))
    # Unstaking everything refunds everything.
    for (u, c), amount in model.items():
        if amount:
            call(ext, USERS[u], "PhalaPhatTokenomic", "adjust_stake", contract=CONTRACTS[c], amount=0)
    assert all(free(ext, user) == ENDOW for user in USERS)
    assert free(ext, ESCROW_ACCOUNT) == ED
    assert all(p.ContractTotalStakes.get(c) == 0 for c in CONTRACTS)
