"""The join desk without a server: typed writes, what they return and announce, and the rules
a live stream resends by."""
from __future__ import annotations

import sqlite3

import pytest

from stations.join.desk import (CheckInRequest, JoinDesk, NotFound, ReflectionRequest,
                                UnknownPerson, WalkInRequest, worth_sending)
from stations.join.model import JoinEvent
from stations.join.page import PhonePage
from stations.repository.join import JoinRepository
from workshop.store.transactions import write as immediate
from workshop.academy.model import Participant
from workshop.errors import ValidationError


@pytest.fixture
def desk(ctx, clock):
    return JoinDesk.on(ctx.db, clock)


@pytest.fixture
def tokens(ctx, academy):
    return [link.token for link in ctx.join.links(academy.id)]


@pytest.fixture
def maria(ctx, academy):
    return ctx.academies.add_participant(academy.id, Participant("Maria Núñez", email="m@x.example")).id


def test_a_check_in_returns_the_reply_and_the_event_to_announce_after_the_commit(
        ctx, academy, desk, tokens, maria):
    heard: list[JoinEvent] = []
    ctx.join.add_listener(heard.append)
    written = desk.check_in(CheckInRequest(tokens[1], desk.key_of(academy.id, maria)))
    assert written.reply["name"] == "Maria Núñez" and written.reply["duplicate"] is False
    assert written.events == (JoinEvent("checked_in", academy.id, maria, 2, 0),)
    assert not written.new_person
    assert heard == []  # the desk announces nothing itself: its caller does, once committed
    again = desk.check_in(CheckInRequest(tokens[1], desk.key_of(academy.id, maria)))
    assert again.reply["duplicate"] is True and len(ctx.join.checkins(academy.id)) == 1


def test_a_walk_in_is_a_new_person_once_and_a_roster_name_is_not(ctx, academy, desk, tokens, maria):
    first = desk.walk_in(WalkInRequest(tokens[0], " Pat  Newcomer "))
    assert first.new_person and first.reply["walk_in"] is True
    assert [e.kind for e in first.events] == ["walked_in"]
    # The new key works at once on the same desk (its key cache was rebuilt).
    assert desk.person(academy.id, first.reply["key"]) == first.events[0].participant_id
    rostered = desk.walk_in(WalkInRequest(tokens[0], "maria núñez"))
    assert not rostered.new_person and rostered.reply["walk_in"] is False
    assert [e.kind for e in rostered.events] == ["checked_in"]
    assert ctx.academies.repo.walk_in_ids(academy.id) == {first.events[0].participant_id}


def test_a_retried_reflection_is_stored_and_announced_once(academy, desk, tokens, maria):
    key = desk.key_of(academy.id, maria)
    desk.check_in(CheckInRequest(tokens[0], key))
    request = ReflectionRequest(tokens[0], key, 1, "Calm and useful.", request_id="r1")
    first, retry = desk.reflect(request), desk.reflect(request)
    assert first.reply == {"saved": True, "duplicate": False, "station": 1}
    assert first.events == (JoinEvent("reflected", academy.id, maria, 1),)
    assert retry.reply["duplicate"] is True and retry.events == ()
    anonymous = desk.reflect(ReflectionRequest(tokens[0], key, 1, "Rushed.", anonymous=True))
    assert anonymous.events == (JoinEvent("reflected", academy.id, None, 1),)


@pytest.mark.parametrize("write", [
    lambda t, k: CheckInRequest(t, k),
    lambda t, k: ReflectionRequest(t, k, 1, "text"),
])
def test_writes_refuse_unknown_links_and_keys(academy, desk, tokens, maria, write):
    key = desk.key_of(academy.id, maria)
    method = {CheckInRequest: desk.check_in, ReflectionRequest: desk.reflect}
    request = write("A" * 32, key)
    with pytest.raises(NotFound):
        method[type(request)](request)
    request = write(tokens[0], "A" * 22)
    with pytest.raises(UnknownPerson, match="Find your name again"):
        method[type(request)](request)


def test_a_reflection_on_an_unvisited_station_is_refused(academy, desk, tokens, maria):
    with pytest.raises(ValidationError, match="not checked in at Station 2"):
        desk.reflect(ReflectionRequest(tokens[0], desk.key_of(academy.id, maria), 2, "never there"))


def test_the_desk_reads_the_academy_title_and_names_without_emails(ctx, academy, desk, tokens, maria):
    assert desk.info(tokens[0])["academy"] == "Test Academy"
    found = desk.names(tokens[0], "maria n")
    assert [m["name"] for m in found["matches"]] == ["Maria Núñez"]
    assert "m@x.example" not in repr(found) and "m@x.example" not in repr(desk.view(academy.id))


STATE = {"phase": "round", "paused": False, "remaining_s": 100.0, "round": 1}


@pytest.mark.parametrize("what,state,last,since,expected", [
    ("nothing sent yet", STATE, None, 0.0, True),
    ("counting down as the phone does", STATE | {"remaining_s": 95.0}, STATE, 5.0, False),
    ("a minute added", STATE | {"remaining_s": 155.0}, STATE, 5.0, True),
    ("something else changed", STATE | {"round": 2}, STATE, 0.1, True),
    ("time for a resync", STATE | {"remaining_s": 85.0}, STATE, 15.0, True),
    ("paused: the phone's clock stands", STATE | {"paused": True}, STATE | {"paused": True}, 5.0, False),
    ("paused, but the time moved", STATE | {"paused": True, "remaining_s": 90.0},
     STATE | {"paused": True}, 5.0, True),
])
def test_a_live_stream_resends_when_the_phone_would_be_wrong(what, state, last, since, expected):
    assert worth_sending(state, last, since) is expected


def test_a_commit_that_fails_leaves_no_transaction_open(ctx, academy):
    db = ctx.db
    db.execute("CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE child (parent_id INTEGER REFERENCES parent(id)"
               " DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError):
        with immediate(db):
            db.execute("INSERT INTO child VALUES (7)")  # refused only at COMMIT
    assert not db.conn.in_transaction
    with immediate(db):  # the next write is a real transaction of its own, and commits
        db.execute("INSERT INTO parent VALUES (7)")
    assert not db.conn.in_transaction
    assert JoinRepository(db).people(academy.id) == {}


def test_the_page_serves_its_two_files_by_name_only():
    page = PhonePage()
    assert set(page.files) == {"app.js", "app.css"}
    assert page.file("index.html") is None and page.file("../app.py") is None
    assert page.file("app.js").etag != page.file("app.css").etag


def test_check_ins_carry_names_from_the_shell_for_one_person_or_the_academy(
        ctx, academy, desk, tokens, maria):
    mark = ctx.academies.add_participant(academy.id, Participant("Mark Obi")).id
    desk.check_in(CheckInRequest(tokens[0], desk.key_of(academy.id, maria)))
    desk.walk_in(WalkInRequest(tokens[1], "Pat Newcomer"))
    repo = JoinRepository(ctx.db)
    assert [(c.participant_name, c.walk_in) for c in repo.checkins(academy.id, maria)] == [
        ("Maria Núñez", False)]
    assert repo.checkins(academy.id, mark) == []
    assert [(c.participant_name, c.walk_in, c.station_position)
            for c in repo.checkins(academy.id)] == [("Maria Núñez", False, 1),
                                                    ("Pat Newcomer", True, 2)]
