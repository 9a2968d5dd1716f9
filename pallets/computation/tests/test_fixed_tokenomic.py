"""U64F64 helpers and tokenomic arithmetic against Phala's own test vectors (computation.rs tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pallets.computation import fixed as fp
from pallets.computation.tokenomic import (
    benchmark_update,
    default_tokenomic_parameters,
    minimal_stake,
    op_cost,
    pow_target,
    rig_cost,
    ve,
)
from runtime.support.errors import ArithmeticError

PHA = 10**12
PARAMS = default_tokenomic_parameters()


def _pow(x: int, n: int) -> int:
    z = fp.ONE
    while n:
        if n & 1:
            z = fp.mul(z, x)
        x = fp.mul(x, x)
        n >>= 1
    return z


def test_from_str_rounds_to_nearest_even() -> None:
    assert fp.from_str("93.75") == 1729382256910270464000  # MaxBudgetLimit bits in computation.rs
    assert fp.from_str("1") == fp.ONE
    assert fp.from_str("0.5") == fp.ONE // 2
    half_ulp = "0." + "0" * 19 + "271050543121376108501863200217485427856445312500"  # 2^-65 exactly
    assert fp.from_str(half_ulp) == 0  # tie → even (0)
    with pytest.raises(ValueError, match="decimal literal"):
        fp.from_str("-1")


def test_overflow_and_division_by_zero_are_typed() -> None:
    with pytest.raises(ArithmeticError, match="Overflow"):
        fp.from_int(1 << 64)
    with pytest.raises(ArithmeticError, match="DivisionByZero"):
        fp.div(fp.ONE, 0)
    with pytest.raises(ArithmeticError, match="Underflow"):
        fp.sub(0, 1)
    assert fp.checked_div(fp.ONE, 0) is None


def test_tokenomic_vectors_from_phala() -> None:
    assert PARAMS["v_max"] == fp.from_int(30000)
    assert minimal_stake(PARAMS, 1000) == 3162_277660146355  # fixed_sqrt keeps only 32 fractional bits
    for level in (1, 2, 3):
        assert ve(PARAMS, 1000 * PHA, 1000, level) == fp.from_str("1690.0000000000000000282")
    assert ve(PARAMS, 1000 * PHA, 1000, 4) == fp.from_str("1612.0000000000000000247")
    assert ve(PARAMS, 1000 * PHA, 1000, 5) == fp.from_str("1572.9999999999999999877")
    assert rig_cost(PARAMS, 500) == fp.from_str("150.0000000000000000054")
    assert rig_cost(PARAMS, 2000) == fp.from_str("600.0000000000000000217")
    assert rig_cost(PARAMS, 2800) == fp.from_str("840.00000000000000003036")
    assert _pow(fp.sub(fp.ONE, PARAMS["slash_rate"]), 300) == fp.from_str("0.9990004981683704595")
    assert _pow(PARAMS["rho"], 300) == fp.from_str("1.00019999999998037056")
    assert fp.div_int(fp.mul_int(PARAMS["budget_per_block"], 3600 * 24), 12) == fp.from_int(720000)
    yearly = fp.mul_int(fp.div_int(op_cost(PARAMS, 2000), 12), 3600 * 24 * 365)
    assert yearly == fp.from_str("171.71874999975847951583")


def test_pow_target_vectors() -> None:
    assert pow_target(20, 0, 12) == 0
    assert pow_target(20, 20, 12) == 771946525395830978497002573683960742805751636319313395421818009383503547160
    assert pow_target(20, 200_000, 12) == 11574228623567775471528085581038571683760509746329738253007553123311417715


def test_benchmark_update_vectors() -> None:
    b = {"p_init": 100, "p_instant": 0, "iterations": 0, "working_start_time": 0, "challenge_time_last": 0}
    assert benchmark_update(b, 100, 1000, 90)
    assert b == {"p_init": 100, "p_instant": 60, "iterations": 1000, "working_start_time": 0, "challenge_time_last": 90}
    assert benchmark_update(b, 200, 999, 190)  # counter reset
    assert b == {"p_init": 100, "p_instant": 0, "iterations": 999, "working_start_time": 0, "challenge_time_last": 190}
    assert not benchmark_update(b, 190, 2000, 200)  # not after the last challenge


def test_balance_conversion_round_trip_of_max_supply() -> None:
    balance = 1_000_000_000 * PHA
    assert fp.to_fixed(balance) == fp.from_int(1_000_000_000)
    assert fp.from_fixed(fp.to_fixed(balance)) == balance


@given(st.integers(0, fp.MAX), st.integers(1, fp.MAX))
def test_mul_div_are_floor_or_overflow(a: int, b: int) -> None:
    product, quotient = (a * b) >> 64, (a << 64) // b
    if product > fp.MAX:
        with pytest.raises(ArithmeticError):
            fp.mul(a, b)
    else:
        assert fp.mul(a, b) == product
    if quotient > fp.MAX:
        with pytest.raises(ArithmeticError):
            fp.div(a, b)
    else:
        assert fp.div(a, b) * b <= a << 64 < (fp.div(a, b) + 1) * b


@given(st.integers(0, 10**24))
def test_to_fixed_never_overstates(balance: int) -> None:
    assert fp.from_fixed(fp.to_fixed(balance)) <= balance
