"""The roster page: a sortable, filterable table of the open academy's participants.

Every accepted edit is saved at once through the AcademyService (one call per action) and is
undoable; an invalid edit is explained above the table and nothing is saved. People come in by
file (Import…), by dropping a CSV/TSV file on the page, or by pasting a spreadsheet block
(Ctrl+V in the table); each way opens the same import dialog.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from workshop.academy.model import READINESS_STAGES, Participant
from workshop.errors import ValidationError
from workshop.store.errors import DatabaseError
from workshop.ui import dialogs
from workshop.ui.academy.roster_commands import AddCommand, EditCommand, ImportCommand, RemoveCommand
from workshop.ui.academy.roles_panel import RolesPanel
from workshop.ui.academy.roster_model import (COLUMNS, HEADERS, ReadinessDelegate,
                                      RosterFilterProxy, RosterTableModel, fit_columns)
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.widgets import heading, plain_label

if TYPE_CHECKING:   # the import dialog and the roster reader load when a roster comes in
    from workshop.ui.academy.roster_import import ImportDialog

ROSTER_FILES = "Roster files (*.csv *.tsv *.txt *.xlsx);;All files (*)"
NEW_NAME = "New participant"


# -- the page ------------------------------------------------------------------------------------

class RosterPage(Page):
    """The Roster page: the open academy's participants, edited in place, imported, exported."""

    roster_changed = Signal(object)  # payload: the academy id whose roster was written

    def __init__(self, academies, parent: QWidget | None = None):
        super().__init__(parent)
        self.academies = academies
        self.academy_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.import_dialog: ImportDialog | None = None
        self.setAcceptDrops(True)

        self.model = RosterTableModel(self)
        self.model.edit_requested.connect(self.edit)
        self.proxy = RosterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)  # rows stay put while being edited
        self.table = QTableView()
        self.table.setAccessibleName("Roster: one row per participant")
        # Tab leaves the table (it walked all 200 cells of a roster before reaching the next
        # control); the arrows move between cells and F2 or typing edits one.
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegateForColumn(COLUMNS.index("readiness"), ReadinessDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, school, role, readiness or email…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter the roster")
        self.filter.textChanged.connect(self._filter_changed)
        self.summary = plain_label()
        self.error = plain_label(word_wrap=True)
        style_error(self.error, bold=True)
        self.error.hide()

        self.add_button = QPushButton("&Add person")
        self.remove_button = QPushButton("&Remove…")
        self.import_button = QPushButton("&Import…")
        self.add_button.clicked.connect(self.add_person)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self.choose_file)

        self.paste_action = QAction("&Paste people from a spreadsheet", self,
                                    triggered=self.paste)
        table_paste = QAction(self.table, shortcut=QKeySequence.StandardKey.Paste,
                              triggered=self.paste)
        table_paste.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(table_paste)
        table_delete = QAction(self.table, shortcut=QKeySequence.StandardKey.Delete,
                               triggered=self.remove_selected)
        table_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(table_delete)
        self.import_action = QAction("&Import roster…", self, triggered=self.choose_file,
                                     shortcut=QKeySequence("Ctrl+I"))
        self.export_action = QAction("&Export roster as CSV…", self, triggered=self.export_csv)
        self.add_action = QAction("&Add person", self, triggered=self.add_person,
                                  shortcut=QKeySequence("Ctrl+Shift+N"))
        self.find_action = QAction("&Find people", self, shortcut=QKeySequence.StandardKey.Find,
                                   triggered=lambda: self.filter.setFocus())

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        for b in (self.add_button, self.remove_button, self.import_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Roster"))
        layout.addWidget(plain_label(
            "Import an Eventbrite, Google Forms or Excel export (Import…, drop a file here, or "
            "paste rows with Ctrl+V). Double-click a cell to edit it; changes save at once.",
            word_wrap=True))
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.roles = RolesPanel(academies, self.undo_stack, self._roles_changed)
        layout.addWidget(self.roles)
        self._set_enabled(False)

    def page_actions(self) -> list[QAction]:
        return [self.import_action, self.paste_action, self.export_action, self.add_action,
                self.find_action]

    # -- academy and contents ----------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.undo_stack.clear()  # commands belong to the academy they were made in
        self.clear_error()
        self._set_enabled(academy_id is not None)
        self.reload()

    def _set_enabled(self, on: bool) -> None:
        for w in (self.table, self.filter, self.add_button, self.remove_button, self.import_button):
            w.setEnabled(on)
        for a in (self.import_action, self.paste_action, self.export_action, self.add_action):
            a.setEnabled(on)

    def reload(self) -> None:
        if self.academy_id is None:
            self.model.set_participants([])
        else:
            self.model.set_participants(self.academies.participants(self.academy_id),
                                        self.academies.walk_in_ids(self.academy_id))
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())
        fit_columns(self.table, self.proxy, self.model)   # as resizeColumnsToContents()
        self._update_summary()
        self.roles.set_academy(self.academy_id)
        self.mark_read()

    def _roles_changed(self) -> None:
        """A role category or a school spelling was saved (or undone) on the roles panel."""
        self.reload()
        self.roster_changed.emit(self.academy_id)

    def _update_summary(self) -> None:
        people = self.model.participants()
        if self.academy_id is None:
            self.summary.setText("No academy is open.")
            return
        schools = len({p.school.casefold() for p in people if p.school})
        stages = ", ".join(f"{sum(1 for p in people if p.readiness == s)} {s}"
                           for s in READINESS_STAGES)
        text = (f"{len(people)} {'person' if len(people) == 1 else 'people'}, "
                f"{schools} {'school' if schools == 1 else 'schools'}")
        if people:
            text += f" · {stages}"
        walk_ins = self.model.walk_in_count()
        if walk_ins:
            text += f" · {walk_ins} walk-in{'s' if walk_ins != 1 else ''}"
        shown = self.proxy.rowCount()
        if shown != len(people):
            text += f" · {shown} shown by the filter"
        self.summary.setText(text)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_summary()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    # -- editing -----------------------------------------------------------------------------
    def edit(self, participant_id: int, field: str, text: str) -> None:
        """Validate one cell edit; save it (undoably) or explain why not and save nothing."""
        before = self.model.participant_at(self.model.row_of(participant_id))
        try:
            after = replace(before, **{field: text})
        except ValidationError as exc:
            self.show_error(f"Not saved — {before.name}, {HEADERS[field].lower()}: {exc}")
            return
        try:
            self._save(after)
        except DatabaseError as exc:   # a busy file: say so, and give the person their text back
            self.show_error(f"Not saved — {before.name}, {HEADERS[field].lower()}: {exc}")
            QTimer.singleShot(0, lambda: self._reopen(participant_id, field, text))
            return
        self.clear_error()
        self.undo_stack.push(EditCommand(self, before, after, field))

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run one write of an undo or redo; a busy file is said above the table, not raised."""
        try:
            action()
        except DatabaseError as exc:
            self.show_error(f"Not saved — {exc}")
            return False
        return True

    def _reopen(self, participant_id: int, field: str, text: str) -> None:
        """Open the cell's editor again holding what was typed (the save did not happen)."""
        if participant_id not in {p.id for p in self.model.participants()}:
            return
        index = self.proxy.mapFromSource(
            self.model.index(self.model.row_of(participant_id), COLUMNS.index(field)))
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        # the editor just opened; closed ones linger hidden until Qt deletes them
        for editor in self.table.viewport().findChildren(QLineEdit):
            if not editor.isHidden():
                editor.setText(text)

    def _save(self, participant: Participant) -> None:
        saved = self.academies.update_participant(replace(participant))
        self.model.replace(saved)
        self._update_summary()
        self.roster_changed.emit(self.academy_id)

    def add_person(self) -> None:
        """Add a row named “New participant” and start editing its name."""
        if self.academy_id is None:
            return
        school = ""
        if (selected := self.selected_participants()):
            school = selected[0].school  # usually the next person is from the same team
        try:
            person = self.academies.add_participant(
                self.academy_id, Participant(name=NEW_NAME, school=school))
        except DatabaseError as exc:
            self.show_error(f"Not added — {exc}")
            return
        command = AddCommand(self, self.academy_id, person)
        self.undo_stack.push(command)
        self.roster_changed.emit(self.academy_id)
        self.filter.clear()
        row = self.proxy.mapFromSource(self.model.index(self.model.row_of(command.person.id), 0))
        self.table.setCurrentIndex(row)
        self.table.edit(row)

    def selected_participants(self) -> list[Participant]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.proxy.mapToSource(self.table.currentIndex()).row()}
        return [self.model.participant_at(r) for r in sorted(rows)]

    def remove_selected(self) -> None:
        people = self.selected_participants()
        if not people or self.academy_id is None:
            return
        names = ", ".join(p.name for p in people[:5]) + (" …" if len(people) > 5 else "")
        question = (f"Remove {len(people)} {'person' if len(people) == 1 else 'people'} from the "
                    f"roster ({names})? Their group places and check-ins go too. "
                    "Edit ▸ Undo puts them back.")
        if not dialogs.confirm(self, "Remove from roster", question, "Remove"):
            return
        try:
            self.academies.remove_participants([p.id for p in people])
        except DatabaseError as exc:
            self.show_error(f"Not removed — {exc}")
            return
        self.undo_stack.push(RemoveCommand(self, self.academy_id, people))
        self.roster_changed.emit(self.academy_id)

    # -- import ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = dialogs.open_file(self, "Import roster", ROSTER_FILES)
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> ImportDialog | None:
        from workshop.academy.roster.plan import read_roster_bytes
        path = Path(path)
        try:
            with path.open("rb") as fh:
                data = read_roster_bytes(fh)   # a device or pipe that never ends: refused
        except OSError as exc:
            self.show_error(f"Cannot read {path.name}: {exc.strerror}.")
            return None
        except ValidationError as exc:
            self.show_error(f"Cannot import {path.name}: {exc}")
            return None
        return self._plan_and_open(data, path.name)

    def import_text(self, text: str) -> ImportDialog | None:
        return self._plan_and_open(text, "")

    def paste(self) -> ImportDialog | None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_error("The clipboard is empty: copy rows in a spreadsheet first.")
            return None
        return self.import_text(text)

    def _plan_and_open(self, data: bytes | str, source: str) -> ImportDialog | None:
        if self.academy_id is None:
            return None
        try:
            from workshop.academy.roster.plan import read_roster
            plan = read_roster(data, source=source)
        except ValidationError as exc:
            self.show_error(f"Cannot import {source or 'the pasted rows'}: {exc}")
            return None
        self.clear_error()
        academy_id = self.academy_id
        from workshop.ui.academy.roster_import import ImportDialog
        dialog = ImportDialog(plan, lambda p: self._import(academy_id, p), self)
        dialog.imported.connect(self._imported)
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _import(self, academy_id: int, plan):
        """Import, then push its undo: who it added and what it changed in whom."""
        before = {p.id: p for p in self.academies.participants(academy_id)}
        report = self.academies.import_roster(academy_id, plan)
        after = {p.id: p for p in self.academies.participants(academy_id)}
        added = [p for i, p in after.items() if i not in before]
        changed = [(before[i], p) for i, p in after.items() if i in before and p != before[i]]
        if added or changed:
            self.undo_stack.push(ImportCommand(self, academy_id, plan.source, added, changed))
        return report

    def _imported(self, report) -> None:
        self.reload()
        self.roster_changed.emit(self.academy_id)

    def showEvent(self, event) -> None:
        # Other parts of the app add people too (walk-ins from phones): show the roster as saved.
        super().showEvent(event)
        if self.academy_id is not None and not self.read_this_turn():
            self.reload()

    def dragEnterEvent(self, event) -> None:
        if self.academy_id is not None and _local_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if (path := _local_file(event.mimeData())):
            event.acceptProposedAction()
            self.import_file(path)

    # -- export ------------------------------------------------------------------------------
    def export_csv(self) -> None:
        if self.academy_id is None:
            return
        title = self.academies.get(self.academy_id).title
        path = dialogs.save_file(self, "Export roster", f"{title} roster.csv", "CSV files (*.csv)")
        if path:
            self.write_csv(path)

    def write_csv(self, path: str | Path) -> None:
        # The BOM makes Excel read UTF-8 (else accents turn into mojibake there).
        Path(path).write_text(self.academies.export_roster_csv(self.academy_id),
                              encoding="utf-8-sig", newline="")


def _local_file(mime) -> str:
    if mime.hasUrls():
        for url in mime.urls():
            if url.isLocalFile():
                return url.toLocalFile()
    return ""
