"""A node behind the devnet's JSON-RPC server on its own asyncio loop thread, as the devnet runs it: the one
way the server tests, the RPC fuzz and the client-fidelity tests start and stop a served node."""
from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Coroutine

from harness.devnet.rpc.server import RpcServer, serve


class ServedNode:
    """Builds a node with `node_factory()` on the loop thread (a devnet Chain must be built on the loop that
    serves it) and serves it on a free port with `serve`'s keyword `options`. Every wait takes at most
    `timeout` seconds."""

    def __init__(self, node_factory: Callable[[], Any], *, timeout: float, thread_name: str = "devnet",
                 **options: Any):
        self.timeout = timeout
        self.server: RpcServer | None = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name=thread_name)
        self.thread.start()
        try:
            self._node = self.call(node_factory)
            self.server = self.run(serve(self._node, 0, **options))
        except BaseException:
            self.close()
            raise

    @property
    def node(self) -> Any:
        return self._node

    @property
    def url(self) -> str:
        return self.server.url

    def run(self, coro: Coroutine) -> Any:
        """Runs `coro` on the loop and returns its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(self.timeout)

    def call(self, fn: Callable, *args: Any) -> Any:
        """Runs fn(*args) on the loop thread: the node is only touched there."""
        async def on_loop():
            return fn(*args)
        return self.run(on_loop())

    def close(self) -> None:
        """Closes the server and cancels what still runs on the loop (client connections), then always stops
        the thread, also after a failed start."""
        try:
            self.run(self._shutdown())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(self.timeout)
            if not self.thread.is_alive():  # closing a running loop would raise and hide the first error
                self.loop.close()

    async def _shutdown(self) -> None:
        if self.server is not None:
            await self.server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
