"""Attendance: let phones join, see who is at each station against the schedule, moderate
reflections. Layout and wiring only; the JoinService does the work.

Check-ins arrive on the join server's thread; the page hears of them through a Bridge (queued to
the GUI thread) and repaints on the window's ticker, so a burst of 300 scans costs one refresh
per tick, and a scan shows here within a tenth of a second.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout,
                               QWidget)

from stations.join.model import JoinEvent
from stations.join.tally import room_summary, room_tally
from stations.ui.join.views import JoinCorner, StationCard, fill, name_list
from stations.ui.join.people import PeopleActions
from stations.ui.join.reflections import ReflectionsPanel
from stations.ui.join.switch import AskBeforeKeyStops, ServerStart, show_label, switch_state
from stations.ui.join.waiting import WaitingPanel
from stations.ui.join.wifi import WifiPanel
from workshop.errors import ValidationError
from workshop.net.listening import ServerError
from workshop.ui import dialogs
from workshop.ui.bridge import Bridge
from workshop.ui.page import Page
from workshop.ui.widgets import heading, plain_label, scrolled

REST_FACTOR = 3.0      # after a redraw of T seconds, ticks skip redrawing for 3 T
STORM_GAP_S = 1.0      # phones' check-ins redraw the page at most once a second
CORNER_CYCLE_S = 12.0  # the projector's corner shows each station's code in turn
MOVED_CHECK_S = 5.0    # how often the laptop's address is compared with the printed signs'
STOP_QUESTION = ("Phones at the stations can no longer check in, and stop following the "
                 "countdown, until you let them join again. Every check-in so far is saved.")
# Events the page acts on beyond a redraw (links, reflections), handed to the UI thread.
UI_KINDS = frozenset({"tokens_regenerated", "server_started", "server_stopped", "server_lost",
                      "reflected", "reflection_hidden"})
LOST = ("Phones can no longer join: the join server stopped by itself. Every check-in so far "
        "is saved; press “Let phones join” to let them in again.")


class AttendancePage(Page):
    """The Attendance page: the join server switch, each station's QR code, who checked in."""

    server_toggled = Signal(bool)  # payload: True when phones can now join
    refreshed = Signal()           # no payload: the lists now match the database

    def __init__(self, join, clock, ticker, parent: QWidget | None = None, grouping=None):
        """``grouping``: the GroupingService, so a walk-in can be put in a group (None: not)."""
        super().__init__(parent)
        self.join = join
        self.clock = clock
        self.academy_id: int | None = None
        self._dirty = True
        self._rested_at = 0.0  # (monotonic) the next redraw on a tick waits until then
        self._links = []
        self._counts: dict[int, tuple[int, int]] = {}
        self.projector = None
        self.corner = JoinCorner()
        self._corner_shown = False

        self.bridge = Bridge(self)
        self.bridge.posted.connect(self._on_event)
        post = self.bridge.post

        def heard(event: JoinEvent) -> None:
            # (On the thread that committed it: the join server's writer, mostly.) A check-in
            # only makes the page stale, and the ticker redraws a stale page: flagged here, not
            # posted, so a storm of 1,000 check-ins is not 1,000 queued events on the UI thread.
            if event.kind in UI_KINDS:
                post(event)
            elif event.academy_id in (None, self.academy_id):
                self._dirty = True
        join.add_listener(heard)
        # The rotation moving on changes who is expected where: hear of it the same way.
        rotation = getattr(join, "rotation", None)

        def moved(academy_id, events, snapshot):
            post(JoinEvent("rotation_changed", academy_id))
        if rotation is not None:
            rotation.add_listener(moved)
        self.destroyed.connect(lambda *_: (join.remove_listener(heard),
                                           rotation and rotation.remove_listener(moved)))
        ticker.ticked.connect(self._tick)

        self.starter = ServerStart(join, self)   # off the UI thread: the countdown ticks on
        self.starter.ended.connect(self._start_ended)
        self.serve_button = QPushButton("Let phones join")
        self.serve_button.setCheckable(True)
        self.serve_button.setToolTip("Start or stop the join server (Ctrl+J)")
        self.serve_button.toggled.connect(self._serve_toggled)
        self.serve_button.installEventFilter(AskBeforeKeyStops(self))
        self.regenerate_button = QPushButton("New QR codes…")
        self.regenerate_button.setToolTip("Make new links for every station; printed codes stop working")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.corner_box = QCheckBox("Join code on the projector")
        self.corner_box.setChecked(True)
        self.corner_box.toggled.connect(self._place_corner)
        self.server_note = plain_label(word_wrap=True)
        self.server_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.room_check = plain_label(word_wrap=True)  # phones connected now, and when heard
        self.room_check.hide()
        self.moved_note = plain_label(word_wrap=True)  # the signs' address is not ours now
        self.moved_note.hide()
        self._moved, self._moved_at = "", float("-inf")

        self.cards_row = QHBoxLayout()
        self.cards_row.setAlignment(Qt.AlignmentFlag.AlignTop)
        content = QVBoxLayout()
        content.addLayout(self.cards_row)
        self.cards: list[StationCard] = []
        self.summary = plain_label(word_wrap=True)
        self.walk_ins = name_list("Walk-ins")
        self.nowhere = name_list("Not checked in anywhere")
        lists = QHBoxLayout()
        for title, widget in (("Walk-ins (not on the roster)", self.walk_ins),
                              ("Not checked in anywhere", self.nowhere)):
            column = QVBoxLayout()
            column.addWidget(plain_label(title))
            column.addWidget(widget)
            column.addStretch(1)
            lists.addLayout(column)
        content.addLayout(lists)
        content.addStretch(1)
        # Cards and name lists scroll together: every name shows, none hides in a small list.
        self.scroll = scroll = scrolled(content)

        # Walk-ins beyond their phone's allowance wait here for Approve / Reject (issue 12).
        self.waiting = WaitingPanel(join)
        self.waiting.decided.connect(self._decided)

        top = QHBoxLayout()
        top.addWidget(self.serve_button)
        top.addWidget(self.regenerate_button)
        top.addWidget(self.corner_box)
        top.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(heading("Attendance"))
        column.addLayout(top)
        column.addWidget(self.server_note)
        column.addWidget(self.room_check)
        column.addWidget(self.summary)
        column.addWidget(scroll, 1)
        column.addWidget(self.waiting)
        self.reflections = ReflectionsPanel(join)
        self.undo_stack = self.reflections.undo_stack
        self.wifi = WifiPanel(join.network, self.undo_stack)   # issue 19: the room's Wi-Fi
        self.wifi.changed.connect(self._wifi_changed)
        column.insertWidget(column.indexOf(self.server_note), self.wifi)
        column.insertWidget(column.indexOf(self.server_note) + 1, self.moved_note)
        self.people = PeopleActions(join, grouping, self.undo_stack)
        self.people.changed.connect(self._decided)
        self.undo_stack.indexChanged.connect(lambda *_: self._redraw_soon())
        for names in (self.walk_ins, self.nowhere):
            self.people.watch(names)
        column.insertWidget(column.indexOf(self.summary) + 1, self.people)
        # Check-ins and reflections are two tabs, not two columns: beside the reflections the
        # stations' cards had half of a 1280×720 projector, and their names ~130 px. The
        # reflections matter in the debrief; their tab counts them, so none arrive unseen.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(left, "Chec&k-ins")
        self.tabs.addTab(self.reflections, "")
        table = self.reflections.table.model()
        for counted in (table.rowsInserted, table.rowsRemoved, table.modelReset):
            counted.connect(self._count_reflections)
        self._count_reflections()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.serve_action = QAction("Let phones join", self, checkable=True,
                                    shortcut=QKeySequence("Ctrl+J"))
        # Starting is the action's toggle; stopping from it (Ctrl+J, the menu, the rotation
        # page's button) asks first, so no key silently stops every phone.
        self.serve_action.toggled.connect(lambda on: on and self.serve_button.setChecked(True))
        self.serve_action.triggered.connect(lambda on: on or self.ask_to_stop())
        # (its state now, not the toggle's: a refused start has unticked it already)
        self.serve_button.toggled.connect(lambda _: self.serve_action.setChecked(self.serve_button.isChecked()))
        self.regenerate_action = QAction("New QR codes…", self, triggered=self.regenerate)
        self._show_server_state()

    def _count_reflections(self, *_) -> None:
        count = self.reflections.table.rowCount()
        self.tabs.setTabText(1, f"Reflec&tions ({count})" if count else "Reflec&tions")

    def page_actions(self) -> list[QAction]:
        return [self.serve_action, self.regenerate_action]

    # -- academy and projector -------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self._links = []
        self.reflections.set_academy(academy_id)
        self.wifi.set_academy(academy_id)
        self.refresh()

    def attach_projector(self, projector) -> None:
        """Give the projector window (it has ``set_join_corner``) the join corner."""
        self.projector = projector
        self._place_corner()

    def _place_corner(self, *_):
        if self.projector is None:
            return
        show = self.corner_box.isChecked() and self.join.running and self.academy_id is not None
        if show == self._corner_shown:
            return  # placing it again would make the projector lay itself out again
        self._corner_shown = show
        self.projector.set_join_corner(self.corner if show else None)
        if not show:
            self.corner.hide()

    # -- actions ---------------------------------------------------------------------------
    def _serve_toggled(self, on: bool) -> None:
        if on == (self.join.running or self.join.starting):
            return
        if on:   # it ends in _start_ended: at once on a thread, in a moment from a process
            try:
                self.starter.start()
            except ServerError as exc:
                self._start_ended(None, str(exc))
            if self.join.starting:
                self._server_changed(False)   # "Starting…" meanwhile
            return
        starting = self.join.starting
        self.join.stop_server()   # a start under way too: its process is ended
        self.notified.emit("Phones were not let in: the join server was stopped as it started."
                           if starting else "Phones can no longer join; every check-in is saved.")
        self._server_changed()

    def _start_ended(self, bound, reason: str) -> None:
        if bound is None:
            dialogs.error(self, "Phones cannot join", reason)
        else:   # not running: its child died as it listened (and "stopped by itself" came first)
            self.notified.emit(bound.note if self.join.running else LOST)
        self._server_changed()

    def _server_changed(self, toggled: bool = True) -> None:
        self._links = []  # the links carry the server's address
        self._show_server_state()
        self.refresh()
        self._place_corner()
        if toggled:
            self.server_toggled.emit(self.join.running)

    def ask_to_stop(self) -> None:
        """Stop the join server if the facilitator confirms; otherwise leave it running (a key
        or Ctrl+J while it starts leaves it starting: a click on the switch stops it)."""
        if self.join.running and dialogs.confirm(self, "Stop phones joining?", STOP_QUESTION,
                                                 "Stop phones joining"):
            self.serve_button.setChecked(False)
        self._show_server_state()   # a refusal leaves the switch showing the server running

    def regenerate(self) -> None:
        if self.academy_id is None:
            return
        if not dialogs.confirm(self, "Make new QR codes?",
                       "Every station gets a new link. QR codes already printed or on phones stop "
                       "working at once; people who checked in stay checked in.", "Make new codes"):
            return
        try:
            self.join.regenerate_tokens(self.academy_id)
        except ValidationError as exc:
            dialogs.error(self, "Cannot make new codes", str(exc))
            return
        self.notified.emit("New QR codes made; print new station signs if you use them.")
        self._links = []
        self.refresh()

    def _wifi_changed(self, message: str) -> None:
        if message:
            self.notified.emit(message)
        self._cycle_corner(force=True)

    def _show_moved(self) -> None:
        """Say when the printed signs' address is no longer this laptop's (issue 19 item 5);
        the status bar hears it once, when it first differs."""
        self._moved_at = self.clock.monotonic()
        note = self.join.network.moved(self.academy_id) if self.academy_id is not None else ""
        self.moved_note.setText(note)
        self.moved_note.setVisible(bool(note))
        if note and note != self._moved:
            self.notified.emit(note)
        self._moved = note

    def _decided(self, message: str) -> None:
        self.notified.emit(message)
        self.refresh()

    def _show_server_state(self) -> None:
        on, label, note = switch_state(self.join)
        self.serve_button.blockSignals(True)
        self.serve_button.setChecked(on)
        self.serve_button.blockSignals(False)
        self.serve_button.setText(label)
        # The action (menu, Ctrl+J, the rotation page's button) mirrors the server, even when
        # starting it failed.
        self.serve_action.blockSignals(True)
        self.serve_action.setChecked(on)
        show_label(self.serve_action, label)
        self.serve_action.blockSignals(False)
        self.server_note.setText(note)

    # -- live updates ----------------------------------------------------------------------
    def _redraw_soon(self) -> None:
        """The facilitator's own change (the server's, the rotation's): the next tick redraws."""
        self._dirty = True
        self._rested_at = float("-inf")

    def _on_event(self, event: JoinEvent) -> None:
        if event.academy_id in (None, self.academy_id):
            self._redraw_soon()
            if event.kind in ("tokens_regenerated", "server_started", "server_stopped",
                              "server_lost"):
                self._links = []
                self._show_server_state()   # a stop from elsewhere (a start ended) too
            if event.kind == "server_lost":
                self.notified.emit(LOST)
            if event.kind in ("reflected", "reflection_hidden"):
                self.reflections.refresh()

    def _tick(self) -> None:
        # A check-in after a quiet spell shows on the next tick; a storm of them redraws at most
        # once every STORM_GAP_S, and after a redraw of T waits REST_FACTOR × T. A redraw reads
        # the whole room (3 ms for 1,000 people), and the phones' server waits for its core.
        now = self.clock.monotonic()
        if self.academy_id is not None and self._dirty and now >= self._rested_at:
            self.refresh()
            done = self.clock.monotonic()
            self._rested_at = max(done + REST_FACTOR * (done - now), now + STORM_GAP_S)
        self._cycle_corner()
        if self.clock.monotonic() - self._moved_at >= MOVED_CHECK_S:  # a new network, any time
            self._show_moved()
        check = self.join.room_check(self.academy_id) if self.academy_id is not None else None
        self.room_check.setVisible(check is not None)
        if check is not None:
            self.room_check.setText(check.text())

    def refresh(self) -> None:
        """Re-read attendance (one read, then only the lists that changed are redrawn)."""
        self._dirty = False
        self._show_server_state()
        if self.academy_id is None:
            self._links = []
            self._set_cards(0)
            self.summary.setText("Open an academy to see its stations.")
            self.waiting.show_waiting([])
            return
        if not self._links:
            self._links = self.join.links(self.academy_id)
        attendance = self.join.attendance(self.academy_id)
        self._set_cards(len(self._links))
        walk_ins = set(attendance.walk_ins)
        for card, link, row in zip(self.cards, self._links, attendance.stations):
            card.show_link(link.title, link.url, self.join.running)
            card.show_attendance(row, attendance.names, walk_ins)
        self._counts = attendance.counts()
        when = {"ready": "Before the rotation", "round": f"Round {attendance.round}",
                "transition": f"Moving to round {attendance.round}",
                "debrief": "Debrief", "finished": "After the rotation"}[attendance.phase]
        self.summary.setText(room_summary(when, room_tally(attendance, walk_ins)))
        fill(self.walk_ins, [attendance.names[p] for p in attendance.walk_ins], "No walk-ins",
             attendance.walk_ins)
        fill(self.nowhere, [attendance.names[p] for p in attendance.nowhere],
             "Everyone has checked in", attendance.nowhere)
        self.people.set_academy(self.academy_id, walk_ins)
        self.waiting.show_waiting(self.join.waiting_walk_ins(self.academy_id))
        self._show_moved()
        self._cycle_corner(force=True)
        self._place_corner()
        self.refreshed.emit()

    def _set_cards(self, count: int) -> None:
        while len(self.cards) > count:
            card = self.cards.pop()
            self.people.forget(card.here)
            self.people.forget(card.missing)
            card.deleteLater()
        while len(self.cards) < count:
            card = StationCard()
            self.cards_row.addWidget(card, 1)   # equal shares of the width
            self.cards.append(card)
            self.people.watch(card.here, len(self.cards))
            self.people.watch(card.missing, len(self.cards))

    def _cycle_corner(self, force: bool = False) -> None:
        if not self._links or not self.join.running:
            return
        index = int(self.clock.monotonic() // CORNER_CYCLE_S) % len(self._links)
        link = self._links[index]
        if force or self.corner.qr.text() != link.url:
            here = sum(h for h, _ in self._counts.values())
            expected = sum(e for _, e in self._counts.values())
            self.corner.show_station(link.title, link.url, here, expected)
            wifi = self.join.network.wifi(self.academy_id)
            self.corner.show_wifi(self.join.network.wifi_code(self.academy_id),
                                  wifi.ssid if wifi else "")
