"""Initiative maps ("align it, don't add it"): a hub (the team's vision) with spokes (the
initiatives already under way), links rated for alignment, and a networkx view of it.

Pure code: dataclasses with user-facing validation, conversion to and from a
``networkx.Graph`` and the initial radial layout. The analysis lives in ``map_analysis``,
the drawing model in ``map_drawing``; SQL in ``prototypes/repository/maps.py``.

Node keys are integers (the database ids); the hub is a node like any other, with
``kind == "hub"`` and the vision statement as its ``name``. Positions are in *map units*:
x to the right, y downwards, the hub usually at (0, 0) and the first ring of spokes at a
radius of about one unit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from workshop.errors import ValidationError
from workshop.text import clean_text

if TYPE_CHECKING:
    import networkx as nx   # imported where a map is laid out or analysed, not on start-up

HUB = "hub"
INITIATIVE = "initiative"
STATUSES = ("planned", "active", "winding_down")
STATUS_LABELS = {"planned": "Planned", "active": "Active", "winding_down": "Winding down"}
RATINGS = (0, 1, 2, 3)
RATING_LABELS = {0: "not aligned", 1: "weak", 2: "partly aligned", 3: "strongly aligned"}
# Load: how much teacher time an initiative asks, 1 (an hour now and then) to 5 (weekly, heavy).
LOADS = (1, 2, 3, 4, 5)
LOAD_LABELS = {1: "very light", 2: "light", 3: "moderate", 4: "heavy", 5: "very heavy"}
MAX_NAME = 80
MAX_VISION = 160
MAX_NOTE = 400
DISTRICT = ""   # the ``school`` of the whole-academy (district view) map
DISTRICT_TITLE = "Whole academy (district view)"

RING_STEP = 1.1       # radius of the first ring of spokes, and the gap between rings
RING_SPACING = 0.50   # arc length one spoke needs on a ring (box width plus a gap)


def ring_capacity(ring: int) -> int:
    """How many spokes fit on ring ``ring`` (1 = innermost) without boxes overlapping."""
    return max(4, int(2 * math.pi * RING_STEP * ring / RING_SPACING))


@dataclass
class Node:
    """The hub (``kind == "hub"``, ``name`` = vision) or one initiative (a spoke)."""
    name: str
    kind: str = INITIATIVE
    owner: str = ""
    status: str = "active"
    load: int = 2
    note: str = ""
    id: int | None = None
    x: float | None = None
    y: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in (HUB, INITIATIVE):
            raise ValueError(f"unknown node kind {self.kind!r}")
        if self.kind == HUB:
            self.name = clean_text(self.name, limit=MAX_VISION, what="The vision statement")
        else:
            self.name = clean_text(self.name, limit=MAX_NAME, what="The initiative's name")
            if not self.name:
                raise ValidationError("An initiative needs a name.")
        self.owner = clean_text(self.owner, limit=MAX_NAME, what="The owner")
        self.note = clean_text(self.note, limit=MAX_NOTE, what="The note")
        status = clean_text(self.status).lower().replace(" ", "_").replace("-", "_") or "active"
        if status not in STATUSES:
            raise ValidationError(f"Status must be planned, active or winding down "
                                  f"(got “{self.status}”).")
        self.status = status
        try:
            load = int(self.load)
        except (TypeError, ValueError):
            raise ValidationError(f"Load must be a whole number from 1 to 5 "
                                  f"(got “{self.load}”).") from None
        if load not in LOADS:
            raise ValidationError(f"Load must be from 1 (very light) to 5 (very heavy) (got {load}).")
        self.load = load

    @property
    def is_hub(self) -> bool:
        return self.kind == HUB

    @property
    def position(self) -> tuple[float, float] | None:
        return None if self.x is None or self.y is None else (self.x, self.y)


@dataclass
class Link:
    """An undirected link; ``a < b``. Hub–spoke: ``rating`` is the alignment with the vision
    and ``note`` says how it connects. Spoke–spoke: how strongly the two feed each other."""
    a: int
    b: int
    rating: int = 2
    note: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise ValidationError("A link needs two different nodes.")
        self.a, self.b = sorted((self.a, self.b))
        self.rating = check_rating(self.rating)
        self.note = clean_text(self.note, limit=MAX_NOTE, what="The “how it connects” note")

    @property
    def ends(self) -> tuple[int, int]:
        return (self.a, self.b)

    def other(self, node_id: int) -> int:
        return self.b if node_id == self.a else self.a


def check_rating(value) -> int:
    """A valid alignment rating (0–3) from what was typed; ValidationError otherwise."""
    try:
        rating = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"An alignment rating is a number from 0 to 3 (got “{value}”).") from None
    if rating not in RATINGS:
        raise ValidationError(f"An alignment rating is from 0 (not aligned) to 3 (strongly "
                              f"aligned) (got {rating}).")
    return rating


def map_title(school: str) -> str:
    """The title of a school's map, or of the district map for ``""``."""
    return school if school else DISTRICT_TITLE


@dataclass
class InitiativeMap:
    """One hub-and-spoke map of an academy: a school team's (``school``) or the whole
    academy's (``school == ""``, the district view)."""
    academy_id: int | None
    school: str = DISTRICT
    nodes: dict[int, Node] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)
    id: int | None = None

    @property
    def title(self) -> str:
        return map_title(self.school)

    @property
    def hub(self) -> Node:
        for node in self.nodes.values():
            if node.is_hub:
                return node
        raise ValueError("a map always has a hub")

    @property
    def vision(self) -> str:
        return self.hub.name

    def initiatives(self) -> list[Node]:
        """Spokes in id order (the order they were added)."""
        return [n for _, n in sorted(self.nodes.items()) if not n.is_hub]

    def hub_link(self, node_id: int) -> Link | None:
        hub_id = self.hub.id
        for link in self.links.values():
            if set(link.ends) == {hub_id, node_id}:
                return link
        return None

    def link_between(self, a: int, b: int) -> Link | None:
        key = tuple(sorted((a, b)))
        return next((link for link in self.links.values() if link.ends == key), None)

    def find(self, name: str) -> Node | None:
        from workshop.text import fold
        return next((n for n in self.initiatives() if fold(n.name) == fold(name)), None)

    # -- building in memory (tests, benchmarks, the demo spec) ------------------------------
    @classmethod
    def build(cls, vision: str, initiatives: list[Node | str] = (),
              links: list[tuple] = (), *, school: str = DISTRICT,
              academy_id: int | None = None) -> "InitiativeMap":
        """A map with local ids (hub = 1, then initiatives in order, links from 1).

        ``links`` are ``(name_a, name_b, rating[, note])``; the name ``"hub"`` means the hub.
        """
        m = cls(academy_id=academy_id, school=school)
        m.nodes[1] = Node(vision, kind=HUB, id=1)
        for i, item in enumerate(initiatives, start=2):
            node = item if isinstance(item, Node) else Node(item)
            m.nodes[i] = replace(node, id=i)
        ids = {HUB: 1} | {n.name: n.id for n in m.initiatives()}
        for j, (a, b, rating, *rest) in enumerate(links, start=1):
            m.links[j] = Link(ids[a], ids[b], rating, rest[0] if rest else "", id=j)
        return m


# -- networkx ------------------------------------------------------------------------------
NODE_FIELDS = ("name", "kind", "owner", "status", "load", "note", "x", "y")


def to_graph(m: InitiativeMap) -> nx.Graph:
    import networkx as nx   # here, not at the top: only a map laid out or analysed needs it
    """The map as an undirected graph: node key = node id with the node's fields as
    attributes; edge attributes ``rating``, ``note``, ``id``. ``G.graph`` holds the map's
    ``id``, ``academy_id``, ``school`` and ``hub`` (the hub's node key)."""
    g = nx.Graph(id=m.id, academy_id=m.academy_id, school=m.school, hub=m.hub.id)
    for node_id, node in sorted(m.nodes.items()):
        g.add_node(node_id, **{f: getattr(node, f) for f in NODE_FIELDS})
    for link_id, link in sorted(m.links.items()):
        g.add_edge(link.a, link.b, rating=link.rating, note=link.note, id=link_id)
    return g


def from_graph(g: nx.Graph) -> InitiativeMap:
    """The inverse of :func:`to_graph` (edges without an ``id`` get fresh local ids)."""
    m = InitiativeMap(academy_id=g.graph.get("academy_id"), school=g.graph.get("school", DISTRICT),
                      id=g.graph.get("id"))
    for node_id, data in g.nodes(data=True):
        m.nodes[node_id] = Node(id=node_id, **{f: data[f] for f in NODE_FIELDS if f in data})
    next_id = max((d.get("id") or 0 for *_, d in g.edges(data=True)), default=0) + 1
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[2].get("id") or 1e18, e[:2])):
        link_id = data.get("id")
        if link_id is None:
            link_id, next_id = next_id, next_id + 1
        m.links[link_id] = Link(a, b, data.get("rating", 2), data.get("note", ""), id=link_id)
    return m


# -- layout --------------------------------------------------------------------------------
def spoke_order(m: InitiativeMap) -> list[int]:
    """Spokes in the order they go round the rings: initiatives linked to each other sit
    side by side (connected components of the spoke-only graph, biggest first, each walked
    breadth-first from its least-linked node, lowest id first), so spoke–spoke lines stay
    short and a spoke linked to two others sits between them."""
    import networkx as nx
    g = to_graph(m)
    g.remove_node(m.hub.id)
    order: list[int] = []
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    for component in components:
        start = min(component, key=lambda n: (g.degree(n), n))
        order.append(start)
        for _, child in nx.bfs_edges(g, start, sort_neighbors=sorted):
            order.append(child)
    return order


def rings_for(count: int) -> list[int]:
    """How many spokes go on each ring: as few rings as hold them all, shared in proportion
    to each ring's circumference so that spacing is even."""
    rings = 1
    while sum(ring_capacity(r) for r in range(1, rings + 1)) < count:
        rings += 1
    total_radius = sum(range(1, rings + 1))
    sizes = [count * r // total_radius for r in range(1, rings + 1)]
    for r in range(rings - 1, -1, -1):  # hand out the remainder from the outside in
        if sum(sizes) == count:
            break
        sizes[r] += 1
    # Never leave the inner ring nearly empty while outer rings overflow.
    for r in range(rings):
        overflow = sizes[r] - ring_capacity(r + 1)
        if overflow > 0 and r + 1 < rings:
            sizes[r] -= overflow
            sizes[r + 1] += overflow
    return [s for s in sizes if s]


def radial_layout(m: InitiativeMap, center: tuple[float, float] = (0.0, 0.0)) -> dict[int, tuple[float, float]]:
    """A fresh layout: the hub at ``center``, spokes on concentric rings (networkx
    ``shell_layout``), the first spoke at twelve o'clock. Deterministic for the same map."""
    import networkx as nx
    order = spoke_order(m)
    hub_id = m.hub.id
    if not order:
        return {hub_id: center}
    shells: list[list[int]] = [[hub_id]]
    start = 0
    for size in rings_for(len(order)):
        shells.append(order[start:start + size])
        start += size
    # shell_layout puts shell k at radius k * scale / len(shells) and turns shell k by
    # (k + 1) * rotate; rotate = -pi/4 puts the first ring's first spoke at twelve o'clock
    # (y grows downwards here) and staggers the outer rings between the inner ones.
    scale = RING_STEP * len(shells)
    pos = nx.shell_layout(nx.Graph([(hub_id, hub_id)] + [(n, n) for n in order]), nlist=shells,
                          scale=scale, center=center, rotate=-math.pi / 4)
    return {node: (round(float(p[0]), 6), round(float(p[1]), 6)) for node, p in pos.items()}


def place_new(m: InitiativeMap, near: tuple[float, float] | None = None) -> tuple[float, float]:
    """Where a new spoke goes on a map already laid out: at ``near`` if given, else in the
    middle of the widest empty angle on the innermost ring that has room."""
    if near is not None:
        return near
    hub = m.hub
    hx, hy = hub.position or (0.0, 0.0)
    placed = [n for n in m.initiatives() if n.position is not None]
    ring = 1
    while sum(ring_capacity(r) for r in range(1, ring + 1)) <= len(placed):
        ring += 1
    radius = RING_STEP * ring
    angles = sorted(math.atan2(n.y - hy, n.x - hx) for n in placed
                    if abs(math.hypot(n.x - hx, n.y - hy) - radius) < RING_STEP / 2)
    if not angles:
        angle = -math.pi / 2
    else:
        gaps = [((angles[(i + 1) % len(angles)] - a) % (2 * math.pi) or 2 * math.pi, a)
                for i, a in enumerate(angles)]
        width, start = max(gaps, key=lambda g: (round(g[0], 9), -g[1]))
        angle = start + width / 2
    return (round(hx + radius * math.cos(angle), 6), round(hy + radius * math.sin(angle), 6))


def positions(m: InitiativeMap) -> dict[int, tuple[float, float]]:
    """Every node's position: saved ones as they are; if none is saved, the radial layout;
    otherwise nodes without one are placed one by one with :func:`place_new`."""
    saved = {nid: n.position for nid, n in m.nodes.items() if n.position is not None}
    if not saved:
        return radial_layout(m)
    work = InitiativeMap(m.academy_id, m.school, {k: replace(v) for k, v in m.nodes.items()},
                         dict(m.links), m.id)
    hub = work.hub
    if hub.position is None:
        hub.x, hub.y = 0.0, 0.0
    for node in work.initiatives():
        if node.position is None:
            node.x, node.y = place_new(InitiativeMap(
                m.academy_id, m.school, {k: v for k, v in work.nodes.items()
                                         if v.position is not None}, {}, m.id))
    return {nid: n.position for nid, n in work.nodes.items()}
