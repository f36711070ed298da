"""Issue 19 item 6: the per-request work cut for 1,000 phones, each behaviour kept.

The name index answers by lookup exactly as the full scan did; the shared view keeps its index
through a storm of check-ins; the phone page is served from memory and still 404s at once for a
renewed code; the room check looks up only the phones it names; the Attendance page's QR codes
and name lists measure and paint once per change.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.join.identity import names as names_module
from stations.join.identity.names import MIN_SEARCH_LETTERS, name_index, name_matches, name_words
from stations.join.roomcheck import SHOWN, Heard, PhoneSeen, RoomCheck
from stations.join.identity.guard import Client
from tests.fuzzing import fuzz_settings
from workshop.text import clean_text

ROSTER = {1: "Maria Núñez", 2: "Maria Nunes", 3: "Ana María López", 4: "张 伟", 5: "李小龙",
          6: "Zoë Adams", 7: "Zoe Adamson", 8: "Sara Kohen", 9: "Maria", 10: "Ana Maria"}


def scanned(query: str, roster: dict[int, str], expected=frozenset()) -> list[int] | None:
    """The search as it was before the index: every name compared (the reference)."""
    q = name_words(clean_text(query, limit=10**6))
    if names_module._letters(q) < MIN_SEARCH_LETTERS:
        return None
    if len(clean_text(query, limit=10**6)) > names_module.MAX_NAME:
        return []
    # Every name ranked by the same rule the index applies to its candidates: what this
    # reference checks is that the index's candidates never leave out a name the rule names.
    joined, hits = "".join(q), []
    for pid, name in roster.items():
        words = name_words(name)
        whole = "".join(words)
        rank = names_module.match_rank(q, joined, words, whole, pid in expected)
        if rank is not None:
            hits.append((rank, pid not in expected, whole, pid))
    return [pid for *_, pid in sorted(hits)]


WORDS = st.sampled_from(["maria", "María", "ana", "Núñez", "nu", "n", "lopez", "l", "张", "伟",
                         "李小", "zoe", "Adams", "adam", "sara", "kohen", "k", "x", ""])


@fuzz_settings(300)
@given(parts=st.lists(WORDS, max_size=4), expected=st.sets(st.sampled_from(sorted(ROSTER))),
       noise=st.text(max_size=6))
def test_the_index_answers_exactly_as_the_full_scan(parts, expected, noise):
    index = name_index(ROSTER)
    for query in (" ".join(parts), " ".join(parts) + noise, "".join(parts)):
        assert name_matches(query, index, frozenset(expected)) == scanned(query, ROSTER,
                                                                         frozenset(expected))


def test_a_search_of_a_thousand_names_looks_at_a_handful():
    index = name_index({i: f"Phone {i:04d}" for i in range(1000)} | {2000: "Maria Núñez"})
    assert index.candidates(name_words("Maria N")) == {1000}
    assert len(index.candidates(name_words("Phone 0042"))) == 10  # Phone 0040 … Phone 0049
    assert name_matches("Phone 0042", index) == [42]
    assert name_matches("Phone 004", index) == list(range(40, 50))
    assert index.candidates(name_words("Zed Q")) == set()
    assert name_matches("maria nunez", index) == [2000]


def test_the_shared_view_keeps_its_name_index_while_nobody_is_renamed(ctx, academy, clock):
    from workshop.academy.model import Participant
    from stations.join.desk import JoinDesk
    from workshop.store import open_database
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    desk = JoinDesk.on(open_database(ctx.config.db_path, check=False), clock)
    try:
        first = desk.view(academy.id).index
        desk.forget()                       # the rotation moved: the view is read again…
        assert desk.view(academy.id).index is first  # …and the same people keep their index
        ctx.academies.add_participant(academy.id, Participant("José Núñez"))
        desk.forget()
        renewed = desk.view(academy.id).index
        assert renewed is not first and name_matches("José Núñez", renewed) != []
    finally:
        desk.close()


def test_the_room_check_names_the_latest_and_counts_the_rest():
    heard = Heard(lambda: 10.0)
    for i in range(50):
        heard.note(Client.of(f"device-{i:02d}-xxxxxxxxxxxx", f"127.0.0.{i}"))
    latest = heard.recent(SHOWN)
    assert len(latest) == SHOWN and len(heard) == 50
    assert latest[0][0].device == "device-49-xxxxxxxxxxxx"
    phones = tuple(PhoneSeen(f"P{i}", 1.0) for i in range(SHOWN))
    assert RoomCheck(3, phones, heard=50).text().endswith(f", and {50 - SHOWN} more.")


@pytest.mark.parametrize("size", [(120, 120), (200, 160)])
def test_a_qr_code_is_painted_once_per_size_and_text(qtbot, size, monkeypatch):
    from workshop.ui.qr_widget import QrWidget
    widget = QrWidget("http://192.168.1.20:8765/s/" + "t" * 32)
    qtbot.addWidget(widget)
    widget.resize(*size)
    painted = []
    original = QrWidget._paint
    monkeypatch.setattr(QrWidget, "_paint", lambda self, *a: (painted.append(1),
                                                             original(self, *a))[1])
    first = widget.grab().toImage()
    widget.grab()
    widget.grab()
    assert len(painted) == 1                    # three paints, one drawing of the modules
    widget.set_text("http://10.0.0.5:8765/s/" + "u" * 32)
    assert widget.grab().toImage() != first and len(painted) == 2
    widget.resize(size[0] + 40, size[1] + 40)
    widget.grab()
    assert len(painted) == 3


def test_a_name_list_measures_its_rows_once_per_change(qtbot, monkeypatch):
    from stations.ui.join.views import NameList, fill
    names = NameList("Here")
    qtbot.addWidget(names)
    fill(names, [f"Phone {i:04d}" for i in range(300)], "Nobody", list(range(300)))
    measured = []
    original = NameList._measure
    monkeypatch.setattr(NameList, "_measure", lambda self: (measured.append(1),
                                                            original(self))[1])
    tall = names.sizeHint().height()
    for _ in range(5):
        names.sizeHint()
        names.minimumSizeHint()
    assert len(measured) == 1
    fill(names, ["Zoë Adams"], "Nobody", [1])
    assert names.sizeHint().height() < tall and len(measured) == 2


def test_the_phone_page_is_served_from_memory_and_an_old_code_still_404s_at_once(
        ctx, academy, monkeypatch):
    import time

    from stations.join.desk import JoinDesk
    from tests.stations.join.phone import Phone
    reads = []
    original = JoinDesk.info
    monkeypatch.setattr(JoinDesk, "info", lambda self, token: (reads.append(token),
                                                                original(self, token))[1])
    ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        old = ctx.join.links(academy.id)[0].token
        phone = Phone(ctx.join.bound.base_url, cookies=True)
        first = phone.get(f"/s/{old}")
        assert first.status == 200 and academy.title in first.text
        for _ in range(3):
            assert phone.get(f"/s/{old}").body == first.body
            assert phone.get(f"/api/v1/s/{old}").json["academy"] == academy.title
        assert reads == [old]                               # read once, then from memory
        new = ctx.join.regenerate_tokens(academy.id)[0].token
        assert phone.get(f"/s/{old}").status == 404         # at once, as before
        assert phone.get(f"/s/{new}").status == 200
        assert phone.get(f"/s/{'x' * 32}").status == 404
        ctx.academies.rename(academy.id, "Renamed Academy")   # the window, on its connection
        deadline = time.monotonic() + 3
        while "Renamed Academy" not in phone.get(f"/s/{new}").text:
            assert time.monotonic() < deadline, "the page kept the old title"
            time.sleep(0.1)
    finally:
        ctx.join.stop_server()


def test_a_name_list_measures_each_name_once_as_people_leave_it(qtbot, monkeypatch):
    from stations.ui.join.views import NameList, fill
    names = NameList("Not checked in anywhere")
    qtbot.addWidget(names)
    rows = [f"Phone {i:04d}" for i in range(300)] + ["张伟"]
    measured = []
    original = NameList.sizeHintForRow
    monkeypatch.setattr(NameList, "sizeHintForRow", lambda self, r: (measured.append(r),
                                                                     original(self, r))[1])
    fill(names, rows, "Everyone has checked in", list(range(301)))
    full = names.sizeHint().height()
    assert len(measured) == 301
    fill(names, rows[1:], "Everyone has checked in", list(range(1, 301)))  # one checked in
    assert names.sizeHint().height() < full and len(measured) == 301  # nobody measured again
    font = names.font()
    font.setPointSize(font.pointSize() + 4)
    names.setFont(font)                                  # a new font: every name again
    assert names.sizeHint().height() > full and len(measured) == 601


def test_the_name_search_is_answered_on_the_loop_and_a_new_walk_in_is_found_at_once(
        ctx, academy, clock, monkeypatch):
    from stations.join.desk import JoinDesk
    from stations.join.shared import REBUILD_S
    from tests.stations.join.phone import Phone
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    built = []
    original = JoinDesk.search
    monkeypatch.setattr(JoinDesk, "search", lambda self, token: (built.append(token),
                                                                  original(self, token))[1])
    ctx.join.start_server(host="127.0.0.1", port=0)
    try:
        token = ctx.join.links(academy.id)[0].token
        phone = Phone(ctx.join.bound.base_url, cookies=True)
        for query in ("Zoë Adams", "zoe adams", "Zoe A", "zo", "Zoë Adams"):
            assert phone.search(token, query).status == 200
        assert phone.search(token, "Zoë Adams").json["matches"][0]["name"] == "Zoë Adams"
        assert built == [token]                  # built once by the reader, answered on the loop
        other = Phone(ctx.join.bound.base_url, source="127.0.0.2", cookies=True)
        assert other.walk_in(token, "Pat Newcomer").json["walk_in"] is True
        assert [m["name"] for m in other.search(token, "Pat Newcomer").json["matches"]] \
            == ["Pat Newcomer"]                  # at once: a new person drops the search
        assert len(built) == 2
        clock.advance(REBUILD_S)                 # as long as the reader keeps its view, no more
        assert phone.search(token, "Zoë Adams").status == 200 and len(built) == 3
        # The reader looked at the data just now and it was the same: the view it keeps holds
        # for another REBUILD_S from that look, and so does the search built from it.
        clock.advance(REBUILD_S)
        assert phone.search(token, "Zoë Adams").status == 200 and len(built) == 4
        clock.advance(REBUILD_S / 2)
        assert phone.search(token, "Zoë Adams").status == 200 and len(built) == 4
        new = ctx.join.regenerate_tokens(academy.id)[0].token
        assert phone.search(token, "Zoë Adams").status == 404    # an old code, at once
        assert phone.search(new, "Zoë Adams").json["matches"][0]["name"] == "Zoë Adams"
        assert phone.search("x" * 32, "Zoë Adams").status == 404
    finally:
        ctx.join.stop_server()


class CountedRepo:
    """A join repository on a connection of its own (as the server's writer has) that counts
    the statements reading the check-ins' order, ``max(seq)``."""

    def __init__(self, ctx, academy):
        from stations.repository.join import JoinRepository
        from workshop.store import open_database
        self.ctx, self.academy = ctx, academy
        self.repo = JoinRepository(open_database(ctx.config.db_path, check=False))
        self.reads: list[str] = []
        execute = self.repo.db.execute
        self.repo.db.execute = lambda sql, *args: (
            self.reads.append(sql) if "max(seq)" in sql else None, execute(sql, *args))[1]

    def add_people(self, n: int):
        """``n`` people, the first station's id, and a check-in time."""
        from datetime import datetime

        from workshop.academy.model import Participant
        pids = [self.ctx.academies.add_participant(self.academy.id, Participant(f"P {i}")).id
                for i in range(n)]
        return pids, self.ctx.stations.stations(self.academy.id)[0].id, datetime(2026, 1, 1)


@pytest.fixture
def counted(ctx, academy):
    counted = CountedRepo(ctx, academy)
    yield counted
    counted.repo.close()


def test_a_batch_reads_the_check_ins_order_once_and_keeps_it_increasing(ctx, academy, counted):
    """The writer's batch takes ``max(seq)`` once (it holds the write lock), not per check-in;
    the window's check-ins, outside such a batch, read it each time, and a repeated tap still
    becomes the person's latest."""
    pids, station, now = counted.add_people(4)
    repo, reads = counted.repo, counted.reads
    ctx.join.repo.add_checkin(academy.id, pids[3], station, 0, now)   # the window's, first
    with repo.transaction():
        for pid in pids[:3]:
            repo.add_checkin(academy.id, pid, station, 0, now)
        with repo.transaction():                  # a nested write: a savepoint
            repo.add_checkin(academy.id, pids[3], station, 0, now)  # a repeat: now latest
    assert len(reads) == 1
    repo.add_checkin(academy.id, pids[0], station, 0, now)  # outside a batch: read again
    assert len(reads) == 2
    order = [c.participant_id for c in ctx.join.repo.checkins(academy.id)]
    assert order == [pids[1], pids[2], pids[3], pids[0]]


def test_batches_one_after_another_take_the_order_on_from_the_last_unless_another_connection_wrote(
        ctx, academy, counted):
    """(Issue 19 item 6.) Phones arriving one by one make a batch each; ``max(seq)`` scanned
    the table for every one. While ``data_version`` says no other connection committed, the
    next batch takes the order on from this connection's last; after the window's check-in it
    reads it again, and the order stays increasing, a repeated tap the latest."""
    pids, station, now = counted.add_people(5)
    repo, reads = counted.repo, counted.reads

    def batch(pid):
        with repo.transaction():
            repo.add_checkin(academy.id, pid, station, 0, now)
    batch(pids[0])
    batch(pids[1])
    with pytest.raises(ValueError):   # a batch that rolls back leaves a gap, no repeat
        with repo.transaction():
            repo.add_checkin(academy.id, pids[4], station, 0, now)
            raise ValueError("the commit failed")
    batch(pids[2])
    assert len(reads) == 1
    ctx.join.repo.add_checkin(academy.id, pids[3], station, 0, now)   # the window's
    batch(pids[0])                                                   # a repeat: now latest
    assert len(reads) == 2
    batch(pids[4])
    assert len(reads) == 2
    rows = ctx.db.execute("SELECT participant_id, seq FROM join_checkins ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == [pids[1], pids[2], pids[3], pids[0], pids[4]]
    assert len({r[1] for r in rows}) == len(rows)


def test_the_window_paints_without_a_python_event_override():
    """Qt paints the whole window from the window's own event(); a Python override of it ran
    that painting with the interpreter held, and the join server's threads waited (its keys are
    an event filter now: tests/stations/rotation/test_room_keys.py drives them)."""
    from PySide6.QtWidgets import QMainWindow

    from workshop.ui.main_window import MainWindow
    assert MainWindow.event is QMainWindow.event
    assert "eventFilter" in MainWindow.__dict__


def test_the_room_check_notes_requests_from_the_servers_own_middleware():
    """One middleware layer fewer per request: the join routes hand the server a note instead."""
    from aiohttp import web

    from stations.join.routes import JoinApp
    from workshop.net.server import NOTE_REQUEST
    app = web.Application()
    JoinApp(lambda: None, lambda event: None).setup(app)
    assert list(app.middlewares) == [] and callable(app[NOTE_REQUEST])


_COOKIE_TEXT = st.text(alphabet='join_devcAZ09-_ ;="\\,', max_size=90)


@fuzz_settings(300)
@given(st.one_of(
    _COOKIE_TEXT,
    st.builds(lambda value: "join_device=" + value, st.text(alphabet="aZ09-_=;\" ", max_size=70)),
    st.builds(lambda a, b: f"{a}; join_device={b}", _COOKIE_TEXT, _COOKIE_TEXT),
    st.builds(lambda value: "join_device=" + value, st.from_regex(r"[A-Za-z0-9_-]{14,66}", fullmatch=True))))
def test_the_device_cookie_read_from_the_header_is_the_one_aiohttp_parses(header):
    """(Issue 19 item 6.) A phone's Cookie header is its device cookie alone: read at once,
    without the parse (Morsels, unquoting) every request paid for the room check's note; any
    other header is parsed as before. Either way the same device as aiohttp's cookies give."""
    from aiohttp.test_utils import make_mocked_request

    from stations.join.identity.guard import DEVICE_COOKIE
    parsed = make_mocked_request("GET", "/", headers={"Cookie": header}).cookies
    assert Client.of_header(header, "10.0.0.7", lambda: parsed) \
        == Client.of(parsed.get(DEVICE_COOKIE), "10.0.0.7")


def test_a_phones_usual_cookie_header_is_read_without_parsing_it():
    def parse():
        raise AssertionError("parsed")
    device = "A" * 24
    assert Client.of_header(f"join_device={device}", "10.0.0.7", parse) == Client(device, "10.0.0.7")
    assert Client.of_header(None, None, parse) == Client(None, "?")
    assert Client.of_header(f"x=1; join_device={device}", "10.0.0.7",
                            lambda: {"join_device": device}).device == device
