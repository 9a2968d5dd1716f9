"""U64F64 fixed point as plain ints (the raw `u128` bits), with the `fixed` crate's rounding.

Phala keeps every tokenomic quantity as `fixed::types::U64F64` and moves it around as its bits
(`U64F64Bits = u128`). Runtime code may not use floats, so here a fixed-point value *is* its bits:
`bits / 2**64`. Every operation truncates like the Rust types do for unsigned values (toward −∞,
which for unsigned numbers is floor), and an out-of-range result raises `ArithmeticError("Overflow")`
where the Rust code would panic (`unwrapped_*`, checked ops) instead of wrapping silently.

The helpers that Phala's `balance_convert.rs` builds on U80F48 (`to_fixed`, `from_fixed`) and the
`fixed-sqrt` crate's square root (`isqrt(bits) << 32`, i.e. only 32 fractional bits are exact) are
reproduced bit for bit; `from_str` parses decimal literals the way `fp!(...)` does (round to nearest,
ties to even).
"""

from __future__ import annotations

from math import isqrt

from runtime.support.errors import ArithmeticError

FRAC_BITS = 64
ONE = 1 << FRAC_BITS
"""1.0 as U64F64 bits."""
MAX = (1 << 128) - 1
"""The largest U64F64 bit pattern (u128::MAX)."""
PHA = 1_000_000_000_000
"""One PHA in raw balance units (12 decimals), the scale of `balance_convert`."""
_U80F48_MAX = (1 << 128) - 1


def _check(bits: int) -> int:
    if bits < 0:
        raise ArithmeticError("Underflow")
    if bits > MAX:
        raise ArithmeticError("Overflow")
    return bits


def from_int(n: int) -> int:
    """`U64F64::from_num(n)` for an unsigned integer; Overflow when n ≥ 2^64."""
    return _check(n << FRAC_BITS)


def to_int(bits: int) -> int:
    """`to_num::<u64/u128>()`: the integer part (floor)."""
    return bits >> FRAC_BITS


def add(a: int, b: int) -> int:
    """a + b, Overflow beyond u128 bits."""
    return _check(a + b)


def sub(a: int, b: int) -> int:
    """a − b, Underflow below zero."""
    return _check(a - b)


def mul(a: int, b: int) -> int:
    """a · b, truncated to 64 fractional bits (fixed's `Mul` for unsigned values)."""
    return _check((a * b) >> FRAC_BITS)


def div(a: int, b: int) -> int:
    """a / b, truncated; DivisionByZero when b is zero."""
    if b == 0:
        raise ArithmeticError("DivisionByZero")
    return _check((a << FRAC_BITS) // b)


def checked_div(a: int, b: int) -> int | None:
    """`checked_div`: None on division by zero or overflow."""
    if b == 0:
        return None
    q = (a << FRAC_BITS) // b
    return q if q <= MAX else None


def mul_int(a: int, n: int) -> int:
    """a · n for an integer n (fixed's `Mul<u128>`/`mul_int`)."""
    return _check(a * n)


def div_int(a: int, n: int) -> int:
    """a / n for an integer n (fixed's `Div<u128>`/`div_int`): the bits divided, truncated."""
    if n == 0:
        raise ArithmeticError("DivisionByZero")
    return _check(a // n)


def sqrt(a: int) -> int:
    """`fixed_sqrt::FixedSqrt::sqrt` for U64F64: `from_bits(isqrt(bits) << 32)` (32 exact fractional bits)."""
    return _check(isqrt(a) << (FRAC_BITS // 2))


def from_str(text: str) -> int:
    """Parse a non-negative decimal literal like `fp!("1.3")`: nearest U64F64, ties to even."""
    s = text.strip().replace("_", "")
    if not s or s.count(".") > 1 or not s.replace(".", "").isdigit():
        raise ValueError(f"not an unsigned decimal literal: {text!r}")
    int_part, _, frac_part = s.partition(".")
    denom = 10 ** len(frac_part)
    numer = int(int_part or "0") * denom + int(frac_part or "0")
    q, r = divmod(numer << FRAC_BITS, denom)
    if 2 * r > denom or (2 * r == denom and q & 1):
        q += 1
    return _check(q)


def to_fixed(balance: int) -> int:
    """`balance_convert::to_fixed`: U80F48::from_num(balance) / PHA (truncated), widened to U64F64."""
    u80f48 = balance << 48
    if balance < 0 or u80f48 > _U80F48_MAX:
        raise ArithmeticError("Overflow")
    return _check((u80f48 // PHA) << 16)


def from_fixed(bits: int) -> int:
    """`balance_convert::from_fixed`: U80F48::from_num(v) (drops 16 bits) · PHA, integer part."""
    scaled = (bits >> 16) * PHA
    if scaled > _U80F48_MAX:
        raise ArithmeticError("Overflow")
    return scaled >> 48


def balance_from_bits(bits: int) -> int:
    """`FixedPointConvert::from_bits`: a balance from U64F64 bits (same as `from_fixed`)."""
    return from_fixed(bits)


def bmul(balance: int, factor: int) -> int:
    """`balance_convert::mul`: from_fixed(to_fixed(balance) · factor)."""
    return from_fixed(mul(to_fixed(balance), factor))


def bdiv(balance: int, divisor: int) -> int:
    """`balance_convert::div`: from_fixed(to_fixed(balance) / divisor)."""
    return from_fixed(div(to_fixed(balance), divisor))


def to_decimal(bits: int, digits: int = 20) -> str:
    """A decimal rendering (truncated to `digits` places) for logs and error messages."""
    whole, frac = divmod(bits, ONE)
    return f"{whole}.{(frac * 10 ** digits) >> FRAC_BITS:0{digits}d}"
