"""The prototype library: a table of the open academy's prototypes (or every academy's),
filtered by team, status, classroom model and Core Four element, with full-text search over
every field that answers as you type (one FTS5 query per keystroke; see the benchmark)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from prototypes.prototype import CLASSROOM_MODELS, CORE_FOUR, STATUSES, PrototypeSummary
from workshop.text import fold
from workshop.timefmt import local_day
from workshop.ui.widgets import heading, plain_label

CORE_SHORT = {"flexible_content": "Flexible content", "targeted_instruction": "Targeted",
              "data_driven": "Data-driven", "reflection_ownership": "Reflection"}
COLUMNS = ("Title", "Team", "Status", "Classroom model", "Core Four", "Cycles", "Owner",
           "Academy", "Updated")
ACADEMY_COLUMN = COLUMNS.index("Academy")
PLAN_HITS = 6   # team buttons shown under the list at most


class PrototypeTableModel(QAbstractTableModel):
    """Adapts a plain list of PrototypeSummary rows (plain-text display only). The first
    rows come with the search; the view asks for more (``fetchMore``) as it scrolls."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[PrototypeSummary] = []
        self.total = 0
        self._more: Callable[[int], list[PrototypeSummary]] | None = None

    def set_rows(self, rows: list[PrototypeSummary], total: int | None = None,
                 more: Callable[[int], list[PrototypeSummary]] | None = None) -> None:
        """``more(offset)`` returns the rows after the first ``offset`` ones."""
        self.beginResetModel()
        self.rows = list(rows)
        self.total = len(rows) if total is None else total
        self._more = more
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._more is not None and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        batch = self._more(len(self.rows))
        if not batch:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(batch) - 1)
        self.rows.extend(batch)
        self.endInsertRows()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.title, r.team, STATUSES[r.status], r.model_label,
                    ", ".join(CORE_SHORT[e] for e in r.core_four), str(r.iterations), r.owner,
                    r.academy_title, local_day(r.updated_at))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return "\n".join(CORE_FOUR[e] for e in r.core_four)
        return None


def _combo(first: str, items: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(first, None)
    for key, label in items.items():
        combo.addItem(label, key)
    return combo


class PrototypeLibrary(QWidget):
    """The searchable list of prototypes of the open academy."""

    open_requested = Signal(int)   # payload: id of the prototype to open in the editor
    new_requested = Signal()       # the person asked for a new prototype
    plan_requested = Signal(int, str)  # payload: academy id, team whose vision & plan to open

    def __init__(self, service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.academy_id: int | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search every field: title, why, students, check, cycles…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search prototypes")
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.scope = QComboBox()
        self.scope.addItem("This academy", "academy")
        self.scope.addItem("Every academy", "all")
        self.scope.setAccessibleName("Prototypes of this academy or of every academy")
        self.team = _combo("Every team", {}, "Filter by team")
        self.status = _combo("Any status", STATUSES, "Filter by status")
        self.model_filter = _combo("Any classroom model", CLASSROOM_MODELS,
                                   "Filter by classroom model")
        self.core = _combo("Any Core Four element", CORE_FOUR, "Filter by Core Four element")
        self.new_button = QPushButton("&New prototype…")
        self.new_button.clicked.connect(self.new_requested)
        self.count = plain_label("")
        # Teams whose vision or rollout plan holds the words searched: one button each.
        self.plan_hits = QHBoxLayout()
        self.plan_hits_label = plain_label("")
        self.plan_hits.addWidget(self.plan_hits_label)
        self.plan_hits.addStretch()

        self.model = PrototypeTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Prototypes: one row each")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The title stretches into what the others leave: at 1280×720 they left it 30 px
        # ("F…"); these leave it ~200 there, and more on a wider screen.
        for col, width in ((1, 160), (2, 75), (3, 130), (4, 170), (5, 55), (6, 120), (7, 150),
                           (8, 90)):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(self._activated)  # Enter or double-click

        for signal in (self.search.textChanged, self.scope.currentIndexChanged,
                       self.team.currentIndexChanged, self.status.currentIndexChanged,
                       self.model_filter.currentIndexChanged, self.core.currentIndexChanged):
            signal.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self._reload_teams)

        filters = QHBoxLayout()
        for w in (self.scope, self.team, self.status, self.model_filter, self.core):
            filters.addWidget(w)
        filters.addStretch()
        top = QHBoxLayout()
        top.addWidget(heading("Prototypes"))
        top.addStretch()
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(plain_label(
            "Each school team's safe-to-try classroom model, its check and its PDSA cycles. "
            "Press Enter or double-click to open one; every change is saved as you type.",
            word_wrap=True))
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(self.plan_hits)
        # Search first, then the filters that narrow it, then the list they narrow.
        chain = (self.new_button, self.search, self.scope, self.team, self.status,
                 self.model_filter, self.core, self.table)
        for before, after in zip(chain, chain[1:]):
            self.setTabOrder(before, after)

    # -- state -------------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self._reload_teams()
        self.refresh()

    def _scope_id(self) -> int | None:
        return self.academy_id if self.scope.currentData() == "academy" else None

    def _reload_teams(self) -> None:
        chosen = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem("Every team", None)
        for name in self.service.teams(self._scope_id()):
            self.team.addItem(name, name)
        self.team.setCurrentIndex(max(0, self.team.findData(chosen)))
        self.team.blockSignals(False)

    def refresh(self) -> None:
        """Run the search with the current words and filters (called on every keystroke)."""
        rows, total, more = [], 0, None
        if self.scope.currentData() == "all" or self.academy_id is not None:
            scope, words = self._scope_id(), self.search.text()
            filters = {"team": self.team.currentData(), "status": self.status.currentData(),
                       "model": self.model_filter.currentData(), "core": self.core.currentData()}
            rows, total = self.service.library(scope, words, **filters)

            def more(offset: int) -> list[PrototypeSummary]:
                return self.service.search(scope, words, offset=offset, limit=len(rows) or 1,
                                           **filters)
        selected = self.selected_id()
        self.model.set_rows(rows, total, more)
        self.table.setColumnHidden(ACADEMY_COLUMN, self.scope.currentData() == "academy")
        self._reselect(selected)
        filtered = bool(fold(self.search.text())) or any(
            c.currentData() for c in (self.team, self.status, self.model_filter, self.core))
        self.count.setText(f"{total:,} prototype{'s' if total != 1 else ''}"
                           + (" match" if filtered else ""))
        self._show_plan_hits()

    def _show_plan_hits(self) -> None:
        """Buttons for the teams whose vision or plan holds the words (the library searches
        the prototypes; these say where else the words are)."""
        while self.plan_hits.count() > 2:   # the label and the stretch stay
            widget = self.plan_hits.takeAt(1).widget()
            widget.deleteLater()
        rollout = getattr(self.service, "rollout", None)
        words = self.search.text()
        hits = rollout.search(self._scope_id(), words)[:PLAN_HITS] if (
            rollout is not None and fold(words)
            and (self.academy_id is not None or self._scope_id() is None)) else []
        self.plan_hits_label.setText("Also in the vision and plan of:" if hits else "")
        for i, (academy_id, team) in enumerate(hits, start=1):
            button = QPushButton(team)
            button.setAccessibleName(f"Open the vision and plan of {team}")
            button.clicked.connect(lambda _=False, a=academy_id, t=team:
                                   self.plan_requested.emit(a, t))
            self.plan_hits.insertWidget(i, button)

    def _reselect(self, prototype_id: int | None, fetch: bool = False) -> None:
        if fetch and prototype_id is not None and all(r.id != prototype_id
                                                      for r in self.model.rows):
            self.model.fetch_all()  # the one to show again may be further down the list
        for row, r in enumerate(self.model.rows):
            if r.id == prototype_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, prototype_id: int) -> None:
        self._reselect(prototype_id, fetch=True)

    def _activated(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.model.data(index, Qt.ItemDataRole.UserRole))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
