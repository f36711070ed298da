"""Layout-only widgets of the rotation page: the set-up form and the schedule grids.

They show what they are given and report edits as signals; the page calls the service.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtCore import QTime, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QSpinBox, QTableWidget,
                               QTableWidgetItem, QTimeEdit, QVBoxLayout, QWidget)

from stations.setup.palette import station_colour, station_colour_name
from stations.rotation.schedule import MAX_DEBRIEF_MINUTES, MAX_GROUPS, MAX_TRANSITION_MINUTES
from workshop.text import plural
from workshop.timefmt import clock_time
from workshop.ui.widgets import heading, plain_label, plain_tooltip

CURRENT = QColor("#FFE8A3")   # the cell(s) the room is in now; dark text on it is > 12:1
NEXT = QColor("#D6ECFF")


def swatch(position: int, size: int = 14) -> QIcon:
    """A small square icon in the station's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(station_colour(position)))
    return QIcon(pixmap)


def status_header(font: QFont) -> tuple[QHBoxLayout, QLabel, QLabel, QLabel]:
    """Where the rotation is and its planned end, beside the big time left."""
    phase, times, digits = heading("", size=18), plain_label(""), plain_label("")
    big = QFont(font)
    big.setPointSize(44)
    big.setBold(True)
    digits.setFont(big)
    digits.setAccessibleName("Time left")
    status = QVBoxLayout()
    status.addWidget(phase)
    status.addWidget(times)
    top = QHBoxLayout()
    top.addLayout(status, 1)
    top.addWidget(digits)
    return top, phase, times, digits


def boxed(title: str, *widgets: QWidget) -> QGroupBox:
    """A titled box holding ``widgets`` one above the other."""
    box = QGroupBox(title)
    box.setMaximumWidth(460)
    column = QVBoxLayout(box)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    return box


class SetupForm(QWidget):
    """Groups, round lengths, transition, debrief, warning and the planned start."""
    changed = Signal(dict)   # payload: the RotationSettings fields that the user changed

    def __init__(self, today: Callable[[], datetime], parent: QWidget | None = None):
        """``today``: the clock's ``now`` (the planned start is a time of that day)."""
        super().__init__(parent)
        self._loading = False
        self.today = today
        form = QFormLayout(self)
        self.groups = QSpinBox(minimum=1, maximum=MAX_GROUPS, suffix=" groups")
        self.groups_note = plain_label("", word_wrap=True)
        self.same = QComboBox()
        # Short words: the box is ~190 px beside the form's labels at 1280×720, and a combo
        # clips its text without an ellipsis ("Each station's own mi").
        self.same.addItems(["Each station's own", "The same for all"])
        # Let the combo shrink (its text elides) rather than squeeze the form's labels.
        self.same.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.same.setMinimumContentsLength(14)
        self.minutes = QSpinBox(minimum=1, maximum=180, suffix=" min")
        lengths = QHBoxLayout()
        lengths.addWidget(self.same, 1)
        lengths.addWidget(self.minutes)
        self.transition = QDoubleSpinBox(minimum=0, maximum=MAX_TRANSITION_MINUTES, singleStep=0.5,
                                         decimals=1, suffix=" min")
        self.debrief = QDoubleSpinBox(minimum=0, maximum=MAX_DEBRIEF_MINUTES, singleStep=1,
                                      decimals=0, suffix=" min")
        self.warning = QDoubleSpinBox(minimum=0, maximum=30, singleStep=0.5, decimals=1,
                                      suffix=" min before the end")
        self.has_start = QCheckBox("Planned start")
        self.start = QTimeEdit(displayFormat="HH:mm")
        start_row = QHBoxLayout()
        start_row.addWidget(self.has_start)
        start_row.addWidget(self.start, 1)
        form.addRow("Groups", self.groups)
        form.addRow("", self.groups_note)
        form.addRow("Round length", lengths)
        form.addRow("Transition", self.transition)
        form.addRow("Debrief", self.debrief)
        form.addRow("Warning", self.warning)
        self.warning_note = plain_label("", word_wrap=True)   # when rounds are too short for it
        form.addRow("", self.warning_note)
        form.addRow("Start", start_row)
        for spin in (self.groups, self.minutes, self.transition, self.debrief, self.warning):
            spin.setKeyboardTracking(False)   # one save per finished edit, not per keystroke
        for widget, name in zip(self.fields(), (
                "Groups", "Round length", "Minutes of every round", "Transition, minutes",
                "Debrief, minutes", "Warning, minutes before a round ends", "Planned start",
                "Planned start time")):
            widget.setAccessibleName(name)
        self.groups.valueChanged.connect(lambda v: self._emit(groups=v))
        # "1 groups": a spin box's suffix does not count, so it follows the value.
        self.groups.valueChanged.connect(
            lambda v: self.groups.setSuffix(" group" if v == 1 else " groups"))
        self.same.currentIndexChanged.connect(self._lengths_changed)
        self.minutes.valueChanged.connect(self._lengths_changed)
        self.transition.valueChanged.connect(lambda v: self._emit(transition_minutes=v))
        self.debrief.valueChanged.connect(lambda v: self._emit(debrief_minutes=v))
        self.warning.valueChanged.connect(lambda v: self._emit(warning_minutes=v))
        self.has_start.toggled.connect(self._start_changed)
        self.start.timeChanged.connect(self._start_changed)
        self._station_count = 3

    def fields(self) -> list[QWidget]:
        """The form's inputs, top to bottom."""
        return [self.groups, self.same, self.minutes, self.transition, self.debrief, self.warning,
                self.has_start, self.start]

    def load(self, settings, stations, groups_from_grouping: int | None) -> None:
        """Show these settings without reporting them as edits."""
        self._loading = True
        try:
            self._station_count = len(stations)
            # The box shows the count that runs: the Groups page's, when it has made groups.
            self.groups.setValue(groups_from_grouping or settings.groups)
            self.groups.setEnabled(groups_from_grouping is None)
            self.groups_note.setText(
                f"{plural(groups_from_grouping, 'group')} from the Groups page." if groups_from_grouping
                else "Numbered groups (A, B, …) until groups are made on the Groups page.")
            same = settings.minutes is not None and len(set(settings.minutes)) == 1
            self.same.setCurrentIndex(1 if same else 0)
            self.minutes.setValue(settings.minutes[0] if same else stations[0].minutes)
            self.minutes.setEnabled(same)
            own = ", ".join(str(s.minutes) for s in stations)
            self.same.setItemData(0, f"Each station's own minutes: {own}",
                                  Qt.ItemDataRole.ToolTipRole)
            self.same.setItemData(1, "The same length for every station",
                                  Qt.ItemDataRole.ToolTipRole)
            self.transition.setValue(settings.transition_minutes)
            self.debrief.setValue(settings.debrief_minutes)
            self.warning.setValue(settings.warning_minutes)
            start = settings.planned_start_at
            self.has_start.setChecked(start is not None)
            self.start.setEnabled(start is not None)
            if start is not None:
                self.start.setTime(QTime(start.hour, start.minute))
        finally:
            self._loading = False

    def _emit(self, **changes) -> None:
        if not self._loading:
            self.changed.emit(changes)

    def _lengths_changed(self, *_):
        same = self.same.currentIndex() == 1
        self.minutes.setEnabled(same)
        self._emit(minutes=(self.minutes.value(),) * self._station_count if same else None)

    def _start_changed(self, *_):
        self.start.setEnabled(self.has_start.isChecked())
        if not self.has_start.isChecked():
            self._emit(planned_start=None)
            return
        t = self.start.time()
        today = self.today()
        when = today.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        self._emit(planned_start=when.isoformat())


class ScheduleGrid(QTableWidget):
    """Rounds × stations; each cell lists the groups there. The current round is highlighted
    (and, during a transition, the round coming next)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Schedule: the groups at each station, round by round")
        self.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                    | Qt.AlignmentFlag.AlignVCenter)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        self._current: tuple[int, int] = (0, 0)

    def show_schedule(self, schedule) -> None:
        """Fill the grid from a schedule (no round highlighted)."""
        self.clear()
        self.setColumnCount(len(schedule.stations))
        self.setRowCount(len(schedule.rounds))
        for col, station in enumerate(schedule.stations):
            item = QTableWidgetItem(swatch(station.position),
                                    f"{station.position} · {station.name}")
            item.setToolTip(plain_tooltip(
                f"{station.title}\nColour: {station_colour_name(station.position)}"))
            self.setHorizontalHeaderItem(col, item)
        for row, rnd in enumerate(schedule.rounds):
            start, end = schedule.at(rnd.start_s), schedule.at(rnd.end_s)
            times = f"\n{clock_time(start)}–{clock_time(end)}" if start else ""
            self.setVerticalHeaderItem(row, QTableWidgetItem(f"Round {rnd.number}{times}"))
            for col, station in enumerate(schedule.stations):
                names = [schedule.groups[g].name for g in rnd.groups_at(station.position)]
                self.setItem(row, col, QTableWidgetItem("\n".join(names) or "(resting)"))
        self._current = (0, 0)

    def highlight(self, current_round: int, next_round: int = 0) -> None:
        """Rounds are 1-based; 0 means none."""
        if (current_round, next_round) == self._current:
            return
        self._current = (current_round, next_round)
        bold = QFont(self.font())
        bold.setBold(True)
        for row in range(self.rowCount()):
            colour = CURRENT if row + 1 == current_round else NEXT if row + 1 == next_round else None
            for col in range(self.columnCount()):
                item = self.item(row, col)
                if item is None:
                    continue
                item.setBackground(QBrush(colour) if colour else QBrush())
                item.setForeground(QBrush(QColor("#111111")) if colour else QBrush())
                item.setFont(bold if colour else self.font())

    def current_cells(self) -> list[tuple[int, int]]:
        """(row, column) of the cells highlighted as the current round."""
        return [(r, c) for r in range(self.rowCount()) for c in range(self.columnCount())
                if self.item(r, c) and self.item(r, c).background().color() == CURRENT]


class PathsTable(QTableWidget):
    """Each group's path: groups × rounds, the station it is at in each round."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Each group's path: its station in every round")
        self.setTabKeyNavigation(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def show_schedule(self, schedule) -> None:
        """Fill the table from a schedule."""
        self.clear()
        self.setRowCount(len(schedule.groups))
        self.setColumnCount(len(schedule.rounds))
        self.setHorizontalHeaderLabels([f"Round {r.number}" for r in schedule.rounds])
        self.setVerticalHeaderLabels([g.name for g in schedule.groups])
        for g in range(len(schedule.groups)):
            for col, position in enumerate(schedule.path(g)):
                station = schedule.station(position)
                self.setItem(g, col, QTableWidgetItem(swatch(position), f"{position} · {station.name}"))
