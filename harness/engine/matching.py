"""Field matchers for events: subset matching, `"*"` for any value, account names for addresses."""
from __future__ import annotations

ANY = "*"


def matches(expected: object, actual: object, addresses: dict[str, str]) -> bool:
    if expected == ANY or expected == {}:   # {}: no field asked for (an event without fields decodes to None)
        return True
    if isinstance(expected, dict):
        if isinstance(actual, str) and len(expected) == 1:  # unit enum variant written as {Variant: "*"}
            (key, value), = expected.items()
            return key == actual and value in (ANY, None)
        return isinstance(actual, dict) and all(
            key in actual and matches(value, actual[key], addresses) for key, value in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, (list, tuple)) and len(expected) == len(actual) and all(
            matches(e, a, addresses) for e, a in zip(expected, actual))
    if isinstance(expected, str) and expected in addresses:
        return actual == addresses[expected]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, int) and isinstance(actual, (int, str)):
        try:
            return int(actual) == expected
        except ValueError:
            return False
    return expected == actual
