"""Fill the stations print models from what the app captured: the roster, the stations, the
rotation's schedule and event log, check-ins and reflections. Qt-free and reportlab-free.

``StationHandouts`` takes the feature's services; the rotation and join services are optional
(an academy that never ran a rotation still gets its planned debrief, signs need join links).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from stations.grouping.draft import ROUND_IN_USE
from stations.setup.model import Group
from stations.setup.palette import station_colour, station_colour_name
from stations.handouts.models import (CardStop, CheckinLine, DebriefModel, DebriefRound,
                                   GroupCard, GroupCardsModel, ReflectionLine, SignsModel, Span,
                                   RosterEntry, RosterModel, StationDebrief, StationSign)
from workshop.errors import ValidationError
from workshop.text import fold
from workshop.qr import qr_matrix


@dataclass(frozen=True)
class ActualRound:
    """How one round really ran, from the rotation's event log."""
    number: int
    planned: Span
    actual: Span
    paused_s: float = 0.0
    adjusted_s: float = 0.0
    skipped: bool = False

    @property
    def note(self) -> str:
        notes = []
        if self.skipped:
            notes.append("ended early")
        if abs(self.adjusted_s) >= 30:
            minutes = round(self.adjusted_s / 60)
            notes.append(f"{'extended' if minutes > 0 else 'shortened'} by {abs(minutes)} min")
        if self.paused_s >= 30:
            notes.append(f"paused {round(self.paused_s / 60)} min")
        return ", ".join(notes)


class StationHandouts:
    """Fills the stations' print models from the academy, stations, rotation and join services."""
    def __init__(self, academies, stations, rotation, join):
        self.academies = academies
        self.stations = stations
        self.rotation = rotation
        self.join = join

    # -- shared reads ------------------------------------------------------------------------
    def _schedule(self, academy_id: int):
        return self.rotation.plan(academy_id)

    def _groups(self, academy_id: int, schedule) -> list[Group]:
        return list(schedule.groups) if schedule is not None else []

    def _day(self, academy, actual: list[ActualRound]) -> date | None:
        if academy.start_date:
            return academy.start_date
        for r in actual:
            if r.actual.start:
                return r.actual.start.date()
        return None

    def actual_rounds(self, academy_id: int) -> list[ActualRound]:
        out = []
        for t in self.rotation.timings(academy_id):
            if t.phase == "round":
                out.append(ActualRound(t.round, Span(t.planned_start, t.planned_end),
                                       Span(t.actual_start, t.actual_end), t.paused_s,
                                       t.adjusted_s, t.skipped))
        return out

    def _checkins(self, academy_id: int) -> list:
        return list(self.join.checkins(academy_id))

    def _reflections(self, academy_id: int) -> list:
        # Hidden (moderated) reflections never reach paper.
        return [r for r in self.join.reflections(academy_id, include_hidden=False) if not r.hidden]

    def group_names(self, academy_id: int) -> list[str]:
        return [g.name for g in self._groups(academy_id, self._schedule(academy_id))]

    def find_group(self, academy_id: int, name_or_index: str | int) -> Group:
        groups = self._groups(academy_id, self._schedule(academy_id))
        for g in groups:
            if (isinstance(name_or_index, int) and g.index == name_or_index) or (
                    isinstance(name_or_index, str) and fold(g.name) in (
                        fold(name_or_index), fold(f"Group {name_or_index}"))):
                return g
        names = ", ".join(g.name for g in groups) or "none yet"
        raise ValidationError(f"There is no group “{name_or_index}” (groups: {names}).")

    # -- debrief -----------------------------------------------------------------------------
    def _debrief_reads(self, academy_id: int) -> tuple:
        """What a debrief reads: the pack's debriefs (the academy's and every group's) read it
        once, not once each (the roster alone was a tenth of reading a big pack)."""
        schedule = self._schedule(academy_id)
        return (self.academies.get(academy_id),
                {p.id: p for p in self.academies.participants(academy_id)},
                schedule, self._groups(academy_id, schedule),
                {r.number: r for r in self.actual_rounds(academy_id)},
                list(schedule.stations) if schedule else self.stations.stations(academy_id),
                self._checkins(academy_id), self._reflections(academy_id))

    def debrief(self, academy_id: int, group: str | int | None = None,
                reads: tuple | None = None) -> DebriefModel:
        """The debrief of the academy, or of one group (``reads``: ``_debrief_reads``'s)."""
        (academy, people, schedule, groups, actual, stations, all_checkins,
         all_reflections) = reads if reads is not None else self._debrief_reads(academy_id)
        chosen = self.find_group(academy_id, group) if group is not None else None
        group_of = {pid: g.name for g in groups for pid in g.member_ids}

        rounds = []
        for r in (schedule.rounds if schedule else ()):
            ran = actual.get(r.number)
            planned = (ran.planned if ran and ran.planned.start else
                       Span(schedule.at(r.start_s), schedule.at(r.end_s)))
            placements = []
            for s in stations:
                names = [groups[g].name for g in r.groups_at(s.position)
                         if chosen is None or g == chosen.index]
                placements.append((s.title, names))
            rounds.append(DebriefRound(r.number, planned, ran.actual if ran else Span(),
                                       placements, ran.note if ran else ""))

        members = set(chosen.member_ids) if chosen else set(people)
        checkins = [c for c in all_checkins if chosen is None or c.participant_id in members]
        member_names = {fold(people[pid].name) for pid in members if pid in people}
        reflections = [r for r in all_reflections
                       if chosen is None or (r.author and fold(r.author) in member_names)]
        per_station = []
        for s in stations:
            lines = [CheckinLine(c.participant_name, group_of.get(c.participant_id, ""),
                                 c.round or None, c.at, c.walk_in)
                     for c in sorted(checkins, key=lambda c: (c.at, c.id))
                     if c.station_position == s.position]
            said = [ReflectionLine(r.text, None if r.anonymous else r.author, r.at)
                    for r in sorted(reflections, key=lambda r: (r.at, r.id))
                    if r.station_position == s.position]
            per_station.append(StationDebrief(s.title, s.kind_label, s.debrief_prompt, lines, said))

        seen = {c.participant_id for c in checkins}
        absent = sorted((people[pid].name for pid in members if pid in people and pid not in seen),
                        key=fold)
        started = bool(actual)
        finished = bool(rounds) and all(r.actual.end for r in rounds)
        return DebriefModel(
            academy=academy.title, day=self._day(academy, list(actual.values())),
            scope=chosen.name if chosen else "Whole academy", rounds=rounds, stations=per_station,
            members=sorted((people[pid].name for pid in chosen.member_ids if pid in people), key=fold)
            if chosen else [],
            not_checked_in=absent if started else [], rotation_started=started, finished=finished)

    def grouped(self, academy_id: int) -> bool:
        """Whether any group has people in it (a saved grouping)."""
        return any(g.member_ids for g in self._groups(academy_id, self._schedule(academy_id)))

    def debriefs(self, academy_id: int) -> list[DebriefModel]:
        """The whole academy's debrief, then one per group that has members."""
        reads = self._debrief_reads(academy_id)
        return [self.debrief(academy_id, reads=reads)] + self.group_debriefs(academy_id, reads)

    def group_debriefs(self, academy_id: int, reads: tuple | None = None) -> list[DebriefModel]:
        """One debrief per group that has members, from one read of what they show."""
        reads = reads if reads is not None else self._debrief_reads(academy_id)
        return [self.debrief(academy_id, g.index, reads) for g in reads[3] if g.member_ids]

    # -- station signs -----------------------------------------------------------------------
    def links(self, academy_id: int) -> dict[int, str]:
        """Station position -> join URL (the running server's, else where it will listen)."""
        return {link.position: link.url for link in self.join.links(academy_id)}

    def signs(self, academy_id: int) -> SignsModel:
        academy = self.academies.get(academy_id)
        urls = self.links(academy_id)
        signs = []
        for s in self.stations.stations(academy_id):
            url = urls.get(s.position, "")
            if not url:
                raise ValidationError(f"{s.title} has no join address: phone join is not set up.")
            signs.append(StationSign(s.position, s.title, s.name, s.kind_label, s.minutes,
                                     s.prompt, s.materials, url, station_colour(s.position),
                                     station_colour_name(s.position), qr_matrix(url)))
        printed_for, local_url, wifi_code, wifi_name = self._network(academy_id)
        return SignsModel(academy.title, signs, printed_for, local_url, wifi_code, wifi_name,
                          qr_matrix(wifi_code) if wifi_code else None)

    def _network(self, academy_id: int) -> tuple[str, str, str, str]:
        """(base URL, .local URL, Wi-Fi code, Wi-Fi name) for the signs, recording the address
        they are made for (issue 19 item 5)."""
        network = self.join.network
        where = network.signs_address()
        network.record_printed(academy_id, where.base_url)
        wifi = network.wifi(academy_id)
        return (where.base_url, where.local_url, network.wifi_code(academy_id),
                wifi.ssid if wifi else "")

    def signs_warning(self, academy_id: int) -> str:
        """Why no phone could open the signs' address ("" when one can)."""
        return self.join.network.signs_address().warning

    # -- group cards -------------------------------------------------------------------------
    def group_cards(self, academy_id: int, group: str | int | None = None) -> GroupCardsModel:
        academy = self.academies.get(academy_id)
        people = {p.id: p for p in self.academies.participants(academy_id)}
        schedule = self._schedule(academy_id)
        groups = self._groups(academy_id, schedule)
        if group is not None:
            groups = [self.find_group(academy_id, group)]
        cards = []
        links = self.join.personal_links(academy_id) if self.join is not None else {}
        remix = self.academies.setting(academy_id, ROUND_IN_USE, 1)   # a later part of the day
        for g in groups:
            stops = [CardStop(r.number, schedule.station(r.stations[g.index]).title,
                              schedule.at(r.start_s), schedule.at(r.end_s),
                              station_colour(r.stations[g.index]))
                     for r in schedule.rounds]
            for pid in g.member_ids:
                person = people.get(pid)
                if person is not None:
                    link = links.get(pid, "")
                    cards.append(GroupCard(person.name, person.school, g.name if remix in (1, None)
                                           else f"{g.name} · re-mix {remix}", stops,
                                           link, qr_matrix(link) if link else None))
        day = academy.start_date or (schedule.planned_start.date() if schedule and
                                     isinstance(schedule.planned_start, datetime) else None)
        return GroupCardsModel(academy.title, day, cards)

    # -- the roster print-out ----------------------------------------------------------------
    def roster(self, academy_id: int) -> RosterModel:
        """Everyone on the roster, by name, with their group and personal link."""
        academy = self.academies.get(academy_id)
        links = self.join.personal_links(academy_id) if self.join is not None else {}
        groups = {pid: g.name for g in self._groups(academy_id, self._schedule(academy_id))
                  for pid in g.member_ids}
        entries = [RosterEntry(p.name, p.school, groups.get(p.id, ""), links.get(p.id, ""),
                               qr_matrix(links[p.id]) if links.get(p.id) else None)
                   for p in sorted(self.academies.participants(academy_id),
                                   key=lambda p: (fold(p.name), p.id))]
        return RosterModel(academy.title, academy.start_date, entries)
