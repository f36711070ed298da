"""Applications a test's server process hosts (``workshop.net.process``): importable by name,
since the child builds them itself. Nothing here imports pytest."""
from __future__ import annotations

import os
import time

from aiohttp import web


WAIT_S = 20.0   # a loaded machine; nothing here is a timing goal


def wait_until(test, timeout: float = WAIT_S) -> bool:
    """Whether ``test()`` came true within ``timeout`` seconds (the child answers in its own time)."""
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


class Echo:
    """``GET /hello``; ``receive``: ("echo", x) is sent back, ("pid",) answered, ("exit",) ends
    the child at once, as a crash would."""

    def __init__(self, send):
        self.send = send

    def setup(self, app: web.Application) -> None:
        async def hello(request):
            return web.Response(text="hello")
        app.router.add_get("/hello", hello)

    def receive(self, message):
        if message[0] == "echo":
            self.send(("echoed", message[1]))
        elif message[0] == "flood":   # more than a pipe holds: the parent must read to take it
            for i in range(message[1]):
                self.send(("flood", i, "x" * 1024))
        elif message[0] == "exit":
            os._exit(3)
        return ("answered", message, os.getpid())


def echo(send) -> Echo:
    return Echo(send)


def broken(send) -> Echo:
    raise RuntimeError("no database here")


def gated(path, send) -> Echo:
    """``echo`` once the file ``path`` exists (``functools.partial(gated, path)``): a start the
    test holds up, as a loaded laptop would (bounded, for a test that never lets it go)."""
    deadline = time.monotonic() + 120
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    return Echo(send)


class Held(Echo):
    """``echo`` whose routes are added only once the file ``path`` exists: the child holds the
    port it bound meanwhile (``LanServer`` binds, then sets up)."""

    def __init__(self, path, send):
        super().__init__(send)
        self.path = path

    def setup(self, app: web.Application) -> None:
        deadline = time.monotonic() + 120
        while not os.path.exists(self.path) and time.monotonic() < deadline:
            time.sleep(0.01)
        super().setup(app)


def held(path, send) -> Held:
    return Held(path, send)
