"""Fill the prototype print models from the services (prototypes, iterations, the team's
initiative map, the exchange JSON). Qt-free and reportlab-free."""
from __future__ import annotations

from prototypes.handouts.models import (ChartPrint, IterationLogPrint, PrototypePrint,
                                        build_iteration_log, build_prototype_print, chart_print,
                                        map_print)
from prototypes.maps.model import InitiativeMap
from workshop.errors import ValidationError
from workshop.text import clean_text, fold


class PrototypeHandouts:
    """The prototype handouts filled from the services: prototype PDFs, iteration logs."""
    def __init__(self, academies, prototypes, maps=None):
        self.academies = academies
        self.prototypes = prototypes
        self.maps = maps

    def _prototype(self, prototype_id, academy_id: int | None = None):
        try:
            prototype = self.prototypes.get(int(prototype_id))
        except (TypeError, ValueError):
            raise ValidationError(f"A prototype is chosen by its number (got “{prototype_id}”).") from None
        if academy_id is not None and prototype.academy_id != academy_id:
            raise ValidationError(f"Prototype {prototype_id} belongs to another academy.")
        return prototype

    def team_map(self, academy_id: int, team: str) -> InitiativeMap | None:
        """The team's initiative map if it has been drawn (a hub alone is not worth a page).
        Looked up without creating one: printing never adds an empty map."""
        if self.maps is None or not team:
            return None
        map_id = self.maps.repo.find(academy_id, clean_text(team))
        if map_id is None:
            return None
        m = self.maps.get(map_id)
        return m if m.initiatives() or m.vision else None

    def prototype_print(self, prototype_id, academy_id: int | None = None) -> PrototypePrint:
        """What the prototype PDF prints; exporting its JSON counts as sharing."""
        p = self._prototype(prototype_id, academy_id)
        academy = self.academies.get(p.academy_id).title
        # Exporting for the PDF counts as sharing this version, as a JSON export does: when
        # the team brings the PDF back unchanged, the import finds nothing to conflict with.
        attachment = self.prototypes.export_json(p.id, compact=True).encode("utf-8")
        model = build_prototype_print(p, self.prototypes.iterations(p.id), academy,
                                      self.team_map(p.academy_id, p.team), attachment,
                                      printed_on=self._today())
        model.charts = self._charts(p.id)
        return model

    def iteration_log(self, prototype_id, academy_id: int | None = None) -> IterationLogPrint:
        """What the iteration log of one prototype prints."""
        p = self._prototype(prototype_id, academy_id)
        model = build_iteration_log(p, self.prototypes.iterations(p.id),
                                    self.academies.get(p.academy_id).title,
                                    printed_on=self._today())
        model.charts = self._charts(p.id)
        return model

    def _charts(self, prototype_id: int) -> list[ChartPrint]:
        return [chart_print(s) for s in self.prototypes.measures.all_series(prototype_id)]

    def team_folder(self, prototype_ids: list[int], team: str = "", plan=None,
                    ) -> list[tuple[PrototypePrint, IterationLogPrint]]:
        """Each prototype of one team with its iteration log, for the pack's team folder: each
        prototype and its iterations are read once for both, and the team's map is drawn once
        and shared (it was a third of the time of reading a big pack). ``plan``: ``team``'s
        rollout plan as just read, for the attachments of that team's prototypes."""
        pairs = []
        academies: dict[int, str] = {}
        maps: dict[tuple[int, str], object] = {}
        today = self._today()
        for prototype_id in prototype_ids:
            p = self._prototype(prototype_id)
            if p.academy_id not in academies:
                academies[p.academy_id] = self.academies.get(p.academy_id).title
            academy = academies[p.academy_id]
            key = (p.academy_id, p.team)
            if key not in maps:
                found = self.team_map(p.academy_id, p.team)
                maps[key] = map_print(found) if found is not None else None
            # Read once for the print, the log and the attachment: reading a cycle validates
            # its snapshot, and the three read them four times (half of reading a big pack).
            iterations = self.prototypes.iterations(p.id)
            series = self.prototypes.measures.all_series(p.id, iterations)
            # As in prototype_print: the PDF carries (and counts as sharing) this version.
            attachment = self.prototypes.export_json(
                p.id, compact=True, prototype=p, iterations=iterations, series=series,
                academy_title=academy, plan=plan if p.team == team else None).encode("utf-8")
            proto = build_prototype_print(p, iterations, academy, None, attachment,
                                          printed_on=today, drawn_map=maps[key])
            log = build_iteration_log(p, iterations, academy, printed_on=today)
            proto.charts = log.charts = [chart_print(s) for s in series]
            pairs.append((proto, log))
        return pairs

    def _today(self):
        clock = getattr(self.prototypes, "clock", None)
        return clock.now().date() if clock is not None else None

    def choices(self, academy_id: int) -> list[tuple[int, str]]:
        """(prototype id, "Title — Team") for every prototype of the academy."""
        return [(r.id, f"{r.title} — {r.team}" if r.team else r.title)
                for r in self.prototypes.search(academy_id)]

    def by_team(self, academy_id: int) -> dict[str, list[int]]:
        """The academy's prototype ids per team (the pack's team folders)."""
        teams: dict[str, list[int]] = {}
        for r in sorted(self.prototypes.search(academy_id), key=lambda r: (fold(r.team), r.id)):
            teams.setdefault(r.team or "No team", []).append(r.id)
        return teams
