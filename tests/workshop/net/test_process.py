"""A LanServer in a child process of its own (issue 19 item 6): it listens before ``start``
returns, carries messages both ways, says why it could not start, is noticed when it dies,
stops cleanly, and never outlives its parent."""
from __future__ import annotations

import functools
import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading

import pytest

from tests.paths import ROOT
from tests.ports import free_port
from tests.workshop.net import hosted
from tests.workshop.net.hosted import WAIT_S, wait_until
from workshop.net.process import MODULES, STOPPED, ServerProcess
from workshop.net.server import ServerError



def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        reply = conn.getresponse()
        return reply.status, reply.read().decode()
    finally:
        conn.close()


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie nobody reaped has ended too)."""
    if not os.path.isdir("/proc"):   # macOS: no zombie to tell apart there (init reaps)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@pytest.fixture
def messages():
    return queue.Queue()


@pytest.fixture
def server(messages):
    ended = threading.Event()
    process = ServerProcess(hosted.echo, on_message=messages.put, on_exit=ended.set)
    process.ended = ended
    yield process
    process.stop()


def test_the_child_listens_before_start_returns_and_carries_messages_both_ways(server, messages):
    bound = server.start("127.0.0.1", 0)
    assert server.running and server.pid != os.getpid()
    assert get(bound.port, "/hello") == (200, "hello")
    assert get(bound.port, "/nowhere")[0] == 404          # the LanServer's own answers
    server.tell(("echo", "Zoë"))
    assert messages.get(timeout=WAIT_S) == ("echoed", "Zoë")
    assert server.ask(("who",)) == ("answered", ("who",), server.pid)


def test_sending_never_holds_up_the_child_while_the_parent_is_busy():
    """Messages more than a pipe holds, while the parent's reader is stuck: the child's loop
    keeps serving (a send that waited for the parent would stop it), and nothing is lost."""
    busy, got = threading.Event(), []

    def slow(message):
        busy.wait(WAIT_S)
        got.append(message)
    server = ServerProcess(hosted.echo, on_message=slow)
    try:
        bound = server.start("127.0.0.1", 0)
        server.tell(("flood", 2000))   # about 2 MB
        assert get(bound.port, "/hello") == (200, "hello")
        busy.set()
        assert wait_until(lambda: len(got) == 2000)
        assert [m[1] for m in got] == list(range(2000))
    finally:
        busy.set()
        server.stop()


def test_the_child_imports_only_what_the_server_needs(server):
    server.start("127.0.0.1", 0)
    loaded = set(server.ask(MODULES))
    assert "aiohttp" in loaded and "tests.workshop.net.hosted" in loaded
    assert not {m.split(".")[0] for m in loaded} & {"PySide6", "shiboken6", "reportlab"}


def test_a_busy_port_falls_back_to_a_free_one(server):
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        bound = server.start("127.0.0.1", port)
    assert bound.port != port and bound.fell_back and bound.requested_port == port
    assert get(bound.port, "/hello")[0] == 200


def test_a_child_that_cannot_build_its_app_is_a_server_error(caplog):
    process = ServerProcess(hosted.broken)
    with pytest.raises(ServerError, match="^The join server did not start: "
                                          "RuntimeError: no database here$"):
        process.start("127.0.0.1", 0)
    assert not process.running and process.pid is None
    # It said why and ended by itself: let to end, not terminated as one that "did not stop".
    assert not [r for r in caplog.records if "did not stop" in r.getMessage()]


def test_an_address_it_cannot_listen_on_says_so_as_the_thread_does():
    with pytest.raises(ServerError, match="^Cannot listen on 192.0.2.1:0"):
        ServerProcess(hosted.echo).start("192.0.2.1", 0)   # TEST-NET: no interface has it


def test_a_child_that_dies_is_noticed_and_a_new_one_starts(server):
    server.start("127.0.0.1", 0)
    pid = server.pid
    os.kill(pid, signal.SIGKILL)
    assert server.ended.wait(WAIT_S)
    assert not server.running
    with pytest.raises(ConnectionError):
        server.ask(("who",))
    bound = server.start("127.0.0.1", 0)     # what the dead one held is given back first
    assert server.running and server.pid != pid and get(bound.port, "/hello")[0] == 200


def test_a_child_that_exits_by_itself_is_noticed(server):
    server.start("127.0.0.1", 0)
    server.tell(("exit",))
    assert server.ended.wait(WAIT_S) and not server.running


def test_stop_ends_the_child_and_frees_the_port(server):
    port = free_port()
    server.start("127.0.0.1", port)
    pid = server.pid
    server.stop()
    assert gone(pid) and not server.running and server.bound is None
    assert not server.ended.is_set()   # a stop asked for is not a crash
    socket.create_server(("127.0.0.1", port)).close()
    server.stop()   # twice is fine


PARENT = """
import sys
from workshop.net.process import ServerProcess
from tests.workshop.net import hosted
server = ServerProcess(hosted.echo)
bound = server.start("127.0.0.1", int(sys.argv[1]))
print(server.pid, flush=True)
sys.stdin.read()   # until the test kills this process
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["killed", "exits"])
def test_the_child_dies_with_its_parent(how):
    port = free_port()
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(port)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert get(port, "/hello")[0] == 200
        if how == "killed":
            parent.kill()                      # no clean-up of any kind
        else:
            parent.stdin.close()               # it returns without stopping the server
        parent.wait(WAIT_S)
        assert wait_until(lambda: gone(child)), "the server outlived its parent"
        socket.create_server(("127.0.0.1", port)).close()   # and gave back its port
    finally:
        parent.kill()
        parent.wait()


def test_a_stop_while_the_child_starts_ends_it_and_the_start_says_so(tmp_path):
    """The window waits for the start on a thread of its own, and may stop meanwhile (the
    facilitator changed their mind, the window closed): the child is ended and reaped before
    ``stop`` returns, and the start raises STOPPED instead of serving after all."""
    gate = tmp_path / "go"
    process = ServerProcess(functools.partial(hosted.gated, str(gate)))
    outcome: queue.Queue = queue.Queue()

    def start() -> None:
        try:
            outcome.put(process.start("127.0.0.1", 0))
        except ServerError as exc:
            outcome.put(exc)
    threading.Thread(target=start, daemon=True).start()
    assert wait_until(lambda: process.pid is not None)   # there, and held up before it listens
    pid = process.pid
    assert process.starting and not process.running
    process.stop()
    assert gone(pid) and process.pid is None and not process.starting
    ended = outcome.get(timeout=WAIT_S)
    assert isinstance(ended, ServerError) and str(ended) == STOPPED
    gate.touch()
    try:
        bound = process.start("127.0.0.1", 0)   # and it starts again, as new
        assert get(bound.port, "/hello") == (200, "hello")
    finally:
        process.stop()


def test_a_stop_while_the_child_holds_its_port_gives_the_port_back(tmp_path):
    port = free_port()
    process = ServerProcess(functools.partial(hosted.held, str(tmp_path / "go")))
    outcome: queue.Queue = queue.Queue()

    def start() -> None:
        try:
            outcome.put(process.start("127.0.0.1", port))
        except ServerError as exc:
            outcome.put(exc)
    threading.Thread(target=start, daemon=True).start()

    def bound() -> bool:   # the child listens on it, not serving yet
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False
    assert wait_until(bound)
    pid = process.pid
    process.stop()
    assert gone(pid) and not process.starting
    assert str(outcome.get(timeout=WAIT_S)) == STOPPED
    socket.create_server(("127.0.0.1", port)).close()   # free again: no orphan holds it
