"""SendXcm from inside the executor: the router's ticket and price, send errors mapped to XcmError."""
from __future__ import annotations

from typing import Any

from ...runtime.frame import Ctx
from ..config import XcmHooks
from ..primitives import SEND_ERRORS, SendFailure, XcmFailure
from ..versions import VersionError

def validate_send(ctx: "Ctx", hooks: XcmHooks, dest: dict, message: list) -> tuple[Any, list]:
    """The router's ticket and price, send errors mapped to XcmError (Unroutable without a router;
    DestinationUnsupported when no version is known for dest)."""
    if hooks.router is None:
        raise XcmFailure("Unroutable")
    try:
        return hooks.router.validate(ctx, dest, message)
    except SendFailure as e:
        raise XcmFailure(SEND_ERRORS.get(e.error, "Transport")) from None
    except VersionError:
        raise XcmFailure("DestinationUnsupported") from None


def deliver(ctx: "Ctx", hooks: XcmHooks, ticket: Any) -> bytes:
    try:
        return hooks.router.deliver(ctx, ticket)
    except SendFailure as e:
        raise XcmFailure(SEND_ERRORS.get(e.error, "Transport")) from None
