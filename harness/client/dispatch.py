"""Dispatch errors by name: `Balances.InsufficientBalance`, `Token.FundsUnavailable`, `BadOrigin`.

substrate-interface names only Module errors; the other DispatchError variants (Token, Arithmetic,
Transactional...) carry their reason as a unit enum, decoded here. Variants from sp_runtime::DispatchError.
"""
from __future__ import annotations


def module_error_name(metadata, pallet_index: int, error: object) -> str:
    """`error` is the 4-byte ModuleError.error (hex) of current runtimes, or a bare u8 index of older ones."""
    if isinstance(error, str):
        index = bytes.fromhex(error.removeprefix("0x"))[0]
    else:
        index = int(error)
    for pallet in metadata.pallets:
        if pallet.value["index"] == pallet_index:
            errors = pallet.errors or []
            for item in errors:
                if item.value["index"] == index:
                    return f"{pallet.name}.{item.name}"
            return f"{pallet.name}.#{index}"
    return f"Module({pallet_index}).#{index}"


def dispatch_error_name(metadata, value: object) -> str:
    if isinstance(value, str):  # unit variants: BadOrigin, CannotLookup, Other, Exhausted, Corruption...
        return value
    if isinstance(value, dict) and len(value) == 1:
        (variant, inner), = value.items()
        if variant == "Module":
            return module_error_name(metadata, int(inner["index"]), inner["error"])
        if isinstance(inner, str):  # Token(FundsUnavailable), Arithmetic(Underflow), Transactional(...)
            return f"{variant}.{inner}"
        if inner is None:
            return variant
    return str(value)
