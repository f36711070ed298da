"""Grouping for an academy: propose groups from its roster, keep the chosen ones.

One call per user action. The engine (:mod:`stations.grouping.engine`) works on ids as strings; here
they are the roster's participant ids (ints). The rotation reads ``saved_groups`` (the round in use);
the handouts print group cards from it.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from typing import TYPE_CHECKING

from stations.grouping.draft import MAX_GROUP_NAME, ROUND_IN_USE, Draft, GroupingRules, SavedGrouping
from stations.grouping.request import GroupingOptions, Names
from stations.repository.grouping import GroupingRepository
from stations.setup.model import Group
from workshop.errors import ValidationError
from workshop.store.transactions import write
from workshop.text import clean_text, plural

# The engine and its constraints load when groups are formed, measured or explained: the
# Rotation page reads only the saved groups (issue 20).
if TYPE_CHECKING:
    from stations.grouping.constraints import RuleStatus
    from stations.grouping.engine import GroupingResult


@dataclass
class Proposal:
    """Groups proposed for an academy: ``rounds[r][k]`` is group k of round r (member ids are
    participant ids), with the engine's metrics, unmet rules and notes."""
    rounds: list[list[Group]]
    result: GroupingResult

    @property
    def groups(self) -> list[Group]:
        """Round 1's groups (the ones that rotate)."""
        return self.rounds[0]


def participant_record(p, category: str | None = None) -> dict:
    """A roster participant as the engine reads people: id (as text) and attributes. The role
    is the role category when one is given (balance and protection use the category, so
    “Teacher”, “teacher” and “6th Grade ELA Teacher” count as one role)."""
    return {"id": str(p.id), "school": p.school, "role": category or p.role, "readiness": p.readiness}


class GroupingService:
    """Grouping for an academy's roster: propose, measure, keep the draft, save the grouping."""

    def __init__(self, repo: GroupingRepository, academies, clock: Callable[[], float] | None = None):
        """``academies``: the AcademyService (the roster); ``clock``: seconds for time limits."""
        self.repo = repo
        self.academies = academies
        self.clock = clock or time.monotonic

    # -- reading ----------------------------------------------------------------------------
    def saved(self, academy_id: int) -> SavedGrouping | None:
        """The academy's saved grouping, or None."""
        return self.repo.load(academy_id)

    def saved_groups(self, academy_id: int, round: int | None = None) -> list[Group]:
        """The saved groups of one round (None: the round in use, which the rotation runs, the
        projector shows and the cards print); [] when none is saved."""
        saved = self.repo.load(academy_id)
        if saved is None:
            return []
        round = round if round is not None else self._in_use(academy_id, len(saved.rounds))
        if not 1 <= round <= len(saved.rounds):
            return []
        return saved.rounds[round - 1]

    def _in_use(self, academy_id: int, rounds: int) -> int:
        chosen = self.academies.setting(academy_id, ROUND_IN_USE, 1)
        ok = isinstance(chosen, int) and not isinstance(chosen, bool) and 1 <= chosen <= rounds
        return chosen if ok else 1   # a re-mix since saved with fewer rounds: back to round 1

    def round_in_use(self, academy_id: int) -> int:
        """Which re-mix round runs now (1 when there is only one, or none is saved)."""
        saved = self.repo.load(academy_id)
        return self._in_use(academy_id, len(saved.rounds)) if saved is not None else 1

    def use_round(self, academy_id: int, round: int) -> int:
        """Make re-mix round ``round`` the one the rotation runs and the cards print (a later part
        of the day). Returns the round used before, for undo."""
        saved = self.repo.load(academy_id)
        count = len(saved.rounds) if saved is not None else 0
        if isinstance(round, bool) or not isinstance(round, int) or not 1 <= round <= max(1, count):
            raise ValidationError(f"There is no round {round} of groups (the saved grouping has "
                                  f"{plural(count, 'round')}).")
        before = self.round_in_use(academy_id)
        self.academies.set_setting(academy_id, ROUND_IN_USE, round)
        return before

    def roster(self, academy_id: int) -> list:
        """The academy's participants (whom the grouping is made of)."""
        return self.academies.participants(academy_id)

    def records(self, academy_id: int) -> list[dict]:
        """The roster as the engine reads it, roles by category."""
        categories = self.academies.categories(academy_id)
        return [participant_record(p, categories.get(p.id)) for p in self.roster(academy_id)]

    def arrived(self, academy_id: int) -> set[int]:
        """Who has checked in today in the current run (any station): attendance, read-only."""
        return self.repo.arrived(academy_id)

    def options_for(self, academy_id: int, rules: GroupingRules, time_limit_s: float = 10.0) -> GroupingOptions:
        """The engine options ``rules`` mean for this academy's roster (roles by category)."""
        records = self.records(academy_id)
        return rules.options([r["role"] for r in records], time_limit_s, people=records)

    # -- proposing ----------------------------------------------------------------------------
    def propose(self, academy_id: int, options: GroupingOptions, *, locked: dict[int, int] | None = None,
                max_iterations: int | None = None, tick: Callable[[], bool] | None = None) -> Proposal:
        """Groups for the academy's roster. ``locked`` pins people (participant id → group index)
        on top of ``options.pinned`` — Regroup keeps locked people where they are. ``tick`` is
        called as the search goes (every few dozen steps: the page shows progress with it); when
        it returns True the search stops and keeps the best groups so far."""
        people = self.roster(academy_id)
        if not people:
            raise ValidationError("This academy has no participants yet; add the roster first.")
        pinned = dict(options.pinned)
        pinned.update({str(pid): g for pid, g in (locked or {}).items()})
        options = replace(options, pinned=pinned)
        names = Names({str(p.id): p.name for p in people}, ids=False)   # ids mean nothing here
        clock = self.clock if tick is None else (lambda: float("inf") if tick() else self.clock())
        from stations.grouping.engine import make_groups
        result = make_groups(self.records(academy_id), options, names=names,
                             clock=clock, max_iterations=max_iterations)
        rounds = [[Group(k, Group.default_name(k), [int(i) for i in grp]) for k, grp in enumerate(rnd)]
                  for rnd in result.rounds]
        return Proposal(rounds=rounds, result=result)

    def evaluate(self, academy_id: int, rounds: list[list[Group]], options: GroupingOptions) -> GroupingResult:
        """Metrics and notes for groups as edited by hand (member ids are participant ids)."""
        people = self.roster(academy_id)
        from stations.grouping.engine import evaluate
        return evaluate(self.records(academy_id),
                        [[[str(i) for i in g.member_ids] for g in rnd] for rnd in rounds], options,
                        names=Names({str(p.id): p.name for p in people}, ids=False))

    def regroup(self, academy_id: int, draft: Draft, *, time_limit_s: float = 10.0,
                max_iterations: int | None = None, tick: Callable[[], bool] | None = None) -> Proposal:
        """New groups by the draft's rules; the draft's locked people stay where they are."""
        return self.propose(academy_id, self.options_for(academy_id, draft.rules, time_limit_s),
                            locked=draft.locked_positions(), max_iterations=max_iterations, tick=tick)

    def measure(self, academy_id: int, draft: Draft) -> GroupingResult:
        """Metrics and notes for the draft's groups, by the draft's rules."""
        return self.evaluate(academy_id, draft.groups(), self.options_for(academy_id, draft.rules))

    def rule_report(self, academy_id: int, draft: Draft) -> list[RuleStatus]:
        """Each of the draft's constraints, met or not, with the people named."""
        people = self.roster(academy_id)
        records = {int(r["id"]): r for r in self.records(academy_id)}
        from stations.grouping.constraints import report as rule_report
        return rule_report(draft.rules, draft.rounds, draft.names, records, {p.id: p.name for p in people})

    def why(self, academy_id: int, draft: Draft, pid: int, round: int = 0) -> list[str]:
        """Why ``pid`` sits in their group of ``round`` (0-based), and what moving them to each
        other group would cost on each goal, the cheapest move first."""
        people = self.roster(academy_id)
        records = {int(r["id"]): r for r in self.records(academy_id)}
        who = {p.id: p.name for p in people}
        from stations.grouping.constraints import GOALS, placement_reasons
        lines = placement_reasons(pid, draft.rules, draft.rounds, round, draft.names, records, who, draft.locked)
        here = next((k for k, grp in enumerate(draft.rounds[round]) if pid in grp), None) if draft.rounds else None
        if here is None:
            return lines
        now = self.measure(academy_id, draft)
        costs = []
        for k in range(len(draft.rounds[round])):
            moved = draft.moved(pid, k, round)
            if moved is None:
                continue
            after = self.measure(academy_id, moved)
            delta = [(what, (getattr(after.metrics, key) or 0) - (getattr(now.metrics, key) or 0))
                     for key, what in GOALS]
            broken = len(after.unmet) - len(now.unmet)
            worse = [f"{what} {d:+d}" for what, d in delta if d] + ([f"rules unmet {broken:+d}"] if broken else [])
            costs.append((broken, sum(d for _w, d in delta if d > 0), draft.names[k], worse))
        costs.sort(key=lambda c: (c[0], c[1]))
        for _broken, _total, name, worse in costs[:3]:
            lines.append(f"Moving them to {name}: " + (", ".join(worse) if worse else "costs nothing on these goals") + ".")
        return lines

    def quality(self, academy_id: int, draft: Draft, round: int = 0) -> list[str]:
        """Each group of ``round`` against each goal, one line a group."""
        if not draft.rounds:
            return []
        records = {int(r["id"]): r for r in self.records(academy_id)}
        from stations.grouping.constraints import group_quality
        return group_quality(draft.rounds, round, draft.names, records)

    # -- the page's work in progress -------------------------------------------------------
    def draft(self, academy_id: int) -> Draft | None:
        """The unsaved work of the grouping page, if any, with people no longer on the roster
        left out."""
        state = self.repo.draft(academy_id)
        if not state:
            return None
        return Draft.from_json(state).on_roster(p.id for p in self.roster(academy_id))

    def update_draft(self, academy_id: int, draft: Draft) -> GroupingResult:
        """Keep the page's current groups, written at once, as the draft *and* as the academy's
        grouping: the groups on show are the groups that run, print and project (issue 13,
        item 9; there is no Save to forget). Returns their metrics. Groups that cannot run
        (someone in two groups) stay a draft, and the first note says why."""
        result = self.measure(academy_id, draft)
        with write(self.repo.db):
            try:
                if draft.rounds:
                    self.keep_draft(academy_id, draft, metrics=result.metrics.to_dict())
            except ValidationError as exc:
                result.notes.insert(1, f"Not used by the rotation yet: {exc}")
            self.repo.save_draft(academy_id, draft.to_json())   # the page's rules and seed too
        return result

    # -- saving -------------------------------------------------------------------------------
    def save(self, academy_id: int, groups: list[Group], rounds: list[list[Group]] | None = None, *,
             locked: set[int] | frozenset = frozenset(), strategy: str = "", options: dict | None = None,
             metrics: dict | None = None) -> SavedGrouping:
        """Keep ``groups`` (round 1, the one that rotates) and optionally ``rounds`` (rounds 2…)
        for the academy, replacing what was saved. Names default to letters; every member must
        be on the academy's roster and in one group per round."""
        roster = {p.id: p for p in self.roster(academy_id)}
        all_rounds = [list(groups)] + [list(r) for r in (rounds or [])]
        cleaned = []
        for rnd, grps in enumerate(all_rounds, start=1):
            if not grps:
                raise ValidationError(f"Round {rnd} has no groups.")
            seen: dict[int, str] = {}
            names: set[str] = set()
            out = []
            for k, g in enumerate(grps):
                name = clean_text(g.name, limit=MAX_GROUP_NAME, what="A group name") or Group.default_name(k)
                if name.casefold() in names:
                    raise ValidationError(f"Two groups are called “{name}”; give each its own name.")
                names.add(name.casefold())
                for pid in g.member_ids:
                    if pid not in roster:
                        raise ValidationError(f"Participant {pid} is not on this academy's roster.")
                    if pid in seen:
                        raise ValidationError(f"{roster[pid].name} is in both {seen[pid]} and {name} "
                                              f"in round {rnd}.")
                    seen[pid] = name
                out.append(Group(k, name, list(g.member_ids)))
            cleaned.append(out)
        saved = SavedGrouping(rounds=cleaned, locked=set(locked) & set(roster), strategy=strategy,
                              options=options or {}, metrics=metrics or {})
        with write(self.repo.db):
            self.repo.replace(academy_id, saved)
            if self.academies.setting(academy_id, ROUND_IN_USE, 1) not in range(1, len(cleaned) + 1):
                self.academies.set_setting(academy_id, ROUND_IN_USE, 1)   # that round is gone
        stored = self.repo.load(academy_id)
        assert stored is not None   # written in the transaction just committed
        return stored

    def keep_draft(self, academy_id: int, draft: Draft, metrics: dict | None = None) -> SavedGrouping:
        """Make the draft the academy's grouping (the rotation and the group cards use it)."""
        groups = draft.groups()
        return self.save(academy_id, groups[0] if groups else [], groups[1:], locked=draft.locked,
                         strategy=draft.rules.strategy, options=draft.rules.to_json(), metrics=metrics)

    def place(self, academy_id: int, pid: int, group_index: int) -> tuple[SavedGrouping | None, dict | None]:
        """Put someone (a walk-in from the Attendance page) in group ``group_index`` of the
        groups on show (the page's draft, else the saved grouping), and keep that as the
        academy's grouping at once. Returns what ``restore`` needs to undo it."""
        before, state = self.saved(academy_id), self.repo.draft(academy_id)
        shown = self.draft(academy_id) if state else None
        if shown is None or not shown.rounds:
            shown = Draft.from_saved(before) if before is not None and before.rounds else None
        if shown is None:
            raise ValidationError("There are no groups yet: make them on the Groups page first.")
        if not 0 <= group_index < len(shown.rounds[0]):
            raise ValidationError("That group no longer exists.")
        after = shown.moved(pid, group_index, self.round_in_use(academy_id) - 1)
        if after is None:
            raise ValidationError(f"They are already in {shown.names[group_index]}.")
        self.update_draft(academy_id, after)
        return before, state

    def restore(self, academy_id: int, undo: tuple[SavedGrouping | None, dict | None]) -> None:
        """Undo ``place``: the saved grouping and the page's draft as they were."""
        before, state = undo
        if before is not None:
            self.repo.replace(academy_id, before)
        else:
            self.repo.delete(academy_id)
        if state:
            self.repo.save_draft(academy_id, state)

    def clear(self, academy_id: int) -> None:
        """Forget the academy's grouping and draft."""
        self.repo.delete(academy_id)

    def ensure_grouping(self, academy_id: int, groups: int, *, strategy: str = "balanced",
                        max_iterations: int | None = 2000) -> list[Group]:
        """The saved groups; when none are saved, a balanced proposal is saved first (the demo
        academy uses this so the rotation and the group cards have real groups)."""
        current = self.saved_groups(academy_id)
        if current:
            return current
        people = self.roster(academy_id)
        if not people:
            return []
        rules = GroupingRules(strategy=strategy, groups=max(1, min(groups, len(people))))
        options = self.options_for(academy_id, rules, time_limit_s=5.0)
        proposal = self.propose(academy_id, options, max_iterations=max_iterations)
        self.save(academy_id, proposal.groups, strategy=strategy, options=rules.to_json(),
                  metrics=proposal.result.metrics.to_dict())
        return self.saved_groups(academy_id)


def ensure_demo_grouping(ctx, academy_id: int, say: Callable[[str], None] = lambda text: None) -> list[Group]:
    """Give the (demo) academy a saved balanced grouping if it has none: as many groups as the
    rotation uses. Safe to call every start; it never replaces a saved grouping."""
    try:
        groups = ctx.rotation.settings(academy_id).groups
    except ValidationError:
        groups = None
    groups = groups or len(ctx.stations.stations(academy_id))
    saved = ctx.grouping.ensure_grouping(academy_id, groups)
    say(f"Grouping: {len(saved)} balanced groups saved")
    return saved
