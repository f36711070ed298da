"""The academy list: create, open, rename, duplicate, delete (with confirmation)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDateEdit, QDialog, QFormLayout, QHBoxLayout,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget, QCheckBox)

from workshop.academy.model import Academy
from workshop.errors import ValidationError
from workshop.clock import Clock, SystemClock
from workshop.timefmt import DAY_EDIT_FORMAT, day
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.widgets import heading, form_dialog_layout, plain_label
from workshop.text import plural


class AcademyDialog(QDialog):
    """Title, dates, place and facilitator of an academy."""

    def __init__(self, parent: QWidget | None, academy: Academy | None, *, today: date):
        super().__init__(parent)
        self.setWindowTitle("Academy" if academy else "New academy")
        self.title = QLineEdit(academy.title if academy else "")
        self.title.setPlaceholderText("e.g. Spring Design Academy — Cohort 2")
        # Room for the whole hint in the desktop's own font (the dialog opened 212 px wide).
        self.title.setMinimumWidth(
            self.title.fontMetrics().horizontalAdvance(self.title.placeholderText()) + 24)
        self.place = QLineEdit(academy.place if academy else "")
        self.facilitator = QLineEdit(academy.facilitator if academy else "")
        self.has_dates = QCheckBox("Set dates")
        self.start = QDateEdit(calendarPopup=True)
        self.end = QDateEdit(calendarPopup=True)
        for edit in (self.start, self.end):
            # The locale's short format can read "1 12 2026"; a month name is never ambiguous.
            edit.setDisplayFormat(DAY_EDIT_FORMAT)
        self.start.setDate(academy.start_date if academy and academy.start_date else today)
        self.end.setDate(academy.end_date if academy and academy.end_date else today)
        self.has_dates.setChecked(bool(academy and academy.start_date))
        # A date typed while "Set dates" is unticked was silently dropped on OK: changing one
        # means the academy has dates.
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda *_: self.has_dates.setChecked(True))
        # The end follows a start moved past it (a one-day academy moved a day stays valid).
        self.start.dateChanged.connect(
            lambda day: self.end.date() < day and self.end.setDate(day))
        self.error = plain_label("", word_wrap=True)
        style_error(self.error)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Place", self.place)
        form.addRow("&Facilitator", self.facilitator)
        form.addRow("", self.has_dates)
        form.addRow("&Starts", self.start)
        form.addRow("&Ends", self.end)
        form_dialog_layout(self, form, self.error, self._accept)
        self.result_academy: Academy | None = None
        self._id = academy.id if academy else None

    def _accept(self) -> None:
        dates = self.has_dates.isChecked()
        try:
            self.result_academy = Academy(
                title=self.title.text(), place=self.place.text(),
                facilitator=self.facilitator.text(), id=self._id,
                start_date=self.start.date().toPython() if dates else None,
                end_date=self.end.date().toPython() if dates else None)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class AcademiesPage(Page):
    """The Academies page: the list of academies and the buttons that create, open and change them."""

    open_requested = Signal(object)  # payload: academy id to open, or None (no academy left)

    def __init__(self, academies, clock: Clock | None = None, parent: QWidget | None = None,
                 *, bundles=None):
        super().__init__(parent)
        self.academies = academies
        self.bundles = bundles   # whole academies: File ▸ Export/Import, and the purge on delete
        self.clock = clock or SystemClock()
        self.current_id: int | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Academies")
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.new_button = QPushButton("&New academy…")
        self.open_button = QPushButton("&Open")
        self.rename_button = QPushButton("&Rename…")
        self.edit_button = QPushButton("&Details…")
        self.duplicate_button = QPushButton("D&uplicate")
        self.delete_button = QPushButton("&Delete…")
        self.new_button.clicked.connect(self.create)
        self.open_button.clicked.connect(self._open_selected)
        self.rename_button.clicked.connect(self.rename)
        self.edit_button.clicked.connect(self.edit_details)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        # What acts on one academy waits for one to be chosen: on an empty list these five
        # looked ready and did nothing when pressed.
        self.list.currentItemChanged.connect(self._enable)
        buttons = QVBoxLayout()
        for b in (self.new_button, self.open_button, self.rename_button, self.edit_button,
                  self.duplicate_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch()
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Academies"))
        layout.addWidget(plain_label("Each academy holds its roster, stations, groups, rotation, "
                                     "prototypes and maps. Double-click one to open it.", word_wrap=True))
        layout.addLayout(row)
        self.new_action = QAction("&New academy…", self, shortcut=QKeySequence.StandardKey.New,
                                  triggered=self.create)
        self.refresh()

    def page_actions(self) -> list[QAction]:
        return []

    def file_actions(self) -> list[QAction]:
        """File ▸ New academy… (Ctrl+N: made here, it was in no menu, so the key did nothing),
        Export academy… / Import academy… (the window puts them in its File menu)."""
        if self.bundles is None:
            return [self.new_action]
        from workshop.ui.academy.bundle_actions import BundleActions
        self.bundle_actions = BundleActions(self, self.bundles, self.academies,
                                            lambda: self.current_id, self._imported)
        return [self.new_action, *self.bundle_actions.actions()]

    def _imported(self, academy_id: int) -> None:
        self.refresh()
        self.open_requested.emit(academy_id)

    def set_academy(self, academy_id: int | None) -> None:
        self.current_id = academy_id
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for a in self.academies.list():
            when = f"  ·  {day(a.start_date)}" if a.start_date else ""
            marker = "  (open)" if a.id == self.current_id else ""
            item = QListWidgetItem(f"{a.title}{when}{marker}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.addItem(item)
            if a.id == self.current_id:
                self.list.setCurrentItem(item)
        self._enable()

    def _enable(self, *_) -> None:
        chosen = self.list.currentItem() is not None
        for button in (self.open_button, self.rename_button, self.edit_button,
                       self.duplicate_button, self.delete_button):
            button.setEnabled(chosen)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _open_selected(self) -> None:
        if (academy_id := self.selected_id()) is not None:
            self.open_requested.emit(academy_id)

    def create(self) -> None:
        dialog = AcademyDialog(self, None, today=self.clock.now().date())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        a = dialog.result_academy
        try:
            created = self.academies.create(a.title, place=a.place, facilitator=a.facilitator,
                                            start_date=a.start_date, end_date=a.end_date)
        except ValidationError as exc:
            dialogs.error(self, "Cannot create the academy", str(exc))
            return
        self.refresh()
        self.open_requested.emit(created.id)

    def edit_details(self) -> None:
        if (academy_id := self.selected_id()) is None:
            return
        dialog = AcademyDialog(self, self.academies.get(academy_id),
                               today=self.clock.now().date())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.academies.update(dialog.result_academy)
            except ValidationError as exc:
                dialogs.error(self, "Cannot save the academy", str(exc))
            self.refresh()

    def rename(self) -> None:
        if (academy_id := self.selected_id()) is None:
            return
        old = self.academies.get(academy_id).title
        title = dialogs.ask_text(self, "Rename academy", "New title:", old)
        if title is not None and title.strip() and title != old:
            try:
                self.academies.rename(academy_id, title)
            except ValidationError as exc:
                dialogs.error(self, "Cannot rename the academy", str(exc))
            self.refresh()

    def duplicate(self) -> None:
        if (academy_id := self.selected_id()) is None:
            return
        copy = self.academies.duplicate(academy_id)
        self.refresh()
        self.open_requested.emit(copy.id)

    def delete(self) -> None:
        if (academy_id := self.selected_id()) is None:
            return
        title = self.academies.get(academy_id).title
        n = len(self.academies.participants(academy_id))
        if not dialogs.confirm(self, "Delete academy",
                       f"Delete “{title}” with its roster of {plural(n, 'person', 'people')} and everything recorded in it? "
                       "This cannot be undone.", "Delete academy"):
            return
        if self.bundles is not None:   # nothing of it stays readable in the file
            self.bundles.purge(academy_id)
        else:
            self.academies.delete(academy_id)
        self.refresh()
        if academy_id == self.current_id:
            remaining = self.academies.list()
            self.open_requested.emit(remaining[0].id if remaining else None)
