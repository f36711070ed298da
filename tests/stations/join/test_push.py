"""Issue 19 item 6: live streams are pushed to, not polled — an idle stream reads nothing, a
check-in re-reads only its own person's streams, the window's changes reach phones through
``PRAGMA data_version`` — and the shared view is rebuilt only when the data changed."""
from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from stations.join.desk import JoinDesk
from stations.join.room import Room
from stations.join.shared import PhoneBook, SharedViews
from stations.repository.join import JoinRepository
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant
from workshop.store import open_database

NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


@pytest.fixture
def people(ctx, academy):
    return {name: ctx.academies.add_participant(academy.id, Participant(name)).id for name in NAMES}


@pytest.fixture
def reads(monkeypatch):
    """Every state read a live stream (or a phone) makes, by person key: by the reader's desk
    or, on the server's loop, from the academy's phone book."""
    seen: list[str] = []
    original, from_book = JoinDesk.state, PhoneBook.state

    def counted(self, token, key):
        seen.append(key)
        return original(self, token, key)

    def counted_book(self, scanned, key):
        seen.append(key)
        return from_book(self, scanned, key)
    monkeypatch.setattr(JoinDesk, "state", counted)
    monkeypatch.setattr(PhoneBook, "state", counted_book)
    return seen


class Stream:
    """One phone's live stream over a raw socket; events collected on a thread."""

    def __init__(self, phone: Phone, token: str, key: str):
        self.conn = socket.create_connection((phone.host, phone.port), timeout=10)
        self.conn.sendall(f"GET /api/v1/s/{token}/live?key={key} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.events: list[dict] = []
        self.got = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.conn.makefile("rb"):
            if line.startswith(b"data:"):
                with self.got:
                    self.events.append(json.loads(line[5:]))
                    self.got.notify_all()

    def wait_for(self, test, timeout=5.0) -> dict:
        with self.got:
            assert self.got.wait_for(lambda: any(test(e) for e in self.events), timeout), self.events
            return next(e for e in self.events if test(e))

    def close(self):
        self.conn.close()


def test_idle_streams_read_nothing_and_a_check_in_wakes_only_its_own_person(ctx, academy, people, reads):
    ctx.join.start_server(host="127.0.0.1", port=0)  # the default: no polling
    try:
        token = ctx.join.links(academy.id)[0].token
        phones = {name: Phone(ctx.join.bound.base_url, source=f"127.0.0.{i + 2}", cookies=True)
                  for i, name in enumerate(NAMES)}
        keys = {name: phone.key_for(token, name) for name, phone in phones.items()}
        phones["Ada Lovelace"].check_in(token, keys["Ada Lovelace"])
        streams = {name: Stream(phones[name], token, keys[name]) for name in NAMES}
        for stream in streams.values():
            stream.wait_for(lambda e: e["phase"] == "ready")
        reads.clear()
        time.sleep(1.5)  # real time on the server's loop: a polling stream would read every second
        assert reads == []
        phones["Alan Turing"].check_in(token, keys["Alan Turing"])
        streams["Alan Turing"].wait_for(lambda e: e["checked_in"] is not None, timeout=2)
        assert keys["Alan Turing"] in reads
        assert keys["Grace Hopper"] not in reads and keys["Ada Lovelace"] not in reads
        # The facilitator checks someone in from the window: that phone hears of it at once.
        ctx.join.check_in_for(academy.id, people["Grace Hopper"], 1)
        streams["Grace Hopper"].wait_for(lambda e: e["checked_in"] is not None, timeout=2)
        for stream in streams.values():
            stream.close()
    finally:
        ctx.join.stop_server()


def test_a_change_made_in_the_window_reaches_the_streams_through_data_version(ctx, academy, people, serving):
    ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        token = ctx.join.links(academy.id)[0].token
        phone = Phone(ctx.join.bound.base_url, cookies=True)
        key = phone.key_for(token, "Ada Lovelace")
        phone.check_in(token, key)
        stream = Stream(phone, token, key)
        stream.wait_for(lambda e: e["you"]["name"] == "Ada Lovelace")
        ctx.academies.edit_participant(people["Ada Lovelace"], name="Ada King")  # the window
        stream.wait_for(lambda e: e["you"]["name"] == "Ada King", timeout=3)
        stream.close()
    finally:
        ctx.join.stop_server()


class Counting:
    """A room reader that counts how often the shared view was rebuilt."""

    def __init__(self, clock, remaining=None):
        self.clock, self.remaining, self.builds = clock, remaining, 0

    def __call__(self, academy_id):
        self.builds += 1
        if self.remaining is None:
            return Room(read_at=self.clock.monotonic())
        return Room(phase="round", round=1, rounds_total=3, remaining_s=self.remaining,
                    read_at=self.clock.monotonic())


def test_the_shared_view_is_rebuilt_only_when_the_data_changed(ctx, clock, config, academy, people):
    ctx.join.links(academy.id)  # the stations exist
    db = open_database(config.db_path, check=False)
    rooms = Counting(clock)
    views = SharedViews(JoinRepository(db), clock, rooms)
    views.get(academy.id)
    for _ in range(5):
        clock.advance(10)  # time passes, nothing is committed: memory only
        views.get(academy.id)
    assert rooms.builds == 1
    views.changed()  # the first look learns the version
    assert views.changed() is False
    # A check-in committed elsewhere changes the data but nothing phones share.
    ctx.join.check_in_for(academy.id, people["Ada Lovelace"], 1)
    assert views.changed() is False
    clock.advance(1)
    views.get(academy.id)
    built = rooms.builds
    clock.advance(1)
    views.get(academy.id)
    assert rooms.builds == built  # rebuilt once for the commit, then from memory again
    # A new name committed elsewhere: phones must be told.
    ctx.academies.add_participant(academy.id, Participant("Katherine Johnson"))
    assert views.changed() is True
    assert "Katherine Johnson" in [n for n, _ in views.get(academy.id).people.values()]
    db.close()


def test_the_shared_view_is_rebuilt_when_the_rotations_part_ends_by_itself(ctx, clock, config, academy):
    db = open_database(config.db_path, check=False)
    rooms = Counting(clock, remaining=30.0)
    views = SharedViews(JoinRepository(db), clock, rooms)
    views.get(academy.id)
    clock.advance(29)
    views.get(academy.id)
    assert rooms.builds == 1
    clock.advance(2)  # the round ended: the phase comes from the clock, not from a commit
    views.get(academy.id)
    assert rooms.builds == 2
    db.close()


def test_the_servers_own_check_ins_rebuild_no_view_and_drop_no_page(ctx, academy, people,
                                                                    monkeypatch):
    """(Issue 19 item 6.) The look for changes made elsewhere asks the writer's connection,
    whose ``data_version`` does not count the server's own commits: through phones' check-ins
    the reader rebuilds no view and no page is dropped; the window's change is still seen."""
    from stations.join import routes
    monkeypatch.setattr(routes, "WATCH_S", 0.02)
    looks: list[int] = []
    changed = JoinDesk.changed
    monkeypatch.setattr(JoinDesk, "changed", lambda self: (looks.append(1), changed(self))[1])
    ctx.join.start_server(host="127.0.0.1", port=0)
    app = ctx.join._server.app   # the in-thread server (a fake clock: no child process)
    asked: list[int] = []
    call = app.writer.call
    app.writer.call = lambda fn: (asked.append(1), call(fn))[1]   # the watch's look, only

    def wait_for(test):
        deadline = time.monotonic() + 10
        while not test():
            assert time.monotonic() < deadline, (len(asked), len(looks))
            time.sleep(0.01)
    try:
        token = ctx.join.links(academy.id)[0].token
        phones = [Phone(ctx.join.bound.base_url, source=f"127.0.0.{i + 2}", cookies=True)
                  for i in range(len(NAMES))]
        keys = [phone.key_for(token, name) for phone, name in zip(phones, NAMES)]
        seen = len(asked)
        wait_for(lambda: looks and len(asked) >= seen + 3)   # (the reader made the key secret)
        before, dropped = len(looks), app._pages_dropped
        for phone, key in zip(phones, keys):
            assert phone.check_in(token, key).status == 200
        seen = len(asked)
        wait_for(lambda: len(asked) >= seen + 5)      # five looks after the check-ins
        assert len(looks) == before and app._pages_dropped == dropped
        ctx.academies.edit_participant(people["Ada Lovelace"], name="Ada King")  # the window
        wait_for(lambda: len(looks) > before and app._pages_dropped > dropped)
    finally:
        ctx.join.stop_server()
