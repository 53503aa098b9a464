"""Errors the user sees: one clear line with a hint, never a traceback."""
from __future__ import annotations


class HarnessError(Exception):
    """An error caused by input or environment, reported as one message plus a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; hint: {self.hint}" if self.hint else self.message


class ChainStartError(HarnessError):
    """A chain did not come up."""


class ProviderError(HarnessError):
    """A provider cannot do what was asked (unknown provider, missing tool, no dev RPCs)."""


class ChainCallError(HarnessError):
    """An RPC or extrinsic submission failed in a way the scenario did not ask for."""
