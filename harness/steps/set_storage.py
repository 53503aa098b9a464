"""`set_storage`: one storage item written, encoded from the chain's metadata (a "what if" without a new runtime),
e.g. `set_storage: {chain: kusama-asset-hub, pallet: TransactionPayment, item: NextFeeMultiplier,
value: "2000000000000000000"}`; `key:` names a map's entry. The scenario's revert undoes it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..providers.capabilities import Capability
from ..network.storage import StorageOverride
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "pallet", "item", "value"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "pallet": {"type": "string", "minLength": 1},
                         "item": {"type": "string", "minLength": 1}, "key": {}, "value": {}}}


@dataclass(frozen=True)
class SetStorage:
    KEY: ClassVar[str] = "set_storage"
    chain: str
    override: StorageOverride


def parse(p: StepParser, body: dict, at: tuple) -> SetStorage:
    chain = p.chain(at + ("chain",), body["chain"])
    return SetStorage(chain, StorageOverride(body["pallet"], body["item"], body["value"], body.get("key")))


def run(ctx: StepContext, step, action: SetStorage, since: dict[str, int]) -> None:
    ctx.network.capability(Capability.STORAGE, "write storage (the set_storage step)")
    ctx.write_storage(action.chain, action.override)  # an item the metadata refuses fails the step, named


STEP = StepKind(SetStorage, SCHEMA, parse, run)
