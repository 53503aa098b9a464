"""WebSocket JSON-RPC server for one emulated chain, on 127.0.0.1.

Framing and error behaviour follow jsonrpsee, the server inside every Substrate node: JSON-RPC 2.0
requests and batches over text or binary frames, "Invalid params" with the detail in data, and a
"Request is too big" error (-32007) for an oversized message, after which the connection goes on.
Messages of more than twice the limit are not even read: websockets closes with 1009.
JSON nested deeper than serde_json's limit is a parse error (rpc/decode.py).

Each connection handles its messages one at a time, in order, on the devnet's loop thread, and
writes through a queue drained by one task, so node callbacks (which fire synchronously, possibly
inside a handler) can emit notifications without awaiting.
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
import string
from collections import deque
from http import HTTPStatus
from typing import Callable

from websockets.asyncio.server import Server, ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

from harness.devnet.node import Node, RpcFailure
from harness.devnet.rpc.decode import read_message
from harness.devnet.rpc.errors import INTERNAL_ERROR, INVALID_REQUEST, OVERSIZED_REQUEST, PARSE_ERROR
from harness.devnet.rpc.method import Context, Start, SubscriptionKind
from harness.devnet.rpc.table import call

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_MAX_MESSAGE_SIZE = 15 * 1024 * 1024   # Substrate's default --rpc-max-request-size (MiB)
_ID_CHARS = string.ascii_letters + string.digits


class RpcServer:
    """One chain's RPC endpoint. Create it with `await serve(node, port)`."""

    def __init__(self, node: Node, max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE):
        self.node = node
        self.max_message_size = max_message_size
        self._server: Server | None = None
        self._port = 0
        self._connections: set[Connection] = set()

    @property
    def port(self) -> int:
        """The bound port (the one picked when started with port 0); kept after close()."""
        assert self._server is not None, "server not started"
        return self._port

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    async def start(self, port: int = 0) -> None:
        self._server = await ws_serve(
            self._handle, HOST, port,
            max_size=2 * self.max_message_size,   # bigger still: websockets closes with 1009
            compression=None,      # payloads are mostly hex; deflate would only cost CPU
            ping_interval=None,    # like a node: never drop an idle client (websocket-client
                                   # only answers pings while the caller is reading)
            process_request=self._http_request,
        )
        self._port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stops listening, closes every connection and removes their node listeners."""
        if self._server is None:
            return
        self._server.close()
        await self._server.wait_closed()
        for conn in list(self._connections):   # handlers normally did this already
            conn.drop_subscriptions()

    def _http_request(self, connection: ServerConnection, request):
        # A node answers GET /health on its RPC port; launchers poll it to wait for readiness.
        path = request.path.split("?")[0]
        if path not in ("/health", "/health/readiness") or "Upgrade" in request.headers:
            return None
        health = call(Context(self.node, _NO_SESSION), "system_health", None)
        response = connection.respond(HTTPStatus.OK, json.dumps(health) if path == "/health" else "")
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        return response

    async def _handle(self, ws: ServerConnection) -> None:
        conn = Connection(self.node, ws, self.max_message_size)
        self._connections.add(conn)
        try:
            await conn.run()
        finally:
            self._connections.discard(conn)


async def serve(node: Node, port: int = 0, *,
                max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> RpcServer:
    """Serves `node` on ws://127.0.0.1:port (0 picks a free port; read it from `.port`)."""
    server = RpcServer(node, max_message_size)
    await server.start(port)
    return server


class _NoSession:
    def subscribe(self, kind, start):
        raise RpcFailure(INTERNAL_ERROR, "Internal error", "subscriptions need a WebSocket")

    def unsubscribe(self, kind, sub_id):
        return False


_NO_SESSION = _NoSession()


def _reply(request_id: object, result: object) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result})


def _error(request_id: object, code: int, message: str, data: object = None) -> str:
    error: dict = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    # default=repr: a node's error data must never break the reply
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "error": error}, default=repr)


def _valid_id(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int)
                                                       and not isinstance(value, bool))


class Subscription:
    """One subscription of one connection. Notifications wait in `_held` until the subscribe
    reply has been queued, so a client always learns the id before its first notification."""

    def __init__(self, conn: "Connection", kind: SubscriptionKind, sub_id: str):
        self.conn, self.kind, self.id = conn, kind, sub_id
        self.remover: Callable[[], None] | None = None
        self.ended = False
        self._held: list[str] | None = []

    def notify(self, result: object) -> None:
        if self.ended:
            return
        try:
            message = json.dumps({"jsonrpc": "2.0", "method": self.kind.notification,
                                  "params": {"subscription": self.id, "result": result}})
        except (TypeError, ValueError):
            log.exception("%s: cannot encode %s notification", self.conn.node.name,
                          self.kind.notification)
            return
        if self._held is not None:
            self._held.append(message)
        else:
            self.conn.send(message)

    def activate(self) -> None:
        held, self._held = self._held or [], None
        for message in held:
            self.conn.send(message)

    def end(self) -> None:
        if self.ended:
            return
        self.ended = True
        self.conn.subscriptions.pop(self.id, None)
        self.remove_listener()

    def remove_listener(self) -> None:
        remover, self.remover = self.remover, None
        if remover is not None:
            try:
                remover()
            except Exception:
                log.exception("%s: removing a %s listener failed", self.conn.node.name,
                              self.kind.notification)


class Connection:
    """One client: reads requests in order, answers through the outgoing queue."""

    def __init__(self, node: Node, ws: ServerConnection, max_message_size: int):
        self.node, self.ws, self.max_message_size = node, ws, max_message_size
        self.subscriptions: dict[str, Subscription] = {}
        self._outbox: deque[str] = deque()
        self._wakeup = asyncio.Event()
        self._closed = False
        self._new_subscriptions: list[Subscription] = []
        self._ctx = Context(node, self)

    async def run(self) -> None:
        writer = asyncio.create_task(self._write_loop())
        try:
            while True:
                raw = await self.ws.recv(decode=False)
                try:
                    self.handle(raw)
                except Exception as e:   # a bug here must not take the connection down
                    log.exception("%s: failed to handle a message", self.node.name)
                    self.send(_error(None, INTERNAL_ERROR, "Internal error", type(e).__name__))
                await asyncio.sleep(0)   # let the writer and other connections run
        except ConnectionClosed:
            pass
        finally:
            self._closed = True
            self.drop_subscriptions()
            writer.cancel()
            try:
                await writer
            except (asyncio.CancelledError, Exception):
                pass

    def send(self, message: str) -> None:
        if not self._closed:
            self._outbox.append(message)
            self._wakeup.set()

    async def _write_loop(self) -> None:
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                while self._outbox:
                    await self.ws.send(self._outbox.popleft())
        except ConnectionClosed:
            pass

    def drop_subscriptions(self) -> None:
        for sub in list(self.subscriptions.values()):
            sub.end()

    # --- Session, for the subscribe/unsubscribe handlers ---

    def subscribe(self, kind: SubscriptionKind, start: Start) -> str:
        sub_id = "".join(secrets.choice(_ID_CHARS) for _ in range(16))  # jsonrpsee's id style
        sub = Subscription(self, kind, sub_id)
        self.subscriptions[sub_id] = sub
        try:
            remover = start(sub)
        except BaseException:
            self.subscriptions.pop(sub_id, None)
            raise
        self._new_subscriptions.append(sub)
        sub.remover = remover
        if sub.ended:   # ended while starting (e.g. an extrinsic finalized at once)
            sub.remove_listener()
        return sub_id

    def unsubscribe(self, kind: SubscriptionKind, sub_id: str) -> bool:
        sub = self.subscriptions.get(sub_id)
        if sub is None or sub.kind != kind:
            return False
        sub.end()
        return True

    # --- requests ---

    def handle(self, raw: bytes) -> None:
        """Answers one WebSocket message (a request or a batch), then releases the
        notifications of subscriptions it opened."""
        try:
            if len(raw) > self.max_message_size:
                self.send(_error(None, OVERSIZED_REQUEST, "Request is too big",
                                 f"Exceeded max limit of {self.max_message_size}"))
                return
            try:
                message = read_message(raw)
            except ValueError:
                self.send(_error(None, PARSE_ERROR, "Parse error"))
                return
            if isinstance(message, list):
                if not message:
                    self.send(_error(None, INVALID_REQUEST, "Invalid request"))
                    return
                replies = [r for r in map(self._call, message) if r is not None]
                if replies:
                    self.send("[" + ",".join(replies) + "]")
            else:
                reply = self._call(message)
                if reply is not None:
                    self.send(reply)
        finally:
            new, self._new_subscriptions = self._new_subscriptions, []
            for sub in new:
                sub.activate()

    def _call(self, request: object) -> str | None:
        if not isinstance(request, dict):
            return _error(None, INVALID_REQUEST, "Invalid request")
        request_id = request.get("id")
        if not _valid_id(request_id):
            return _error(None, INVALID_REQUEST, "Invalid request")
        method, params = request.get("method"), request.get("params")
        if (request.get("jsonrpc") != "2.0" or not isinstance(method, str)
                or not (params is None or isinstance(params, (list, dict)))):
            return _error(request_id, INVALID_REQUEST, "Invalid request")
        if "id" not in request:
            return None   # a notification: jsonrpsee neither runs nor answers it
        try:
            return _reply(request_id, call(self._ctx, method, params))
        except RpcFailure as e:
            return _error(request_id, e.code, e.message, e.data)
        except Exception as e:
            log.exception("%s: %s failed", self.node.name, method)
            return _error(request_id, INTERNAL_ERROR, "Internal error",
                          f"{type(e).__name__}: {e}"[:200])
