"""Debrief reflections as they arrive, with moderation, and the wall shown on the projector.

Moderation comes before the room sees anything: the wall shows the reflections that were
visible when the facilitator pressed "Show on projector" (newer ones wait until they press it
again), and hiding one removes it from the wall at once. Hidden reflections stay in the
database, marked. Everything is plain text.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from stations.setup.palette import BACKGROUND, TEXT, TEXT_SOFT
from workshop.ui.widgets import heading, plain_label

WALL_MAX = 6


class _HideCommand(QUndoCommand):
    def __init__(self, panel: "ReflectionsPanel", reflection_id: int, hidden: bool):
        super().__init__("Hide reflection" if hidden else "Show reflection again")
        self.panel, self.reflection_id, self.hidden = panel, reflection_id, hidden

    def redo(self) -> None:
        self.panel.join.set_hidden(self.reflection_id, self.hidden)
        self.panel.refresh()

    def undo(self) -> None:
        self.panel.join.set_hidden(self.reflection_id, not self.hidden)
        self.panel.refresh()


class ReflectionWall(QWidget):
    """The projector's reflection wall: the newest approved reflections, large."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Reflections — projector (F11: full screen)")
        self.setStyleSheet(f"background: {BACKGROUND}; color: {TEXT};")
        self.resize(1280, 720)
        self.title = QLabel("How did it feel to be a learner?")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid, 1)
        self.cards: list[QLabel] = []

    def show_reflections(self, reflections, station_titles: dict[int, str]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        newest = reflections[-WALL_MAX:]
        for i, r in enumerate(newest):
            who = "anonymous" if r.author is None else r.author
            card = QLabel(f"{r.text}\n— {who}, {station_titles.get(r.station_position, '')}")
            card.setTextFormat(Qt.TextFormat.PlainText)
            card.setWordWrap(True)
            card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            card.setStyleSheet(f"color: {TEXT}; background: #1B2229; padding: 12px;")
            self.grid.addWidget(card, i // 2, i % 2)
            self.cards.append(card)
        if not newest:
            card = QLabel("Reflections will appear here.")
            card.setTextFormat(Qt.TextFormat.PlainText)
            card.setStyleSheet(f"color: {TEXT_SOFT};")
            self.grid.addWidget(card, 0, 0)
            self.cards.append(card)
        self._scale()

    def texts(self) -> list[str]:
        return [c.text() for c in self.cards]

    def place_on_best_screen(self) -> None:
        """The second screen (the projector) when there is one."""
        primary = QGuiApplication.primaryScreen()
        target = next((s for s in QGuiApplication.screens() if s is not primary), primary)
        if target is not None and target is not primary:
            self.setScreen(target)
            self.move(target.availableGeometry().topLeft())

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_F11:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        self._scale()
        super().resizeEvent(event)

    def _scale(self) -> None:
        h = max(270, self.height())
        font = QFont()
        font.setPixelSize(round(h * 0.06))
        font.setBold(True)
        self.title.setFont(font)
        for card in self.cards:
            # Large for the back of the room; a long reflection gets smaller letters so it fits
            # its card (area grows with the square of the size).
            body = QFont()
            body.setPixelSize(max(12, round(h * 0.045 * min(1.0, (200 / max(1, len(card.text()))) ** 0.5))))
            card.setFont(body)


class ReflectionsPanel(QWidget):
    """Reflections sent from phones: hide or show each, and the projector wall."""

    wall_changed = Signal(bool)  # payload: True when the wall is now on the projector

    COLUMNS = ("Station", "From", "Reflection", "Shown")

    def __init__(self, join, parent: QWidget | None = None):
        super().__init__(parent)
        self.join = join
        self.academy_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.wall = ReflectionWall(self)  # a window of its own, owned by the panel
        self._approved_up_to = 0
        self._rows: list = []
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setAccessibleName("Reflections")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        # The short columns start as wide as their headers (cells wrap; a person can widen
        # them) and the reflection takes the rest: it was squeezed to "eflectio" beside three
        # 100 px columns on a 1024 px window. Not ResizeToContents: one long station name
        # would take the reflection's room.
        # The station and the author start wide enough for "Station 1" and a name ("Ah… Has…"
        # once the reflections had a tab of their own and room to spare).
        least = {0: self.fontMetrics().horizontalAdvance("Station 6") + 16,
                 1: self.fontMetrics().horizontalAdvance("Aoife Ní Bhriain") + 16}
        for column in (0, 1, 3):
            header.resizeSection(column, max(header.sectionSizeHint(column) + 8, least.get(column, 0)))
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.hide_button = QPushButton("&Hide")
        self.hide_button.setToolTip("Hide the selected reflection from the projector (H); it stays saved")
        self.hide_button.clicked.connect(self.toggle_hidden)
        self.hide_action = QAction("Hide or show the selected reflection", self,
                                   shortcut=QKeySequence("H"), triggered=self.toggle_hidden)
        self.hide_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.hide_action)
        self.wall_button = QPushButton("Show on &projector")
        self.wall_button.setToolTip("Show the visible reflections on the projector; new ones "
                                    "wait until you press it again")
        self.wall_button.clicked.connect(self.show_wall)
        self.close_wall_button = QPushButton("Take off projector")
        self.close_wall_button.clicked.connect(self.close_wall)
        self.summary = plain_label(word_wrap=True)   # a narrow pane beside attendance
        buttons = QHBoxLayout()
        buttons.addWidget(self.hide_button)
        buttons.addStretch(1)
        buttons.addWidget(self.wall_button)
        buttons.addWidget(self.close_wall_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reflections", size=14))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.undo_stack.clear()
        self._approved_up_to = 0
        self.close_wall()
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected()
        rows = [] if self.academy_id is None else self.join.reflections(self.academy_id, include_hidden=True)
        self._rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (f"Station {r.station_position}", "anonymous" if r.author is None else r.author,
                     r.text, "hidden" if r.hidden else "shown")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: nothing a participant typed is markup
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                if r.hidden:
                    item.setForeground(Qt.GlobalColor.darkGray)
                self.table.setItem(i, c, item)
            if selected is not None and r.id == selected.id:
                self.table.selectRow(i)
        self.table.resizeRowsToContents()
        hidden = sum(r.hidden for r in rows)
        self.summary.setText(f"{len(rows)} reflections" + (f", {hidden} hidden" if hidden else "")
                             if rows else "No reflections yet: phones send them during the debrief.")
        self._update_buttons()
        if self.wall.isVisible():
            self._paint_wall()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def toggle_hidden(self) -> None:
        r = self.selected()
        if r is not None:
            self.undo_stack.push(_HideCommand(self, r.id, not r.hidden))

    def show_wall(self) -> None:
        """Approve what is visible now and put it on the projector."""
        self._approved_up_to = max((r.id for r in self._rows), default=0)
        self._paint_wall()
        if not self.wall.isVisible():
            self.wall.place_on_best_screen()
            self.wall.show()
            self.wall_changed.emit(True)
        self._update_buttons()

    def close_wall(self) -> None:
        if self.wall.isVisible():
            self.wall.hide()
            self.wall_changed.emit(False)
        self._update_buttons()

    def wall_reflections(self) -> list:
        return [r for r in self._rows if not r.hidden and r.id <= self._approved_up_to]

    def _paint_wall(self) -> None:
        titles = {r.station_position: f"Station {r.station_position}" for r in self._rows}
        self.wall.show_reflections(self.wall_reflections(), titles)

    def _update_buttons(self) -> None:
        r = self.selected()
        self.hide_button.setEnabled(r is not None)
        self.hide_button.setText("Show &again" if r is not None and r.hidden else "&Hide")
        waiting = sum(1 for x in self._rows if x.id > self._approved_up_to and not x.hidden)
        on = self.wall.isVisible()
        self.wall_button.setText(f"Show {waiting} new on &projector" if on and waiting
                                 else "Show on &projector")
        self.close_wall_button.setEnabled(on)
