"""The rotation page: set up, run and watch the rotation; opens the projector window.

Layout and wiring only: every button is one RotationService call. Ten times a second the
window's ticker has the service record what has come due (the only periodic write), then
reads a fresh snapshot and repaints (the countdown is computed from the clock, never from
ticks). Cues — a chime and a flash — follow the service's events. The wording is
``stations.rotation.wording``; the controls are ``controls``.

Shortcuts: Space pause/resume, N next, + / − a minute, F11 projector full screen and Esc leave
it work in the whole main window while a rotation runs (``window_actions``; never while a text
field has focus) and in the projector window; the others (Ctrl+Return, T, Shift+5, Ctrl+R,
Ctrl+E, Ctrl+P) while this page is shown.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QPalette, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget

from stations.rotation import wording
from stations.rotation.countdown import RUNNING, Timeline
from stations.rotation.settings import warning_seconds
from stations.rotation.sound import Chimes
from stations.setup.palette import laptop_clock_ink
from stations.ui.rotation.controls import (BIG_BUTTONS, WINDOW_WIDE, big_buttons, enable_actions, make_actions,
                                           make_button, show_closed, show_state, sound_controls, tab_chain)
from stations.ui.rotation.projector import ProjectorWindow
from stations.ui.rotation.banners import Banners
from stations.ui.rotation.views import PathsTable, ScheduleGrid, SetupForm, boxed, status_header
from workshop.errors import ValidationError
from workshop.ui import dialogs
from workshop.ui.bridge import Bridge
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label

RECENT_S = 5.0   # a cue older than this (replayed after a restart) stays silent


class RotationPage(Page):
    """The facilitator's control page of the rotation, and the projector it drives."""

    def __init__(self, service, ticker, chimes: Chimes | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.chimes = chimes or Chimes()
        self.academy_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self._timeline = Timeline(service.clock)
        self._seen: set[int] = set()
        self._shown = None              # (phase, round) the grid was last highlighted for
        self.projector = ProjectorWindow(self, now=service.clock.monotonic)
        self.projector.full_screen_changed.connect(self._full_screen_changed)

        self._build()
        enable_actions(self.actions_by_key, False, False, False)   # nothing runs yet
        self._bridge = Bridge(self)
        self._bridge.posted.connect(self._events_arrived)
        service.add_listener(self._listener)
        self.destroyed.connect(lambda *_: service.remove_listener(self._listener))
        ticker.ticked.connect(self.refresh)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        top, self.phase_label, self.times_label, self.digits = status_header(self.font())

        self.banners = Banners(self._resume_timer, self._carry_on, self.start)
        self.resume_banner, self.nudge_banner = self.banners.resume, self.banners.nudge
        self.cue_banner, self.resume_timer = self.banners.cue, self.banners.resume_timer

        self.actions_by_key = make_actions(self, self.projector, {
            "start": self.start, "pause": self.toggle_pause, "next": self.next,
            "minus": lambda: self.adjust(-60), "plus": lambda: self.adjust(60),
            "plus5": lambda: self.adjust(300), "set": self.set_time,
            "restart": self.restart_round, "end": self.end, "projector": self.open_projector,
            "fullscreen": self.toggle_full_screen, "leave": self.projector.leave_full_screen})
        big = QFont(self.font())
        big.setPointSize(14)
        controls, self.buttons = big_buttons(self.actions_by_key, big)
        projector_row = self.projector_row = QHBoxLayout()
        for key in ("projector", "fullscreen"):
            self.buttons[key] = make_button(self.actions_by_key[key])
            projector_row.addWidget(self.buttons[key])
        self.mute, self.volume, self.sound_label = sound_controls(projector_row,
                                                                  self.chimes.describe())
        self.mute.toggled.connect(lambda on: self._save_settings({"muted": on}))
        self.volume.sliderReleased.connect(
            lambda: self._save_settings({"volume": self.volume.value() / 100}))

        self.setup = SetupForm(today=self.service.clock.now)
        self.setup.changed.connect(self._save_settings)
        self.setup_error = style_error(plain_label("", word_wrap=True))
        setup_box = boxed("Set-up", self.setup, self.setup_error)

        self.grid = ScheduleGrid()
        self.paths = PathsTable()
        tabs = self.tabs = QTabWidget()
        tabs.setAccessibleName("Schedule and each group's path")
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
        layout.addWidget(self.banners)
        layout.addLayout(controls)
        layout.addLayout(projector_row)
        layout.addWidget(splitter, 1)
        self._tab_order()

    def add_join_button(self, action: QAction) -> None:
        """A button for the join server's action (owned by the attendance page), so phones can
        be let in from where the rotation is run."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves Space to pause/resume
        button.setAccessibleName("Let phones join, or stop them joining")
        self.buttons["join"] = button
        self.projector_row.insertWidget(2, button)
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab goes as the eye does: banners, the big buttons row by row, the projector and
        sound row, the set-up form top to bottom, then the schedule."""
        row = [self.buttons[k] for k in ("projector", "fullscreen", "join") if k in self.buttons]
        tab_chain(self.banners.controls() + [self.buttons[k] for k in BIG_BUTTONS] + row
                  + [self.mute, self.volume] + self.setup.fields() + [self.tabs, self.grid,
                                                                       self.paths])

    def page_actions(self) -> list[QAction]:
        """The page's keyboard actions (for the main window's menus)."""
        return list(self.actions_by_key.values())

    def window_actions(self) -> list[QAction]:
        """The room's keys, live on every page of the main window (each is enabled only while
        it can act, so its key keeps its ordinary meaning otherwise)."""
        return [self.actions_by_key[key] for key in WINDOW_WIDE]

    # -- academy -----------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        """Show this academy's rotation; offer to carry on one found running after a restart."""
        self.academy_id = academy_id
        self._shown = None
        self.banners.clear_all()
        if academy_id is None:
            self.projector.set_snapshot(None)
            show_closed(self.buttons, self.actions_by_key, (self.phase_label, self.times_label, self.digits, self.setup))
            return
        self._load_setup()
        snap = self.service.snapshot(academy_id)
        if academy_id not in self._seen and snap.phase in RUNNING:
            # Found running when the app (re)started: offer to carry on. The time that passed
            # while the app was closed has counted; a paused rotation is still paused.
            self.banners.offer_resume(snap)
        self._seen.add(academy_id)
        self.refresh()

    def showEvent(self, event) -> None:
        """Reload the set-up when shown: the grouping or the stations may have changed elsewhere."""
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
        self._show_warning_note(schedule)
        self.grid.show_schedule(schedule)
        self.paths.show_schedule(schedule)
        self._shown = None

    def _show_warning_note(self, schedule) -> None:
        settings = self.service.settings(self.academy_id)
        rounds = schedule.round_durations()
        note = wording.warning_note(settings.warning_minutes, warning_seconds(settings, schedule),
                                    min(rounds)) if rounds else ""
        self.setup.warning_note.setText(note)
        self.setup.warning_note.setVisible(bool(note))

    # -- repaint -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """The ticker's repaint: read the snapshot and show it (no time is kept here)."""
        if self.academy_id is None:
            return
        try:
            # The one periodic writer of the clock's events; reading below never writes.
            self.service.record_due(self.academy_id)
            snap = self.service.snapshot(self.academy_id)
        except ValidationError as exc:   # e.g. a saved grouping the rotation cannot run
            self.setup_error.setText(str(exc))
            return
        self.projector.set_snapshot(snap)
        self.digits.setText(wording.clock_text(snap.remaining_s) if snap.phase != "finished" else "—")
        self.digits.setStyleSheet("color: " + laptop_clock_ink(
            snap.warning, snap.paused, self.palette().color(QPalette.ColorRole.Window).name()) + ";")
        self.phase_label.setText(wording.where(snap) + ("  ·  Paused" if snap.paused else "")
                                 + wording.run_suffix(self.service.run_number(self.academy_id)))
        self.times_label.setText(wording.pace_text(snap.planned_end, snap.expected_end))
        show_state(self.buttons, snap)
        running = snap.phase in RUNNING
        enable_actions(self.actions_by_key, running, snap.phase == "round",
                       self.projector.isFullScreen())
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

    def _nudge(self, snap) -> None:
        planned = self.service.settings(self.academy_id).planned_start_at if snap.phase == "ready" else None
        now = self.service.clock.now()
        late = planned is not None and now > planned
        self.banners.follow(snap, wording.late_start(planned, now) if late else None)

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
                self.cue("end", early=kind == "next")

    def cue(self, kind: str, early: bool = False) -> None:
        """A chime (unless muted or no audio) and a flash; ``early``: moved on by Next."""
        settings = self.service.settings(self.academy_id)
        if not settings.muted:
            self.chimes.play(kind, settings.volume)
        self.projector.flash(kind)
        self.banners.announce("next" if early else kind, self.service.snapshot(self.academy_id))

    # -- actions (one service call each) ----------------------------------------------------
    def _do(self, call, *args) -> bool:
        if self.academy_id is None:
            return False
        try:
            call(self.academy_id, *args)
        except ValidationError as exc:     # RotationError is one: a message for the facilitator
            self.notified.emit(str(exc))
            return False
        self.banners.clear(self.cue_banner)
        self.refresh()
        return True

    def start(self) -> None:
        """Start the rotation (the button, Ctrl+Return); "Start again" asks first (the finished
        run stays in the history with its check-ins)."""
        snap = self.service.snapshot(self.academy_id) if self.academy_id is not None else None
        if snap is not None and snap.phase == "finished" and not dialogs.confirm(
                self, *wording.start_again(self.service.run_number(self.academy_id))):
            return
        self.banners.clear(self.resume_banner)
        if self._do(self.service.start):
            self._show_schedule()

    def toggle_pause(self) -> None:
        """Pause or resume (Space)."""
        self._do(self.service.toggle_pause)

    def next(self) -> None:
        """End the current part and move on (N); if that finishes the rotation, ask first as End does."""
        state = self.service.state(self.academy_id) if self.academy_id is not None else None
        if state is None or state.phase not in RUNNING or state.next_phase()[0] != "finished" \
                or dialogs.confirm(self, *wording.next_ends(state.phase)):
            self._do(self.service.next)

    def adjust(self, seconds: float) -> None:
        """Add or take time from the current part (+ / −)."""
        self._do(self.service.adjust, seconds)

    def set_time(self) -> None:
        """Ask for the time left and set it (T)."""
        text = dialogs.ask_text(self, "Set the time left", "Time left (minutes, or mm:ss):")
        if not text:
            return
        try:
            seconds = wording.parse_clock(text)
        except ValidationError as exc:
            self.notified.emit(str(exc))
            return
        self._do(self.service.set_remaining, seconds)

    def restart_round(self) -> None:
        """Start the round again, after asking (Ctrl+R)."""
        if dialogs.confirm(self, *wording.RESTART_ROUND):
            self._do(self.service.restart_round)

    def end(self) -> None:
        """End the rotation, after asking (Ctrl+E)."""
        if dialogs.confirm(self, *wording.END_ROTATION):
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
            academy_id = self.academy_id
            self.undo_stack.push(SavedCommand(
                "Change the rotation set-up",
                redo=lambda: self._restore_settings(academy_id, after),
                undo=lambda: self._restore_settings(academy_id, before)))
            self._load_setup(upcoming=True)

    def _restore_settings(self, academy_id: int, settings) -> None:
        """Undo/redo of a set-up edit: save those settings again (the sound is not part of the
        undo history), and show them if this academy is still open."""
        current = self.service.settings(academy_id)
        self.service.save_settings(academy_id, replace(
            settings, muted=current.muted, volume=current.volume))
        if self.academy_id == academy_id:
            self._load_setup(upcoming=True)

    # -- projector ---------------------------------------------------------------------------
    def open_projector(self) -> None:
        """Show the projector window on the best screen."""
        if not self.projector.isVisible():
            self.projector.place_on_best_screen()
            self.projector.show()
        self.projector.raise_()
        self.refresh()

    def toggle_full_screen(self) -> None:
        """Projector full screen, or back to a window (F11)."""
        if not self.projector.isVisible():
            self.open_projector()
        self.projector.toggle_full_screen()

    def _full_screen_changed(self, full: bool) -> None:
        self.actions_by_key["leave"].setEnabled(full)
        if not full:
            # The controls come back in front: on one screen the projector had covered them.
            window = self.window()
            window.raise_()
            window.activateWindow()
        self.notified.emit("Projector full screen (Esc leaves)" if full else "Projector in a window")

    def _resume_timer(self) -> None:
        self._do(self.service.resume)
        self._carry_on()

    def _carry_on(self) -> None:
        self.banners.clear(self.resume_banner)
        self.open_projector()
