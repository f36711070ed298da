"""Stations handouts: the print models are checked hard (they are what the paper says), the
PDFs lightly (valid, the names come back exactly, the QR codes scan)."""
from __future__ import annotations

import io
import subprocess
from datetime import timedelta

import pytest
from pypdf import PdfReader

from stations.handouts.data import StationHandouts
from stations.handouts.render import render_debrief, render_debriefs, render_group_cards, render_signs
from stations.setup.model import Group
from stations.setup.palette import station_colour
from tests.conftest import require_tool
from workshop.academy.model import Participant

NAMES = ["Zoë Brennan-O'Neil", "José Núñez", "Ольга Петрова", "张伟",
         "<b>Bold</b> & Co", "Ann Lee"]


@pytest.fixture
def room(ctx, clock):
    """An academy of six in three groups of two, with the default three stations."""
    academy = ctx.academies.create("Spring Academy", place="Gym")
    people = [ctx.academies.add_participant(academy.id, Participant(n, school=f"School {i % 2}"))
              for i, n in enumerate(NAMES)]
    groups = [Group(i, Group.default_name(i), [people[2 * i].id, people[2 * i + 1].id])
              for i in range(3)]
    ctx.rotation.saved_groups = lambda academy_id: groups if academy_id == academy.id else None
    ctx.rotation.update_settings(academy.id, transition_minutes=1, debrief_minutes=10)
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    return academy, people, groups, data


def run_rotation(ctx, clock, academy, people):
    """Round 1: everyone but Ann checks in; round 2 is extended by 2 minutes; debrief: three
    reflections, one anonymous and one hidden by the facilitator."""
    rot, join = ctx.rotation, ctx.join
    rot.start(academy.id)
    schedule = rot.plan(academy.id)
    clock.advance(30)
    for g, group_people in enumerate([(0, 1), (2, 3), (4, 5)]):
        for i in group_people:
            if NAMES[i] != "Ann Lee":
                join.record_checkin(academy.id, people[i].id, schedule.rounds[0].stations[g])
    while (snap := rot.snapshot(academy.id)).phase != "debrief":
        if snap.phase == "round" and snap.round_number == 2 and not getattr(run_rotation, "done", 0):
            rot.adjust(academy.id, 120)
            run_rotation.done = 1
        clock.advance(snap.remaining_s)
        rot.record_due(academy.id)
    run_rotation.done = 0
    first = schedule.rounds[0].stations   # where each group checked in
    join.record_reflection(academy.id, people[0].id, first[0], "Felt <seen> & calm")
    join.record_reflection(academy.id, people[1].id, first[0], "Anonymous thought", anonymous=True)
    join.record_reflection(academy.id, people[3].id, first[1], "Rude remark")
    hidden = next(r for r in join.reflections(academy.id) if r.text == "Rude remark")
    join.set_hidden(hidden.id, True)
    clock.advance(rot.snapshot(academy.id).remaining_s)
    rot.record_due(academy.id)
    return schedule


# -- debrief ---------------------------------------------------------------------------------
def test_debrief_before_the_rotation_shows_the_plan_only(room):
    academy, people, groups, data = room
    model = data.debrief(academy.id)
    assert model.scope == "Whole academy" and not model.rotation_started
    assert [r.number for r in model.rounds] == [1, 2, 3]
    assert all(r.planned.minutes == 15 and r.actual.start is None for r in model.rounds)
    assert model.not_checked_in == []   # nobody is "missing" before it starts
    assert [s.debrief_prompt for s in model.stations][0] == \
        "How did it feel to be taught exactly where you are?"


def test_debrief_shows_planned_against_actual_checkins_and_moderated_reflections(ctx, clock, room):
    academy, people, groups, data = room
    schedule = run_rotation(ctx, clock, academy, people)
    model = data.debrief(academy.id)
    assert model.rotation_started and model.finished
    r1, r2, r3 = model.rounds
    assert r1.actual.minutes == pytest.approx(15) and r1.note == ""
    assert r2.actual.minutes == pytest.approx(17)
    assert r2.note == "extended by 2 min"
    assert r2.actual.start - r1.actual.end == timedelta(minutes=1)  # the transition
    # Where each group was in round 1, station by station.
    expected = {schedule.station(p).title: [groups[g].name]
                for g, p in enumerate(schedule.rounds[0].stations)}
    assert dict(r1.placements) == expected
    # Check-ins land under the station, with the person's group and the round.
    seen = {(c.participant, c.group, c.round) for s in model.stations for c in s.checkins}
    assert ("张伟", "Group B", 1) in seen and ("Zoë Brennan-O'Neil", "Group A", 1) in seen
    assert model.not_checked_in == ["Ann Lee"]
    # Reflections: hidden ones never print; anonymous ones print without a name.
    station_a = model.stations[schedule.rounds[0].stations[0] - 1]
    assert [(r.text, r.author) for r in station_a.reflections] == [
        ("Felt <seen> & calm", "Zoë Brennan-O'Neil"), ("Anonymous thought", None)]
    assert all(r.text != "Rude remark" for s in model.stations for r in s.reflections)


def test_group_debrief_keeps_to_the_group(ctx, clock, room):
    academy, people, groups, data = room
    run_rotation(ctx, clock, academy, people)
    model = data.debrief(academy.id, "B")
    assert model.scope == "Group B"
    assert model.members == sorted(["Ольга Петрова", "张伟"])
    assert {c.participant for s in model.stations for c in s.checkins} == {"Ольга Петрова", "张伟"}
    for r in model.rounds:   # only this group's station, each round
        assert sum(len(names) for _, names in r.placements) == 1
    # A named reflection of the group is there; anonymous ones cannot be placed in a group.
    assert [r.text for s in model.stations for r in s.reflections] == []  # 张伟's was hidden
    group_a = data.debrief(academy.id, "Group A")
    assert [(r.text, r.author) for s in group_a.stations for r in s.reflections] == [
        ("Felt <seen> & calm", "Zoë Brennan-O'Neil")]   # José's was anonymous: not placed
    with pytest.raises(ValueError, match="no group “Z”"):
        data.debrief(academy.id, "Z")


def test_debrief_pdf_is_valid_and_names_come_back_exactly(ctx, clock, room, tmp_path):
    academy, people, groups, data = room
    run_rotation(ctx, clock, academy, people)
    pdf = render_debriefs(data.debriefs(academy.id), paper="a4")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for name in NAMES[:5]:
        assert name in text
    assert "Felt <seen> & calm" in text and "Rude remark" not in text
    assert "Debrief — Group C" in text
    qpdf_check(tmp_path, pdf)


# -- station signs ---------------------------------------------------------------------------
def test_signs_model_has_one_sign_per_station_with_its_join_url(ctx, room):
    academy, people, groups, data = room
    model = data.signs(academy.id)
    links = ctx.join.links(academy.id)
    assert [(s.position, s.url) for s in model.signs] == [(l.position, l.url) for l in links]
    assert model.signs[1].title == "Station 2 — Independent learning"
    assert [(s.colour, s.colour_name) for s in model.signs][:2] == [("#E69F00", "orange"),
                                                                  ("#56B4E9", "sky blue")]
    assert all(s.url.startswith("http://127.0.0.1:") and "/s/" in s.url for s in model.signs)


def test_sign_qr_codes_scan_to_the_station_urls(ctx, room, tmp_path):
    zbarimg = require_tool("zbarimg", "decodes the QR codes on the signs")
    pdftoppm = require_tool("pdftoppm", "renders the signs")
    academy, people, groups, data = room
    model = data.signs(academy.id)
    pdf = tmp_path / "signs.pdf"
    pdf.write_bytes(render_signs(model, paper="letter"))
    assert len(PdfReader(pdf).pages) == len(model.signs)
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "sign")], check=True)
    decoded = []
    for png in sorted(tmp_path.glob("sign-*.png")):
        out = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True,
                             text=True, check=True).stdout.split()
        decoded += out
    assert decoded == [s.url for s in model.signs]


# -- group cards -----------------------------------------------------------------------------
def test_group_cards_give_each_person_their_group_and_path(ctx, room):
    academy, people, groups, data = room
    model = data.group_cards(academy.id)
    schedule = ctx.rotation.plan(academy.id)
    assert [c.participant for c in model.cards] == NAMES
    card = model.cards[3]
    assert card.group == "Group B"
    assert [s.station for s in card.stops] == [schedule.station(p).title for p in schedule.path(1)]
    assert [s.start for s in card.stops] == [schedule.at(r.start_s) for r in schedule.rounds]
    assert all(s.end - s.start == timedelta(minutes=15) for s in card.stops)
    assert [s.colour for s in card.stops] == [station_colour(p) for p in schedule.path(1)]
    assert [c.participant for c in data.group_cards(academy.id, "Group C").cards] == NAMES[4:]


def test_group_cards_pdf(room, tmp_path):
    academy, people, groups, data = room
    pdf = render_group_cards(data.group_cards(academy.id))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for name in NAMES:
        assert name in text
    assert "Page 1 of 1" in text
    qpdf_check(tmp_path, pdf)


def qpdf_check(tmp_path, pdf: bytes) -> None:
    qpdf = require_tool("qpdf", "checks the PDF's structure")
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_single_debrief_renders(room, tmp_path):
    academy, people, groups, data = room
    qpdf_check(tmp_path, render_debrief(data.debrief(academy.id)))


def test_the_packs_debriefs_read_the_roster_once_and_match_each_read_alone(ctx, clock, room,
                                                                          monkeypatch):
    # Each group's debrief read the whole roster, rounds, check-ins and reflections again
    # (nine roster reads in a pack of eight groups).
    academy, people, groups, data = room
    run_rotation(ctx, clock, academy, people)
    alone = [data.debrief(academy.id)] + [data.debrief(academy.id, g.index) for g in groups]
    reads = []
    real = ctx.academies.participants
    monkeypatch.setattr(ctx.academies, "participants",
                        lambda academy_id: (reads.append(academy_id), real(academy_id))[1])
    assert data.debriefs(academy.id) == alone
    assert data.group_debriefs(academy.id) == alone[1:]
    assert reads == [academy.id, academy.id]   # once for each of the two calls
