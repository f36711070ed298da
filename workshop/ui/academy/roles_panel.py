"""The Roster page's role categories and school spellings: each role as typed, how many hold it
and its category (a combo box: change it and it is saved, with undo), and an offer to merge
school names that look like one school, both spellings shown (issue 15, item 2)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from workshop.academy.roles import CATEGORIES, CATEGORY_LABELS
from workshop.errors import ValidationError
from workshop.text import fold, plural
from workshop.ui import dialogs
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label


class RolesPanel(QGroupBox):
    """Role → category for the open academy, and the near-duplicate school merge."""

    def __init__(self, academies, undo_stack: QUndoStack, changed: Callable[[], None],
                 parent: QWidget | None = None):
        """``changed``: called after every saved change (the page reloads and says so)."""
        super().__init__("Role categories (used to balance and protect roles)", parent)
        self.academies, self.undo_stack, self.changed = academies, undo_stack, changed
        self.academy_id: int | None = None
        self._later: list[tuple[int, str, str]] = []   # (row, role, category) of combos to come
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Role as typed", "People", "Category"])
        self.table.setAccessibleName("Role categories")
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)   # the whole category name
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(170)
        self.schools_note = plain_label(word_wrap=True)
        self.merge_button = QPushButton("Merge similar schools…")
        self.merge_button.clicked.connect(self.offer_merges)
        row = QHBoxLayout()
        row.addWidget(self.schools_note, 1)
        row.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)

    def set_academy(self, academy_id: int | None) -> None:
        """Show this academy's roles and school spellings (None: nothing)."""
        self.academy_id = academy_id
        self.reload()

    def reload(self) -> None:
        """Show the roles and school spellings as saved."""
        rows = self.academies.role_categories(self.academy_id) if self.academy_id is not None else []
        shown = [(self.table.item(r, 0).text(), self.table.item(r, 1).text())
                 for r in range(self.table.rowCount())]
        if shown == [(role, str(count)) for role, count, _c in rows]:
            # Same rows: only the categories may differ. Rebuilding would delete the combo box
            # whose own signal may have brought us here.
            self.make_combos()
            for r, (_role, _count, category) in enumerate(rows):
                self.table.cellWidget(r, 2).setCurrentIndex(CATEGORIES.index(category))
            rows = []
        else:
            self.table.setRowCount(len(rows))
            self._later = []
        # The rows the table can show unscrolled get their combo box now, the others right
        # after the panel's first paint (``paintEvent``), or when asked for: building all 17 of
        # the demo's was a quarter of its Roster page's first frame (issue 20).
        in_view = -(-self.table.maximumHeight() // self.table.verticalHeader().defaultSectionSize())
        for r, (role, count, category) in enumerate(rows):   # only when the rows changed
            item = QTableWidgetItem(role)   # table items show plain text, never rich text
            self.table.setItem(r, 0, item)
            self.table.setItem(r, 1, QTableWidgetItem(str(count)))
            if r < in_view:
                self._add_combo(r, role, category)
            else:
                self._later.append((r, role, category))
        pairs = self.academies.similar_schools(self.academy_id) if self.academy_id is not None else []
        self.schools_note.setText(
            f"{plural(len(pairs), 'pair')} of school names look alike: "
            + "; ".join(f"“{a}” / “{b}”" for a, b in pairs[:3]) + (" …" if len(pairs) > 3 else "")
            if pairs else "No school names look alike.")
        self.merge_button.setEnabled(bool(pairs))

    def _add_combo(self, row: int, role: str, category: str) -> None:
        combo = QComboBox()
        combo.setAccessibleName(f"Category of {role}")
        for key in CATEGORIES:
            combo.addItem(CATEGORY_LABELS[key], key)
        combo.setCurrentIndex(CATEGORIES.index(category))
        combo.activated.connect(lambda _i: self.set_category(role, combo.currentData()))
        self.table.setCellWidget(row, 2, combo)

    def make_combos(self) -> None:
        """Give every row its combo box now (those left for after the first paint)."""
        later, self._later = self._later, []
        for row, role, category in later:
            self._add_combo(row, role, category)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._later:   # the frame is on screen: the rows below it get theirs next
            QTimer.singleShot(0, self.make_combos)

    def category_of(self, role: str) -> str | None:
        """The category shown for ``role`` (any case), or None when it is not on the roster."""
        self.make_combos()
        for r in range(self.table.rowCount()):
            if fold(self.table.item(r, 0).text()) == fold(role):
                return self.table.cellWidget(r, 2).currentData()
        return None

    def combo_for(self, role: str) -> QComboBox | None:
        """The category combo box of ``role``'s row."""
        self.make_combos()
        for r in range(self.table.rowCount()):
            if fold(self.table.item(r, 0).text()) == fold(role):
                return self.table.cellWidget(r, 2)
        return None

    def set_category(self, role: str, category: str) -> None:
        """File ``role`` under ``category``, saved at once; one undo step."""
        academy_id = self.academy_id
        if academy_id is None:
            return
        before = self.academies.set_role_category(academy_id, role, category)
        self.undo_stack.push(SavedCommand(
            f"File “{role}” under {CATEGORY_LABELS[category].lower()}",
            redo=lambda: self._apply(academy_id, role, category),
            undo=lambda: self._apply(academy_id, role, before)))
        self.changed()

    def _apply(self, academy_id: int, role: str, category: str | None) -> None:
        self.academies.set_role_category(academy_id, role, category)
        self.changed()

    def offer_merges(self) -> None:
        """For each pair of look-alike school names, ask which spelling to keep (or neither)."""
        academy_id = self.academy_id
        if academy_id is None:
            return
        for a, b in self.academies.similar_schools(academy_id):
            counts = {fold(p.school): 0 for p in self.academies.participants(academy_id)}
            for p in self.academies.participants(academy_id):
                counts[fold(p.school)] += 1
            if not counts.get(fold(a)) or not counts.get(fold(b)):
                continue   # one spelling was merged away by an earlier answer
            answer = dialogs.choose(
                self, "Merge school names",
                f"“{a}” ({plural(counts[fold(a)], 'person', 'people')}) and “{b}” "
                f"({plural(counts[fold(b)], 'person', 'people')}) look like one school. "
                "Which spelling should everyone share?",
                {"a": f"Use “{a}”", "b": f"Use “{b}”", "keep": "Keep both"}, "a")
            if answer not in ("a", "b"):
                continue
            keep, drop = (a, b) if answer == "a" else (b, a)
            try:
                before = self.academies.merge_school(academy_id, drop, keep)
            except ValidationError as exc:
                dialogs.error(self, "Merge school names", str(exc))
                continue
            self.undo_stack.push(SavedCommand(
                f"Merge “{drop}” into “{keep}”",
                redo=lambda drop=drop, keep=keep: self._merge(academy_id, drop, keep),
                undo=lambda before=before: self._restore(academy_id, before)))
            self.changed()

    def _merge(self, academy_id: int, drop: str, keep: str) -> None:
        self.academies.merge_school(academy_id, drop, keep)
        self.changed()

    def _restore(self, academy_id: int, people) -> None:
        self.academies.restore_people(academy_id, people)
        self.changed()

