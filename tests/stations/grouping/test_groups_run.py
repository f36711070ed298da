"""The groups on the Groups page are the groups that run, with a sensible first count
(issue 13, item 9): no Save to forget, no numbered groups behind the facilitator's back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from stations.grouping.draft import suggested_groups
from tests.stations.grouping.test_page import card_ids, drop
from workshop.academy.model import Participant

pytestmark = pytest.mark.pages("roster", "grouping")


def add_people(ctx, academy, count: int) -> None:
    for i in range(count):
        ctx.academies.add_participant(academy.id, Participant(
            name=f"Person {i}", school=f"School {i % 4}", role="teacher"))


def test_a_new_academy_proposes_about_five_or_six_a_group_once_the_roster_is_in(window, ctx, academy):
    window.show()
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    assert page.groups_spin.value() == 3            # no roster yet: one group per station
    window.show_page("roster")
    add_people(ctx, academy, 34)                    # the roster arrives (an import, say)
    window.show_page("grouping")
    assert page.groups_spin.value() == 6            # 34 people: about 5–6 a group


def test_suggested_counts():
    assert [suggested_groups(n, 3) for n in (0, 2, 12, 24, 36, 60)] == [3, 2, 3, 4, 7, 11]
    assert suggested_groups(10, 6) == 6             # never fewer groups than stations
    assert suggested_groups(0, 0) == 1


def test_the_groups_on_show_run_and_print_without_a_save(window, ctx, academy):
    add_people(ctx, academy, 24)
    window.show()
    window.open_academy(academy.id)
    window.show_page("grouping")
    page = window.page("grouping")
    assert not [b for b in page.findChildren(QPushButton) if "Save" in b.text()]
    QTest.mouseClick(page.regroup_button, Qt.MouseButton.LeftButton)   # "Make groups"
    assert len(page.cards) == 4
    groups, saved = ctx.rotation.groups(academy.id)
    assert saved and [g.member_ids for g in groups] == [card_ids(page, k) for k in range(4)]
    pid = card_ids(page, 0)[0]
    drop(page, pid, 3)                              # a drag, and nothing else
    page.cards[1].name_edit.setText("Owls")
    page.cards[1].name_edit.editingFinished.emit()
    groups, saved = ctx.rotation.groups(academy.id)
    assert pid in groups[3].member_ids and groups[1].name == "Owls"
    assert ctx.rotation.plan(academy.id).groups[1].name == "Owls"   # what the rotation runs
    window.undo_group.undo()                        # undo is kept as well
    window.undo_group.undo()
    assert pid in ctx.rotation.groups(academy.id)[0][0].member_ids
