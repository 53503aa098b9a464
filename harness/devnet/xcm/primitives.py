"""The xcm crate's plain values the executor and the builder share: Outcome, XcmError
(XcmFailure), SendError (SendFailure) and Weight arithmetic on {"ref_time", "proof_size"} dicts.

Sources: polkadot-sdk polkadot/xcm/src/v5/traits.rs (Outcome, Error, SendError and
impl From<SendError> for Error). Errors are raised as XcmFailure(error) where error is an
xcm::v5::traits::Error value: a variant name ("NotHoldingFees") or {"Trap": n} / {"WeightLimitReached": w}.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WEIGHT_MAX = 2**64 - 1   # Weight::MAX, each component
ZERO = {"ref_time": 0, "proof_size": 0}
# SendError -> XcmError (xcm v5 traits.rs, impl From<SendError> for Error)
SEND_ERRORS = {"NotApplicable": "Unroutable", "Transport": "Transport", "Unroutable": "Unroutable",
               "DestinationUnsupported": "DestinationUnsupported", "ExceedsMaxMessageSize": "ExceedsMaxMessageSize",
               "MissingArgument": "FailedToTransactAsset", "Fees": "FeesNotMet"}


class XcmFailure(Exception):
    def __init__(self, error: Any):
        super().__init__(str(error))
        self.error = error


class SendFailure(Exception):
    """What a router raises when it cannot send: `error` is an xcm SendError variant name."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


@dataclass
class Outcome:
    """staging_xcm::v5::traits::Outcome: Complete / Incomplete (executed, then failed) / Error (not run)."""

    complete: bool
    used_weight: dict
    error: Any = None                 # xcm v5 Error value
    error_index: int | None = None    # index of the failing instruction in its fragment
    executed: bool = True             # False: Outcome::Error (weighing or barrier refused it)
    message_id: bytes = b""           # the id after SetTopic / TrailingSetTopicAsId

    @property
    def value(self) -> Any:
        if self.complete:
            return {"Complete": {"used": self.used_weight}}
        ie = {"index": self.error_index or 0, "error": self.error}
        if not self.executed:
            return {"Error": ie}
        return {"Incomplete": {"used": self.used_weight, "error": ie}}


# --- weights ------------------------------------------------------------------------------------

def w(ref: int, proof: int = 0) -> dict:
    return {"ref_time": ref, "proof_size": proof}


def w_add(a: dict, b: dict) -> dict:
    return {"ref_time": a["ref_time"] + b["ref_time"], "proof_size": a["proof_size"] + b["proof_size"]}


def w_sat_add(a: dict, b: dict) -> dict:
    return {k: min(WEIGHT_MAX, a[k] + b[k]) for k in ("ref_time", "proof_size")}


def w_sub(a: dict, b: dict) -> dict:
    return {k: max(0, a[k] - b[k]) for k in ("ref_time", "proof_size")}


def w_min(a: dict, b: dict) -> dict:
    return {k: min(a[k], b[k]) for k in ("ref_time", "proof_size")}


def w_all_gte(a: dict, b: dict) -> bool:
    return a["ref_time"] >= b["ref_time"] and a["proof_size"] >= b["proof_size"]


def w_any_gt(a: dict, b: dict) -> bool:
    return a["ref_time"] > b["ref_time"] or a["proof_size"] > b["proof_size"]


def _fits(a: dict) -> bool:
    return a["ref_time"] <= WEIGHT_MAX and a["proof_size"] <= WEIGHT_MAX


def split_instruction(ins: Any) -> tuple[str, Any]:
    if isinstance(ins, str):
        return ins, None
    (name, payload), = ins.items()
    return name, payload


def encoded_call(double_encoded) -> bytes:
    """Transact's call: xcm::double_encoded::DoubleEncoded is a struct holding `encoded: Vec<u8>`."""
    return bytes(double_encoded["encoded"] if isinstance(double_encoded, dict) else double_encoded)
