"""The stations page: the open academy's 2–6 stations (name, kind, minutes, prompt, materials,
debrief prompt). Every valid change is saved at once through StationService.save and can be
undone; an invalid one is explained under the form and nothing is saved.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from stations.setup.model import (KIND_LABELS, KINDS, MAX_MINUTES, MAX_STATIONS, MIN_STATIONS,
                            Station, validate_station_set)
from workshop.errors import ValidationError
from workshop.text import clean_text, plural
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.widgets import heading, name_form_fields, plain_label

TEXT_FIELDS = ("prompt", "materials", "debrief_prompt")
_MERGE_ID = 7301  # QUndoCommand.id(): consecutive typing in one field is one undo step


class StationsCommand(QUndoCommand):
    """Replace the whole station set (the service saves it whole); undo puts the old set back."""

    def __init__(self, page: "StationsPage", before: list[Station], after: list[Station],
                 text: str, merge_key: tuple | None = None, select: int | None = None):
        super().__init__(text)
        self.page, self.before, self.after = page, before, after
        self.merge_key, self.select = merge_key, select

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if getattr(other, "merge_key", None) != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.page._apply(self.after, self.select)

    def undo(self) -> None:
        self.page._apply(self.before, self.select)


class StationsPage(Page):
    """The Stations page: the open academy's stations, edited in place, each change saved."""

    stations_changed = Signal(object)  # payload: the academy id whose stations were saved

    def __init__(self, station_service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = station_service
        self.academy_id: int | None = None
        self.stations: list[Station] = []
        self.undo_stack = QUndoStack(self)

        self.list = QListWidget()
        self.list.setMinimumWidth(320)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Stations, in rotation order")
        self.list.currentRowChanged.connect(self._show_station)
        self.add_button = QPushButton("&Add station")
        self.remove_button = QPushButton("&Remove…")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move d&own")
        self.add_button.clicked.connect(self.add_station)
        self.remove_button.clicked.connect(self.remove_station)
        self.up_button.clicked.connect(lambda: self.move_station(-1))
        self.down_button.clicked.connect(lambda: self.move_station(+1))

        self.name = QLineEdit()
        self.name.textEdited.connect(lambda text: self.change("name", text))
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.activated.connect(lambda _: self.change("kind", self.kind.currentData()))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes.valueChanged.connect(lambda value: self.change("minutes", value))
        self.texts: dict[str, QPlainTextEdit] = {}
        for field in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(120)
            edit.textChanged.connect(lambda f=field: self.change(f, self.texts[f].toPlainText()))
            self.texts[field] = edit
        self.texts["prompt"].setPlaceholderText("What the group does at this station")
        self.texts["materials"].setPlaceholderText("What to put on the table")
        self.texts["debrief_prompt"].setPlaceholderText(
            "Asked in the debrief, e.g. “How did it feel to be a learner here?”")
        self.error = plain_label(word_wrap=True)
        style_error(self.error, bold=True)
        self.total = plain_label(word_wrap=True)
        self._loading = False

        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("M&inutes", self.minutes)
        form.addRow("&Prompt", self.texts["prompt"])
        form.addRow("Ma&terials", self.texts["materials"])
        form.addRow("&Debrief prompt", self.texts["debrief_prompt"])
        name_form_fields(form)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            left.addWidget(b)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        right.addStretch()
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Stations"))
        layout.addWidget(plain_label(
            f"Groups rotate through every station. {MIN_STATIONS} to {MAX_STATIONS} stations; "
            "changes save as you type (Edit ▸ Undo takes them back).", word_wrap=True))
        layout.addLayout(body, 1)
        layout.addWidget(self.total)

        self.add_action = QAction("&Add station", self, triggered=self.add_station,
                                  shortcut=QKeySequence("Ctrl+Shift+T"))
        self.remove_action = QAction("&Remove station…", self, triggered=self.remove_station)
        self._set_enabled()

    def page_actions(self) -> list[QAction]:
        return [self.add_action, self.remove_action]

    # -- loading -----------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.undo_stack.clear()
        self.stations = self.service.stations(academy_id) if academy_id is not None else []
        self._refresh(select=0)

    def current_row(self) -> int:
        return self.list.currentRow()

    def _refresh(self, select: int | None = None) -> None:
        row = self.current_row() if select is None else select
        self._loading = True
        self.list.clear()
        for s in self.stations:
            item = QListWidgetItem(_item_text(s))
            self.list.addItem(item)
        self._loading = False
        if self.stations:
            self.list.setCurrentRow(max(0, min(row, len(self.stations) - 1)))
        else:
            self._show_station(-1)
        minutes = sum(s.minutes for s in self.stations)
        self.total.setText(
            f"{plural(len(self.stations), 'station')}, {minutes} min in all: each group visits every "
            "station once (plus transitions and the debrief)." if self.stations else
            "No academy is open.")
        self._set_enabled()

    def _show_station(self, row: int) -> None:
        if self._loading:
            return
        self._loading = True
        station = self.stations[row] if 0 <= row < len(self.stations) else None
        # Only overwrite what differs once cleaned: rewriting "Design " as the saved "Design"
        # while someone types would eat the space and move the cursor.
        if clean_text(self.name.text(), limit=10**6) != (station.name if station else ""):
            self.name.setText(station.name if station else "")
        self.kind.setCurrentIndex(self.kind.findData(station.kind) if station else -1)
        self.minutes.setValue(station.minutes if station else 15)
        for field, edit in self.texts.items():
            if clean_text(edit.toPlainText(), limit=10**6) != (getattr(station, field) if station else ""):
                edit.setPlainText(getattr(station, field) if station else "")
        self._loading = False
        self._set_enabled()

    def _set_enabled(self) -> None:
        n, has = len(self.stations), self.academy_id is not None
        row = self.current_row()
        editing = has and 0 <= row < n
        for w in (self.name, self.kind, self.minutes, *self.texts.values()):
            w.setEnabled(editing)
        self.add_button.setEnabled(has and n < MAX_STATIONS)
        self.add_action.setEnabled(has and n < MAX_STATIONS)
        self.remove_button.setEnabled(editing and n > MIN_STATIONS)
        self.remove_action.setEnabled(editing and n > MIN_STATIONS)
        self.up_button.setEnabled(editing and row > 0)
        self.down_button.setEnabled(editing and row < n - 1)
        self.add_button.setToolTip("" if n < MAX_STATIONS else f"At most {MAX_STATIONS} stations.")
        self.remove_button.setToolTip("" if n > MIN_STATIONS else f"At least {MIN_STATIONS} stations.")

    # -- changes -----------------------------------------------------------------------------
    def _snapshot(self) -> list[Station]:
        return [replace(s) for s in self.stations]

    def change(self, field: str, value) -> None:
        """One field of the selected station changed in the form: validate, then save."""
        row = self.current_row()
        if self._loading or not 0 <= row < len(self.stations):
            return
        before = self._snapshot()
        after = self._snapshot()
        try:
            after[row] = replace(after[row], **{field: value})
            validate_station_set(after)
        except ValidationError as exc:
            self.error.setText(f"Not saved: {exc}")
            return
        self.error.clear()
        label = {"debrief_prompt": "debrief prompt"}.get(field, field)
        self.undo_stack.push(StationsCommand(
            self, before, after, f"Change {label} of station {row + 1}",
            merge_key=(self.academy_id, before[row].id, field), select=row))

    def add_station(self) -> None:
        if self.academy_id is None or len(self.stations) >= MAX_STATIONS:
            return
        taken = {s.name.casefold() for s in self.stations}
        n = len(self.stations) + 1
        name = next(f"Station {i}" for i in range(n, n + MAX_STATIONS + 1)
                    if f"station {i}" not in taken)
        # The kind used least so far: a rotation is richest with all three.
        kind = min(KINDS, key=lambda k: sum(1 for s in self.stations if s.kind == k))
        minutes = self.stations[-1].minutes if self.stations else 15
        after = self._snapshot() + [Station(n, name, kind, minutes)]
        self.undo_stack.push(StationsCommand(self, self._snapshot(), after, f"Add {name}",
                                             select=n - 1))
        self.name.setFocus()
        self.name.selectAll()

    def remove_station(self) -> None:
        row = self.current_row()
        if not 0 <= row < len(self.stations) or len(self.stations) <= MIN_STATIONS:
            return
        station = self.stations[row]
        if not dialogs.confirm(self, "Remove station",
                       f"Remove {station.title}? Its prompt and materials go with it "
                       "(Edit ▸ Undo brings it back).", "Remove station"):
            return
        after = self._snapshot()
        del after[row]
        self.undo_stack.push(StationsCommand(self, self._snapshot(), after,
                                             f"Remove {station.name}", select=max(0, row - 1)))

    def move_station(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if not (0 <= row < len(self.stations) and 0 <= target < len(self.stations)):
            return
        after = self._snapshot()
        after[row], after[target] = after[target], after[row]
        self.undo_stack.push(StationsCommand(self, self._snapshot(), after,
                                             f"Move {after[target].name}", select=target))

    def _apply(self, stations: list[Station], select: int | None) -> None:
        """Save a station set; stations that no longer exist (undo of a removal) come back new."""
        existing = {s.id for s in self.service.stations(self.academy_id)}
        target = [replace(s, id=s.id if s.id in existing else None) for s in stations]
        self.stations = self.service.save(self.academy_id, target)
        self.error.clear()
        self._refresh(select)
        self.stations_changed.emit(self.academy_id)



def _item_text(s: Station) -> str:
    return f"{s.position}. {s.name}\n{s.kind_label} · {s.minutes} min"
