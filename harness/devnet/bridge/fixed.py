"""FixedU128 arithmetic as sp_arithmetic does it: an integer of 10^18 parts.

Products and quotients round to the nearest, ties down (FixedU128::checked_mul/checked_div use
Rounding::NearestPrefDown); saturating_mul_int floors. Values saturate at u128::MAX.
"""
from __future__ import annotations

from .constants import FIXED_ONE

U128_MAX = 2 ** 128 - 1


def _nearest_pref_down(numerator: int, denominator: int) -> int:
    q, r = divmod(numerator, denominator)
    return q + 1 if 2 * r > denominator else q


def mul(a: int, b: int) -> int:
    return min(_nearest_pref_down(a * b, FIXED_ONE), U128_MAX)


def div(a: int, b: int) -> int:
    return min(_nearest_pref_down(a * FIXED_ONE, b), U128_MAX)


def mul_int(factor: int, n: int) -> int:
    return min(factor * n // FIXED_ONE, U128_MAX)


def from_u32(n: int) -> int:
    return n * FIXED_ONE
