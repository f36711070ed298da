"""The agenda / run-sheet handout: every round, transition and the debrief at its clock time,
the stations with their prompts and materials, and each group's path through them.

``agenda_model`` fills the print model from the services (the planned, or running, rotation's
frozen schedule); ``render_agenda`` lays it out with ``workshop.pdf`` and reads nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from workshop.pdf import DocMeta, frame_size, render
from workshop.pdf.flowables import para
from workshop.pdf.format import long_date, span
from workshop.pdf.styles import CUT, LIGHT, RULE
from workshop.text import plural


@dataclass(frozen=True)
class AgendaLine:
    """One block of the day: what happens, from when to when, for how long."""
    start: datetime | None
    end: datetime | None
    minutes: float
    what: str


@dataclass(frozen=True)
class AgendaStation:
    """A station as the run-sheet lists it."""
    title: str
    kind: str
    minutes: int
    prompt: str
    materials: str


@dataclass(frozen=True)
class AgendaModel:
    """Everything the agenda prints."""
    academy: str
    day: date | None
    lines: tuple[AgendaLine, ...]
    stations: tuple[AgendaStation, ...]
    rounds: int
    paths: tuple[tuple[str, tuple[str, ...]], ...]   # (group, station name of each round)


def agenda_model(data, academy_id: int) -> AgendaModel:
    """The agenda of one academy; ``data`` is a ``stations.handouts.data.StationHandouts``."""
    academy = data.academies.get(academy_id)
    schedule = data.rotation.plan(academy_id)
    lines = []
    for phase in schedule.phases:
        minutes = (phase.end_s - phase.start_s) / 60
        if phase.phase == "round":
            what = f"Round {phase.round} — every group at its station"
        elif phase.phase == "transition":
            what = f"Move to the next station (after round {phase.round})"
        else:
            what = "Debrief: reflections from every station"
        lines.append(AgendaLine(schedule.at(phase.start_s), schedule.at(phase.end_s), minutes,
                                what))
    stations = tuple(AgendaStation(s.title, s.kind_label, s.minutes, s.prompt, s.materials)
                     for s in schedule.stations)
    paths = tuple((g.name, tuple(schedule.station(p).name for p in schedule.path(g.index)))
                  for g in schedule.groups)
    day = academy.start_date or (schedule.planned_start.date()
                                 if isinstance(schedule.planned_start, datetime) else None)
    return AgendaModel(academy.title, day, tuple(lines), stations, len(schedule.rounds), paths)


def _grid(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), RULE, CUT)]))
    return table


def agenda_story(model: AgendaModel, paper: str | None = None) -> list:
    """The agenda's flowables: the run-sheet, the stations, the groups' paths."""
    width, _ = frame_size(paper)
    story = [para("Agenda and run-sheet", "title"),
             para(f"{plural(model.rounds, 'round')}, {plural(len(model.stations), 'station')}, "
                  f"{plural(len(model.paths), 'group')}", "small"), Spacer(1, 3 * mm)]
    rows = [[para("Time", "cell_bold"), para("Minutes", "cell_bold"), para("What", "cell_bold")]]
    rows += [[para(span(line.start, line.end), "cell"), para(f"{line.minutes:g}", "cell"),
              para(line.what, "cell")] for line in model.lines]
    story += [_grid(rows, [30 * mm, 18 * mm, width - 48 * mm]), Spacer(1, 5 * mm),
              para("Stations", "h2")]
    for s in model.stations:
        block = [para(s.title, "cell_bold"), para(f"{s.kind} · {s.minutes} min", "small")]
        if s.prompt:
            block.append(para(f"Prompt: {s.prompt}", "cell"))
        if s.materials:
            block.append(para(f"Materials: {s.materials}", "cell"))
        story.append(KeepTogether(block + [Spacer(1, 2.5 * mm)]))
    if model.paths:
        story += [Spacer(1, 3 * mm), para("Each group's path", "h2")]
        head = [para("Group", "cell_bold")] + [para(f"Round {r + 1}", "cell_bold")
                                               for r in range(model.rounds)]
        rows = [head] + [[para(name, "cell")] + [para(s, "cell") for s in path]
                         for name, path in model.paths]
        first = 30 * mm
        rest = (width - first) / max(model.rounds, 1)
        story.append(_grid(rows, [first] + [rest] * model.rounds))
    return story


def render_agenda(model: AgendaModel, paper: str | None = None) -> bytes:
    """The agenda as PDF bytes (module level: the pack may render it in a worker)."""
    return render(agenda_story(model, paper),
                  DocMeta(title="Agenda", academy=model.academy, date_text=long_date(model.day)),
                  paper=paper)
