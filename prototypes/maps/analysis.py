"""What an initiative map says, measured with networkx. Shown live beside the editor and
printed on the map handout. Every list is sorted, so the same map always reads the same.

Definitions (``alignment(i)`` is the rating 0–3 of initiative *i*'s link to the hub, or 0
when it has none; ``load(i)`` is 1–5; *current* initiatives are those ``planned`` or
``active`` — those ``winding_down`` are already being let go, so they do not count towards
the score, the overload or the unaligned load, though they are still listed as unlinked):

- **Alignment score** (0–100): the load-weighted mean alignment of the current initiatives,
  as a share of the best possible: ``100 · Σ load(i)·alignment(i) / (3 · Σ load(i))``,
  rounded to a whole number. ``None`` when there are no current initiatives. Weighting by
  load means a heavy, misaligned initiative pulls the score down more than a light one.
- **Mean rating**: the plain mean of ``alignment(i)`` over current initiatives (2 decimals).
- **Unlinked**: initiatives (any status) with no link to the hub — candidates to align or
  stop. Sorted by load (heaviest first), then name.
- **Overload**: a current initiative is *weakly aligned* when ``alignment(i) ≤ 1`` and
  *heavy* when ``load(i) ≥ 4``. ``overloaded`` lists the weakly aligned heavy ones (heaviest
  first, then least aligned, then name). ``weak_load_share`` is the weakly aligned share of
  the current load. The map *is overloaded* — the recipe for initiative fatigue — when at
  least ``OVERLOAD_SPOKES`` (2) initiatives are weakly aligned and heavy, or when at least two
  initiatives are weakly aligned and they carry at least ``OVERLOAD_SHARE`` (half) of the load.
- **Bridges**: initiatives whose normalised betweenness centrality (networkx, unweighted,
  over the whole map including the hub and every link, all ratings) is above zero: they lie
  on shortest paths between other initiatives or between an initiative and the vision, so
  they tie work together. Value rounded to 3 decimals; sorted by value (highest first), then
  name.
- **Heaviest unaligned load**: among current initiatives with ``alignment(i) == 0`` (no hub
  link, or rated 0), the one with the greatest load (ties: name); ``unaligned_load`` is the
  sum of their loads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from prototypes.maps.model import LOAD_LABELS, InitiativeMap, Node, to_graph
from workshop.text import fold

WEAK_ALIGNMENT = 1
HEAVY_LOAD = 4
OVERLOAD_SPOKES = 2
OVERLOAD_SHARE = 0.5
CURRENT = ("planned", "active")


@dataclass(frozen=True)
class Scored:
    """One initiative with the number a finding is about (a load, a betweenness…)."""
    node_id: int
    name: str
    value: float


@dataclass
class MapAnalysis:
    """What a map says about a team's initiatives: alignment score, load, unlinked and bridges."""
    initiatives: int                      # all spokes
    current: int                          # planned or active spokes
    score: int | None                     # 0–100, None without current initiatives
    mean_rating: float | None
    current_load: int
    unlinked: list[Scored] = field(default_factory=list)        # value = load
    overloaded: list[Scored] = field(default_factory=list)      # value = load
    weak_load_share: float = 0.0
    is_overloaded: bool = False
    bridges: list[Scored] = field(default_factory=list)         # value = betweenness
    heaviest_unaligned: Scored | None = None                    # value = load
    unaligned_load: int = 0

    def summary_lines(self, max_items: int = 6) -> list[tuple[str, str]]:
        """``(heading, text)`` pairs in reading order, for the side panel and the handout."""
        def names(items: list[Scored], fmt) -> str:
            shown = [fmt(s) for s in items[:max_items]]
            if len(items) > max_items:
                shown.append(f"and {len(items) - max_items} more")
            return "; ".join(shown)

        if self.initiatives == 0:
            return [("Alignment", "Add the initiatives already under way, then link each one "
                                  "to the vision and rate how well it serves it (0–3).")]
        lines = []
        if self.score is None:
            lines.append(("Alignment", "Every initiative is winding down; nothing current to score."))
        else:
            lines.append(("Alignment", f"{self.score} / 100, weighted by load (mean rating "
                                       f"{self.mean_rating:.1f} of 3 over {self.current} current "
                                       f"initiative{'s' if self.current != 1 else ''})."))
        lines.append(("Not linked to the vision",
                      names(self.unlinked, lambda s: f"{s.name} (load {s.value:g})")
                      + " — align or stop." if self.unlinked else "None: every initiative is linked."))
        share = f"weakly aligned work is {self.weak_load_share:.0%} of the load"
        heavy = names(self.overloaded, lambda s: s.name)
        if self.is_overloaded and self.overloaded:
            n = len(self.overloaded)
            text = f"Yes — {n} heavy initiative{'s are' if n != 1 else ' is'} weakly aligned ({heavy}); {share}."
        elif self.is_overloaded:
            text = f"Yes — {share}."
        else:
            text = f"No — {share}" + (f"; watch {heavy}." if self.overloaded else ".")
        lines.append(("Overload risk", text))
        lines.append(("Bridges", names(self.bridges, lambda s: s.name)
                      + " — tie other initiatives together." if self.bridges
                      else "None: no initiative connects others."))
        if self.heaviest_unaligned:
            h = self.heaviest_unaligned
            lines.append(("Heaviest unaligned load",
                          f"{h.name} (load {h.value:g}, {LOAD_LABELS[int(h.value)]}); unaligned "
                          f"work is {self.unaligned_load} of {self.current_load} load points."))
        else:
            lines.append(("Heaviest unaligned load", "None: every current initiative is aligned."))
        return lines


def alignment_of(m: InitiativeMap) -> dict[int, int]:
    """Each initiative's alignment: its hub link's rating, or 0 without one."""
    hub_id = m.hub.id
    result = {n.id: 0 for n in m.initiatives()}
    for link in m.links.values():
        if hub_id in link.ends:
            result[link.other(hub_id)] = link.rating
    return result


def _by_load(nodes: list[Node], alignment: dict[int, int]) -> list[Scored]:
    ordered = sorted(nodes, key=lambda n: (-n.load, alignment.get(n.id, 0), fold(n.name), n.id))
    return [Scored(n.id, n.name, n.load) for n in ordered]


def analyse(m: InitiativeMap) -> MapAnalysis:
    """Measure a map (see the module docstring for the definitions)."""
    spokes = m.initiatives()
    alignment = alignment_of(m)
    hub_id = m.hub.id
    linked = {link.other(hub_id) for link in m.links.values() if hub_id in link.ends}
    current = [n for n in spokes if n.status in CURRENT]
    load = sum(n.load for n in current)

    score = mean = None
    if current:
        score = round(100 * sum(n.load * alignment[n.id] for n in current) / (3 * load))
        mean = round(sum(alignment[n.id] for n in current) / len(current), 2)

    weak = [n for n in current if alignment[n.id] <= WEAK_ALIGNMENT]
    heavy_weak = [n for n in weak if n.load >= HEAVY_LOAD]
    share = sum(n.load for n in weak) / load if load else 0.0
    overloaded = (len(heavy_weak) >= OVERLOAD_SPOKES
                  or (len(weak) >= 2 and share >= OVERLOAD_SHARE))

    import networkx as nx   # here, not at the top: only a map analysed needs it
    graph = to_graph(m)
    centrality = nx.betweenness_centrality(graph, normalized=True) if len(graph) > 2 else {}
    bridges = sorted((Scored(n.id, n.name, round(centrality.get(n.id, 0.0), 3)) for n in spokes
                      if round(centrality.get(n.id, 0.0), 3) > 0),
                     key=lambda s: (-s.value, fold(s.name), s.node_id))

    unaligned = [n for n in current if alignment[n.id] == 0]
    heaviest = None
    if unaligned:
        top = min(unaligned, key=lambda n: (-n.load, fold(n.name), n.id))
        heaviest = Scored(top.id, top.name, top.load)

    return MapAnalysis(
        initiatives=len(spokes), current=len(current), score=score, mean_rating=mean,
        current_load=load,
        unlinked=_by_load([n for n in spokes if n.id not in linked], alignment),
        overloaded=_by_load(heavy_weak, alignment), weak_load_share=round(share, 4),
        is_overloaded=overloaded, bridges=bridges, heaviest_unaligned=heaviest,
        unaligned_load=sum(n.load for n in unaligned))
