"""The Prototypes page: the library, and the editor it opens, with the page's actions
(new, export, import, delete). Layout and wiring only: every action is one service call."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout,
                               QLineEdit, QStackedWidget, QVBoxLayout, QWidget)

from prototypes.ui.library_page import PrototypeLibrary
from workshop.errors import ValidationError
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.text import plural
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import form_dialog_layout, plain_label

if TYPE_CHECKING:
    from prototypes.ui.editor import PrototypeEditor


class NewPrototypeDialog(QDialog):
    """Asks the title, team and model of a new prototype."""

    def __init__(self, teams: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New prototype")
        from prototypes.ui.editor import PROMPTS
        self.title = QLineEdit()
        self.title.setPlaceholderText(PROMPTS["title"])
        # Room for the whole hint in the desktop's own font (it was cut at the opening size).
        self.title.setMinimumWidth(
            self.title.fontMetrics().horizontalAdvance(self.title.placeholderText()) + 24)
        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.addItems(teams)
        self.team.setCurrentText("")
        self.team.lineEdit().setPlaceholderText("The school team that will try it")
        self.error = plain_label("", word_wrap=True)
        style_error(self.error)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("T&eam (school)", self.team)
        form_dialog_layout(self, form, self.error, self._accept)
        self.resize(520, 160)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.error.setText("A prototype needs a title (a few words a colleague would "
                               "recognise).")
            return
        self.accept()


class PrototypesPage(Page):
    """The Prototypes page: the library, the editor it opens, and the import/export actions."""

    prototype_opened = Signal(object)  # payload: id of the prototype in the editor, or None

    def __init__(self, service, academies, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.academies = academies
        self.academy_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.library = PrototypeLibrary(service)
        self._editor: PrototypeEditor | None = None   # built when a prototype is first opened
        self.stack = QStackedWidget()
        self.stack.addWidget(self.library)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.library.open_requested.connect(self.open_prototype)
        self.library.new_requested.connect(self.new_prototype)

        self.new_action = QAction("&New prototype…", self, triggered=self.new_prototype,
                                  shortcut=QKeySequence("Ctrl+Shift+P"))
        self.export_action = QAction("&Export prototype (JSON)…", self,
                                     triggered=lambda: self.export_file(),
                                     shortcut=QKeySequence("Ctrl+Shift+E"))
        self.import_action = QAction("&Import prototype…", self,
                                     triggered=lambda: self.import_file(),
                                     shortcut=QKeySequence("Ctrl+Shift+I"))
        self.delete_action = QAction("&Delete prototype…", self, triggered=self.delete_prototype)
        self.library_action = QAction("Back to the &library", self, triggered=self.show_library)
        self.district_action = QAction("Open &district library…", self,
                                       triggered=lambda: self.open_district_library())
        for action in self.page_actions():
            # Shortcuts work while this page is shown, whether or not its menu is visible.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    @property
    def editor(self) -> PrototypeEditor:
        """The editor a prototype opens in. Built the first time it is needed: the page's
        first screen is the library, and the editor's fields, check, measures and timeline
        were more than half of the page's first opening (issue 20)."""
        if self._editor is None:
            from prototypes.ui.editor import PrototypeEditor
            self._editor = editor = PrototypeEditor(self.service, self.undo_stack)
            self.stack.addWidget(editor)
            editor.back_requested.connect(self.show_library)
            editor.notified.connect(self.notified)
        return self._editor

    def _opened(self) -> int | None:
        """The prototype open in the editor (None: none, or no editor built yet)."""
        return self._editor.prototype_id if self._editor is not None else None

    def _editing(self) -> bool:
        return self._editor is not None and self.stack.currentWidget() is self._editor

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.import_action, self.export_action, self.delete_action,
                self.library_action, self.district_action]

    def open_district_library(self, path: str | None = None):
        """A district library, read-only: search it, copy a prototype in (issue 16)."""
        from prototypes.ui.district_library import open_district_library
        dialog = open_district_library(self, self.service, self.academy_id, path)
        if dialog is not None:
            dialog.results.itemActivated.connect(lambda item: self.library.refresh())
            dialog.copy_button.clicked.connect(self.library.refresh)
        return dialog

    # -- navigation --------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.library.set_academy(academy_id)
        opened = self._opened()
        if opened is not None and academy_id is not None:
            if self.service.get(opened).academy_id != academy_id:
                self.show_library()

    def open_prototype(self, prototype_id: int) -> None:
        self.editor.open(prototype_id)
        self.stack.setCurrentWidget(self.editor)
        self.prototype_opened.emit(prototype_id)

    def show_library(self) -> None:
        opened = self._opened()
        self.undo_stack.clear()
        if self._editor is not None:
            self._editor.prototype_id = None
        self.stack.setCurrentWidget(self.library)
        self.library.refresh()
        if opened is not None:
            self.library.select(opened)
        self.library.table.setFocus()
        self.prototype_opened.emit(None)

    def current_prototype_id(self) -> int | None:
        """The prototype in the editor, else the one selected in the library."""
        if self._editing() and self._opened() is not None:
            return self._opened()
        return self.library.selected_id()

    # -- actions -----------------------------------------------------------------------------
    def new_prototype(self) -> None:
        if self.academy_id is None:
            dialogs.error(self, "No academy open", "Open an academy first: a prototype belongs to "
                       "a team in an academy.")
            return
        dialog = NewPrototypeDialog(self.service.teams(self.academy_id), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            p = self.service.create(self.academy_id, dialog.title.text(),
                                    team=dialog.team.currentText())
        except ValidationError as exc:
            dialogs.error(self, "Cannot create the prototype", str(exc))
            return
        self.library.refresh()
        self.open_prototype(p.id)

    def delete_prototype(self) -> None:
        pid = self.current_prototype_id()
        if pid is None:
            return
        p = self.service.get(pid)
        n = len(self.service.iterations(pid))
        if not dialogs.confirm(self, "Delete prototype",
                               f"Delete “{p.title}” with its safe-to-try check and "
                               f"{plural(n, 'cycle')}? Edit ▸ Undo (Ctrl+Z) brings it back.",
                               "Delete prototype"):
            return
        deleted = self.service.delete(pid)
        if self._editor is not None:
            self._editor.prototype_id = None
        self.show_library()   # clears the prototype's own edits; the delete is pushed after

        def redo() -> None:
            self._leave_editor_of(pid)
            self.service.delete(pid)
            self.library.refresh()
            self.notified.emit(f"Deleted “{deleted.title}” again.")

        def undo() -> None:
            try:
                self.service.restore(deleted)
            except ValidationError as exc:   # e.g. the same prototype imported again meanwhile
                self.notified.emit(str(exc))
                return
            self.library.refresh()
            self.library.select(pid)
            self.notified.emit(f"“{deleted.title}” is back.")
        self.undo_stack.push(SavedCommand(f"Delete “{deleted.title}”", redo, undo))
        self.notified.emit(f"Deleted “{deleted.title}”. Ctrl+Z brings it back.")

    def _leave_editor_of(self, prototype_id: int) -> None:
        """Back to the library without clearing undo (a redo runs inside the undo stack)."""
        if self._editor is not None and self._editor.prototype_id == prototype_id:
            self._editor.prototype_id = None
            self.stack.setCurrentWidget(self.library)
            self.prototype_opened.emit(None)

    def export_file(self, path: str | None = None) -> str | None:
        pid = self.current_prototype_id()
        if pid is None:
            dialogs.error(self, "No prototype chosen", "Select a prototype in the library first.")
            return None
        if path is None:
            suggested = "".join(c if c.isalnum() else "-" for c in self.service.get(pid).title)
            path = dialogs.save_file(self, "Export prototype",
                                     f"{suggested.strip('-').lower()}.json", "Prototype (*.json)")
            if not path:
                return None
        try:
            tmp = Path(path).with_name(Path(path).name + ".part")
            tmp.write_text(self.service.export_json(pid), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            dialogs.error(self, "Cannot export", f"Cannot write {path}: {exc.strerror}.")
            return None
        self.notified.emit(f"Exported to {path}.")
        return path

    def import_file(self, path: str | None = None) -> bool:
        """Import a JSON export or a prototype PDF (a team's folder PDF carries several)."""
        if path is None:
            path = dialogs.open_file(self, "Import prototype",
                                     "Prototype export or PDF (*.json *.pdf);;All files (*)")
            if not path:
                return False
        # Here, not at the top: reading a PDF's attachments imports pypdf and reportlab, which
        # opening the page must not pay for (issue 20).
        from prototypes.exchange.files import read_documents
        try:
            # A JSON export, or a prototype PDF / team folder carrying it as attachments.
            return self.import_documents(read_documents(path))
        except ValidationError as exc:
            dialogs.error(self, "Cannot import",
                          f"{Path(path).name}: {exc}\n\nNothing was imported.")
            return False

    def import_document(self, data: dict) -> bool:
        """Import one parsed export (a JSON file, or a PDF's attachment)."""
        return self.import_documents([data])

    def import_documents(self, documents: list[dict], on_conflict: str = "ask") -> bool:
        """Import parsed exports all or nothing; a conflict asks once, and the answer applies
        to every conflicting prototype of the file."""
        from prototypes.exchange.format import ConflictError   # with the import, not the page
        try:
            results = self.service.import_documents(documents, on_conflict=on_conflict)
        except ConflictError as exc:
            choice = self.ask_conflict(str(exc))
            if choice is None:
                return False
            return self.import_documents(documents, on_conflict=choice)
        self.library.refresh()
        self.notified.emit(" ".join(r.message for r in results))
        if len(results) == 1 and results[0].action != "kept_local":
            self.open_prototype(results[0].prototype.id)
        elif self._editing() and self._opened() in {
                r.prototype.id for r in results if r.action == "updated"}:
            self.open_prototype(self._opened())  # show the imported text, not ours
        return True

    def ask_conflict(self, message: str) -> str | None:
        """"replace", "keep_local", or None (cancel)."""
        return dialogs.choose(self, "The copy here was changed", message,
                              {"replace": "Replace with the file's version",
                               "keep_local": "Keep the copy here"},
                              default="keep_local", destructive="replace")
