"""Prototypes ▸ Open district library…: a library file read-only, searched as you type, and a
prototype copied into the current academy as a new draft."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from workshop.errors import ValidationError
from workshop.text import plural
from workshop.ui import dialogs
from workshop.ui.widgets import plain_label

LIBRARY_FILES = "District libraries (*.sqlite *.db);;All files (*)"


class DistrictLibraryDialog(QDialog):
    """Search one library; Copy makes a draft of the chosen prototype in ``academy_id``."""

    def __init__(self, library, prototypes, academy_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.library, self.prototypes, self.academy_id = library, prototypes, academy_id
        self.copied: list[int] = []
        self.setWindowTitle(f"District library — {library.path.name}")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, teams, why, students, measures…")
        self.search.setAccessibleName("Search the district library")
        self.results = QListWidget()
        self.results.setAccessibleName("Prototypes in the library")
        self.count = plain_label()
        self.copy_button = QPushButton("&Copy into this academy")
        self.copy_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.results.currentItemChanged.connect(
            lambda item, _: self.copy_button.setEnabled(item is not None))
        self.results.itemActivated.connect(lambda item: self.copy_selected())
        self.copy_button.clicked.connect(self.copy_selected)
        self.finished.connect(lambda _: self.library.close())
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = self.library.search(self.search.text())
        except ValidationError as exc:
            self.count.setText(str(exc))
            return
        self.results.clear()
        for row in rows:
            # Plain text (QListWidgetItem never reads rich text): titles are what teams typed.
            item = QListWidgetItem(f"{row['title']} — {row['team'] or 'no team'} "
                                   f"({row['academy']}, {row['status']})")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
        self.count.setText(plural(len(rows), "prototype"))

    def copy_selected(self) -> int | None:
        item = self.results.currentItem()
        if item is None:
            return None
        try:
            copy = self.library.copy_into(self.prototypes, self.academy_id,
                                          item.data(Qt.ItemDataRole.UserRole))
        except ValidationError as exc:
            dialogs.error(self, "Cannot copy", str(exc))
            return None
        self.copied.append(copy.id)
        self.count.setText(f"Copied “{copy.title}” into this academy as a draft.")
        return copy.id


def open_district_library(parent: QWidget, prototypes, academy_id: int | None,
                          path: str | None = None) -> DistrictLibraryDialog | None:
    """Ask for a library file and show it (not modal: the page stays usable beside it)."""
    if academy_id is None:
        dialogs.error(parent, "District library", "Open an academy first.")
        return None
    path = path or dialogs.open_file(parent, "Open district library", LIBRARY_FILES)
    if not path:
        return None
    from prototypes.library.service import DistrictLibrary
    try:
        library = DistrictLibrary(path)
    except ValidationError as exc:
        dialogs.error(parent, "District library", str(exc))
        return None
    dialog = DistrictLibraryDialog(library, prototypes, academy_id, parent)
    dialog.show()
    return dialog
