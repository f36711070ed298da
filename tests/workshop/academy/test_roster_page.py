"""pytest-qt: drive the main window as a facilitator would — create an academy, import a
roster, edit cells and see the database change, undo, filter, add, remove, paste, drop."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit

from workshop.ui.academy.roster_model import COLUMNS
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("academies", "roster")  # the window holds only what these tests drive

DATA = Path(__file__).parent / "data"


def undo_action(window):
    return next(a for a in window.edit_menu.actions() if a.text().startswith("&Undo")
                or a.text().startswith("Undo"))


def redo_action(window):
    return next(a for a in window.edit_menu.actions() if a.text().startswith("&Redo")
                or a.text().startswith("Redo"))


def cell(page, name: str, column: str):
    proxy = page.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data() == name:
            return proxy.index(row, COLUMNS.index(column))
    raise KeyError(name)


def open_editor(page, kind):
    """The cell editor now open (closed ones linger hidden until deleted later)."""
    editors = [e for e in page.table.viewport().findChildren(kind) if e.isVisible()]
    assert len(editors) == 1, "no cell editor open"
    return editors[0]


def edit_cell(qtbot, page, index, text: str) -> None:
    """Double-click-style edit: open the editor, type, press Enter."""
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = open_editor(page, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call


def db_person(ctx, academy_id, name):
    return next(p for p in ctx.academies.participants(academy_id) if p.name == name)


def test_create_an_academy_through_the_page_and_its_dialog(qtbot, window, ctx):
    window.show()
    window.show_page("academies")
    page = window.page("academies")
    seen = {}

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        dialog._accept()  # OK with an empty title: refused, explained, still open
        seen["error"] = dialog.error.text()
        qtbot.keyClicks(dialog.title, "Autumn Design Academy")
        qtbot.keyClicks(dialog.place, "Library")
        dialog._accept()

    QTimer.singleShot(0, fill_dialog)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert seen["error"] == "An academy needs a title."
    academy = ctx.academies.find("Autumn Design Academy")
    assert academy.place == "Library"
    assert window.academy_id == academy.id
    assert window.windowTitle().startswith("Autumn Design Academy")


def test_import_a_roster_through_the_dialog(qtbot, window, ctx, academy):
    window.open_academy(academy.id)
    window.show_page("roster")
    page = window.page("roster")
    dialog = page.import_file(DATA / "excel_windows.csv")
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.showing_report
    assert dialog.combos["school"].currentText() == "School"
    assert dialog.combos["role"].currentText() == "Job title"
    assert "4 people read" in dialog.counts.text()
    dialog.set_mapping("name", None)  # a person unpicks the name column: import is blocked
    assert not dialog.import_button.isEnabled() and "name" in dialog.problem.text()
    dialog.set_mapping("name", 0)
    assert dialog.preview.item(1, 2).text() == "Núñez, José"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.showing_report
    assert "4 imported, 0 merged, 0 skipped" in dialog.summary.text()
    assert len(ctx.academies.participants(academy.id)) == 4
    assert page.model.rowCount() == 4
    assert page.summary.text().startswith("4 people, 2 schools")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_edit_a_cell_saves_at_once_and_undo_restores(qtbot, window, ctx, demo_academy):
    window.open_academy(demo_academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    edit_cell(qtbot, page, cell(page, "José Núñez", "role"), "Assistant principal")
    assert db_person(ctx, demo_academy.id, "José Núñez").role == "Assistant principal"
    assert cell(page, "José Núñez", "role").data() == "Assistant principal"
    undo_action(window).trigger()
    assert db_person(ctx, demo_academy.id, "José Núñez").role == "Principal"
    assert cell(page, "José Núñez", "role").data() == "Principal"
    redo_action(window).trigger()
    assert db_person(ctx, demo_academy.id, "José Núñez").role == "Assistant principal"


def test_an_invalid_edit_is_explained_and_nothing_is_saved(qtbot, window, ctx, demo_academy):
    window.open_academy(demo_academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    edit_cell(qtbot, page, cell(page, "Ольга Петрова", "email"), "olga at riverside")
    assert page.error.isVisible()
    assert "does not look like an email address" in page.error.text()
    assert db_person(ctx, demo_academy.id, "Ольга Петрова").email == "olga.petrova@riverside.example.org"
    assert page.undo_stack.count() == 0
    edit_cell(qtbot, page, cell(page, "Ольга Петрова", "name"), "   ")
    assert "needs a name" in page.error.text()
    edit_cell(qtbot, page, cell(page, "Ольга Петрова", "school"), "Riverside MS")
    assert not page.error.isVisible()
    assert db_person(ctx, demo_academy.id, "Ольга Петрова").school == "Riverside MS"


def test_readiness_is_edited_with_a_combo(qtbot, window, ctx, demo_academy):
    window.open_academy(demo_academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    index = cell(page, "张伟", "readiness")
    page.table.edit(index)
    combo = open_editor(page, QComboBox)
    combo.setCurrentText("implementing")
    page.table.commitData(combo)
    assert db_person(ctx, demo_academy.id, "张伟").readiness == "implementing"


def test_filter_ignores_accents_and_sorting_by_column(qtbot, window, demo_academy):
    window.open_academy(demo_academy.id)
    page = window.page("roster")
    assert page.summary.text().startswith("36 people, 6 schools")
    qtbot.keyClicks(page.filter, "nunez")
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 0).data() == "José Núñez"
    assert "1 shown by the filter" in page.summary.text()
    page.filter.clear()
    page.filter.setText("librarian")
    assert page.proxy.rowCount() == 3
    page.filter.clear()
    page.table.sortByColumn(COLUMNS.index("readiness"), Qt.SortOrder.DescendingOrder)
    assert page.proxy.index(0, COLUMNS.index("readiness")).data() == "implementing"
    page.table.sortByColumn(COLUMNS.index("school"), Qt.SortOrder.AscendingOrder)
    assert page.proxy.index(0, COLUMNS.index("school")).data() == "Cedar Ridge Academy"


def test_add_and_remove_people_with_confirmation_and_undo(qtbot, window, ctx, demo_academy,
                                                          monkeypatch):
    window.open_academy(demo_academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    page.table.setCurrentIndex(cell(page, "Zoë Brennan-O'Neil", "name"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    new = db_person(ctx, demo_academy.id, "New participant")
    assert new.school == "Maplewood Elementary"  # the selected person's team
    editor = open_editor(page, QLineEdit)
    qtbot.keyClicks(editor, "Lena Hoffmann")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert db_person(ctx, demo_academy.id, "Lena Hoffmann").id == new.id
    assert page.summary.text().startswith("37 people")

    dialogs = FakeDialogs(confirm=True).install(monkeypatch).queue("confirm", False)
    page.table.setCurrentIndex(cell(page, "Lena Hoffmann", "name"))
    page.table.selectRow(page.table.currentIndex().row())
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    asked = dialogs.questions("confirm")
    assert "Lena Hoffmann" in asked[0] and len(ctx.academies.participants(demo_academy.id)) == 37
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert len(ctx.academies.participants(demo_academy.id)) == 36
    undo_action(window).trigger()
    assert db_person(ctx, demo_academy.id, "Lena Hoffmann").id == new.id
    undo_action(window).trigger()  # the rename
    undo_action(window).trigger()  # the add
    assert len(ctx.academies.participants(demo_academy.id)) == 36
    assert "New participant" not in {p.name for p in ctx.academies.participants(demo_academy.id)}


def test_paste_a_spreadsheet_block_with_ctrl_v(qtbot, window, ctx, academy):
    window.open_academy(academy.id)
    window.show_page("roster")
    with qtbot.waitActive(window):  # shortcuts only reach the active window
        window.show()
        window.activateWindow()
    page = window.page("roster")
    QGuiApplication.clipboard().setText((DATA / "pasted_block.tsv").read_text(encoding="utf-8"))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert "without a header row" in dialog.described.text()
    assert dialog.combos["email"].currentText() == "Column 4"
    dialog.header_box.setChecked(True)  # a person says "no, the first row is a header"
    assert dialog.combos["email"].currentText() == "amara.diallo@northgate.example.org"
    assert [p.name for p in dialog.plan.participants] == ["李娜", "Connor Murphy"]
    dialog.header_box.click()  # and back
    assert not dialog.plan.has_header and len(dialog.plan.participants) == 3
    dialog.run_import()
    assert sorted(p.name for p in ctx.academies.participants(academy.id)) == [
        "Amara Diallo", "Connor Murphy", "李娜"]


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_drop_a_file_on_the_page(qtbot, window, academy):
    window.open_academy(academy.id)
    page = window.page("roster")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DATA / "eventbrite.csv"))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, drop)
    dialog = page.import_dialog
    qtbot.addWidget(dialog)
    assert dialog.plan.source == "eventbrite.csv" and len(dialog.plan.participants) == 4


@pytest.mark.parametrize("name, message", [("not_a_roster.xlsx", "Excel workbook"),
                                           ("missing.csv", "Cannot read missing.csv")])
def test_unreadable_files_are_explained_on_the_page(window, academy, name, message):
    window.open_academy(academy.id)
    page = window.page("roster")
    assert page.import_file(DATA / name) is None
    assert message in page.error.text() and page.import_dialog is None


def test_export_writes_csv_excel_can_read(window, ctx, demo_academy, tmp_path):
    window.open_academy(demo_academy.id)
    page = window.page("roster")
    target = tmp_path / "roster.csv"
    page.write_csv(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Ольга Петрова".encode() in raw


def test_import_button_and_export_action_use_file_dialogs(qtbot, window, ctx, academy,
                                                          monkeypatch, tmp_path):
    window.open_academy(academy.id)
    page = window.page("roster")
    dialogs = FakeDialogs(open_file=str(DATA / "excel_utf8_bom.csv")).install(monkeypatch)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.import_dialog
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(ctx.academies.participants(academy.id)) == 3
    target = tmp_path / "out.csv"
    dialogs.queue("save_file", str(target))
    page.export_action.trigger()
    assert "Γιώργος Νικολάου" in target.read_text(encoding="utf-8-sig")


def test_walk_ins_are_flagged_and_edit_as_their_plain_name(qtbot, window, ctx, academy):
    """Someone who joined from a phone shows as a walk-in; editing keeps the name itself."""
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant("Ana López", school="Oak"))
    ctx.academies.add_participant(academy.id, Participant("Jordan Lee"), walk_in=True)
    window.open_academy(academy.id)
    window.show_page("roster")
    window.show()
    page = window.page("roster")
    jordan = cell(page, "Jordan Lee · walk-in", "name")
    assert "not on the imported roster" in jordan.data(Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "Ana López", "name").data(Qt.ItemDataRole.ToolTipRole) is None
    assert "1 walk-in" in page.summary.text()
    edit_cell(qtbot, page, jordan, "Jordan Leigh")
    assert db_person(ctx, academy.id, "Jordan Leigh").name == "Jordan Leigh"
    assert cell(page, "Jordan Leigh · walk-in", "name").isValid()


def test_an_import_is_undone_and_redone_with_the_edit_menu(qtbot, window, ctx, academy):
    """A wrong file imported in front of the room comes back off with Ctrl+Z: the people it
    added go, the person it merged gets their fields back; redo puts both back (same ids)."""
    from workshop.academy.model import Participant

    def role_of(pid: int) -> str:
        return next(p.role for p in ctx.academies.participants(academy.id) if p.id == pid)
    mark = ctx.academies.add_participant(academy.id, Participant("Mark Obi", email="mark@x.example",
                                                                 school="Lincoln High"))
    window.open_academy(academy.id)
    window.show_page("roster")
    page = window.page("roster")
    dialog = page.import_text("Name\tEmail\tSchool\tRole\n"
                              "Mark Obi\tmark@x.example\tLincoln High\tPrincipal\n"
                              "Zoë Brennan\tzoe@x.example\tLincoln High\tTeacher\n"
                              "Ана Петрова\tana@x.example\tRiverside\tCoach\n")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    names = lambda: sorted(p.name for p in ctx.academies.participants(academy.id))  # noqa: E731
    assert names() == ["Mark Obi", "Zoë Brennan", "Ана Петрова"]
    assert role_of(mark.id) == "Principal"
    added = {p.name: p.id for p in ctx.academies.participants(academy.id)}
    assert window.undo_group.undoText() == "Import pasted rows"
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # Edit ▸ Undo
    assert names() == ["Mark Obi"] and role_of(mark.id) == ""
    assert page.table.model().rowCount() == 1
    window.undo_group.redo()
    assert {p.name: p.id for p in ctx.academies.participants(academy.id)} == added
    assert role_of(mark.id) == "Principal"
