"""Initiative-map actions, one call per user action, each saved at once. Used by the map
editor, the handouts and the demo; returns the dataclasses of ``prototypes.maps.model``."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from prototypes.maps.analysis import MapAnalysis, analyse
from prototypes.maps.drawing import Drawing, build_drawing
from prototypes.maps.model import (DISTRICT, InitiativeMap, Link, Node, check_rating, map_title,
                                   place_new, positions, radial_layout)
from prototypes.repository.maps import MapRepository
from workshop.errors import ValidationError
from workshop.text import clean_text, fold


@dataclass(frozen=True)
class MapChoice:
    """A map a facilitator can open: the district view or one school team's map."""
    school: str
    title: str
    map_id: int | None      # None until the map is first opened
    initiatives: int = 0


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, enough to put it back exactly (undo)."""
    map_id: int
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]


class MapService:
    """The initiative-map actions of the map editor, the handouts and the demo."""
    def __init__(self, repo: MapRepository, schools_of: Callable[[int], list[str]] = lambda _: []):
        self.repo = repo
        self.schools_of = schools_of   # academy id -> the schools of its roster (its teams)

    # -- maps ------------------------------------------------------------------------------
    def choices(self, academy_id: int) -> list[MapChoice]:
        """The district map, then one per school team (from the roster, plus any school that
        already has a map), by name."""
        existing = dict((school, map_id) for map_id, school in self.repo.maps(academy_id))
        schools = {fold(s): s for s in self.schools_of(academy_id) if s}
        schools |= {fold(s): s for s in existing if s}
        out = []
        for school in [DISTRICT] + sorted(schools.values(), key=fold):
            map_id = existing.get(school)
            count = len(self.repo.get(map_id).initiatives()) if map_id else 0
            out.append(MapChoice(school, map_title(school), map_id, count))
        return out

    def open(self, academy_id: int, school: str = DISTRICT) -> InitiativeMap:
        """The map of a team (or the district, ``school == ""``), created empty on first use."""
        school = clean_text(school, what="The school")
        map_id = self.repo.find(academy_id, school)
        if map_id is None:
            map_id = self.repo.create(academy_id, school, "")
        return self.repo.get(map_id)

    def duplicate_academy(self, old_academy: int, new_academy: int) -> None:
        """A duplicated academy gets copies of all its maps (``AcademyService.duplicators``)."""
        self.repo.copy_academy(old_academy, new_academy)

    def get(self, map_id: int) -> InitiativeMap:
        """One map with its nodes and links."""
        return self.repo.get(map_id)

    def analysis(self, map_id: int) -> MapAnalysis:
        """The map's alignment score, its load and the initiatives worth a look."""
        return analyse(self.repo.get(map_id))

    def drawing(self, map_id: int, *, with_legend: bool = True) -> Drawing:
        """The primitives every renderer draws (screen, PNG/SVG, PDF handout)."""
        return build_drawing(self.repo.get(map_id), with_legend=with_legend)

    # -- nodes -----------------------------------------------------------------------------
    def set_vision(self, map_id: int, vision: str) -> Node:
        """Save the vision statement the hub holds."""
        hub = self.repo.get(map_id).hub
        return self.repo.update_node(replace(hub, name=vision))

    def add_initiative(self, map_id: int, name: str, *, owner: str = "", status: str = "active",
                       load: int = 2, note: str = "",
                       at: tuple[float, float] | None = None) -> Node:
        """Add a spoke at ``at`` (map units), or in the widest gap on the rings."""
        m = self.repo.get(map_id)
        node = Node(name, owner=owner, status=status, load=load, note=note)
        if m.find(node.name):
            raise ValidationError(f"This map already has an initiative called “{m.find(node.name).name}”.")
        self._fix_positions(m)
        node.x, node.y = place_new(m, at)
        return self.repo.add_node(map_id, node)

    def edit_initiative(self, node_id: int, **changes) -> Node:
        """Change name, owner, status, load or note; nothing is saved if the result is invalid."""
        map_id, node = self.repo.node(node_id)
        if node.is_hub:
            if set(changes) - {"name"}:
                raise ValidationError("The hub holds only the vision statement.")
            return self.repo.update_node(replace(node, **changes))
        updated = replace(node, **changes)
        twin = self.repo.get(map_id).find(updated.name)
        if twin is not None and twin.id != node_id:
            raise ValidationError(f"This map already has an initiative called “{twin.name}”.")
        return self.repo.update_node(updated)

    def move(self, map_id: int, moves: dict[int, tuple[float, float]]) -> None:
        """Save where nodes were dragged to (one drag of one or several nodes)."""
        self.repo.set_positions(map_id, moves)

    def relayout(self, map_id: int) -> dict[int, tuple[float, float]]:
        """Lay the map out afresh (radially); returns the new positions."""
        new = radial_layout(self.repo.get(map_id))
        self.repo.set_positions(map_id, new)
        return new

    def _fix_positions(self, m: InitiativeMap) -> None:
        """Give every node of ``m`` a saved position (older maps may lack some)."""
        if any(n.position is None for n in m.nodes.values()):
            pos = positions(m)
            self.repo.set_positions(m.id, pos)
            for node_id, (x, y) in pos.items():
                m.nodes[node_id].x, m.nodes[node_id].y = x, y

    # -- links -----------------------------------------------------------------------------
    def link(self, map_id: int, a: int, b: int, rating: int = 2, note: str = "") -> Link:
        """Link two nodes of this map, rated 0–3; any two nodes are linked once."""
        m = self.repo.get(map_id)
        if a not in m.nodes or b not in m.nodes:
            raise ValidationError("Both ends of a link must be on this map.")
        existing = m.link_between(a, b)
        if existing is not None:
            raise ValidationError(f"“{m.nodes[a].name or 'The vision'}” and "
                                  f"“{m.nodes[b].name or 'the vision'}” are already linked.")
        return self.repo.add_link(map_id, Link(a, b, rating, note))

    def rate(self, link_id: int, rating: int) -> Link:
        """Change how aligned a link is rated (0 not aligned … 3 strongly aligned)."""
        _, link = self.repo.link(link_id)
        return self.repo.update_link(replace(link, rating=check_rating(rating)))

    def edit_link(self, link_id: int, **changes) -> Link:
        """Change a link's rating and/or its "how it connects" note."""
        _, link = self.repo.link(link_id)
        return self.repo.update_link(replace(link, **changes))

    # -- delete and undo -------------------------------------------------------------------
    def delete(self, map_id: int, node_ids: list[int] = (), link_ids: list[int] = ()) -> Deleted:
        """Remove initiatives (with their links) and links; the hub stays. Returns what went."""
        m = self.repo.get(map_id)
        hub_id = m.hub.id
        nodes = [m.nodes[i] for i in sorted(set(node_ids)) if i in m.nodes and i != hub_id]
        gone = {n.id for n in nodes}
        links = [link for link_id, link in sorted(m.links.items())
                 if link_id in set(link_ids) or gone & set(link.ends)]
        self.repo.delete_many(map_id, [n.id for n in nodes], [link.id for link in links])
        return Deleted(map_id, tuple(nodes), tuple(links))

    def restore(self, deleted: Deleted) -> None:
        """Put back what ``delete`` removed, under the same ids (undo)."""
        self.repo.restore(deleted.map_id, list(deleted.nodes), list(deleted.links))
