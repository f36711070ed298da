"""Qt item model for the roster: adapts a plain list of Participants (it never runs SQL).

Edits go out through ``edit_requested`` to the page, which validates them and saves them
through the service (with undo); the model then shows the saved participant via ``replace``.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from workshop.academy.model import READINESS_STAGES, Participant
from workshop.text import fold

COLUMNS = ("name", "school", "role", "readiness", "email")
HEADERS = {"name": "Name", "school": "School", "role": "Role", "readiness": "Readiness",
           "email": "Email"}
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class RosterTableModel(QAbstractTableModel):
    """The roster as a table model over a plain list of participants; edits are requests."""

    # payload: (participant id, field name, new text); the page decides whether it is saved
    edit_requested = Signal(int, str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._people: list[Participant] = []
        self._walk_ins: set[int] = set()

    # -- contents ----------------------------------------------------------------------------
    def set_participants(self, people: list[Participant], walk_ins: set[int] = frozenset()) -> None:
        """``walk_ins``: ids of people who joined on the day (shown flagged, never hidden)."""
        self.beginResetModel()
        self._people = list(people)
        self._walk_ins = set(walk_ins)
        self.endResetModel()

    def participants(self) -> list[Participant]:
        return list(self._people)

    def walk_in_count(self) -> int:
        return sum(1 for p in self._people if p.id in self._walk_ins)

    def participant_at(self, row: int) -> Participant:
        return self._people[row]

    def row_of(self, participant_id: int) -> int:
        for row, p in enumerate(self._people):
            if p.id == participant_id:
                return row
        return -1

    def replace(self, participant: Participant) -> None:
        """Show the saved version of one participant (after an edit or its undo)."""
        row = self.row_of(participant.id)
        if row < 0:
            return
        self._people[row] = participant
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[COLUMNS[section]]
        return None

    def shown_text(self, row: int, column: int) -> str:
        """What the cell shows (its DisplayRole)."""
        p, field = self._people[row], COLUMNS[column]
        value = getattr(p, field)
        return f"{value} · walk-in" if field == "name" and p.id in self._walk_ins else value

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self._people[index.row()]
        column = COLUMNS[index.column()]
        value = getattr(p, column)
        walk_in = column == "name" and p.id in self._walk_ins
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown_text(index.row(), index.column())   # the edit role: the plain name
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and walk_in:
            return "Joined on the day from a phone: not on the imported roster."
        if role == SORT_ROLE:
            if column == "readiness":
                return READINESS_STAGES.index(value)
            return fold(value)
        if role == ID_ROLE:
            return p.id
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        p = self._people[index.row()]
        column = COLUMNS[index.column()]
        text = "" if value is None else str(value)
        if text == getattr(p, column):
            return False
        self.edit_requested.emit(p.id, column, text)
        return True


class RosterFilterProxy(QSortFilterProxyModel):
    """Filters on every column, ignoring case and accents ("jose" finds "José")."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = fold(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        return any(self._needle in fold(str(model.index(source_row, c, source_parent).data() or ""))
                   for c in range(model.columnCount()))


class ReadinessDelegate(QStyledItemDelegate):
    """A combo box for the readiness column, so only a valid stage can be chosen."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(READINESS_STAGES)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or READINESS_STAGES[0]))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def fit_columns(table: QTableView, proxy: QSortFilterProxyModel, model: RosterTableModel) -> None:
    """Give each column the width ``table.resizeColumnsToContents()`` gives it, asking the
    delegate about one cell a column (the widest text by the font's metrics) instead of every
    cell of every row shown: with the demo's 36 people that was 8 ms of the first frame
    (issue 20). Qt reads at most 1,000 rows; every row shown is measured here."""
    table.ensurePolished()
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    advance = QFontMetrics(option.font).horizontalAdvance
    header = table.horizontalHeader()
    rows = ([proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
            if proxy.rowCount() != model.rowCount() else range(model.rowCount()))
    for column in range(model.columnCount()):
        width = header.sectionSizeHint(column)
        if rows:
            widest = max(rows, key=lambda row: advance(model.shown_text(row, column)))
            index = proxy.mapFromSource(model.index(widest, column))
            hint = table.itemDelegateForIndex(index).sizeHint(option, index).width()
            width = max(width, hint + 1 if table.showGrid() else hint)
        header.resizeSection(column, max(header.minimumSectionSize(),
                                         min(width, header.maximumSectionSize())))
