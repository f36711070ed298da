"""pytest-qt: the grouping page — make groups, drop a person on another card and see the metrics
change, undo/redo, lock and regroup, rename, save for the rotation."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent

from stations.grouping.draft import GroupingRules
from stations.ui.grouping.page import RUNS
from workshop.academy.model import Participant
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("grouping")  # the window holds only what these tests drive

STAGES = ("exploring", "planning", "implementing")


@pytest.fixture
def page(window, ctx, academy):
    for i in range(12):
        ctx.academies.add_participant(academy.id, Participant(
            name=f"Person {i}", school=f"School {i % 3}", role="principal" if i % 4 == 0 else "teacher",
            readiness=STAGES[i % 3]))
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    page.groups_spin.setValue(3)
    return page


def drop(page, pid: int, to_group: int) -> None:
    """Drop a person on a card exactly as a drag does: the source list's mime data, delivered to
    the target list's dropEvent."""
    source = next(c.members for c in page.cards
                  for row in range(c.members.count())
                  if c.members.item(row).data(Qt.ItemDataRole.UserRole) == pid)
    item = next(source.item(row) for row in range(source.count())
                if source.item(row).data(Qt.ItemDataRole.UserRole) == pid)
    mime = source.mimeData([item])
    target = page.cards[to_group].members
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)
    assert event.isAccepted()


def card_ids(page, k: int) -> list[int]:
    members = page.cards[k].members
    return [members.item(r).data(Qt.ItemDataRole.UserRole) for r in range(members.count())]


def test_page_starts_empty_then_makes_balanced_groups(page):
    assert page.cards == []
    assert "press Make groups" in page.status.text()
    assert page.regroup_button.text() == "Make groups"
    page.regroup()
    assert len(page.cards) == 3
    assert [len(card_ids(page, k)) for k in range(3)] == [4, 4, 4]
    assert "Size spread 0" in page.metrics_label.text()
    assert "School gap 0" in page.metrics_label.text()
    assert page.cards[0].summary.text().startswith("4 people · 3 schools")


def test_dropping_a_person_on_another_card_moves_them_and_updates_the_metrics(page, window, qtbot):
    page.regroup()
    pid = card_ids(page, 0)[0]
    with qtbot.waitSignal(page.grouping_changed) as changed:
        drop(page, pid, 1)
    assert pid in card_ids(page, 1) and pid not in card_ids(page, 0)
    assert changed.args[0].metrics.size_spread == 2
    assert "Size spread 2" in page.metrics_label.text()
    assert "Not met: Group sizes differ by 2" in page.notes_label.text()
    assert page.status.text() == RUNS   # every edit is the grouping that runs (issue 13, item 9)
    window.undo_group.undo()
    assert pid in card_ids(page, 0)
    assert "Size spread 0" in page.metrics_label.text()
    window.undo_group.redo()
    assert pid in card_ids(page, 1)
    assert page.undo_stack.undoText().startswith("Move Person")


def test_dropping_on_the_same_card_changes_nothing(page):
    page.regroup()
    pid = card_ids(page, 0)[0]
    count = page.undo_stack.count()
    drop(page, pid, 0)
    assert page.undo_stack.count() == count


def test_locked_people_stay_put_when_regrouping(page, window):
    page.regroup()
    pid = card_ids(page, 2)[1]
    item = page.cards[2].members.item(1)
    item.setCheckState(Qt.CheckState.Checked)        # the tick on the card locks
    assert pid in page.locked
    assert "1 locked" in page.cards[2].summary.text()
    for _ in range(3):
        page.regroup()
        assert pid in card_ids(page, 2)
    window.undo_group.undo()                         # regroups undo one by one, then the lock
    window.undo_group.undo()
    window.undo_group.undo()
    window.undo_group.undo()
    assert pid not in page.locked


def test_renaming_a_group_is_undoable(page, window):
    page.regroup()
    card = page.cards[1]
    card.name_edit.setText("  Owls ")
    card.name_edit.editingFinished.emit()
    assert page.names[1] == "Owls" and page.cards[1].name_edit.text() == "Owls"
    window.undo_group.undo()
    assert page.names[1] == "Group B" and page.cards[1].name_edit.text() == "Group B"


def test_a_duplicate_group_name_is_refused(page, monkeypatch):
    fake = FakeDialogs().install(monkeypatch)
    page.regroup()
    page.rename_group(2, "group a")
    assert page.names[2] == "Group C"
    assert [text for _, text in fake.errors] == ["Another group is already called “group a”."]


def test_save_keeps_the_groups_for_the_rotation_and_reopening(page, ctx, academy, window, qtbot):
    page.regroup()
    page.rename_group(0, "Owls")
    drop(page, card_ids(page, 1)[0], 0)
    with qtbot.waitSignal(page.grouping_saved) as saved:
        page.save()
    assert saved.args == [academy.id]
    groups = ctx.grouping.saved_groups(academy.id)
    assert [g.name for g in groups] == ["Owls", "Group B", "Group C"]
    assert [g.member_ids for g in groups] == [card_ids(page, k) for k in range(3)]
    assert ctx.rotation.groups(academy.id)[1] is True
    window.open_academy(None)
    assert page.cards == []
    window.open_academy(academy.id)
    assert [c.name_edit.text() for c in page.cards] == ["Owls", "Group B", "Group C"]
    assert page.status.text().startswith(RUNS[:-1])


def test_several_rounds_show_a_round_picker_and_repeat_pairs(page):
    page.rounds_spin.setValue(2)
    page.regroup()
    assert page.round_combo.count() == 2
    assert "Repeat pairs" in page.metrics_label.text()
    page.round_combo.setCurrentIndex(1)
    assert sorted(pid for k in range(3) for pid in card_ids(page, k)) == sorted(page.people)


def test_the_readiness_strategy_makes_pure_groups(page):
    page.strategy.setCurrentIndex(page.strategy.findData("readiness"))
    page.regroup()
    assert "Readiness spread 0" in page.metrics_label.text()
    for card in page.cards:
        assert card.summary.text().endswith(("Readiness E4", "Readiness P4", "Readiness I4"))


def test_keyboard_moves_the_selected_person_to_the_next_group(page, qtbot):
    page.regroup()
    members = page.cards[0].members
    members.setCurrentRow(0)
    pid = card_ids(page, 0)[0]
    qtbot.keyClick(members, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert pid in card_ids(page, 1)
    members = page.cards[1].members
    members.setCurrentRow(card_ids(page, 1).index(pid))
    qtbot.keyClick(members, Qt.Key.Key_Left,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert pid in card_ids(page, 0)


def test_every_step_is_written_as_a_draft_that_survives_reopening(page, ctx, academy, window):
    page.regroup()
    page.rename_group(2, "Foxes")
    pid = card_ids(page, 0)[0]
    drop(page, pid, 2)
    draft = ctx.grouping.draft(academy.id)
    assert draft.names == ["Group A", "Group B", "Foxes"] and pid in draft.rounds[0][2]
    # No Save: the groups on show are the ones that run (issue 13, item 9).
    assert ctx.grouping.saved_groups(academy.id)[2].name == "Foxes"
    assert pid in ctx.grouping.saved_groups(academy.id)[2].member_ids
    window.open_academy(None)
    window.open_academy(academy.id)                     # as after a crash and a restart
    assert page.status.text() == RUNS
    assert [c.name_edit.text() for c in page.cards] == ["Group A", "Group B", "Foxes"]
    assert pid in card_ids(page, 2)


@pytest.mark.pages("roster", "grouping")
def test_the_page_follows_roster_changes_made_elsewhere(page, ctx, academy, window):
    window.show()
    page.regroup()
    gone = card_ids(page, 0)[0]
    window.show_page("roster")
    ctx.academies.remove_participants([gone])
    ctx.academies.add_participant(academy.id, Participant(name="Walk-in Wanda", school="School 9"))
    window.show_page("grouping")
    assert gone not in [pid for k in range(3) for pid in card_ids(page, k)]
    assert page.status.text().startswith("Not in a group yet: Walk-in Wanda.")
    page.regroup()
    assert "Walk-in Wanda" in [page.people[pid].name for k in range(3) for pid in card_ids(page, k)]


def test_never_leave_a_district_leader_alone_reads_back_the_same_from_every_path(page, ctx, academy, window):
    """No district leaders on this roster: the service once saved the box as the resolved (here
    empty) dict and the page as a bool, so the box came back unticked from one path."""
    def reopened_box() -> bool:
        window.open_academy(None)
        window.open_academy(academy.id)
        return page.protect_box.isChecked()

    assert page.protect_box.isChecked()
    page.regroup()                                           # the draft the page writes
    assert ctx.grouping.draft(academy.id).rules.protect_leaders is True
    assert reopened_box()
    page.save()                                              # the page's save
    by_page = ctx.grouping.saved(academy.id).options
    assert reopened_box()
    ctx.grouping.clear(academy.id)
    ctx.grouping.ensure_grouping(academy.id, 3)              # the service's save
    by_service = ctx.grouping.saved(academy.id).options
    assert by_page["protect"] is True and by_service["protect"] is True
    assert set(by_page) == set(by_service)
    assert GroupingRules.from_json(by_page).protect_leaders == GroupingRules.from_json(by_service).protect_leaders
    assert reopened_box()
    page.protect_box.setChecked(False)                       # and "no" stays no
    page.regroup()
    page.save()
    assert ctx.grouping.saved(academy.id).options["protect"] is False
    assert not reopened_box()
