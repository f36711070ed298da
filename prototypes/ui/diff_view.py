"""What changed between two versions of a prototype (the snapshots its cycles tested, and now),
field by field."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from workshop.ui.widgets import plain_label


class VersionDiffView(QWidget):
    """Two versions of a prototype side by side, their changes marked."""

    def __init__(self, service, prototype_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.versions = service.versions(prototype_id)
        self.before = QComboBox()
        self.after = QComboBox()
        for label, _ in self.versions:
            self.before.addItem(label)
            self.after.addItem(label)
        self.before.setCurrentIndex(max(0, len(self.versions) - 2))
        self.after.setCurrentIndex(len(self.versions) - 1)
        self.before.currentIndexChanged.connect(self.refresh)
        self.after.currentIndexChanged.connect(self.refresh)
        self.summary = plain_label("")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Field", "Before", "After"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        row = QHBoxLayout()
        row.addWidget(plain_label("From"))
        row.addWidget(self.before, 1)
        row.addWidget(plain_label("to"))
        row.addWidget(self.after, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        a = self.versions[self.before.currentIndex()][1]
        b = self.versions[self.after.currentIndex()][1]
        changes = self.service.diff(a, b)
        self.table.setRowCount(len(changes))
        for i, change in enumerate(changes):
            for col, text in enumerate((change.label, change.before or "—", change.after or "—")):
                self.table.setItem(i, col, QTableWidgetItem(text))
        n = len(changes)
        self.summary.setText("No differences." if not n else
                             f"{n} field{'s' if n != 1 else ''} changed.")


class VersionDiffDialog(QDialog):
    """The version comparison in its own window."""

    def __init__(self, service, prototype_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Compare versions")
        self.resize(900, 560)
        self.view = VersionDiffView(service, prototype_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
