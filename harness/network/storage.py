"""Storage overrides: `storage:` per chain in a network file, and the `set_storage` step. Each names a pallet's
storage item (and a map's `key`) and the value to write, encoded from the chain's own metadata when written
(engine/storage.py), so that any provider that writes storage (the devnet, chopsticks' dev_setStorage) takes it.

    chains:
      kusama-asset-hub:
        storage:
          - {pallet: TransactionPayment, item: NextFeeMultiplier, value: "2000000000000000000"}
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scenario.positions import KeyPath, ScenarioError, SourceDoc, error_at

KEYS = ("pallet", "item", "key", "value")


@dataclass(frozen=True)
class StorageOverride:
    pallet: str
    item: str
    value: object  # as events show values; None removes the item
    key: object = None  # a map's key; a list for a map of several keys
    where: str = ""  # file:line:col of the override, for errors at run time

    @property
    def params(self) -> list:
        if self.key is None:
            return []
        return list(self.key) if isinstance(self.key, list) else [self.key]

    @property
    def name(self) -> str:
        return f"{self.pallet}.{self.item}" + (f"[{self.key!r}]" if self.key is not None else "")


def parse_overrides(doc: SourceDoc, path: KeyPath, raw: object) -> tuple[list[StorageOverride], list[ScenarioError]]:
    """A network file's `storage:` list for one chain; the pallet, item and value are checked against the chain's
    metadata when the network is up."""
    hint = "e.g. storage: [{pallet: TransactionPayment, item: NextFeeMultiplier, value: \"1000000000000000000\"}]"
    if not isinstance(raw, list):
        return [], [error_at(doc, path, "storage must be a list of {pallet, item, key?, value}", hint)]
    overrides, errors = [], []
    for i, entry in enumerate(raw):
        at = path + (i,)
        if not isinstance(entry, dict):
            errors.append(error_at(doc, at, "a storage override is a mapping", hint))
            continue
        bad = [k for k in entry if k not in KEYS]
        for k in bad:
            errors.append(error_at(doc, at + (k,), f"unknown key '{k}'", f"an override takes {', '.join(KEYS)}"))
        missing = [k for k in ("pallet", "item", "value") if k not in entry]
        if missing:
            errors.append(error_at(doc, at, f"missing {', '.join(missing)}", hint))
        for k in ("pallet", "item"):
            if k in entry and not (isinstance(entry[k], str) and entry[k]):
                errors.append(error_at(doc, at + (k,), f"'{k}' must name it, e.g. {k}: "
                                       + ("TransactionPayment" if k == "pallet" else "NextFeeMultiplier")))
        if bad or missing or errors:
            continue
        pos = doc.position(at)
        overrides.append(StorageOverride(entry["pallet"], entry["item"], entry["value"], entry.get("key"),
                                         f"{doc.file}:{pos.line}:{pos.column}"))
    return overrides, errors
