"""Phone join, for the window and the CLI: station links, the join server, check-ins,
reflections and moderation. One call per facilitator action.

The server (``stations.join.routes``) runs on a thread of this process, or with ``isolate`` (the
window) in a child process of its own (``stations.join.serving``); it writes through its own
SQLite connections, and every committed change is announced to ``listeners`` as a ``JoinEvent``
on a thread other than the GUI's — Qt code hops to it with ``workshop.ui.bridge.Bridge``.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Callable

from stations.join.desk import (CheckInRequest, JoinDesk, ReflectionRequest, WalkInRequest,
                                Written, participant_key)
from stations.join.identity.guard import JoinLimits
from stations.join.identity.names import merge_candidates
from stations.join.model import (Attendance, CheckIn, FacilitatorCheckIn, JoinEvent, Reflection,
                                 StationLink, WaitingWalkIn, build_attendance, sort_keys)
from stations.join.room import Room, read_room
from stations.join.roomcheck import PhoneSeen, RoomCheck
from stations.network.service import RoomNetwork
from stations.repository.checkin_log import CheckInLog
from stations.repository.join import JoinRepository, Merged
from stations.setup.service import StationService
from workshop.errors import ValidationError
from workshop.net.address import lan_address
from workshop.net.limits import ConnectionLimits
from workshop.net.ratelimit import RateLimit

if TYPE_CHECKING:   # the server (aiohttp) is imported when phones are let in, not before
    from stations.join.serving import InProcess, InThread, Launch
    from workshop.net.listening import Bound

log = logging.getLogger(__name__)


class JoinService:
    """Phone join for the window and the CLI: links, the server, what phones sent."""

    def __init__(self, db, config, clock, stations: StationService, rotation=None,
                 groups_factory: Callable | None = None, isolate: bool = False):
        """``rotation``: the window's RotationService (None: no rotation, check-ins count for
        round 0); ``groups_factory(db, clock)``: the saved-grouping reader on another connection
        (a module-level function: a server process imports it); ``isolate``: serve phones from
        a child process (the window's, with a system clock: a fake one cannot cross)."""
        self.db = db
        self.config = config
        self.clock = clock
        self.stations = stations
        self.rotation = rotation
        self.groups_factory = groups_factory
        self.isolate = isolate
        self.repo = JoinRepository(db)
        self._log = CheckInLog(db)  # the Attendance page's check-ins, read only as they change
        self._listeners: list[Callable[[JoinEvent], None]] = []
        self._server: InThread | InProcess | None = None
        self._launch: Launch | None = None   # a start under way (the window's, off its thread)
        self._lock = threading.Lock()
        self.network = RoomNetwork(db, self, clock)  # the room's Wi-Fi, the signs' address
        self._order: tuple[dict[int, str], dict[int, str]] | None = None  # names, sort keys
        if rotation is not None:
            rotation.add_listener(self._rotation_moved)

    # -- listeners -------------------------------------------------------------------------
    def add_listener(self, fn: Callable[[JoinEvent], None]) -> None:
        """``fn(event)`` after every committed change; called on the thread that made it."""
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn) -> None:
        """Stop calling ``fn`` (a closed page)."""
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def _changed(self, event: JoinEvent) -> None:
        """The facilitator changed what a phone shows (their check-in, a merge, an approval):
        tell that person's live streams — everyone's when no one person is named — since the
        streams no longer poll."""
        self._emit(event)
        server = self._server
        if server is None or not server.running:
            return
        if event.academy_id is None or event.participant_id is None:
            server.tell(None)
        else:
            server.tell(participant_key(self.repo.secret(event.academy_id), event.participant_id))

    def _emit(self, event: JoinEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(event)
            except Exception:  # a closed window must never fail a phone's acknowledgement
                log.exception("join: a listener failed on %s", event)

    # -- station links ---------------------------------------------------------------------
    @property
    def bound(self) -> Bound | None:
        """Where the running server listens; None when stopped."""
        return self._server.bound if self._server is not None and self._server.running else None

    @property
    def running(self) -> bool:
        """Whether phones can join now (``starting``: the server is on its way up)."""
        return self.bound is not None

    starting = property(lambda self: self._launch is not None)

    def base_url(self) -> str:
        """Where phones connect: the running server, else where it will listen (signs printed
        beforehand: the LAN address and the configured port, or a start's under way)."""
        if self.bound is not None:
            return self.bound.base_url
        launch = self._launch
        host = launch.host if launch is not None else self.config.host
        host = host if host not in (None, "0.0.0.0") else lan_address()
        return f"http://{host}:{launch.port if launch and launch.port else self.config.port}"

    def links(self, academy_id: int) -> list[StationLink]:
        """One join link per station, in station order (tokens are made the first time)."""
        stations = self.stations.stations(academy_id)
        tokens = self.repo.tokens(academy_id, [s.id for s in stations], self.clock.now())
        return self._links(stations, tokens)

    def personal_links(self, academy_id: int) -> dict[int, str]:
        """participant id -> their personal link (the QR code on their group card), made the
        first time; it keeps working when the station codes are renewed."""
        pids = list(self.repo.people(academy_id))
        tokens = self.repo.personal_tokens(academy_id, pids, self.clock.now())
        base = self.base_url()
        return {pid: f"{base}/p/{token}" for pid, token in tokens.items()}

    def regenerate_tokens(self, academy_id: int) -> list[StationLink]:
        """New links for every station; old QR codes stop working at once."""
        stations = self.stations.stations(academy_id)
        tokens = self.repo.regenerate(academy_id, [s.id for s in stations], self.clock.now())
        self._changed(JoinEvent("tokens_regenerated", academy_id))
        return self._links(stations, tokens)

    def _links(self, stations, tokens: dict[int, str]) -> list[StationLink]:
        base = self.base_url()
        return [StationLink(s.id, s.position, s.title, tokens[s.id], f"{base}/s/{tokens[s.id]}")
                for s in stations]

    # -- the server ------------------------------------------------------------------------
    def start_server(self, host: str | None = None, port: int | None = None,
                     rate_limit: RateLimit | None = RateLimit(),
                     live_interval: float | None = None, academy_id: int | None = None,
                     limits: ConnectionLimits | None = None,
                     join_limits: JoinLimits | None = None) -> Bound:
        """Start serving phones, waiting until they can join (host None: every interface,
        advertised on the LAN address; ``academy_id``: that academy's links only; ``limits``:
        connection caps, the defaults unless a bench runs hundreds of phones from one address;
        ``join_limits``: what one phone may learn and add (``identity.guard``); ``live_interval``:
        how often a live stream looks for changes, default ``routes.LIVE_INTERVAL_S``).
        Raises ``workshop.net.ServerError`` with a message for the facilitator."""
        if self.running:
            return self.bound
        from workshop.net.process import STOPPED
        from workshop.net.listening import ServerError
        ended: list[tuple[Bound | None, str]] = []
        self._start(None, lambda *outcome: ended.append(outcome), host=host, port=port,
                    rate_limit=rate_limit, live_interval=live_interval, academy_id=academy_id,
                    limits=limits, join_limits=join_limits)
        bound, reason = ended[0] if ended else (None, STOPPED)   # none: stop_server came first
        if bound is None:
            raise ServerError(reason)
        return bound

    def start_in_background(self, hop: Callable[[Callable[[], object]], object],
                            done: Callable[[Bound | None, str], object], **options) -> None:
        """``start_server(**options)`` without waiting (the window's: its server process takes
        from half a second to several to listen). Meanwhile ``starting``; the start ends on
        this thread, by ``hop(fn)`` (the window's ``Bridge``): ``done(bound, "")``, or ``done(
        None, reason)`` in one line; neither after ``stop_server``, which ends it. On a thread
        (no ``isolate``: 4 ms) it ends before this returns."""
        self._start(hop if self.isolate else None, done, **options)

    def _start(self, hop, done, host: str | None = None, port: int | None = None,
               rate_limit: RateLimit | None = RateLimit(), live_interval: float | None = None,
               academy_id: int | None = None, limits: ConnectionLimits | None = None,
               join_limits: JoinLimits | None = None) -> None:
        # No aiohttp here: the window's server is a process, which imports it (issue 20).
        from stations.join.serving import InProcess, InThread, Launch, ServerArgs
        from workshop.net.listening import ServerError
        if self.running or self.starting:
            raise ServerError("The join server is already running.")
        if self._server is not None:   # one that ended by itself gives back what it held
            self._server.stop()
            self._server = None
        args = ServerArgs(self.config.db_path, live_interval, academy_id,
                          join_limits or JoinLimits(), self.groups_factory)
        server = InProcess(args, self.clock, self._emit, rate_limit, limits, self._ended) \
            if self.isolate else InThread(args, self.clock, self._emit, rate_limit, limits)
        self._launch = launch = Launch(server, self.config.host if host is None else host,
                                       self.network.port_to_try(self.config.port)
                                       if port is None else port)

        def landed(bound: Bound | None, reason: str) -> None:   # on the caller's thread
            if launch is self._launch:   # else stop_server ended it, and it gave all back
                self._land(launch, bound)
                done(bound, reason)
        if hop is None:
            launch.settle(landed)
        else:
            launch.in_background(lambda bound, reason: hop(lambda: landed(bound, reason)))

    def _land(self, launch: Launch, bound: Bound | None) -> None:
        """The start ended: phones join now, or it failed (the session forgets them)."""
        self._launch = None
        if bound is None:
            self._emit(JoinEvent("server_failed"))
            return
        self.network.started_on(bound.port)  # printed signs keep their port next time
        self._server = launch.server
        self.network.look_up_name()   # the signs' .local name, in the background
        self._emit(JoinEvent("server_started"))

    def _ended(self) -> None:
        """(The server process's reader thread.) It ended by itself: phones cannot join (the
        window says so; the session remembers they were let in)."""
        self._emit(JoinEvent("server_lost"))

    def stop_server(self) -> None:
        """Stop serving phones (every acknowledged write is already committed); a start under
        way is ended, its process gone and its port given back, before this returns."""
        launch, server, self._launch, self._server = self._launch, self._server, None, None
        for stopping in (launch, server):
            if stopping is not None:
                stopping.stop()
        if launch is not None or server is not None:
            self._emit(JoinEvent("server_stopped"))

    def _rotation_moved(self, academy_id, events, snapshot) -> None:
        """A rotation change (on whichever thread made it): phones hear of it at once."""
        server = self._server
        if server is not None and server.running:
            server.nudge()

    def room_check(self, academy_id: int) -> RoomCheck | None:
        """Phones connected now and when each last spoke (None while phones cannot join). Only
        the phones the line names are looked up: with 1,000 phones, reading everyone's name and
        binding on every tick of the window was a tenth of the UI thread's time."""
        server = self._server
        if server is None or not server.running:
            return None
        seen = server.seen(academy_id)
        people = self.repo.people(academy_id, [pid for pid, _ in seen.phones if pid is not None])
        phones = tuple(PhoneSeen(people[pid][0] if pid in people else "a phone not checked in",
                                 ago) for pid, ago in seen.phones)
        return RoomCheck(seen.connected, phones, seen.heard)

    # -- what phones sent ------------------------------------------------------------------
    def checkins(self, academy_id: int, run: int | None = None) -> list[CheckIn]:
        """The current run's check-ins (or run ``run``'s), oldest first (a repeated tap counts
        from its latest time): each run of the rotation has its own."""
        return self.repo.checkins(academy_id, run=run or self.room(academy_id).checkin_run)

    def reflections(self, academy_id: int, include_hidden: bool = False) -> list[Reflection]:
        """The academy's reflections, oldest first; hidden ones only when asked."""
        return self.repo.reflections(academy_id, include_hidden)

    def set_hidden(self, reflection_id: int, hidden: bool) -> None:
        """Moderation: a hidden reflection stays in the database, marked, and is not shown."""
        academy_id = self.repo.set_hidden(reflection_id, hidden)
        if academy_id is None:
            raise ValidationError("That reflection no longer exists.")
        self._emit(JoinEvent("reflection_hidden", academy_id))

    def waiting_walk_ins(self, academy_id: int) -> list[WaitingWalkIn]:
        """Walk-ins beyond their phone's allowance, waiting for approval, oldest first."""
        return self.repo.waiting(academy_id)

    def approve_walk_in(self, request_id: int) -> dict:
        """Let a waiting walk-in in (added and checked in where they asked); their phone hears
        of it at its next look. Raises ValidationError if it is no longer waiting."""
        return self._announce(self._desk().admit(request_id))

    def reject_walk_in(self, request_id: int) -> None:
        """Turn a waiting walk-in away: nobody is added; their phone is told."""
        self._announce(self._desk().turn_away(request_id))

    def room(self, academy_id: int) -> Room:
        """The rotation as phones see it, from the window's rotation service."""
        if self.rotation is None:
            return Room(read_at=self.clock.monotonic())
        return read_room(self.rotation, academy_id, self.clock.monotonic())

    def attendance(self, academy_id: int) -> Attendance:
        """Who is at each station now against the schedule, walk-ins, and who is nowhere."""
        room = self.room(academy_id)
        people = self.repo.people(academy_id)
        stations = self.stations.stations(academy_id)
        names = {pid: name for pid, (name, _) in people.items()}
        # The page redraws on every tick of a storm of check-ins: the names' sort keys (folding
        # 1,000 names took half of a redraw) are kept while the names are the same.
        if self._order is None or self._order[0] != names:
            self._order = (names, sort_keys(names))
        attendance = build_attendance([(s.position, s.title) for s in stations], names,
                                      {pid for pid, (_, walk_in) in people.items() if walk_in},
                                      self._log.checkins(academy_id, room.checkin_run, people,
                                                         {s.id: s.position for s in stations}),
                                      room.expected_at(),
                                      room.checkin_round, self._order[1])
        attendance.phase = room.phase
        return attendance

    # -- the facilitator's own actions (Attendance page) -----------------------------------
    def check_in_for(self, academy_id: int, participant_id: int, position: int) -> FacilitatorCheckIn:
        """Check someone in who has no phone, at a station, for the round under way; the
        result undoes it. Raises ValidationError (one line) for an unknown person or station."""
        people = self.repo.people(academy_id)
        if participant_id not in people:
            raise ValidationError("That person is not in this academy any more.")
        station = self._station(academy_id, position)
        room = self.room(academy_id)
        round_ = room.checkin_round
        # The run too, as a phone's check-in carries it: after "Start again" it is the new run's.
        checkin_id, duplicate = self.repo.add_checkin(academy_id, participant_id, station.id,
                                                      round_, self.clock.now(),
                                                      run=room.checkin_run)
        self._changed(JoinEvent("checked_in", academy_id, participant_id, position, round_))
        return FacilitatorCheckIn(academy_id, checkin_id, duplicate, people[participant_id][0],
                                  station.title, round_, self.repo.last_seq)

    def undo_check_in(self, done: FacilitatorCheckIn) -> None:
        """Take back a facilitator's check-in (one that was already there stays, and so does
        one the person's phone has tapped since: it was told "checked in")."""
        if not done.duplicate:   # the log reads all again: a later tap may take its seq and id
            self.repo.remove_checkin(done.checkin_id, done.seq)
            self._log.reset()
        self._changed(JoinEvent("checked_in", done.academy_id))

    def merge_candidates(self, academy_id: int, walk_in_id: int, typed: str | None = None) -> list[int]:
        """Roster people the walk-in may really be, best first (``identity.names.merge_candidates``:
        every word typed — the walk-in's own name unless ``typed`` — starts a word of theirs)."""
        return merge_candidates(self.repo.people(academy_id), walk_in_id, typed)

    def merge_walk_in(self, academy_id: int, walk_in_id: int, roster_id: int) -> Merged:
        """The walk-in is really this roster person: keep the roster person, give them the
        walk-in's check-ins and reflections, remove the walk-in. ``unmerge`` undoes it."""
        people = self.repo.people(academy_id)
        if walk_in_id not in people or not people[walk_in_id][1]:
            raise ValidationError("Only a walk-in can be merged into the roster.")
        if roster_id not in people or people[roster_id][1]:
            raise ValidationError("Choose someone on the roster to merge the walk-in into.")
        merged = self.repo.merge_person(academy_id, walk_in_id, roster_id)
        self._changed(JoinEvent("checked_in", academy_id, roster_id))
        return merged

    def unmerge(self, merged: Merged) -> None:
        """Undo a merge: the walk-in back, with their own check-ins and reflections."""
        self.repo.unmerge(merged)
        self._changed(JoinEvent("checked_in", merged.academy_id, merged.person.id))

    def _station(self, academy_id: int, position: int):
        for station in self.stations.stations(academy_id):
            if station.position == position:
                return station
        raise ValidationError(f"There is no Station {position}.")

    # -- for the demo and the handouts: the same records a phone makes ---------------------
    def _desk(self) -> JoinDesk:
        return JoinDesk(self.repo, self.clock, self.room)

    def _announce(self, written: Written) -> dict:
        """Each desk write commits as it goes: announce it, and return what the phone sees."""
        for event in written.events:
            self._changed(event)
        return written.reply

    def _link(self, academy_id: int, position: int) -> StationLink:
        for link in self.links(academy_id):
            if link.position == position:
                return link
        raise ValidationError(f"There is no Station {position}.")

    def record_checkin(self, academy_id: int, participant_id: int, position: int) -> dict:
        """Check someone in at a station as their phone would (the round comes from the
        rotation). Returns what the phone would be told."""
        desk = self._desk()
        return self._announce(desk.check_in(CheckInRequest(
            self._link(academy_id, position).token, desk.key_of(academy_id, participant_id))))

    def record_walk_in(self, academy_id: int, name: str, position: int) -> dict:
        """Add a walk-in at a station as their phone would; returns what it would be told."""
        return self._announce(self._desk().walk_in(
            WalkInRequest(self._link(academy_id, position).token, name)))

    def record_reflection(self, academy_id: int, participant_id: int, position: int, text: str,
                          anonymous: bool = False) -> dict:
        """Store a reflection as the person's phone would; returns what it would be told."""
        desk = self._desk()
        return self._announce(desk.reflect(ReflectionRequest(
            self._link(academy_id, position).token, desk.key_of(academy_id, participant_id),
            position, text, anonymous)))
