"""MapService on a real database: every action saved at once, undo data exact, the demo."""
from __future__ import annotations

import pytest

from prototypes.maps.demo import add_demo_maps
from workshop.academy.model import Participant
from workshop.errors import ValidationError


@pytest.fixture
def maps(ctx):
    return ctx.maps


@pytest.fixture
def district(maps, academy):
    return maps.open(academy.id)


def test_opening_a_map_creates_it_once_with_an_empty_vision(maps, academy):
    m = maps.open(academy.id)
    assert m.school == "" and m.title == "Whole academy (district view)"
    assert m.vision == "" and m.initiatives() == []
    assert maps.open(academy.id).id == m.id


def test_choices_list_the_district_and_each_school_team(ctx, maps, academy):
    for name, school in [("Ana", "Lincoln Elementary"), ("Bo", "Adams Middle"), ("Cy", "")]:
        ctx.academies.add_participant(academy.id, Participant(name, school=school))
    titles = [c.title for c in maps.choices(academy.id)]
    assert titles == ["Whole academy (district view)", "Adams Middle", "Lincoln Elementary"]


def test_every_action_is_saved_and_reads_back(ctx, maps, district):
    pbl = maps.add_initiative(district.id, "Project-based learning", owner="Ms Lee", load=4)
    mtss = maps.add_initiative(district.id, "MTSS", at=(0.5, -0.25))
    link = maps.link(district.id, district.hub.id, pbl.id, 3, "Students drive projects")
    maps.link(district.id, pbl.id, mtss.id)
    maps.rate(link.id, 2)
    maps.edit_initiative(mtss.id, status="planned", note="Starts in January")
    maps.set_vision(district.id, "Every student owns their learning")
    maps.move(district.id, {pbl.id: (1.5, 2.5)})
    m = maps.get(district.id)
    assert m.vision == "Every student owns their learning"
    assert m.nodes[pbl.id].position == (1.5, 2.5)
    assert m.nodes[mtss.id].position == (0.5, -0.25)
    assert (m.nodes[mtss.id].status, m.nodes[mtss.id].note) == ("planned", "Starts in January")
    assert m.hub_link(pbl.id).rating == 2 and m.hub_link(pbl.id).note == "Students drive projects"
    assert len(m.links) == 2


@pytest.mark.parametrize("action, message", [
    (lambda s, m, a, b: s.add_initiative(m.id, "mtss"), "already has an initiative called “MTSS”"),
    (lambda s, m, a, b: s.link(m.id, a.id, a.id), "two different nodes"),
    (lambda s, m, a, b: s.link(m.id, b.id, a.id), "already linked"),
    (lambda s, m, a, b: s.link(m.id, a.id, 99999), "must be on this map"),
    (lambda s, m, a, b: s.edit_initiative(a.id, load=9), "Load must be"),
    (lambda s, m, a, b: s.edit_initiative(a.id, name="MTSS"), "already has"),
])
def test_bad_edits_are_refused_and_nothing_changes(maps, district, action, message):
    a = maps.add_initiative(district.id, "SEL")
    b = maps.add_initiative(district.id, "MTSS")
    maps.link(district.id, a.id, b.id)
    before = maps.get(district.id)
    with pytest.raises(ValidationError, match=message):
        action(maps, district, a, b)
    assert maps.get(district.id) == before


def test_delete_takes_links_along_and_restore_puts_back_the_same_ids(maps, district):
    a = maps.add_initiative(district.id, "A")
    b = maps.add_initiative(district.id, "B")
    maps.link(district.id, district.hub.id, a.id, 3, "note")
    maps.link(district.id, a.id, b.id, 1)
    before = maps.get(district.id)
    gone = maps.delete(district.id, [a.id, district.hub.id])
    assert [n.name for n in gone.nodes] == ["A"] and len(gone.links) == 2
    after = maps.get(district.id)
    assert set(after.nodes) == {district.hub.id, b.id} and after.links == {}
    maps.restore(gone)
    assert maps.get(district.id) == before


def test_relayout_gives_every_node_a_ring_position(maps, district):
    ids = [maps.add_initiative(district.id, f"I{i}", at=(0.0, 0.0)).id for i in range(5)]
    new = maps.relayout(district.id)
    m = maps.get(district.id)
    assert {m.nodes[i].position for i in ids} == {new[i] for i in ids}
    assert len({new[i] for i in ids}) == 5


def test_maps_go_with_their_academy(ctx, maps, district, academy):
    maps.add_initiative(district.id, "A")
    ctx.academies.delete(academy.id)
    assert ctx.db.execute("SELECT count(*) FROM map_nodes").fetchone()[0] == 0


def test_demo_maps_are_realistic_and_idempotent(maps, academy):
    schools = ["Lincoln Elementary", "Adams Middle", "Roosevelt High", "Kennedy K-8"]
    filled = add_demo_maps(maps, academy.id, schools)
    assert len(filled) == 4
    assert add_demo_maps(maps, academy.id, schools) == []
    district = maps.open(academy.id)
    names = {n.name for n in district.initiatives()}
    assert {"1:1 device rollout", "MTSS", "SEL curriculum", "PD plan 2026–27"} <= names
    analysis = maps.analysis(district.id)
    assert 0 < analysis.score < 100
    assert analysis.unlinked and analysis.bridges
    assert all(n.position is not None for n in district.nodes.values())
    # No roster here, so the school maps are listed because they exist (three at most).
    assert [c.title for c in maps.choices(academy.id)] == [
        "Whole academy (district view)", "Adams Middle", "Kennedy K-8", "Lincoln Elementary"]


def test_duplicating_an_academy_copies_its_maps(ctx, maps, academy):
    add_demo_maps(maps, academy.id, ["Lincoln Elementary"])
    copy = ctx.academies.duplicate(academy.id)
    for choice in maps.choices(academy.id):
        original = maps.open(academy.id, choice.school)
        copied = maps.open(copy.id, choice.school)
        assert copied.id != original.id
        assert [(n.name, n.position) for n in copied.initiatives()] == \
               [(n.name, n.position) for n in original.initiatives()]
        assert maps.analysis(copied.id) == maps.analysis(original.id) or \
            maps.analysis(copied.id).summary_lines() == maps.analysis(original.id).summary_lines()
