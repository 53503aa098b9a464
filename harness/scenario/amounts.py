"""Amounts with units: `10 KSM`, `0.5 DOT`, `-1.25 KSM`, `1_000_000 planck`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

PLANCK = "planck"
_AMOUNT = re.compile(r"^\s*(?P<sign>[+-])?\s*(?P<number>[0-9][0-9_]*(\.[0-9_]+)?)\s+(?P<unit>[A-Za-z][A-Za-z0-9]*)\s*$")


class AmountError(ValueError):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Amount:
    value: Decimal  # signed, in `unit`
    unit: str  # a token symbol, or "planck"

    @classmethod
    def parse(cls, text: object, *, signed: bool = False) -> "Amount":
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise AmountError(f"{text!r} is not an amount", "write a number and a unit, e.g. '10 KSM'")
        match = _AMOUNT.match(str(text))
        if not match:
            raise AmountError(f"'{text}' is not an amount with a unit",
                              "write a number and a unit, e.g. '10 KSM', '0.5 DOT' or '1_000_000 planck'")
        try:
            value = Decimal(match["number"].replace("_", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            raise AmountError(f"'{text}' has a bad number", "use digits, '.' and '_'") from None
        if match["sign"] == "-":
            value = value.copy_negate()  # exact; unary minus would round to the context's 28 digits
        unit = match["unit"]
        if unit.lower() == PLANCK:
            unit = PLANCK
            if value != value.to_integral_value():
                raise AmountError(f"'{text}' is a fraction of a planck", "planck amounts are whole numbers")
        if not signed:
            if match["sign"]:
                raise AmountError(f"'{text}' must be positive", "write the amount without a sign")
            if value <= 0:
                raise AmountError(f"'{text}' must be positive", "a transfer of nothing proves nothing")
        return cls(value, unit)

    def to_planck(self, decimals: int) -> int:
        if self.unit == PLANCK:
            return int(self.value)
        # exact integer arithmetic: Decimal.scaleb rounds to 28 significant digits, and u128 balances have up to 39
        sign, digits, exponent = self.value.as_tuple()
        exponent += decimals
        planck = int("".join(map(str, digits)) or "0")
        if exponent >= 0:
            planck *= 10 ** exponent
        else:
            planck, rest = divmod(planck, 10 ** -exponent)
            if rest:
                raise AmountError(f"{self} has more than {decimals} decimals", f"{self.unit} has {decimals} decimals")
        return -planck if sign else planck

    def __str__(self) -> str:
        return f"{self.value:f} {self.unit}"  # plain digits, never 1E-8


def format_planck(planck: int, decimals: int, symbol: str) -> str:
    """`1500000000000, 12, KSM` -> `1.5 KSM`, exact (no float rounding)."""
    whole, fraction = divmod(abs(planck), 10 ** decimals)  # integers: Decimal would round past 28 digits
    text = str(whole) + (f".{fraction:0{decimals}d}".rstrip("0") if fraction else "")
    return f"{'-' if planck < 0 else ''}{text} {symbol}"
