"""The import dialog: confirm the guessed column mapping, preview the rows, import, read the
report. It never touches the database itself: ``do_import(plan) -> ImportReport`` is the one
service call, passed in by the page.

Opened with ``open()`` (window-modal, not blocking), so tests drive it with qtbot.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QPlainTextEdit, QPushButton,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from workshop.errors import ValidationError
from workshop.academy.roster.columns import FIELD_LABELS, FIELDS
from workshop.academy.roster.plan import ImportPlan
from workshop.academy.roster.report import ImportReport
from workshop.ui.theme import style_error
from workshop.ui.widgets import heading, name_form_fields, plain_label, plain_tooltip

PREVIEW_ROWS = 200
NOT_IMPORTED = "(not imported)"
PREVIEW_COLUMNS = ("Row", "Note", "Name", "School", "Role", "Readiness", "Email")
MAX_COLUMN_WIDTH, MAX_NOTE_WIDTH = 200, 340
BAD_ROW = QColor("#fde7e9")


class ImportDialog(QDialog):
    """Check the guessed column mapping and the preview, then import the roster."""

    imported = Signal(object)  # payload: the ImportReport of a finished import

    def __init__(self, plan: ImportPlan, do_import: Callable[[ImportPlan], ImportReport],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import roster")
        self.resize(960, 640)
        self.plan = plan
        self.report: ImportReport | None = None
        self._do_import = do_import

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_mapping_page())
        self.pages.addWidget(self._build_report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._refresh()

    # -- page 1: mapping and preview ---------------------------------------------------------
    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        self.described = plain_label(word_wrap=True)
        # A file that was read but may be garbled (mixed encodings) says so before the import.
        self.warning = plain_label(word_wrap=True)
        style_error(self.warning)
        self.header_box = QCheckBox("The first row is a &header (column names, not a person)")
        self.header_box.setChecked(self.plan.has_header)
        self.header_box.toggled.connect(self.set_has_header)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for f in FIELDS:
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[f] = combo
            form.addRow(f"{FIELD_LABELS[f]}:", combo)
        name_form_fields(form)
        self._fill_combos()
        self.preview = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.preview.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setAccessibleName("Preview: the people as they will be imported")
        self.preview.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.counts = plain_label(word_wrap=True)
        self.problem = plain_label(word_wrap=True)
        style_error(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Check the columns", size=14))
        layout.addWidget(self.described)
        layout.addWidget(self.warning)
        layout.addWidget(self.header_box)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        # Import was added to the box after Cancel was made, and Tab went from Import back to
        # the top, never to Cancel: the order the buttons show in, said outright.
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for before, after in ((self.preview, self.import_button), (self.import_button, cancel)):
            QWidget.setTabOrder(before, after)
        return page

    def _fill_combos(self) -> None:
        """One entry per column of the plan, each combo on the plan's guess."""
        self._filling = True
        for f, combo in self.combos.items():
            combo.clear()
            combo.addItem(NOT_IMPORTED, None)
            for col, label in enumerate(self.plan.columns):
                combo.addItem(label, col)
            combo.setCurrentIndex(combo.findData(self.plan.mapping.get(f)))
        self._filling = False

    def set_has_header(self, has_header: bool) -> None:
        """Read the first row as column names, or as a person; the mapping is guessed anew."""
        self.plan = self.plan.with_header(has_header)
        self._fill_combos()
        self._refresh()

    def mapping(self) -> dict[str, int | None]:
        return {f: combo.currentData() for f, combo in self.combos.items()}

    def set_mapping(self, field: str, column: int | None) -> None:
        """Choose the column for one field (what a person does with the combo box)."""
        combo = self.combos[field]
        combo.setCurrentIndex(combo.findData(column))

    def _mapping_changed(self) -> None:
        if self._filling:
            return
        self.plan = self.plan.with_mapping(self.mapping())
        self._refresh()

    def _refresh(self) -> None:
        plan = self.plan
        self.described.setText(f"{plan.source or 'Pasted rows'}: {plan.describe()}")
        self.warning.setText(f"Warning: {plan.warning}" if plan.warning else "")
        self.warning.setVisible(bool(plan.warning))
        if self.header_box.isChecked() != plan.has_header:
            self.header_box.setChecked(plan.has_header)
        rows = plan.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            p = row.participant
            cells = [str(row.row)] + ([row.note, p.name, p.school, p.role, p.readiness, p.email]
                                      if p else [f"Cannot import: {row.error}", "", "", "", "", ""])
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))
                if p is None:
                    item.setBackground(BAD_ROW)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(len(PREVIEW_COLUMNS)):
            cap = MAX_NOTE_WIDTH if PREVIEW_COLUMNS[c] == "Note" else MAX_COLUMN_WIDTH
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), cap))
        people, bad = len(plan.participants), len(plan.errors)
        more = f" (the first {PREVIEW_ROWS} are shown)" if len(plan.rows) > PREVIEW_ROWS else ""
        self.counts.setText(
            f"{people} {'person' if people == 1 else 'people'} read"
            + (f"; {bad} {'row' if bad == 1 else 'rows'} cannot be imported (see Note)" if bad else "")
            + f"{more}. People already on the roster are merged, not added twice.")
        self.problem.setText(plan.problem)
        self.import_button.setEnabled(not plan.problem and people > 0)

    def run_import(self) -> None:
        if self.plan.problem or not self.plan.participants:
            return
        try:
            self.report = self._do_import(self.plan)
        except ValidationError as exc:
            self.problem.setText(str(exc))
            return
        self.summary.setText(f"Done: {self.report.summary()}.")
        warning = f"Warning: {self.plan.warning}\n\n" if self.plan.warning else ""
        self.details.setPlainText(warning + self.report.format())
        self.pages.setCurrentIndex(1)
        self.imported.emit(self.report)

    # -- page 2: the report ------------------------------------------------------------------
    def _build_report_page(self) -> QWidget:
        page = QWidget()
        self.summary = plain_label(word_wrap=True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What the import did")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)  # Close has the reject role; the import did happen
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Import report", size=14))
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(close)
        return page

    @property
    def showing_report(self) -> bool:
        return self.pages.currentIndex() == 1

