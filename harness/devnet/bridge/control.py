"""The relayer's dev RPCs: names, parameters and JSON results (the RPC layer registers them).

dev_relayerPause [] -> null, dev_relayerResume [] -> null, dev_relayerDelay [blocks] -> null,
dev_relayerState [] -> {paused, delay_blocks, lanes: {"Kusama->Polkadot": {generated, delivered,
confirmed}, ...}, calls_planned, failures}. Bad parameters raise ValueError with the reason, which
the RPC layer reports as invalid params.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:     # the RPC layer imports the names without the runtime behind the relayer
    from .relayer import Relayer


def _no_params(params: list) -> None:
    if params:
        raise ValueError(f"expected no parameters, got {len(params)}")


def _pause(relayer: Relayer, params: list) -> None:
    _no_params(params)
    relayer.pause()


def _resume(relayer: Relayer, params: list) -> None:
    _no_params(params)
    relayer.resume()


def _delay(relayer: Relayer, params: list) -> None:
    if len(params) != 1 or isinstance(params[0], bool) or not isinstance(params[0], int) or params[0] < 0:
        raise ValueError("expected [blocks]: a whole number of blocks, 0 or more")
    relayer.delay(params[0])


def _state(relayer: Relayer, params: list) -> dict:
    _no_params(params)
    return dataclasses.asdict(relayer.state())


METHODS = {"dev_relayerPause": _pause, "dev_relayerResume": _resume, "dev_relayerDelay": _delay,
           "dev_relayerState": _state}


def call(relayer: Relayer, method: str, params: list) -> Any:
    """Runs one relayer dev RPC; KeyError for a name that is not one of METHODS."""
    return METHODS[method](relayer, list(params))
