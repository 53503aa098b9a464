"""Call arguments written as substrate-interface decodes them, made into what its encoder takes.

scalecodec decodes a composite with one unnamed Vec field (a newtype such as xcm's `Xcm(Vec<Instruction>)` or
`Assets(Vec<Asset>)`) as the bare list, but encodes it only from a list holding that list: the message
`[WithdrawAsset(assets)]` must be passed as `[[{WithdrawAsset: [[asset]]}]]`. Scenario files write values the
way events show them; this walks the call's types in the chain's metadata (scale-info's portable registry) and
adds the wrapping. A value already wrapped is left as it is.

A nested call (a `RuntimeCall` argument, as pallet-utility's `batch_all` takes) is written like the outer one,
`{Pallet: {call_name: {arg: value}}}`; scalecodec encodes it (its `*::RuntimeCall` = GenericCall) only from
`{call_module, call_function, call_args}`, so it is rewritten into that, its arguments walked the same way.
"""
from __future__ import annotations

Types = dict[int, dict]  # type id -> scale-info type ({"path", "params", "def"})


def for_encoding(types: Types, type_id: int, value: object) -> object:
    definition = types[type_id]["def"]
    if (types[type_id].get("path") or [""])[-1] == "RuntimeCall" and "variant" in definition:
        return _call(types, definition["variant"]["variants"], value)
    if "composite" in definition:
        return _composite(types, definition["composite"]["fields"], value)
    if "variant" in definition:
        return _variant(types, definition["variant"]["variants"], value)
    if ("sequence" in definition or "array" in definition) and isinstance(value, list):
        inner = (definition.get("sequence") or definition["array"])["type"]
        return [for_encoding(types, inner, item) for item in value]
    if "tuple" in definition and isinstance(value, list) and len(value) == len(definition["tuple"]):
        return [for_encoding(types, inner, item) for inner, item in zip(definition["tuple"], value)]
    if "compact" in definition:
        return for_encoding(types, definition["compact"]["type"], value)
    return value


def _composite(types: Types, fields: list[dict], value: object) -> object:
    if len(fields) == 1 and fields[0]["name"] is None and "sequence" in types[fields[0]["type"]]["def"]:
        inner = fields[0]["type"]
        if _wrapped(types, inner, value):
            return [for_encoding(types, inner, value[0])]
        return [for_encoding(types, inner, value)]
    if isinstance(value, dict) and all(f["name"] is not None for f in fields):
        by_name = {f["name"]: f["type"] for f in fields}
        return {key: for_encoding(types, by_name[key], item) if key in by_name else item for key, item in value.items()}
    return value


def _variant(types: Types, variants: list[dict], value: object) -> object:
    if not (isinstance(value, dict) and len(value) == 1):
        return value  # a unit variant by name, or a shape the encoder will name the problem in
    (name, inner), = value.items()
    variant = next((v for v in variants if v["name"] == name), None)
    if variant is None or not variant["fields"]:
        return value
    fields = variant["fields"]
    if len(fields) == 1 and fields[0]["name"] is None:
        return {name: for_encoding(types, fields[0]["type"], inner)}
    return {name: _composite(types, fields, inner)}


def _call(types: Types, pallets: list[dict], value: object) -> object:
    """`{Pallet: {call: args}}` (or a bare `{Pallet: call}`) as GenericCall's encoder takes it."""
    if not (isinstance(value, dict) and len(value) == 1):
        return value  # already {call_module, ...}, or a shape the encoder will name the problem in
    (module, inner), = value.items()
    pallet = next((p for p in pallets if p["name"] == module), None)
    function, args = (inner, {}) if isinstance(inner, str) else next(iter(inner.items()), (None, {}))
    if pallet is None or not isinstance(args, dict):
        return value
    calls = types[pallet["fields"][0]["type"]]["def"]["variant"]["variants"]
    call = next((c for c in calls if c["name"] == function), None)
    fields = {f["name"]: f["type"] for f in call["fields"]} if call else {}
    return {"call_module": module, "call_function": function,
            "call_args": {k: for_encoding(types, fields[k], v) if k in fields else v for k, v in args.items()}}


def _wrapped(types: Types, sequence: int, value: object) -> bool:
    """Whether `value` is already the encoder's [[...]]: one list holding the items, whose type is no list."""
    item = types[types[sequence]["def"]["sequence"]["type"]]["def"]
    return (isinstance(value, list) and len(value) == 1 and isinstance(value[0], list)
            and not ({"sequence", "array", "tuple"} & item.keys()))
