"""pytest-qt: the Roster page's first frame does only what it shows (issue 20, the demo's first
window): its columns as wide as ``resizeColumnsToContents`` makes them, measured on one cell a
column; the role panel's combo boxes for the rows in view, the others right after its first
paint, each as it was."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from workshop.academy.model import Participant
from workshop.academy.roles import CATEGORIES, role_key
from workshop.ui.academy.roster_model import RosterTableModel

pytestmark = pytest.mark.pages("academies", "roster")


def widths(table) -> list[int]:
    """The columns' widths once laid out (the last one stretches to the table's edge)."""
    QApplication.processEvents()
    header = table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


@pytest.fixture
def roster(window, ctx, demo_academy):
    # A walk-in's name is shown longer ("· walk-in"), and a long school and role.
    ctx.academies.add_participant(demo_academy.id, Participant(
        name="Zoë Quartermaine-Ellington", school="The Very Long Name Regional Academy of Arts",
        role="Teacher on special assignment (STEM)"))
    window.open_academy(demo_academy.id)
    window.show_page("roster")
    return window.page("roster")


def same_as_resize_to_contents(table) -> bool:
    """Every column but the last as ``resizeColumnsToContents`` makes it; the last at least
    as wide as its contents and out to the table's edge, as the header stretches it (Qt's
    call, on a table on screen, left it at its contents' width, short of the edge)."""
    fitted = widths(table)
    table.resizeColumnsToContents()
    contents = widths(table)
    return (fitted[:-1] == contents[:-1] and fitted[-1] >= contents[-1]
            and sum(fitted) >= table.viewport().width())


@pytest.mark.parametrize("needle", ["", "riverside", "nobody matches this"])
@pytest.mark.parametrize("width", [1400, 700])
def test_the_columns_are_as_wide_as_resize_columns_to_contents_makes_them(roster, window, needle,
                                                                          width):
    window.resize(width, 800)
    window.show()
    roster.filter.setText(needle)
    roster.reload()
    assert same_as_resize_to_contents(roster.table)


def test_a_walk_ins_longer_name_widens_its_column_as_before(roster, window, ctx, demo_academy):
    window.show()
    person = max(ctx.academies.participants(demo_academy.id), key=lambda p: len(p.name))
    roster.reload()
    before = widths(roster.table)[0]
    roster.model.set_participants(ctx.academies.participants(demo_academy.id), {person.id})
    from workshop.ui.academy.roster_model import fit_columns
    fit_columns(roster.table, roster.proxy, roster.model)
    assert widths(roster.table)[0] > before
    assert same_as_resize_to_contents(roster.table)


def test_the_widths_come_from_one_cell_a_column_not_every_cell(ctx, demo_academy, qtbot,
                                                               monkeypatch):
    shown = []
    data = RosterTableModel.data

    def counted(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            shown.append(index.row())
        return data(self, index, role)
    monkeypatch.setattr(RosterTableModel, "data", counted)   # before Qt meets the model
    from workshop.ui.academy.roster_page import RosterPage
    page = RosterPage(ctx.academies)
    qtbot.addWidget(page)
    page.set_academy(demo_academy.id)
    rows, columns = page.model.rowCount(), page.model.columnCount()
    assert rows == 36 and 0 < len(shown) <= 2 * columns   # every cell asked: rows × columns


def test_the_role_panel_makes_the_combo_boxes_below_its_view_after_its_first_paint(
        roster, window, qtbot, ctx, demo_academy):
    roles = roster.roles
    table = roles.table
    made = [table.cellWidget(r, 2) is not None for r in range(table.rowCount())]
    assert table.rowCount() == 18 and made[0] and not all(made)
    in_view = made.index(False)
    assert in_view * table.verticalHeader().defaultSectionSize() >= table.maximumHeight()
    window.show()
    qtbot.waitUntil(lambda: all(table.cellWidget(r, 2) for r in range(table.rowCount())))
    overrides = ctx.academies.role_categories(demo_academy.id)
    for r, (role, _count, category) in enumerate(overrides):
        combo = table.cellWidget(r, 2)
        assert combo.accessibleName() == f"Category of {role}"
        assert [combo.itemData(i) for i in range(combo.count())] == list(CATEGORIES)
        assert combo.currentData() == category


def test_a_late_combo_box_is_there_when_asked_for_and_saves_its_choice(
        roster, ctx, demo_academy, qtbot):
    roles = roster.roles
    last_role = roles.table.item(roles.table.rowCount() - 1, 0).text()
    assert roles.table.cellWidget(roles.table.rowCount() - 1, 2) is None   # not painted yet
    combo = roles.combo_for(last_role)
    assert combo is roles.table.cellWidget(roles.table.rowCount() - 1, 2)
    chosen = CATEGORIES.index("district_leader")
    combo.setCurrentIndex(chosen)
    combo.activated.emit(chosen)   # what choosing an entry sends
    assert ctx.academies.role_overrides(demo_academy.id) == {role_key(last_role): "district_leader"}
    assert roles.category_of(last_role) == "district_leader"
