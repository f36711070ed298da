"""The Handouts page and the window's Export/Print menu: every handout of the open academy,
with a preview of its first pages, the paper size, save, open in the system viewer, print, and
the whole pack with a progress bar and cancel.

Layout and wiring only: the PDFs come from ``workshop.handouts.service.HandoutService`` (one call per
user action); page images come from ``workshop.pdf.preview``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QLocale, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QMenu, QProgressDialog, QPushButton,
                               QVBoxLayout, QWidget)

from workshop.errors import ValidationError
from workshop.text import plural
from workshop.handouts.service import HandoutService
from workshop.pdf import PAPER_LABELS, default_paper, preview
from workshop.ui import dialogs
from workshop.ui.handouts.pack import PackRunner, choose_pack_folder
from workshop.ui.page import Page
from workshop.ui.widgets import heading, plain_label, scrolled

PREVIEW_PAGES = 2
PREVIEW_DPI = 55
PRINT_DPI = 200
WHOLE = object()   # the "all groups / whole academy" choice of an optional option


class HandoutsPage(Page):
    """The Handouts page: choose a handout and paper, preview it, save, open, print, or write the pack."""

    pdf_saved = Signal(str)      # payload: the path of a PDF just written
    pack_written = Signal(object)  # payload: the PackResult of a finished pack
    pack_ended = Signal(str)       # payload: the one-line outcome of a pack (written, failed, cancelled)

    def __init__(self, handouts: HandoutService, parent: QWidget | None = None):
        super().__init__(parent)
        self.handouts = handouts
        self.academy_id: int | None = None
        self._pdf: bytes | None = None
        self._pending = False     # the chosen handout is still to be made (after the next paint)
        self._scheduled = False   # a timer will make it
        self._warning = ""        # why the chosen handout would not work, shown with its state
        self.runner: PackRunner | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="handouts-")

        self.kinds = QListWidget()
        self.kinds.setMaximumWidth(240)
        self.kinds.setAccessibleName("Handouts")
        for kind in handouts.kinds.values():
            item = QListWidgetItem(kind.title)
            item.setData(Qt.ItemDataRole.UserRole, kind.key)
            self.kinds.addItem(item)
        self.description = plain_label(word_wrap=True)
        self.option = QComboBox()
        self.option_label = QLabel("For")
        self.option.setAccessibleName("For")
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for key, label in PAPER_LABELS.items():
            self.paper.addItem(label, key)
        # Without locale variables (macOS, Windows) the desktop's own locale decides.
        region = QLocale.territoryToCode(QLocale.system().territory())
        self.paper.setCurrentIndex(self.paper.findData(default_paper(region=region)))
        self.message = plain_label(word_wrap=True)
        self.message.setObjectName("handoutMessage")

        self.save_action = QAction("&Save PDF…", self, shortcut=QKeySequence.StandardKey.Save,
                                   triggered=self.save_pdf)
        self.open_action = QAction("&Open in viewer", self, shortcut=QKeySequence("Ctrl+Shift+O"),
                                   triggered=self.open_in_viewer)
        self.print_action = QAction("&Print…", self, shortcut=QKeySequence.StandardKey.Print,
                                    triggered=self.print_pdf)
        self.pack_action = QAction("Write the whole &pack…", self,
                                   shortcut=QKeySequence("Ctrl+Shift+P"))
        # triggered(bool) would fill write_pack's folder with False: this slot drops the bool.
        self.pack_action.triggered.connect(lambda _checked=False: self.write_pack())
        if not preview.available():
            self.print_action.setToolTip("Printing here needs poppler-utils (pdftoppm); "
                                         "open the PDF in the viewer and print from there.")

        buttons = QHBoxLayout()
        for action in (self.save_action, self.open_action, self.print_action, self.pack_action):
            button = QPushButton(action.text().replace("&", ""))
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            buttons.addWidget(button)
        buttons.addStretch(1)

        form = QFormLayout()
        form.addRow(self.option_label, self.option)
        form.addRow("Paper", self.paper)

        self.pages = QWidget()
        self.pages_layout = QHBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = scrolled(self.pages)

        right = QVBoxLayout()
        right.addWidget(self.description)
        right.addLayout(form)
        right.addLayout(buttons)
        right.addWidget(self.message)
        right.addWidget(scroll, 1)
        body = QHBoxLayout()
        body.addWidget(self.kinds)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Handouts"))
        layout.addLayout(body, 1)

        self.kinds.currentRowChanged.connect(lambda _row: self._kind_changed())
        self.option.currentIndexChanged.connect(lambda _i: self.refresh())
        self.paper.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kinds.setCurrentRow(0)

    # -- page protocol -----------------------------------------------------------------------
    def page_actions(self) -> list[QAction]:
        return [self.save_action, self.open_action, self.print_action, self.pack_action]

    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self._kind_changed()

    # -- choosing ----------------------------------------------------------------------------
    def current_key(self) -> str:
        item = self.kinds.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def select(self, key: str) -> None:
        for row in range(self.kinds.count()):
            if self.kinds.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.kinds.setCurrentRow(row)
                return
        raise KeyError(key)

    def paper_key(self) -> str:
        return self.paper.currentData()

    def _kind_changed(self) -> None:
        key = self.current_key()
        if not key:
            return
        kind = self.handouts.kind(key)
        self.description.setText(kind.description)
        self.option.blockSignals(True)
        self.option.clear()
        if kind.option and self.academy_id is not None and kind.choices is not None:
            if not kind.option_required:
                self.option.addItem("Whole academy" if kind.option == "group" else "All", WHOLE)
            for choice in kind.choices(self.academy_id):
                self.option.addItem(choice.label, choice.value)
        self.option.blockSignals(False)
        self.option.setVisible(bool(kind.option))
        self.option_label.setVisible(bool(kind.option))
        self.option_label.setText(kind.option.capitalize() if kind.option else "")
        self.option.setAccessibleName(kind.option.capitalize() if kind.option else "For")
        self.refresh()

    def _options(self) -> dict:
        kind = self.handouts.kind(self.current_key())
        value = self.option.currentData()
        if not kind.option or value is WHOLE or value is None:
            return {}
        return {kind.option: value}

    # -- the PDF and its preview -------------------------------------------------------------
    # The chosen handout is made and previewed once the page is on screen: its first showing
    # paints the list, the choices and "Rendering preview…", and the PDF follows in the next
    # turn of the event loop (issue 20: a handout renders in a few hundred milliseconds, and
    # pdftoppm runs after it). An action that needs the PDF before then makes it at once.
    @property
    def pdf(self) -> bytes | None:
        """The chosen handout's PDF (made now if its preview is still to come), or None."""
        self._render_pending()
        return self._pdf

    def refresh(self) -> None:
        """The chosen handout's state now (why it cannot be made, at once); its PDF later."""
        self._pdf = None
        self._pending = False
        self._warning = ""
        self._clear_pages()
        can_make = False
        if self.academy_id is None:
            self.message.setText("Open an academy to make its handouts.")
        else:
            kind = self.handouts.kind(self.current_key())
            if kind.option_required and self.option.count() == 0:
                self.message.setText(kind.none_yet or f"This academy has no {kind.option} yet.")
            else:
                can_make = self._pending = True
                if kind.warning is not None:
                    self._warning = kind.warning(self.academy_id)
                self.message.setText(self._with_warning("Rendering preview…"))
                # Never a blank box: the preview's place says what is coming.
                self.pages_layout.addWidget(plain_label("Its first pages appear here in a moment."))
                self.update()   # its paint schedules the rendering (paintEvent)
        self._enable(can_make)

    def _enable(self, ready: bool) -> None:
        for action in (self.save_action, self.open_action):
            action.setEnabled(ready)
        self.print_action.setEnabled(ready and preview.available())
        self.pack_action.setEnabled(self.academy_id is not None)

    def _with_warning(self, text: str) -> str:
        return f"{self._warning} {text}" if self._warning else text

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._pending and not self._scheduled:   # a zero timer started while painting
            self._scheduled = True                  # fires once this frame is on screen
            QTimer.singleShot(0, self._render_scheduled)

    def _render_scheduled(self) -> None:
        self._scheduled = False
        self._render_pending()

    def rendering(self) -> bool:
        """True while the chosen handout's PDF and preview are still to be made."""
        return self._pending

    def _render_pending(self) -> None:
        """Make the chosen handout and show its first pages (one service call), if due."""
        if not self._pending:
            return
        self._pending = False
        kind = self.handouts.kind(self.current_key())
        try:
            self._pdf = self.handouts.make(kind.key, self.academy_id, self.paper_key(),
                                           **self._options())
        except ValidationError as exc:
            self._clear_pages()
            self.message.setText(str(exc))
            self._enable(False)
            return
        self._show_preview()

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            widget = self.pages_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _show_preview(self) -> None:
        assert self._pdf is not None
        self._clear_pages()   # the placeholder
        images = preview.page_images(self._pdf, PREVIEW_DPI, 1, PREVIEW_PAGES)
        if images is None:
            self.message.setText(self._with_warning(
                "No preview here (it needs poppler-utils); “Open in viewer” shows the PDF."))
            return
        self.message.setText(self._with_warning(f"{len(self._pdf) / 1024:.0f} KB. The first pages:"))
        for png in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(QImage.fromData(png)))
            label.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(label)

    def preview_count(self) -> int:
        """How many page images the preview shows."""
        return sum(not self.pages_layout.itemAt(i).widget().pixmap().isNull()
                   for i in range(self.pages_layout.count()))

    def suggested_name(self) -> str:
        label = self.option.currentText() if self._options() else ""
        return self.handouts.default_filename(self.current_key(), self.academy_id, label)

    # -- actions -----------------------------------------------------------------------------
    def save_pdf(self) -> None:
        if self.pdf is None:
            return
        path = dialogs.save_file(self, "Save handout", str(Path.home() / self.suggested_name()),
                                "PDF (*.pdf)")
        if not path:
            return
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            dialogs.error(self, "Cannot save the handout", f"{path}: {exc.strerror or exc}")
            return
        self.pdf_saved.emit(path)
        self.notified.emit(f"Saved {path}")

    def open_in_viewer(self) -> None:
        if self.pdf is None:
            return
        path = Path(self._temp.name) / self.suggested_name()
        path.write_bytes(self.pdf)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.error(self, "No PDF viewer",
                          f"No program opened the PDF. It is saved at {path}.")

    def print_pdf(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer) -> int:
        """Paint every page on ``printer`` (a QPagedPaintDevice); returns the page count."""
        images = preview.page_images(self.pdf, PRINT_DPI) or []
        painter = QPainter(printer)
        try:
            for i, png in enumerate(images):
                if i:
                    printer.newPage()
                image = QImage.fromData(png)
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), size), image)
        finally:
            painter.end()
        return len(images)

    def write_pack(self, directory: str | None = None) -> PackRunner | None:
        """Write every handout into ``directory`` (asked for through the dialog seam when None),
        one file per turn of the event loop behind a progress dialog with Cancel."""
        if self.academy_id is None:
            self.notified.emit("Open an academy to write its handouts.")
            return None
        if self.runner is not None:
            self.notified.emit("A pack is being written already.")
            return None
        if directory is not None and not isinstance(directory, (str, Path)):
            raise TypeError(f"write_pack needs a folder, not {directory!r}")
        # Asked for when None; a folder with an earlier pack's files only once the person agrees.
        directory = choose_pack_folder(self, self.handouts, self.academy_id, directory)
        if not directory:
            return None
        try:
            steps = self.handouts.pack_steps(self.academy_id, directory, self.paper_key())
        except (ValidationError, OSError) as exc:
            self._pack_ended(f"The pack could not be written: {exc}")
            return None
        self.runner = runner = PackRunner(steps, self)
        self.progress_dialog = dialog = QProgressDialog("Preparing the pack…", "Cancel", 0, 1, self)
        dialog.setWindowTitle("Handout pack")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)   # the dialog goes when the runner ends, never before
        dialog.setAutoReset(False)
        dialog.canceled.connect(runner.cancel)

        def progressed(done, total, title):
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(f"{title} ({min(done + 1, total)} of {total})")

        def ended(message=None, result=None):
            dialog.canceled.disconnect(runner.cancel)
            dialog.reset()
            dialog.hide()
            # The modal dialog had the keys (its Cancel hides it before this runs): give them
            # back, so Ctrl+Q and Ctrl+Shift+P reach the window again at once.
            if QApplication.activeWindow() in (None, dialog):
                self.window().activateWindow()
            dialog.deleteLater()
            self.progress_dialog = None
            self.runner = None
            runner.deleteLater()
            if result is not None:
                count = plural(len(result.files), "handout")
                self.message.setText(f"Wrote {count} ({result.size / 1024:.0f} KB) "
                                     f"to {result.directory}.")
                self.pack_written.emit(result)
                self._pack_ended(f"Wrote {count} to {result.directory}")
            else:
                self._pack_ended(message or "The pack was not written.")

        runner.progressed.connect(progressed)
        runner.finished.connect(lambda result: ended(result=result))
        runner.failed.connect(lambda message: ended(message=message))
        runner.start()
        return runner

    def _pack_ended(self, message: str) -> None:
        if not message.startswith("Wrote "):
            self.message.setText(message)
        self.notified.emit(message)
        self.pack_ended.emit(message)


def install_export_menu(window, page: HandoutsPage, key: str = "handouts") -> QMenu:
    """The Export/Print menu for a window whose Handouts page is built (see
    :func:`workshop.ui.handouts.menu.install_export_menu`)."""
    from workshop.ui.handouts.menu import install_export_menu as install
    return install(window, lambda: page.handouts, key)
