"""The main window: a page list on the left, the open academy's pages on the right.

Pages are added by the composition root, each as a widget or as a factory that builds it when
it is first needed: shown (in the same turn of the event loop, so it appears within the frame),
asked for by :meth:`MainWindow.page`, or in idle time after the window's first paint. So the
first window costs its first page only. What the window reads of them is the page protocol
in :mod:`workshop.ui.page` (a :class:`~workshop.ui.page.Page`'s ``notified`` messages reach the
status bar). A page may also offer ``window_actions()``: QActions whose keys work on every page
(the rotation's Space, N, +, −, F11, Esc), each enabled only while it can act. Those keys never
reach an action while a text field has focus: the typing wins (:meth:`MainWindow.event`).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,
                               QKeySequenceEdit, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMainWindow, QMenu, QMessageBox, QPlainTextEdit, QSplitter,
                               QStackedWidget, QTextEdit, QWidget)

from workshop import APP_NAME, __version__
from workshop.ui.page import Page
from workshop.ui.ticker import Ticker


class MainWindow(QMainWindow):
    """The one window: page list, page stack, menus, status bar, the ticker and the undo group."""

    academy_opened = Signal(object)  # payload: the academy id (int), or None when none is open
    page_shown = Signal(str)         # payload: the key of the page now visible
    page_built = Signal(str)         # payload: the key of a page just built (lazily)

    def __init__(self, academies, parent: QWidget | None = None, first_page: str | None = None):
        super().__init__(parent)
        self.academies = academies
        self._first_page = first_page   # shown (so built) as soon as it is added; else the first
        self.academy_id: int | None = None
        self.ticker = Ticker(self)
        self.undo_group = QUndoGroup(self)
        self._pages: dict[str, QWidget] = {}
        # key → (factory, menu title, placeholder in the stack, build in idle time?)
        self._pending: dict[str, tuple[Callable[[], QWidget], str | None, QWidget, bool]] = {}
        self._idle: list[Callable[[], object]] = []   # work for after the first paint
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []   # after_first_paint's
        self._idle_on = False   # the app turns idle work on; a test's window builds on demand
        self._page_menus: dict[str, object] = {}
        self._window_keys: set[int] = set()   # key|modifiers of the window-wide actions
        self._session = None                    # remember_in's, until forget_session
        self._forgets: list[Callable[[], object]] = []   # undo remember_in / _joining
        self.installEventFilter(self)           # see eventFilter

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self.nav.setAccessibleName("Pages")
        self.nav.currentRowChanged.connect(self._show_row)
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.academy_label = QLabel()
        self.academy_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.academy_label)
        self._build_menus()
        self.resize(1400, 900)
        self._update_title()

    # -- menus -----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.go_menu = bar.addMenu("&Go")
        # Page menus are inserted before this invisible mark, in whatever order pages are built,
        # so a page built late lands where an eagerly built one did (before Export/Print).
        self._page_menu_mark = bar.addSeparator()
        self._page_menu_mark.setVisible(False)
        self.help_menu = bar.addMenu("&Help")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addActions([undo, redo])
        self.edit_menu.addSeparator()
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit,
                                   triggered=self.close)
        self.file_menu.addAction(self.quit_action)
        # The View menu holds what changes the window itself (it was empty, issue 13).
        self.full_screen_action = QAction("&Full screen", self, checkable=True,
                                          shortcut=QKeySequence("Ctrl+Shift+F"),
                                          toggled=self._set_full_screen)
        self.page_list_action = QAction("&Page list", self, checkable=True, checked=True,
                                        shortcut=QKeySequence("Ctrl+Shift+L"),
                                        toggled=self.nav.setVisible)
        self.view_menu.addActions([self.full_screen_action, self.page_list_action])
        self.help_menu.addAction(QAction(f"&About {APP_NAME}", self, triggered=self.show_about))

    def _set_full_screen(self, on: bool) -> None:
        self.setWindowState(self.windowState() | Qt.WindowState.WindowFullScreen if on
                            else self.windowState() & ~Qt.WindowState.WindowFullScreen)

    def changeEvent(self, event) -> None:
        # Leaving full screen by the window manager (or Esc elsewhere) keeps the tick honest.
        if event.type() == QEvent.Type.WindowStateChange:
            self.full_screen_action.blockSignals(True)
            self.full_screen_action.setChecked(self.isFullScreen())
            self.full_screen_action.blockSignals(False)
        super().changeEvent(event)

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\n\nRun a personalized-learning design academy: "
                          "station rotations with phone check-ins, safe-to-try prototypes with their "
                          "iteration logs, hub-and-spoke initiative maps, and every handout.\n\n"
                          "All data stays on this computer.", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    # -- pages -----------------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget | Callable[[], QWidget], *,
                 menu_title: str | None = None, idle: bool = True) -> None:
        """Add a page: a widget, or a factory building it when first needed (shown, asked for
        by ``page``, or after the first paint unless ``idle`` is False: a page whose building
        is itself costly work nobody asked for, such as the Handouts preview)."""
        if isinstance(widget, QWidget):
            self.stack.addWidget(widget)
            self._install(key, widget, title, menu_title)
        else:
            placeholder = QWidget()
            self.stack.addWidget(placeholder)
            self._pending[key] = (widget, menu_title, placeholder, idle)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        index = self.nav.count()
        # Every page is in the Go menu; the first nine also answer Ctrl+1…Ctrl+9.
        action = QAction(title, self, triggered=lambda checked=False, k=key: self.show_page(k))
        if index <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{index}"))
        self.go_menu.addAction(action)
        if self.nav.currentRow() < 0 and self._first_page in (None, key):
            self.nav.setCurrentRow(index - 1)

    def show_first_page(self) -> None:
        """Show the first page if no page is shown yet (``first_page`` named none added)."""
        if self.nav.currentRow() < 0 and self.nav.count():
            self.nav.setCurrentRow(0)

    def _install(self, key: str, widget: QWidget, title: str, menu_title: str | None) -> None:
        """Wire a built page: its messages, undo stack, menu, window-wide keys and academy."""
        self._pages[key] = widget
        if isinstance(widget, Page):
            widget.notified.connect(self.notify)
        stack = getattr(widget, "undo_stack", None)
        if stack is not None:
            self.undo_group.addStack(stack)
        actions = widget.page_actions() if hasattr(widget, "page_actions") else []
        if actions:
            menu = QMenu(menu_title or title, self)
            menu.addActions(actions)
            menu_action = self.menuBar().insertMenu(self._page_menu_mark, menu)
            menu_action.setVisible(False)
            self._page_menus[key] = menu_action
        for action in widget.file_actions() if hasattr(widget, "file_actions") else []:
            self.file_menu.insertAction(self.quit_action, action)   # File ▸ Export academy…
        for action in widget.window_actions() if hasattr(widget, "window_actions") else []:
            self.add_window_action(action)
        if hasattr(widget, "set_academy"):
            widget.set_academy(self.academy_id)

    def _build(self, key: str) -> QWidget:
        """Build a pending page now, in its place in the stack."""
        factory, menu_title, placeholder, _idle = self._pending.pop(key)
        widget = factory()
        index = self.stack.indexOf(placeholder)
        current = self.stack.currentWidget() is placeholder
        self.stack.insertWidget(index, widget)
        if current:
            self.stack.setCurrentWidget(widget)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._install(key, widget, self._title_of(key), menu_title)
        self.page_built.emit(key)
        return widget

    def _title_of(self, key: str) -> str:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                return self.nav.item(row).text()
        return key

    def is_built(self, key: str) -> bool:
        """True once the page of ``key`` exists (a lazy page is built when first needed)."""
        return key in self._pages

    def when_idle(self, work: Callable[[], object]) -> None:
        """Run ``work`` in idle time after the window's first paint, once idle work is on."""
        self._idle.append(work)

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run ``work`` on the event loop's turn after the window's first paint (at once, on
        the next turn, when it has painted): a start that must not delay the first frame."""
        if self._painted:
            QTimer.singleShot(0, work)
        else:
            self._after_paint.append(work)

    def work_when_idle(self) -> None:
        """After the first paint, build the pages not yet built (and run ``when_idle`` work),
        one per turn of the event loop, so a page opened later is there already. The app
        turns this on; a test's window leaves it off and builds each page when asked."""
        self._idle_on = True
        if self._painted:
            QTimer.singleShot(0, self._idle_step)

    def _idle_step(self) -> None:
        """One piece of idle work: queued work first, then the next page not yet built. It
        stops while the window is not on screen (closed: the data file may be closed too)."""
        if not self.isVisible():
            return
        if self._idle:
            self._idle.pop(0)()
        else:
            key = next((k for k, pending in self._pending.items() if pending[3]), None)
            if key is None:
                return
            self._build(key)
        QTimer.singleShot(0, self._idle_step)

    # -- window-wide keys ------------------------------------------------------------------
    def add_window_action(self, action: QAction) -> None:
        """Make ``action``'s keys work on every page (not while a text field has focus)."""
        self.addAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        for sequence in action.shortcuts():
            if sequence.count():
                self._window_keys.add(sequence[0].toCombined())

    def eventFilter(self, watched, event) -> bool:
        """A window-wide key typed into a text field is text, not a shortcut.

        Qt asks the focused widget first (ShortcutOverride) and a line edit claims the keys that
        print, but not F11, nor every key in a spin box or an editable combo; so the window
        claims its own keys for the field, and the field gets them as typing.

        A filter on the window itself rather than an ``event`` override: Qt paints the whole
        window from the window's event, and an override's ``super().event()`` ran all of that
        painting with the interpreter held, so the join server's threads waited (issue 19)."""
        if watched is not self:
            return False
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True   # the first frame is on screen: now the rest, in idle time
            while self._after_paint:
                QTimer.singleShot(0, self._after_paint.pop(0))
            if self._idle_on:
                QTimer.singleShot(0, self._idle_step)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.keyCombination().toCombined() in self._window_keys \
                and typing_into(QApplication.focusWidget()):
            event.accept()
            return True
        return False

    def keyPressEvent(self, event) -> None:
        """Enter presses the focused button: Space is pause/resume while a rotation runs, so a
        keyboard user needs another key for buttons (nothing else claimed this one)."""
        focus = QApplication.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focus, QAbstractButton) \
                and focus.isEnabled() and focus.window() is self:
            focus.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def page(self, key: str) -> QWidget:
        """The page of ``key``, built now if it was not yet."""
        if key in self._pending:
            return self._build(key)
        return self._pages[key]

    def page_keys(self) -> list[str]:
        """Every page's key, in the page list's order, built or not."""
        return [self.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.nav.count())]

    def show_page(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(key)

    def current_page_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        widget = self.page(key)   # a page opened before it was built is built now, this frame
        self.stack.setCurrentWidget(widget)
        stack = getattr(widget, "undo_stack", None)
        self.undo_group.setActiveStack(stack)
        for page_key, menu in self._page_menus.items():
            menu.setVisible(page_key == key)
        self.page_shown.emit(key)

    # -- academy ---------------------------------------------------------------------------
    def open_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        for widget in self._pages.values():
            if hasattr(widget, "set_academy"):
                widget.set_academy(academy_id)
        self._update_title()
        self.academy_opened.emit(academy_id)

    def remember_in(self, session, joining: bool = False) -> None:
        """Keep ``session`` (a :class:`workshop.session.Session`) told which academy is open
        and, once :meth:`remember_joining` has the join service, whether phones can join
        (``joining``: whether they can now), so a relaunch after a crash lands where the
        facilitator was."""
        def on_open(academy_id) -> None:
            session.remember(academy_id=academy_id)
        self.academy_opened.connect(on_open)
        session.remember(academy_id=self.academy_id, joining=joining)
        self._session = session
        self._forgets.append(lambda: self.academy_opened.disconnect(on_open))

    def remember_joining(self, join) -> None:
        """Keep the session told when phones are let in or sent away (``join``'s
        server_started/stopped/failed events); called when the join service is built."""
        session = self._session
        if session is None:
            return

        def on_join(event) -> None:
            if event.kind in ("server_started", "server_stopped", "server_failed"):
                session.remember(joining=event.kind == "server_started")
        join.add_listener(on_join)
        self._forgets.append(lambda: join.remove_listener(on_join))

    def forget_session(self) -> None:
        """Stop remembering (before a clean quit stops the server: phones were still let in)."""
        self._session = None
        while self._forgets:
            self._forgets.pop()()

    def _update_title(self) -> None:
        title = ""
        if self.academy_id is not None:
            try:
                title = self.academies.get(self.academy_id).title
            except ValueError:
                title = ""
        self.setWindowTitle(f"{title} — {APP_NAME}" if title else APP_NAME)
        self.academy_label.setText(f"Academy: {title}" if title else "No academy open")

    def notify(self, message: str, timeout_ms: int = 6000) -> None:
        """A short status-bar message (plain text); pages send theirs through ``notified``."""
        self.statusBar().showMessage(message, timeout_ms)



def typing_into(widget: QWidget | None) -> bool:
    """True when keys pressed now are text for ``widget`` (an editable text field, a spin box,
    an editable combo, an item view's editor: each of those is one of these widgets)."""
    if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QKeySequenceEdit)
