"""pytest-qt: the Groups page's rules panel, driven through its widgets — keep together, keep
apart, absent (ticked, and from attendance), “nobody is the only one of their kind” — each
building groups with Regroup and reported met or not with the people named (issue 15, item 1)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from workshop.academy.model import Participant
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("grouping")

STAGES = ("exploring", "planning", "implementing")


@pytest.fixture
def page(window, ctx, academy):
    for i in range(12):
        ctx.academies.add_participant(academy.id, Participant(
            name=f"Person {i:02d}", school=f"School {i % 3}" if i < 11 else "Lone School",
            role="Principal" if i % 4 == 0 else "teacher", readiness=STAGES[i % 3]))
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    page.groups_spin.setValue(3)
    return page


def ids(page) -> dict[str, int]:
    return {p.name: pid for pid, p in page.people.items()}


def choose(page, first: str, second: str | None = None) -> None:
    panel = page.rules_panel
    panel.first.setCurrentIndex(panel.first.findText(first))
    if second is not None:
        panel.second.setCurrentIndex(panel.second.findText(second))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def group_of(page, pid: int, rnd: int = 0) -> int | None:
    return next((k for k, grp in enumerate(page.rounds[rnd]) if pid in grp), None)


def lines(page) -> list[str]:
    rules = page.rules_panel.list
    return [rules.item(r).text() for r in range(rules.count())]


def test_keep_together_is_kept_by_regroup_in_every_round_and_undoable(page, window, qtbot):
    page.rounds_spin.setValue(2)
    click(qtbot, page.regroup_button)
    people = ids(page)
    a, b = people["Person 00"], people["Person 01"]
    choose(page, "Person 00", "Person 01")
    click(qtbot, page.rules_panel.together_button)
    assert page.draft.rules.keep_together == ((a, b),)
    click(qtbot, page.regroup_button)
    assert all(group_of(page, a, r) == group_of(page, b, r) for r in range(2))
    assert lines(page)[0].startswith("✓ Keep together: Person 00, Person 01")
    # the rule is kept with the academy's grouping, and undo takes it away
    assert ctx_rules(page).keep_together == ((a, b),)
    window.undo_group.undo()   # the regroup
    window.undo_group.undo()   # the rule
    assert page.draft.rules.keep_together == ()


def ctx_rules(page):
    return page.service.draft(page.academy_id).rules


def test_keep_apart_separates_two_who_shared_a_group(page, qtbot):
    click(qtbot, page.regroup_button)
    first = sorted(page.rounds[0][0][:2])
    names = [page.people[pid].name for pid in first]
    choose(page, *names)
    click(qtbot, page.rules_panel.apart_button)
    assert lines(page)[0].startswith(f"✗ Keep apart: {names[0]} and {names[1]} — both in Group A")
    click(qtbot, page.regroup_button)
    assert group_of(page, first[0]) != group_of(page, first[1])
    assert lines(page)[0].startswith("✓ Keep apart")


def test_a_ticked_absence_leaves_them_out_and_is_reported_until_regroup(page, qtbot):
    click(qtbot, page.regroup_button)
    pid = ids(page)["Person 05"]
    choose(page, "Person 05")
    click(qtbot, page.rules_panel.absent_button)
    assert "✗ Absent: Person 05 — still in a group: Person 05" in lines(page)[-1] or any(
        line.startswith("✗ Absent: Person 05 — still in a group") for line in lines(page))
    click(qtbot, page.regroup_button)
    assert group_of(page, pid) is None
    assert sum(len(g) for g in page.rounds[0]) == 11
    assert "✓ Absent: Person 05 — left out of every group" in lines(page)
    click(qtbot, page.rules_panel.absent_button)   # ticked again: back in
    assert page.draft.rules.absent == frozenset()


def test_leave_out_who_has_not_arrived_reads_attendance(page, ctx, academy, qtbot, monkeypatch):
    dialogs = FakeDialogs().install(monkeypatch)
    click(qtbot, page.rules_panel.arrived_button)
    assert dialogs.questions("error")   # nobody has checked in: said, nothing changed
    assert page.draft.rules.absent == frozenset()
    here = [pid for name, pid in sorted(ids(page).items())][:9]
    for pid in here:
        ctx.join.check_in_for(academy.id, pid, 1)
    click(qtbot, page.rules_panel.arrived_button)
    assert page.draft.rules.absent == frozenset(set(page.people) - set(here))
    click(qtbot, page.regroup_button)
    assert sorted(pid for g in page.rounds[0] for pid in g) == sorted(here)
    assert ctx.grouping.saved_groups(academy.id) and all(
        set(g.member_ids) <= set(here) for g in ctx.grouping.saved_groups(academy.id))


def test_nobody_the_only_one_of_their_school_names_who_cannot_be_helped(page, qtbot):
    page.protect_box.setChecked(False)
    combo = page.rules_panel.lone
    combo.setFocus()
    while combo.currentData() != "school":
        qtbot.keyClick(combo, Qt.Key.Key_Down)   # the arrow keys choose, as a person would
    assert page.draft.rules.no_lone == "school"
    click(qtbot, page.regroup_button)
    status = next(line for line in lines(page) if "only one of their school" in line)
    assert status.startswith("✓ Nobody is the only one of their school")
    assert "cannot be met for Person 11 (the only Lone School)" in status
    options = page.service.options_for(page.academy_id, page.draft.rules)
    assert set(options.protect["school"]) == {"School 0", "School 1", "School 2", "Lone School"}
    for grp in page.rounds[0]:
        schools = [page.people[p].school for p in grp if page.people[p].school != "Lone School"]
        assert all(schools.count(s) != 1 for s in schools)


def test_roles_are_balanced_and_protected_by_category(page, ctx, academy, qtbot):
    # “Principal” and “principal” are one category (school leader); the leader rule uses the
    # category too, so two differently spelled district roles keep each other company.
    ctx.academies.edit_participant(ids(page)["Person 03"], role="Assistant Superintendent")
    ctx.academies.edit_participant(ids(page)["Person 07"], role="district leader")
    page.set_academy(academy.id)
    page.groups_spin.setValue(3)
    click(qtbot, page.regroup_button)
    people = ids(page)
    assert group_of(page, people["Person 03"]) == group_of(page, people["Person 07"])
    assert any(line.startswith("✓ Never leave a district leader alone") for line in lines(page))
    records = {r["id"]: r["role"] for r in ctx.grouping.records(academy.id)}
    assert records[str(people["Person 00"])] == "school_leader"
    assert records[str(people["Person 03"])] == "district_leader"


def test_why_says_what_placed_a_person_and_what_a_move_would_cost(page, qtbot):
    page.rounds_spin.setValue(2)
    click(qtbot, page.regroup_button)
    why = page.rules_panel.why.toPlainText().splitlines()
    assert len(why) == 3 and all(line.startswith(f"Group {k}: 4 people · ") for line, k in zip(why, "ABC"))
    assert all(" of 4 possible schools · " in line and "pairs met before" not in line for line in why)
    members = page.cards[1].members
    pid = members.item(0).data(Qt.ItemDataRole.UserRole)
    name = page.people[pid].name
    page.set_locked(pid, True)
    page.cards[1].members.setCurrentRow(0)   # what a click on the person does
    text = page.rules_panel.why.toPlainText()
    assert text.startswith(f"{name} is in Group B in round 1.")
    assert "Locked there by hand" in text
    assert "Same role category" in text or "The only one of their role category" in text
    moves = [line for line in text.splitlines() if line.startswith("Moving them to")]
    assert len(moves) == 2 and all("size spread +2" in line for line in moves)
    page.round_combo.setCurrentIndex(1)
    members = next(c.members for c in page.cards
                   for r in range(c.members.count()) if c.members.item(r).data(Qt.ItemDataRole.UserRole) == pid)
    row = next(r for r in range(members.count()) if members.item(r).data(Qt.ItemDataRole.UserRole) == pid)
    members.setCurrentRow(row)
    text = page.rules_panel.why.toPlainText()
    assert "in round 2" in text.splitlines()[0] and ("Meets only new people here." in text or "again." in text)


@pytest.mark.pages("roster", "grouping")
def test_absent_people_are_not_called_ungrouped_when_the_roster_changes(page, window, ctx, academy, qtbot):
    window.show()
    click(qtbot, page.regroup_button)
    choose(page, "Person 05")
    click(qtbot, page.rules_panel.absent_button)
    click(qtbot, page.regroup_button)
    window.show_page("roster")
    ctx.academies.add_participant(academy.id, Participant(name="Late Comer", school="School 1"))
    window.show_page("grouping")
    assert page.status.text().startswith("Not in a group yet: Late Comer.")


def test_a_long_regroup_shows_progress_and_stop_keeps_the_best_so_far(page, qtbot):
    from stations.ui.grouping.steps import SearchProgress
    now = [0.0]
    progress = SearchProgress(page, 3.0, now=lambda: now[0])
    assert progress() is False and progress.dialog is None   # a quick search shows nothing
    now[0] = 1.5
    assert progress() is False and progress.dialog.isVisible() and progress.dialog.value() == 50
    progress.dialog.cancel()   # what the Stop button does
    assert progress() is True
    progress.close()
    assert progress.dialog is None


def test_stopping_the_search_still_gives_valid_groups(page, ctx, academy):
    from stations.grouping.draft import Draft, GroupingRules
    calls = []
    proposal = ctx.grouping.regroup(academy.id, Draft(rules=GroupingRules(groups=3, rounds=3)),
                                    tick=lambda: calls.append(1) or True)
    assert calls and [sorted(p for g in rnd for p in g.member_ids) for rnd in proposal.rounds] == [
        sorted(page.people)] * 3


def test_leave_out_who_has_not_arrived_counts_today_not_yesterday(page, ctx, academy, clock,
                                                                   qtbot, monkeypatch):
    """Yesterday's check-ins (the same run: nobody pressed "Start again" this morning) are not
    today's arrivals: the button reads only today's, as the room is now."""
    dialogs = FakeDialogs().install(monkeypatch)
    everyone = sorted(ids(page).values())
    for pid in everyone:                                   # day one: the whole roster came
        ctx.join.check_in_for(academy.id, pid, 1)
    clock.advance(24 * 3600)                               # the next morning
    click(qtbot, page.rules_panel.arrived_button)
    assert dialogs.questions("error")                      # nobody yet today: said, nothing changed
    assert page.draft.rules.absent == frozenset()
    here = everyone[:5]
    for pid in here:
        ctx.join.check_in_for(academy.id, pid, 2)
    click(qtbot, page.rules_panel.arrived_button)
    assert page.draft.rules.absent == frozenset(set(everyone) - set(here))


def test_leave_out_who_has_not_arrived_reads_the_current_run_only(page, ctx, academy, qtbot,
                                                                   monkeypatch):
    """After "Start again" the earlier run's check-ins are history, as on the Attendance page."""
    FakeDialogs().install(monkeypatch)
    everyone = sorted(ids(page).values())
    click(qtbot, page.regroup_button)                      # groups, so the rotation can start
    for pid in everyone:                                   # run 1: everyone checked in
        ctx.join.check_in_for(academy.id, pid, 1)
    ctx.rotation.start(academy.id)
    ctx.rotation.end(academy.id)
    ctx.rotation.start(academy.id)                         # "Start again": run 2
    assert ctx.rotation.run_number(academy.id) == 2
    ctx.join.check_in_for(academy.id, everyone[0], 1)
    assert ctx.join.checkins(academy.id)[0].run == 2
    click(qtbot, page.rules_panel.arrived_button)
    assert page.draft.rules.absent == frozenset(everyone[1:])


def test_why_a_rule_is_not_met_reads_as_a_person_says_it(window, ctx, academy, qtbot):
    """The notes under the groups name people by name and roles by their category's label, with
    one decimal: they read "Sam Rivera (7) … role “district_leader”" and "3.333 roles"."""
    for i in range(10):
        ctx.academies.add_participant(academy.id, Participant(
            name=f"Person {i:02d}", school=f"School {i % 4}", role=("teacher", "coach", "principal")[i % 3]))
    ctx.academies.add_participant(academy.id, Participant(name="Sam Rivera", school="District",
                                                          role="District leader"))
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    page.groups_spin.setValue(3)
    click(qtbot, page.regroup_button)
    notes = page.notes_label.text()
    assert "Not met: Sam Rivera is the only person with role “District leader”" in notes, notes
    assert "district_leader" not in notes and "(" not in notes.split("\n")[0]
    schools = next(line for line in notes.split("\n") if line.startswith("Schools:"))
    assert re.match(r"Schools: \d+\.\d different schools", schools), schools


def test_the_pair_boxes_start_on_two_people_so_keep_together_acts_at_once(page, qtbot):
    panel = page.rules_panel
    assert panel.first.currentText() != panel.second.currentText()
    first, second = panel.first.currentData(), panel.second.currentData()
    click(qtbot, panel.together_button)
    assert page.draft.rules.keep_together == (tuple(sorted((first, second))),)
