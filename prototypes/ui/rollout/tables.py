"""One editable table per list of the plan (milestones, measures, communication steps, early
wins): rows of the plan's JSON shape in, rows out, each cell edit reported at once.

A table knows its columns and how a cell's text becomes a value (names comma-separated,
checkpoints "date: target" separated by ";", statuses by their label); the page validates
and saves the whole list, so a refused value is said once, by the model's own message.
Cells show what a participant typed as plain text (QTableWidgetItem never reads markup).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from prototypes.rollout.plan import MILESTONE_STATUS_LABELS
from workshop.timefmt import day, parse_day

TEXT, DATE, NAMES, POINTS, STATUS, CHECK = "text", "date", "names", "points", "status", "check"


@dataclass(frozen=True)
class Column:
    """One column: the key in a row's dict, its header and how its text is read."""
    key: str
    header: str
    kind: str = TEXT
    width: int = 0


MILESTONE_COLUMNS = (Column("phase", "Phase", width=75), Column("title", "Milestone", width=160),
                     Column("owner", "Owner", width=95), Column("due", "Date", DATE, 112),
                     Column("status", "Status", STATUS, 75),
                     Column("prototypes", "Prototypes", NAMES, 112),
                     Column("initiatives", "Initiatives (map)", NAMES, 120))
MEASURE_COLUMNS = (Column("name", "Measure of success", width=170),
                   Column("checkpoints", "Checkpoints (date: target; …)", POINTS, 230),
                   Column("on_track", "On track means", width=150),
                   Column("support", "Support when off track", width=170))
COMMUNICATION_COLUMNS = (Column("audience", "Who is told", width=150),
                         Column("message", "What", width=280), Column("on", "When", DATE, 112),
                         Column("by", "By whom", width=120))
WIN_COLUMNS = (Column("text", "Early win to celebrate", width=360), Column("on", "When", DATE, 112),
               Column("celebrated", "Celebrated", CHECK, 80))


def cell_text(column: Column, value) -> str:
    """How a stored value is shown in its cell."""
    if column.kind == NAMES:
        return ", ".join(value or ())
    if column.kind == POINTS:
        return "; ".join(f"{shown_day(p['on'])}: {p['target']}" if p["target"] else shown_day(p["on"])
                         for p in value or ())
    if column.kind == STATUS:
        return MILESTONE_STATUS_LABELS.get(value, value or "")
    if column.kind == DATE and value:
        return shown_day(value)
    return "" if value is None else str(value)


def cell_value(column: Column, text: str):
    """What a cell's text means, for the model to validate (it says what is wrong)."""
    if column.kind == POINTS:   # each checkpoint's date as shown or ISO, then its target
        return "\n".join(iso_day(head) + sep + rest for head, sep, rest
                          in (part.strip().partition(":") for part in text.split(";")))
    if column.kind == DATE:
        return iso_day(text).strip() or None
    return text


def shown_day(value) -> str:
    """A row's ISO date as every date on screen reads (``12 Mar 2026``); other text as it is."""
    try:
        return day(value if isinstance(value, date) else date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def iso_day(text: str) -> str:
    """A date typed as shown ("12 Mar 2026") in the ISO form the plan reads; other text (ISO,
    or something the plan refuses in its own words) as it is."""
    typed = parse_day(text)
    return typed.isoformat() if typed else text


class RowsTable(QWidget):
    """An editable table of one list of the plan, with Add and Remove buttons."""

    edited = Signal(list)   # payload: every row as a dict, after one cell edit, add or remove

    def __init__(self, name: str, columns: tuple, new_row: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = columns
        self.new_row = new_row
        self._rows: list[dict] = []
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(name)
        self.table.setHorizontalHeaderLabels([c.header for c in columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for i, c in enumerate(columns):
            if c.width:
                self.table.setColumnWidth(i, c.width)
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(f"Add {name.lower().rstrip('s')}")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.setMinimumHeight(190)

    def rows(self) -> list[dict]:
        """The rows as last shown (the saved plan's)."""
        return [dict(r) for r in self._rows]

    def show_rows(self, rows: list[dict]) -> None:
        """Show these rows (from the saved plan); emits nothing."""
        self._rows = [dict(r) for r in rows]
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, column in enumerate(self.columns):
                # Items are updated in place: this runs inside itemChanged while the cell's
                # editor is still committing, and replacing the item would orphan that editor.
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                if column.kind == CHECK:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                                  | Qt.ItemFlag.ItemIsSelectable)
                    item.setCheckState(Qt.CheckState.Checked if row.get(column.key)
                                       else Qt.CheckState.Unchecked)
                else:
                    item.setText(cell_text(column, row.get(column.key)))
                    item.setToolTip(item.text())
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.remove_button.setEnabled(bool(rows))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        column = self.columns[c]
        rows = self.rows()
        if column.kind == CHECK:
            rows[r][column.key] = item.checkState() == Qt.CheckState.Checked
        else:
            rows[r][column.key] = cell_value(column, item.text())
        self.edited.emit(rows)

    def add_row(self) -> None:
        """A new row with its default name, its first text cell open for typing."""
        self.edited.emit(self.rows() + [dict(self.new_row)])
        row = self.table.rowCount() - 1
        if row >= 0:
            first = next(i for i, c in enumerate(self.columns) if c.key in self.new_row)
            self.table.setCurrentCell(row, first)
            self.table.editItem(self.table.item(row, first))

    def remove_selected(self) -> None:
        """Remove the selected rows (one undo step)."""
        gone = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not gone and self.table.currentRow() >= 0:
            gone = {self.table.currentRow()}
        if gone:
            self.edited.emit([row for i, row in enumerate(self.rows()) if i not in gone])
