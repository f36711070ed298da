"""The Attendance page's waiting list: walk-ins beyond their phone's allowance wait here until
the facilitator lets them in (Approve) or turns them away (Reject). Layout and wiring only; the
JoinService does the work. Names are shown as plain text (list items are)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from stations.join.model import WaitingWalkIn
from workshop.errors import ValidationError
from workshop.timefmt import clock_time
from workshop.ui import dialogs
from workshop.ui.widgets import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


class WaitingPanel(QWidget):
    """Walk-ins waiting for approval, with Approve and Reject (keyboard: Tab to the list, arrows
    to choose, Alt+A / Alt+R, or Enter to approve)."""

    decided = Signal(str)  # payload: a sentence for the status bar, after a decision is saved

    def __init__(self, join, parent: QWidget | None = None):
        super().__init__(parent)
        self.join = join
        self._shown: list[WaitingWalkIn] = []
        self.title = plain_label("Waiting to join: nobody")
        self.list = QListWidget()
        self.list.setAccessibleName("Walk-ins waiting for approval")
        # A few rows, then it scrolls: the stations' check-in columns above get the height.
        self.list.setMaximumHeight(120)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.list.itemSelectionChanged.connect(self._enable)
        self.list.itemActivated.connect(lambda *_: self.approve())  # Enter or double-click
        self.approve_button = QPushButton("&Approve")
        self.approve_button.setToolTip("Add the selected walk-in and check them in where they asked")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button = QPushButton("&Reject")
        self.reject_button.setToolTip("Turn the selected walk-in away; their phone is told")
        self.reject_button.clicked.connect(self.reject)
        self.buttons = QWidget()
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self._show_list(False)
        self._enable()

    def _show_list(self, anyone: bool) -> None:
        # An empty list and two grey buttons took 170 px of a 720-pixel projector from the
        # stations' names: while nobody waits, the title line alone says so.
        self.list.setVisible(anyone)
        self.buttons.setVisible(anyone)

    def show_waiting(self, waiting: list[WaitingWalkIn]) -> None:
        """Show these requests (oldest first); the selection stays on the same request."""
        if waiting == self._shown:
            return
        chosen = self.selected()
        self._shown = list(waiting)
        self.list.clear()
        for request in waiting:
            item = QListWidgetItem(f"{request.name} — at Station {request.station_position}, "
                                   f"{clock_time(request.at)}")
            item.setData(ID_ROLE, request.id)
            self.list.addItem(item)
            if chosen is not None and request.id == chosen.id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.title.setText(f"Waiting to join: {len(waiting)}" if waiting
                           else "Waiting to join: nobody")
        self._show_list(bool(waiting))
        self._enable()

    def selected(self) -> WaitingWalkIn | None:
        """The request chosen in the list, if any."""
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        wanted = item.data(ID_ROLE)
        return next((r for r in self._shown if r.id == wanted), None)

    def approve(self) -> None:
        """Let the selected walk-in in."""
        request = self.selected()
        if request is None:
            return
        try:
            self.join.approve_walk_in(request.id)
        except ValidationError as exc:
            dialogs.error(self, "Cannot let them in", str(exc))
            return
        self.decided.emit(f"{request.name} joined as a walk-in at Station {request.station_position}.")

    def reject(self) -> None:
        """Turn the selected walk-in away."""
        request = self.selected()
        if request is None:
            return
        try:
            self.join.reject_walk_in(request.id)
        except ValidationError as exc:
            dialogs.error(self, "Cannot turn them away", str(exc))
            return
        self.decided.emit(f"{request.name} was not added; their phone says so.")

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
