"""File ▸ Export academy… / Import academy…: whole academies as bundle files, with progress."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from workshop.errors import ValidationError
from workshop.store.errors import DatabaseError
from workshop.text import plural
from workshop.ui import dialogs

FILTERS = "Academy bundles (*.academy *.sqlite);;All files (*)"
CHOICES = {"replace": "Use the bundle's", "keep_local": "Keep the copies here"}


def _progress(parent: QWidget, label: str) -> tuple[QProgressDialog, Callable[[int, int], None]]:
    # The copy runs on the GUI thread (it is one transaction on the window's connection); the
    # dialog is repainted between batches of rows so the person sees it move.
    box = QProgressDialog(label, "", 0, 0, parent)
    box.setCancelButton(None)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setMinimumDuration(300)

    def step(done: int, total: int) -> None:
        box.setMaximum(max(total, 1))
        box.setValue(done)
        QApplication.processEvents()
    return box, step


class BundleActions:
    """The two File-menu actions; ``current`` says which academy is open, ``imported(id)``
    is told of an academy brought in (to refresh the list and open it)."""

    def __init__(self, parent: QWidget, bundles, academies, current: Callable[[], int | None],
                 imported: Callable[[int], None]):
        self.parent, self.bundles, self.academies = parent, bundles, academies
        self.current, self.imported = current, imported
        self.export_action = QAction("&Export academy…", parent, triggered=self.export)
        self.import_action = QAction("&Import academy…", parent, triggered=self.import_)

    def actions(self) -> list[QAction]:
        return [self.export_action, self.import_action]

    def export(self, checked: bool = False) -> str | None:
        academy_id = self.current()
        if academy_id is None:
            dialogs.error(self.parent, "Export academy", "Open an academy first.")
            return None
        title = self.academies.get(academy_id).title
        path = dialogs.save_file(self.parent, "Export academy", f"{title}.academy", FILTERS)
        if not path:
            return None
        box, step = _progress(self.parent, f"Exporting “{title}”…")
        try:
            counts = self.bundles.export(academy_id, path, progress=step)
        except (ValidationError, DatabaseError) as exc:
            dialogs.error(self.parent, "Export academy", str(exc))
            return None
        finally:
            box.close()
        self.parent.notified.emit(f"Exported “{title}”: {plural(sum(counts.values()), 'row')}")
        return path

    def import_(self, checked: bool = False, on_conflict: str = "ask") -> int | None:
        path = dialogs.open_file(self.parent, "Import academy", FILTERS)
        if not path:
            return None
        while True:
            box, step = _progress(self.parent, "Importing the academy…")
            try:
                report = self.bundles.import_file(path, on_conflict=on_conflict, progress=step)
                break
            except ValidationError as exc:
                box.close()
                if on_conflict == "ask" and hasattr(exc, "conflicts"):
                    choice = dialogs.choose(self.parent, "Import academy", str(exc), CHOICES,
                                            default="keep_local")
                    if choice is None:
                        return None
                    on_conflict = choice
                    continue
                dialogs.error(self.parent, "Import academy", str(exc))
                return None
            except DatabaseError as exc:
                dialogs.error(self.parent, "Import academy", str(exc))
                return None
            finally:
                box.close()
        added = sum(report.added.values())
        self.parent.notified.emit(
            f"{'Imported' if report.created else 'Merged'} “{report.title}”: "
            f"{plural(added, 'row')} added, {plural(sum(report.updated.values()), 'row')} updated")
        self.imported(report.academy_id)
        return report.academy_id
