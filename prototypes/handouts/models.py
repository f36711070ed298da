"""What the prototype handouts print: plain dataclasses built from the domain objects, no Qt,
no reportlab. ``prototypes/handouts/render.py`` renders them; tests check these models hard.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from prototypes.check import RISKS
from prototypes.maps.analysis import analyse
from prototypes.maps.drawing import Drawing, build_drawing
from prototypes.maps.model import InitiativeMap
from prototypes.measures.model import DIRECTIONS, format_value
from prototypes.measures.series import Series
from prototypes.pdsa import DECISIONS, ITERATION_LABELS, PDSA_STEPS, Iteration
from prototypes.prototype import CONTENT_LABELS, CORE_FOUR, STATUSES, Prototype

BLANK_CYCLES = 2          # empty PDSA cycles after the recorded ones, for the next tries
# The essentials an iteration log repeats at its top (the rest is in the prototype PDF).
ESSENTIALS = ("why", "students", "model", "core_four", "success_measures", "owner")


@dataclass(frozen=True)
class Entry:
    """One labelled text of a handout (a content field, a PDSA answer)."""
    label: str
    text: str             # "" = not written yet


@dataclass(frozen=True)
class RiskLine:
    """One rollout risk as printed: its name, rating and mitigation."""
    risk: str
    level: str            # "low" / "medium" / "high" / "" (not rated)
    mitigation: str


@dataclass
class ConsentPrint:
    """The consent round as printed: when, who was present, the objections."""
    on: date | None
    present: str
    no_objection: bool
    objections: list[tuple[str, str]]   # (objection, resolution or "")


@dataclass
class CyclePrint:
    """One PDSA cycle as printed, its answers grouped by step."""
    number: int
    started_on: date | None
    finished_on: date | None
    steps: list[tuple[str, list[Entry]]]   # ("Plan", [...]), ("Do", …), ("Study", …), ("Act", …)
    decision: str                          # "Adopt" / "Adapt" / "Abandon" / ""
    tested_title: str = ""                 # the snapshot's title, if it differs from today's


@dataclass
class ChartPrint:
    """One measure as printed: its series (the chart is built at the page's width), what it
    is and how it is collected, and what the chart says in words."""
    series: Series
    about: str
    words: list[str]


def chart_print(series: Series) -> ChartPrint:
    """A measure as printed: direction, goal, how collected, then its signals and outcomes."""
    m = series.measure
    about = " · ".join(x for x in (
        DIRECTIONS[m.direction], f"goal {format_value(m.goal)}" if m.goal is not None else "",
        m.how_often, m.how) if x)
    return ChartPrint(series, about, series.words())


@dataclass
class MapPrint:
    """The team's initiative map as printed: the drawing and what the analysis says."""
    title: str
    vision: str
    drawing: Drawing
    analysis: list[tuple[str, str]]


@dataclass
class PrototypePrint:
    """Everything the prototype PDF prints, and the JSON it carries."""
    academy: str
    uid: str
    title: str
    team: str
    status: str
    history: list[tuple[str, date]]     # (status label, date), oldest first
    fields: list[Entry]                 # every content field, in the editor's order
    risks: list[RiskLine]
    consent: ConsentPrint
    blockers: list[str]                 # what stands between it and "safe to try", blockers first
    cycles: list[CyclePrint]
    map: MapPrint | None = None
    attachment: bytes = b""             # the exchange JSON embedded as prototype.json
    printed_on: date | None = None
    charts: list[ChartPrint] = field(default_factory=list)   # one per measure


@dataclass
class IterationLogPrint:
    """The iteration log: the essentials, the cycles so far and blank ones to fill in."""
    academy: str
    title: str
    team: str
    status: str
    essentials: list[Entry]
    cycles: list[CyclePrint]
    blank_cycles: int = BLANK_CYCLES
    next_number: int = 1
    plan_labels: list[tuple[str, list[str]]] = field(default_factory=list)  # for blank cycles
    printed_on: date | None = None
    charts: list[ChartPrint] = field(default_factory=list)   # one per measure


def _field_text(prototype: Prototype, name: str) -> str:
    if name == "model":
        return prototype.model_label
    if name == "core_four":
        return ", ".join(CORE_FOUR[k] for k in prototype.core_four)
    return getattr(prototype, name) or ""


def prototype_fields(prototype: Prototype, names=None) -> list[Entry]:
    """The prototype's content fields as printed (all but title and team by default)."""
    names = names or [n for n in CONTENT_LABELS if n not in ("title", "team", "model_other")]
    return [Entry(CONTENT_LABELS[n], _field_text(prototype, n)) for n in names]


def cycle_print(iteration: Iteration, current_title: str) -> CyclePrint:
    """One iteration as printed; names the version it tested when the title has changed."""
    decision = DECISIONS[iteration.decision] if iteration.decision else ""

    def text(name: str) -> str:
        return decision if name == "decision" else getattr(iteration, name)

    steps = [(step, [Entry(ITERATION_LABELS[n], text(n)) for n in names])
             for step, names in PDSA_STEPS.items()]
    tested = iteration.snapshot.get("title", "")
    return CyclePrint(iteration.number, iteration.started_on, iteration.finished_on, steps,
                      decision, tested if tested and tested != current_title else "")


def map_print(m: InitiativeMap) -> MapPrint:
    """A map as printed: its drawing and its analysis in lines."""
    return MapPrint(m.title, m.vision, build_drawing(m), analyse(m).summary_lines())


def build_prototype_print(prototype: Prototype, iterations: list[Iteration], academy: str,
                          initiative_map: InitiativeMap | None = None,
                          attachment: bytes = b"", printed_on: date | None = None,
                          drawn_map: MapPrint | None = None) -> PrototypePrint:
    """``drawn_map``: the team's map already made into a MapPrint (a team's folder makes it
    once for all its prototypes) instead of ``initiative_map``."""
    check = prototype.check
    if drawn_map is None and initiative_map is not None:
        drawn_map = map_print(initiative_map)
    return PrototypePrint(
        academy=academy, uid=prototype.uid, title=prototype.title, team=prototype.team,
        status=prototype.status_label,
        history=[(STATUSES[h.status], h.on) for h in prototype.history],
        fields=prototype_fields(prototype),
        risks=[RiskLine(RISKS[k], r.level, r.mitigation) for k, r in check.risks.items()],
        consent=ConsentPrint(check.consent_on, check.present, check.no_objection,
                             [(o.text, o.resolution) for o in check.objections]),
        blockers=check.missing(),
        cycles=[cycle_print(i, prototype.title) for i in sorted(iterations, key=lambda i: i.number)],
        map=drawn_map,
        attachment=attachment, printed_on=printed_on)


def build_iteration_log(prototype: Prototype, iterations: list[Iteration], academy: str,
                        blank_cycles: int = BLANK_CYCLES,
                        printed_on: date | None = None) -> IterationLogPrint:
    """The iteration log of a prototype, cycles by number, blank ones after."""
    cycles = [cycle_print(i, prototype.title) for i in sorted(iterations, key=lambda i: i.number)]
    return IterationLogPrint(
        academy=academy, title=prototype.title, team=prototype.team,
        status=prototype.status_label, essentials=prototype_fields(prototype, ESSENTIALS),
        cycles=cycles, blank_cycles=blank_cycles,
        next_number=(cycles[-1].number + 1) if cycles else 1,
        plan_labels=[(step, [ITERATION_LABELS[n] for n in names])
                     for step, names in PDSA_STEPS.items()], printed_on=printed_on)
