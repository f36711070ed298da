"""Every round of a re-mix usable (issue 15, item 3): choose round 2 on the Groups page (or
`workshop groups use`), and the rotation, the projector's schedule, the group cards and the
debrief all use round 2's groups; undo goes back to round 1."""
from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt

from workshop.academy.model import Participant
from tests.conftest import require_tool

pytestmark = pytest.mark.pages("grouping")


@pytest.fixture
def remixed(ctx, academy):
    for i in range(12):
        ctx.academies.add_participant(academy.id, Participant(
            name=f"Person {i:02d}", school=f"School {i % 4}", role="Teacher"))
    from stations.grouping.draft import Draft, GroupingRules
    rules = GroupingRules(groups=3, rounds=2)
    proposal = ctx.grouping.regroup(academy.id, Draft(rules=rules), max_iterations=3000)
    draft = Draft(rules=rules).regrouped([[list(g.member_ids) for g in r] for r in proposal.rounds], 3)
    ctx.grouping.update_draft(academy.id, draft)
    return draft


def members(groups):
    return [sorted(g.member_ids) for g in groups]


def test_round_2_runs_on_the_rotation_cards_and_debrief_and_undo_goes_back(window, ctx, academy, remixed, qtbot):
    round1, round2 = (members(ctx.grouping.saved(academy.id).rounds[r]) for r in (0, 1))
    assert round1 != round2
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    assert not page.use_button.isHidden() and not page.use_button.isEnabled()   # round 1 runs
    page.round_combo.setCurrentIndex(1)
    assert page.use_button.isEnabled()
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    assert page.use_button.text() == "Runs now"
    assert ctx.grouping.round_in_use(academy.id) == 2
    assert members(ctx.rotation.groups(academy.id)[0]) == round2
    assert members(ctx.rotation.plan(academy.id).groups) == round2   # the projector's schedule
    from stations.handouts.data import StationHandouts
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    cards = data.group_cards(academy.id)
    names = {p.id: p.name for p in ctx.academies.participants(academy.id)}
    by_group = {}
    for card in cards.cards:
        by_group.setdefault(card.group, []).append(card.participant)
    assert sorted(sorted(v) for v in by_group.values()) == sorted(sorted(names[i] for i in g) for g in round2)
    assert all(name.endswith("· re-mix 2") for name in by_group)
    debrief = data.debrief(academy.id, 0)
    assert sorted(debrief.members) == sorted(names[i] for i in round2[0])
    window.undo_group.undo()
    assert ctx.grouping.round_in_use(academy.id) == 1
    assert members(ctx.rotation.groups(academy.id)[0]) == round1


def test_a_regroup_with_fewer_rounds_falls_back_to_round_1(ctx, academy, remixed):
    ctx.grouping.use_round(academy.id, 2)
    from dataclasses import replace
    ctx.grouping.update_draft(academy.id, replace(remixed, rounds=remixed.rounds[:1]))
    assert ctx.grouping.round_in_use(academy.id) == 1
    assert ctx.academies.setting(academy.id, "grouping_round") == 1


def test_group_cards_of_round_2_print(run_cli, ctx, academy, remixed, tmp_path):
    require_tool("pdftotext")
    code, out, err = run_cli("groups", "use", "--academy", academy.title, "--round", "2")
    assert code == 0, err
    pdf = tmp_path / "cards.pdf"
    code, out, err = run_cli("handout", "group-cards", "--academy", academy.title, "--out", str(pdf))
    assert code == 0, err
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The card's personal code sits beside the group line, which may wrap: compare words.
    assert "Group A · re-mix 2" in " ".join(text.split())
    round2 = ctx.grouping.saved(academy.id).rounds[1]
    first = next(p.name for p in ctx.academies.participants(academy.id) if p.id == round2[0].member_ids[0])
    assert first in text
    code, _out, err = run_cli("groups", "use", "--academy", academy.title, "--round", "3")
    assert code == 2 and "no round 3" in err and ctx.grouping.round_in_use(academy.id) == 2
