"""What an RPC method is: a handler of (Context, Params), and the methods one namespace module serves.

Handlers are plain synchronous functions (the node runs on the devnet's single loop thread). They
validate their params strictly and raise RpcFailure for every error a client should see; the
server turns any other exception into -32603.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from harness.devnet.node import Node
from harness.devnet.rpc.params import Params, parse_subscription_id


class Sink(Protocol):
    """One subscription, as the server side (one per connection) implements it."""

    def notify(self, result: object) -> None: ...   # queued until the subscribe reply is out
    def end(self) -> None: ...                       # server-side end (e.g. final tx status)


Start = Callable[[Sink], Callable[[], None] | None]   # registers listeners, returns their remover


class Session(Protocol):
    def subscribe(self, kind: "SubscriptionKind", start: Start) -> str: ...
    def unsubscribe(self, kind: "SubscriptionKind", sub_id: str) -> bool: ...


@dataclass(frozen=True)
class SubscriptionKind:
    notification: str                  # the "method" of each notification
    unsubscribe: tuple[str, ...]       # unsubscribe method and its aliases


@dataclass
class Context:
    node: Node
    session: Session


Handler = Callable[[Context, Params], Any]


@dataclass(frozen=True)
class Method:
    name: str
    handler: Handler
    params: tuple[str, ...]


class Namespace:
    """The methods one module serves, filled by that module's own decorators."""

    def __init__(self) -> None:
        self.methods: dict[str, Method] = {}

    def _add(self, names: tuple[str, ...], handler: Handler, params: tuple[str, ...]) -> None:
        for name in names:
            if name in self.methods:
                raise ValueError(f"RPC method {name} registered twice")
            self.methods[name] = Method(name, handler, params)

    def rpc(self, name: str, *params: str, aliases: tuple[str, ...] = ()):
        def register(handler: Handler) -> Handler:
            self._add((name, *aliases), handler, params)
            return handler
        return register

    def constant(self, name: str, value: object) -> None:
        self._add((name,), lambda ctx, p: value, ())

    def subscription(self, subscribe: tuple[str, ...], unsubscribe: tuple[str, ...], notification: str,
                     *params: str):
        """Registers a subscribe handler under all its names, plus the generic unsubscribe."""
        kind = SubscriptionKind(notification, unsubscribe)

        def handler(make_start: Callable[[Context, Params], Start]) -> Handler:
            return lambda ctx, p: ctx.session.subscribe(kind, make_start(ctx, p))

        def unsubscribe_handler(ctx: Context, p: Params) -> bool:
            # jsonrpsee answers false for an id it does not know (or of another subscription kind)
            return ctx.session.unsubscribe(kind, p.get(0, parse_subscription_id, required=True))

        def register(make_start: Callable[[Context, Params], Start]):
            self._add(subscribe, handler(make_start), params)
            self._add(unsubscribe, unsubscribe_handler, ("subscription",))
            return make_start
        return register
