"""Vision-and-plan actions, one call per user action, each saved before it returns.

The vision statement is written to the hub of the team's initiative map (``MapService``), so
the map editor and the plan editor show and edit the same text; the rest of the plan is one
document per team (``RolloutRepository``). Used by the window, the handouts, the exchange and
the demo.
"""
from __future__ import annotations

from dataclasses import replace

from prototypes.maps.model import InitiativeMap
from prototypes.repository.rollout import RolloutRepository
from prototypes.rollout.checks import warnings
from prototypes.rollout.exchange import is_newer, to_section
from prototypes.rollout.plan import RolloutPlan
from workshop.errors import ValidationError
from workshop.store.transactions import write
from workshop.text import clean_text, fold


class RolloutService:
    """The vision and rollout plan of each school team."""
    def __init__(self, repo: RolloutRepository, maps, prototypes, clock):
        self.repo = repo
        self.maps = maps              # prototypes.maps.service.MapService
        self.prototypes = prototypes  # prototypes.service.PrototypeService
        self.clock = clock

    @staticmethod
    def _school(school: str) -> str:
        school = clean_text(school, what="The team")
        if not school:
            raise ValidationError("A vision and plan belong to a school team: choose one.")
        return school

    def teams(self, academy_id: int) -> list[str]:
        """The teams that may have a plan: the roster's schools, and any with a plan or map."""
        names = {fold(s): s for s in self.prototypes.teams(academy_id) if s}
        names |= {fold(s): s for s in self.repo.schools(academy_id)}
        return sorted(names.values(), key=fold)

    def _map(self, academy_id: int, school: str) -> InitiativeMap | None:
        map_id = self.maps.repo.find(academy_id, school)
        return self.maps.get(map_id) if map_id is not None else None

    def plan(self, academy_id: int, school: str) -> RolloutPlan:
        """The team's vision and plan (blank if never written), its statement from the map."""
        school = self._school(school)
        stored = self.repo.get(academy_id, school) or RolloutPlan()
        m = self._map(academy_id, school)
        return replace(stored, vision=m.vision if m is not None else "")

    def save(self, academy_id: int, school: str, plan: RolloutPlan, *,
             keep_stamp: bool = False) -> RolloutPlan:
        """Save the whole plan at once (the vision statement to the map's hub); returns it as
        stored. The undo of an edit saves the plan from before it. ``keep_stamp``: an import
        keeps the file's ``updated_at``, so the next import can tell which copy is newer."""
        school = self._school(school)
        self.academies_check(academy_id)
        if not (keep_stamp and plan.updated_at):
            plan = replace(plan, updated_at=self.clock.now().isoformat(timespec="seconds"))
        with write(self.repo.db):
            m = self._map(academy_id, school)
            if m is None and plan.vision:
                m = self.maps.open(academy_id, school)
            if m is not None and m.vision != plan.vision:
                self.maps.set_vision(m.id, plan.vision)
            self.repo.save(academy_id, school, plan,
                           fold(replace(plan, vision="").search_text()))
        return plan

    def academies_check(self, academy_id: int) -> None:
        """A clear error for an unknown academy before anything is written."""
        self.prototypes.academies.get(academy_id)

    def edit(self, academy_id: int, school: str, **changes) -> RolloutPlan:
        """Change some fields of the plan and save it; nothing is saved if it is invalid."""
        return self.save(academy_id, school, self.plan(academy_id, school).edit(**changes))

    def team_prototypes(self, academy_id: int, school: str) -> list:
        """The team's prototypes (what milestones may involve, whose checks are read)."""
        rows = self.prototypes.search(academy_id, team=school)
        return [self.prototypes.get(r.id) for r in rows]

    def warnings(self, academy_id: int, school: str, plan: RolloutPlan | None = None,
                 ) -> list[str]:
        """The open risks of this team's plan, map and prototypes, in words (``plan``: the
        team's plan as ``plan()`` has just read it)."""
        school = self._school(school)
        return warnings(plan if plan is not None else self.plan(academy_id, school),
                        self._map(academy_id, school), self.team_prototypes(academy_id, school))

    def initiatives(self, academy_id: int, school: str) -> list[str]:
        """The initiatives on the team's map (what milestones may rely on)."""
        m = self._map(academy_id, self._school(school))
        return [n.name for n in m.initiatives()] if m is not None else []

    def search(self, academy_id: int | None, query: str) -> list[tuple[int, str]]:
        """(academy id, team) of every plan whose vision or plan text holds all typed words."""
        words = [fold(w) for w in query.split() if fold(w)]
        if not words:
            return []
        hits = []
        for academy, school, text in self.repo.search_texts(academy_id):
            # The statement is read from the map now: it may have been edited there since.
            m = self._map(academy, school)
            haystack = f"{text} {fold(m.vision) if m is not None else ''}"
            if all(w in haystack for w in words):
                hits.append((academy, school))
        return sorted(hits, key=lambda h: (h[0], fold(h[1])))

    # -- the exchange section -----------------------------------------------------------------
    def export_section(self, academy_id: int, school: str, plan: RolloutPlan | None = None,
                       ) -> dict | None:
        """The team's vision and plan for a prototype export (None if nothing is written;
        ``plan``: as ``plan()`` has just read it, the pack reads it once for a team's folder)."""
        if not clean_text(school):
            return None
        return to_section(self._school(school),
                          plan if plan is not None else self.plan(academy_id, school))

    def import_section(self, academy_id: int, school: str, incoming: RolloutPlan | None) -> bool:
        """Restore the plan a file carried, unless the copy here is newer; True if it did."""
        if incoming is None or not clean_text(school):
            return False
        school = self._school(school)
        if not is_newer(incoming, self.repo.get(academy_id, school)):
            return False
        self.save(academy_id, school, incoming, keep_stamp=True)
        return True

    def duplicate_academy(self, old_academy: int, new_academy: int) -> None:
        """A duplicated academy gets copies of its teams' plans."""
        self.repo.copy_academy(old_academy, new_academy)


def build_rollout(db, maps, prototypes, clock, academies) -> RolloutService:
    """The service wired as the composition root wants it: plans copied with an academy, and
    each prototype export carrying its team's vision and plan."""
    service = RolloutService(RolloutRepository(db), maps, prototypes, clock)
    academies.duplicators.append(service.duplicate_academy)
    prototypes.rollout = service   # exports carry the team's plan; the demo writes one
    return service
