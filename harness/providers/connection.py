"""JSON-RPC over one WebSocket to a chain, for the harness's own calls (dev RPCs, readiness, a spec name).

A scenario makes a few dev RPCs per chain (snapshot, revert, new blocks); opening a socket for each cost more
than the call itself, so a running network keeps one connection per chain (KeptConnection) and `call_once`
is the same thing used once.
"""
from __future__ import annotations

import itertools
import json
import threading

from websocket import WebSocket, WebSocketException, create_connection  # websocket-client (substrate-interface's)

from ..errors import ChainCallError

STILL_UP = "is the network still up?"


class KeptConnection:
    """One chain's connection, opened on the first call and reopened when it was found closed before a send.

    A call whose request went out and whose answer did not come back is not sent again: a dev RPC such as
    dev_newBlock may have run, and sending it twice would build two blocks.
    """

    def __init__(self, url: str, name: str | None = None) -> None:
        self.url, self.name = url, name or url
        self._ws: WebSocket | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()  # the relayer thread and the engine may both call one chain

    def call(self, method: str, params: list, timeout: float = 30.0) -> object:
        with self._lock:
            request_id = next(self._ids)
            ws = self._send(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}),
                            method, timeout)
            reply = self._answer(ws, request_id, method)
        if "error" in reply:
            error = reply["error"]
            detail = f": {error['data']}" if error.get("data") else ""  # jsonrpsee: the words are in data
            raise ChainCallError(f"{self.name}: {method} failed: {error.get('message')}{detail}",
                                 "check the chain's log")
        return reply.get("result")

    def close(self) -> None:
        with self._lock:
            self.close_unlocked()

    def close_unlocked(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close()
            except (OSError, WebSocketException):
                pass
            self._ws = None

    def _open(self, timeout: float) -> WebSocket:
        if self._ws is None or not self._ws.connected:
            try:
                self._ws = create_connection(self.url, timeout=timeout, skip_utf8_validation=True)
            except (OSError, WebSocketException) as exc:
                self._ws = None
                raise ChainCallError(f"cannot reach {self.name} at {self.url}: {exc}", STILL_UP) from None
        self._ws.settimeout(timeout)
        return self._ws

    def _send(self, request: str, method: str, timeout: float) -> WebSocket:
        """Sends on the kept socket; one that turns out closed (the server dropped it since the last call: nothing
        was sent) is replaced once."""
        for _ in range(2):
            ws = self._open(timeout)
            try:
                ws.send(request)
                return ws
            except (OSError, WebSocketException) as exc:
                self.close_unlocked()
                failure = exc
        raise ChainCallError(f"{self.name}: {method} could not be sent: {failure}", STILL_UP)

    def _answer(self, ws: WebSocket, request_id: int, method: str) -> dict:
        """The reply to `request_id`; anything else on the socket (a late reply to a call that timed out) is
        skipped. No answer in time: the connection is dropped, so a late one cannot answer the next call."""
        try:
            while True:
                reply = json.loads(ws.recv())
                if isinstance(reply, dict) and reply.get("id") == request_id:
                    return reply
        except (OSError, ValueError, WebSocketException) as exc:
            self.close_unlocked()
            raise ChainCallError(f"{self.name}: {method} got no answer: {exc}", STILL_UP) from None


def call_once(url: str, method: str, params: list, timeout: float = 30.0, name: str | None = None) -> object:
    """One JSON-RPC call to `url` on its own connection; a ChainCallError when it cannot be made or fails."""
    connection = KeptConnection(url, name)
    try:
        return connection.call(method, params, timeout)
    finally:
        connection.close()


def rpc_ready(url: str) -> bool:
    """A chain is ready when it answers chain_getHeader over WebSocket."""
    try:
        return call_once(url, "chain_getHeader", [], timeout=2.0) is not None
    except ChainCallError:
        return False
