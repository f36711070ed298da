"""The rotation page: set up, run and watch the rotation; opens the projector window.

Layout and wiring only: every button is one RotationService call; the window's ticker asks
for a fresh snapshot ten times a second and repaints (the countdown is computed from the
clock, never from ticks). Cues — a chime and a flash — follow the service's events.

Shortcuts (while the page is shown, and in the projector window): Space pause/resume, N next,
+ / − a minute, F11 projector full screen, Esc leave full screen.
"""
from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
                               QInputDialog, QPushButton, QSlider, QSplitter, QTabWidget, QToolButton,
                               QVBoxLayout, QWidget)

from stations.rotation.countdown import RUNNING, Timeline
from stations.rotation.sound import Chimes
from stations.ui.rotation.projector import ProjectorWindow, clock_text
from stations.ui.rotation.views import PathsTable, ScheduleGrid, SetupForm
from workshop.academy.model import ValidationError
from workshop.ui.bridge import Bridge
from workshop.ui.widgets import confirm, heading, plain_label

RECENT_S = 5.0   # a cue older than this (replayed after a restart) stays silent


def parse_clock(text: str) -> float:
    """"12", "12:30" or "1:02:03" → seconds (a bare number is minutes)."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text) * 60
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(p) for p in text.split(":")]
        seconds = 0
        for p in parts:
            seconds = seconds * 60 + p
        return float(seconds)
    raise ValidationError(f"“{text}” is not a time; type minutes (12) or minutes:seconds (12:30).")


class _Banner(QFrame):
    def __init__(self, colour: str, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(f"QFrame#banner {{ background: {colour}; border-radius: 6px; }}"
                           "QFrame#banner QLabel { color: #111111; }")
        row = QHBoxLayout(self)
        self.label = plain_label("", word_wrap=True)
        row.addWidget(self.label, 1)
        self.buttons = row
        self.hide()

    def add_button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button


class _SettingsCommand(QUndoCommand):
    """A set-up edit, already saved when pushed; undo saves the settings from before."""

    def __init__(self, page: "RotationPage", academy_id: int, before, after):
        super().__init__("Change the rotation set-up")
        self.page, self.academy_id, self.before, self.after = page, academy_id, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._restore(self.after)

    def undo(self) -> None:
        self._restore(self.before)

    def _restore(self, settings) -> None:
        current = self.page.service.settings(self.academy_id)
        # Sound preferences are not part of the undo history.
        self.page.service.save_settings(self.academy_id, replace(
            settings, muted=current.muted, volume=current.volume))
        if self.page.academy_id == self.academy_id:
            self.page._load_setup(upcoming=True)


class RotationPage(QWidget):
    def __init__(self, service, ticker, notify=None, chimes: Chimes | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.notify = notify or (lambda message: None)
        self.chimes = chimes or Chimes()
        self.confirm = confirm          # tests replace these two
        self.ask_time = self._ask_time
        self.academy_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self._timeline = Timeline(service.clock)
        self._seen: set[int] = set()
        self._shown = None              # (phase, round) the grid was last highlighted for
        self.projector = ProjectorWindow(self, now=service.clock.monotonic)
        self.projector.full_screen_changed.connect(self._full_screen_changed)

        self._build()
        self._bridge = Bridge(self)
        self._bridge.posted.connect(self._events_arrived)
        service.add_listener(self._listener)
        self.destroyed.connect(lambda *_: service.remove_listener(self._listener))
        ticker.ticked.connect(self.refresh)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.phase_label = heading("", size=18)
        self.digits = plain_label("")
        font = QFont(self.font())
        font.setPointSize(44)
        font.setBold(True)
        self.digits.setFont(font)
        self.digits.setAccessibleName("Time left")
        self.times_label = plain_label("")
        status = QVBoxLayout()
        status.addWidget(self.phase_label)
        status.addWidget(self.times_label)
        top = QHBoxLayout()
        top.addLayout(status, 1)
        top.addWidget(self.digits)

        self.resume_banner = _Banner("#FFE8A3")
        self.resume_timer = self.resume_banner.add_button("Resume the timer", self._resume_timer)
        self.resume_banner.add_button("Show on projector", self._carry_on)
        self.resume_banner.add_button("Dismiss", self.resume_banner.hide)
        self.nudge_banner = _Banner("#FFD6CC")
        self.nudge_banner.add_button("Start now", self.start)
        self.cue_banner = _Banner("#F0E442")

        self._make_actions()
        controls = QGridLayout()
        big = QFont(self.font())
        big.setPointSize(14)
        self.buttons: dict[str, QPushButton] = {}
        order = ["start", "pause", "next", "minus", "plus", "plus5", "set", "restart", "end"]
        for i, key in enumerate(order):
            action = self.actions_by_key[key]
            button = QPushButton()
            button.setFont(big)
            button.setMinimumHeight(48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to pause/resume
            button.clicked.connect(action.trigger)
            self.buttons[key] = button
            controls.addWidget(button, *divmod(i, 6))   # two rows: fits a 1366-wide laptop

        projector_row = self.projector_row = QHBoxLayout()
        for key in ("projector", "fullscreen"):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.actions_by_key[key].trigger)
            self.buttons[key] = button
            projector_row.addWidget(button)
        self.mute = QCheckBox("Mute chimes")
        self.mute.toggled.connect(lambda on: self._save_settings({"muted": on}))
        self.volume = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100)
        self.volume.setMinimumWidth(100)
        self.volume.setMaximumWidth(160)
        self.volume.setAccessibleName("Chime volume")
        self.volume.sliderReleased.connect(
            lambda: self._save_settings({"volume": self.volume.value() / 100}))
        self.sound_label = plain_label(self.chimes.describe(), word_wrap=True)
        self.sound_label.setMaximumWidth(320)
        projector_row.addStretch(1)
        projector_row.addWidget(self.mute)
        projector_row.addWidget(plain_label("Volume"))
        projector_row.addWidget(self.volume)
        projector_row.addWidget(self.sound_label)

        self.setup = SetupForm()
        self.setup.today = self.service.clock.now
        self.setup.changed.connect(self._save_settings)
        self.setup_error = plain_label("", word_wrap=True)
        self.setup_error.setStyleSheet("color: #9B1C1C;")
        setup_box = QGroupBox("Set-up")
        setup_box.setMaximumWidth(460)
        box = QVBoxLayout(setup_box)
        box.addWidget(self.setup)
        box.addWidget(self.setup_error)
        box.addStretch(1)

        self.grid = ScheduleGrid()
        self.paths = PathsTable()
        tabs = QTabWidget()
        tabs.addTab(self.grid, "Schedule")
        tabs.addTab(self.paths, "Each group's path")
        splitter = QSplitter()
        splitter.addWidget(setup_box)
        splitter.addWidget(tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([380, 900])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for banner in (self.resume_banner, self.nudge_banner, self.cue_banner):
            layout.addWidget(banner)
        layout.addLayout(controls)
        layout.addLayout(projector_row)
        layout.addWidget(splitter, 1)

    def _make_actions(self) -> None:
        specs = [
            ("start", "Start rotation", "Ctrl+Return", self.start),
            ("pause", "Pause", "Space", self.toggle_pause),
            ("next", "Next", "N", self.next),
            ("minus", "−1 min", "-", lambda: self.adjust(-60)),
            ("plus", "+1 min", "+", lambda: self.adjust(60)),
            ("plus5", "+5 min", "Shift+5", lambda: self.adjust(300)),
            ("set", "Set time…", "T", self.set_time),
            ("restart", "Restart round…", "Ctrl+R", self.restart_round),
            ("end", "End rotation…", "Ctrl+E", self.end),
            ("projector", "Open projector", "Ctrl+P", self.open_projector),
            ("fullscreen", "Projector full screen", "F11", self.toggle_full_screen),
            ("leave", "Leave full screen", "Esc", self.projector.leave_full_screen),
        ]
        self.actions_by_key: dict[str, QAction] = {}
        for key, text, keys, slot in specs:
            action = QAction(text, self)
            sequences = [QKeySequence(keys)] + ([QKeySequence("=")] if key == "plus" else [])
            action.setShortcuts(sequences)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda checked=False, s=slot: s())
            self.actions_by_key[key] = action
            self.addAction(action)           # live while this page is visible
            self.projector.addAction(action)  # and in the projector window

    def add_join_button(self, action: QAction) -> None:
        """A button for the join server's action (owned by the attendance page), so phones can
        be let in from where the rotation is run."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to pause/resume
        self.buttons["join"] = button
        self.projector_row.insertWidget(2, button)

    def page_actions(self) -> list[QAction]:
        return list(self.actions_by_key.values())

    # -- academy -----------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self._shown = None
        self.resume_banner.hide()
        self.cue_banner.hide()
        if academy_id is None:
            self.projector.set_snapshot(None)
            return
        self._load_setup()
        snap = self.service.snapshot(academy_id)
        if academy_id not in self._seen and snap.phase in RUNNING:
            # Found running when the app (re)started: offer to carry on. The time that passed
            # while the app was closed has counted; a paused rotation is still paused.
            state = "is paused with" if snap.paused else "carried on; it has"
            self.resume_banner.label.setText(
                f"A rotation was running when the app closed ({self._where(snap)}). "
                f"It {state} {clock_text(snap.remaining_s)} left.")
            self.resume_timer.setVisible(snap.paused)
            self.resume_banner.show()
        self._seen.add(academy_id)
        self.refresh()

    def showEvent(self, event) -> None:
        # The grouping or the stations may have changed on another page since.
        if self.academy_id is not None:
            self._load_setup()
        super().showEvent(event)

    def _load_setup(self, upcoming: bool = False) -> None:
        settings = self.service.settings(self.academy_id)
        try:
            groups, saved = self.service.groups(self.academy_id)
        except ValidationError as exc:
            self.setup_error.setText(str(exc))
            return
        stations = self.service.station_service.stations(self.academy_id)
        self.setup.load(settings, stations, len(groups) if saved else None)
        self.mute.blockSignals(True)
        self.mute.setChecked(settings.muted)
        self.mute.blockSignals(False)
        self.volume.setValue(round(settings.volume * 100))
        self._show_schedule(upcoming)

    def _show_schedule(self, upcoming: bool = False) -> None:
        """The running (or finished) rotation's frozen schedule; with ``upcoming`` and no
        rotation running, the one the set-up gives for the next start."""
        try:
            running = self.service.state(self.academy_id).running
            schedule = (self.service.preview(self.academy_id) if upcoming and not running
                        else self.service.plan(self.academy_id))
        except ValidationError as exc:
            self.setup_error.setText(str(exc))
            return
        self.setup_error.setText("")
        self.grid.show_schedule(schedule)
        self.paths.show_schedule(schedule)
        self._shown = None

    # -- repaint -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """The ticker's repaint: read the snapshot and show it (no time is kept here)."""
        if self.academy_id is None:
            return
        try:
            snap = self.service.snapshot(self.academy_id)
        except ValidationError as exc:   # e.g. a saved grouping the rotation cannot run
            self.setup_error.setText(str(exc))
            return
        self.projector.set_snapshot(snap)
        self.digits.setText(clock_text(snap.remaining_s) if snap.phase != "finished" else "—")
        colour = "#7A6A00" if snap.warning else "#555555" if snap.paused else "#111111"
        self.digits.setStyleSheet(f"color: {colour};")
        self.phase_label.setText(self._where(snap) + ("  ·  Paused" if snap.paused else ""))
        end, pace = snap.planned_end, snap.expected_end
        text = f"Planned end {end:%H:%M}" if end else ""
        if end and pace and abs((pace - end).total_seconds()) >= 60:
            text += f"  ·  at this pace {pace:%H:%M}"
        self.times_label.setText(text)
        running = snap.phase in RUNNING
        self.buttons["start"].setEnabled(not running)
        self.buttons["start"].setText("Start again" if snap.phase == "finished" else "Start rotation")
        for key in ("pause", "next", "minus", "plus", "plus5", "set", "end"):
            self.buttons[key].setEnabled(running)
        self.buttons["restart"].setEnabled(snap.phase == "round")
        self.buttons["pause"].setText("Resume  (Space)" if snap.paused else "Pause  (Space)")
        for key, label in (("next", "Next  (N)"), ("minus", "−1 min  (−)"), ("plus", "+1 min  (+)"),
                           ("plus5", "+5 min"), ("set", "Set time…"), ("restart", "Restart round…"),
                           ("end", "End rotation…"), ("projector", "Open projector"),
                           ("fullscreen", "Projector full screen  (F11)")):
            self.buttons[key].setText(label)
        self.setup.setEnabled(not running)
        shown = (snap.phase, snap.round_number)
        if shown != self._shown:
            if snap.phase in ("ready", "round") and self._shown and self._shown[0] in ("ready", "finished"):
                self._show_schedule()   # a new rotation froze its own schedule
            self._shown = shown
            current = snap.round_number if snap.phase == "round" else 0
            upcoming = snap.round_number + 1 if snap.phase == "transition" else 0
            self.grid.highlight(current, upcoming)
        self._nudge(snap)

    def _where(self, snap) -> str:
        of = f"Round {snap.round_number} of {snap.rounds_total}"
        return {"ready": "Ready to start", "round": of,
                "transition": f"Moving to round {snap.round_number + 1} of {snap.rounds_total}",
                "debrief": "Debrief", "finished": "Rotation finished"}[snap.phase]

    def _nudge(self, snap) -> None:
        planned = self.service.settings(self.academy_id).planned_start_at if snap.phase == "ready" else None
        late = planned is not None and self.service.clock.now() > planned
        if late:
            minutes = int((self.service.clock.now() - planned).total_seconds() // 60)
            self.nudge_banner.label.setText(
                f"The rotation was planned to start at {planned:%H:%M} ({minutes} min ago) "
                "and has not started.")
        self.nudge_banner.setVisible(late)

    # -- cues --------------------------------------------------------------------------------
    def _listener(self, academy_id, events, snapshot) -> None:
        try:
            self._bridge.post((academy_id, [(e.kind, e.at) for e in events]))   # any thread
        except RuntimeError:        # this page's Qt object is gone: stop listening
            self.service.remove_listener(self._listener)

    def _events_arrived(self, payload) -> None:
        academy_id, events = payload
        if academy_id != self.academy_id:
            return
        now = self._timeline.now()
        for kind, at in events:
            if now - at > RECENT_S:
                continue
            if kind == "warning":
                self.cue("warning")
            elif kind in ("advance", "next", "end"):
                self.cue("end")

    def cue(self, kind: str) -> None:
        """A chime (unless muted or there is no audio) and a flash that needs no sound."""
        settings = self.service.settings(self.academy_id)
        if not settings.muted:
            self.chimes.play(kind, settings.volume)
        self.projector.flash(kind)
        self.cue_banner.label.setText(
            f"Warning: {settings.warning_minutes:g} min left in this round" if kind == "warning"
            else "Time is up: the room moves on")
        self.cue_banner.show()

    # -- actions (one service call each) ----------------------------------------------------
    def _do(self, call, *args) -> bool:
        if self.academy_id is None:
            return False
        try:
            call(self.academy_id, *args)
        except ValidationError as exc:     # RotationError is one: a message for the facilitator
            self.notify(str(exc))
            return False
        self.cue_banner.hide()
        self.refresh()
        return True

    def start(self) -> None:
        self.resume_banner.hide()
        if self._do(self.service.start):
            self._show_schedule()

    def toggle_pause(self) -> None:
        self._do(self.service.toggle_pause)

    def next(self) -> None:
        self._do(self.service.next)

    def adjust(self, seconds: float) -> None:
        self._do(self.service.adjust, seconds)

    def set_time(self) -> None:
        text = self.ask_time()
        if not text:
            return
        try:
            seconds = parse_clock(text)
        except ValidationError as exc:
            self.notify(str(exc))
            return
        self._do(self.service.set_remaining, seconds)

    def _ask_time(self) -> str:
        text, ok = QInputDialog.getText(self, "Set the time left", "Time left (minutes, or mm:ss):")
        return text if ok else ""

    def restart_round(self) -> None:
        if self.confirm(self, "Restart this round?", "The round starts again with its full time; "
                        "the time already spent is lost.", "Restart round"):
            self._do(self.service.restart_round)

    def end(self) -> None:
        if self.confirm(self, "End the rotation?", "The rotation stops now and the projector "
                        "shows that it is finished. It cannot be resumed.", "End rotation"):
            self._do(self.service.end)

    def _save_settings(self, changes: dict) -> None:
        """One set-up edit: saved at once; undoable unless it is only the sound."""
        if self.academy_id is None:
            return
        before = self.service.settings(self.academy_id)
        try:
            after = self.service.update_settings(self.academy_id, **changes)
        except ValidationError as exc:
            self.setup_error.setText(str(exc))
            self._load_setup(upcoming=True)     # show what is really saved
            return
        if set(changes) - {"muted", "volume"}:
            self.undo_stack.push(_SettingsCommand(self, self.academy_id, before, after))
            self._load_setup(upcoming=True)

    # -- projector ---------------------------------------------------------------------------
    def open_projector(self) -> None:
        if not self.projector.isVisible():
            self.projector.place_on_best_screen()
            self.projector.show()
        self.projector.raise_()
        self.refresh()

    def toggle_full_screen(self) -> None:
        if not self.projector.isVisible():
            self.open_projector()
        self.projector.toggle_full_screen()

    def _full_screen_changed(self, full: bool) -> None:
        self.notify("Projector full screen (Esc leaves)" if full else "Projector in a window")

    def _resume_timer(self) -> None:
        self._do(self.service.resume)
        self._carry_on()

    def _carry_on(self) -> None:
        self.resume_banner.hide()
        self.open_projector()
