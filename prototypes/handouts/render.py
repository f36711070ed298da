"""Prototype handouts as PDF bytes: the prototype PDF (every field, the safe-to-try check, the
team's initiative map as vector graphics, the iteration timeline, and the exchange JSON embedded
as ``prototype.json``) and the iteration log (recorded PDSA cycles, then blank ones to fill in).

Renderers take print models (``prototypes.handouts.models``) and never read the database.
"""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table,
                                TableStyle)

from prototypes.handouts.plan import plan_pages
from prototypes.handouts.charts import measures_section, stroke_lines
from prototypes.maps.drawing import Drawing
from prototypes.handouts.models import (CyclePrint, Entry, IterationLogPrint, MapPrint,
                                     PrototypePrint)
from workshop.pdf import DocMeta, frame_size, render
from workshop.pdf import fonts
from workshop.pdf.flowables import FixedForm, KeepPlain, Para, WriteLines, markup, para, rich
from workshop.pdf.format import long_date
from workshop.pdf.styles import CUT, LIGHT, MUTED, RULE, styles

ATTACHMENT = "prototype.json"
MAP_HEIGHT = 165 * mm      # most of a page: names on the map stay legible (≥ 6 pt)
LABEL_COLUMN = 48 * mm
LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b26a00", "high": "#b42318", "": "#5b6472"}
# Handwriting lines for each field of a blank PDSA cycle.
BLANK_LINES = {"The change we will try": 2, "Our question": 1, "We predict": 2,
               "How we will measure it": 2, "Who, where, when": 1, "What happened": 3,
               "Surprises": 2, "Results against the prediction": 3, "Next change": 2}
BLANK_LINE_GAP = 6.5 * mm


def _grid(rows, widths, style=()) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                               ("LINEBELOW", (0, 0), (-1, -1), RULE, CUT), *style]))
    return table


def _value(text: str):
    return para(text, "cell") if text else para("— not written yet", "small")


# Labels are the app's own wording, never participant text: a pre-wrapped plain string cell
# costs a fraction of a Paragraph, and a pack of 120 prototypes has thousands of them.
LABEL_CELLS = [("FONTNAME", (0, 0), (0, -1), fonts.BOLD), ("FONTSIZE", (0, 0), (0, -1), 8.5),
               ("LEADING", (0, 0), (0, -1), 11), ("TEXTCOLOR", (0, 0), (0, -1), MUTED)]


def _label(text: str, width: float = LABEL_COLUMN - 6, size: float = 8.5) -> str:
    return "\n".join(simpleSplit(text, fonts.BOLD, size, width))


def _entries(entries: list[Entry], width: float) -> Table:
    rows = [[_label(e.label), _value(e.text)] for e in entries]
    return _grid(rows, [LABEL_COLUMN, width - LABEL_COLUMN], LABEL_CELLS)


def _dates(started, finished) -> str:
    if not started:
        return ""
    return f"{long_date(started)} – {long_date(finished) if finished else 'ongoing'}"


def _cycle(cycle: CyclePrint, width: float) -> list:
    head = f"Cycle {cycle.number}"
    sub = " · ".join(x for x in (_dates(cycle.started_on, cycle.finished_on),
                                 f"Decision: {cycle.decision}" if cycle.decision else "") if x)
    flow = [para(head, "h3")]
    if sub:
        flow.append(para(sub, "small"))
    if cycle.tested_title:
        flow.append(para(f"Tested the version titled “{cycle.tested_title}”.", "small"))
    rows = []
    for step, entries in cycle.steps:
        # One paragraph per step (not per field): the same text for a third of the layout work.
        lines = [f"<b>{markup(e.label + ':', bold=True)}</b> "
                 f"{markup(e.text or '—').replace(chr(10), '<br/>')}" for e in entries]
        rows.append([step, Para("<br/>".join(lines), styles()["cell"])])
    flow.append(_grid(rows, [18 * mm, width - 18 * mm],
                      [("BACKGROUND", (0, 0), (0, -1), LIGHT), ("FONTNAME", (0, 0), (0, -1), fonts.BOLD),
                       ("FONTSIZE", (0, 0), (0, -1), 9)]))
    return [KeepPlain(flow)]


# -- the map ---------------------------------------------------------------------------------
class MapFlowable(Flowable):
    """The initiative map drawn from ``map_drawing`` primitives as vector graphics. The drawing
    model is y-down; reportlab is y-up, so every y becomes ``height - y``."""

    def __init__(self, drawing: Drawing, width: float, height: float):
        super().__init__()
        self.drawing = drawing.fitted(width, height, margin=2 * mm)
        self.width, self.height = width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        c, h = self.canv, self.height
        c.saveState()
        c.setLineJoin(1)
        stroke_lines(c, self.drawing.edges, h)
        for node in self.drawing.nodes:
            c.setFillColor(colors.HexColor(node.fill))
            c.setStrokeColor(colors.HexColor(node.stroke))
            c.setLineWidth(max(node.stroke_width, 0.3))
            c.setDash(list(node.dash) if node.dash else [])
            x0, y0, x1, y1 = node.bounds
            if node.shape == "ellipse":
                c.ellipse(x0, h - y1, x1, h - y0, stroke=1, fill=1)
            else:
                c.roundRect(x0, h - y1, x1 - x0, y1 - y0, node.corner, stroke=1, fill=1)
            c.setDash([])
            for line in node.lines:
                self._text(line)
        for e in self.drawing.edges:
            self._label(e)
        for sample, text in self.drawing.legend:
            c.setStrokeColor(colors.HexColor(sample.color))
            c.setLineWidth(max(sample.width, 0.3))
            c.setDash(list(sample.dash) if sample.dash else [])
            c.line(sample.x1, h - sample.y1, sample.x2, h - sample.y2)
            c.setDash([])
            self._text(text)
        c.restoreState()

    def _label(self, e) -> None:
        c, h = self.canv, self.height
        cx, cy = e.label_cx, e.label_cy   # labels slide along their line to stay clear
        c.setFillColor(colors.white)
        c.setStrokeColor(colors.HexColor(e.color))
        c.setLineWidth(0.4)
        c.roundRect(cx - e.label_hw, h - cy - e.label_hh, 2 * e.label_hw, 2 * e.label_hh,
                    e.label_hh / 2, stroke=1, fill=1)
        self._text(e.label)

    def _text(self, line) -> None:
        self.canv.setFillColor(colors.HexColor(line.color))
        fonts.draw_string(self.canv, line.x, self.height - line.y, line.text, line.size,
                          bold=line.bold, anchor="left" if line.anchor == "start" else "centre")


def _map_section(m: MapPrint, width: float, height: float) -> list:
    flow = [para(f"Initiative map — {m.title}", "h2"),
            rich([("b", "Vision: "), ("", m.vision or "not written yet")]),
            Spacer(0, 2 * mm), MapFlowable(m.drawing, width, min(MAP_HEIGHT, height - 75 * mm)),
            Spacer(0, 3 * mm)]
    rows = [[_label(head), para(text, "cell")] for head, text in m.analysis]
    flow.append(_grid(rows, [LABEL_COLUMN, width - LABEL_COLUMN], LABEL_CELLS))
    return [PageBreak()] + flow


# -- the prototype PDF -----------------------------------------------------------------------
def prototype_story(model: PrototypePrint, paper: str | None = None,
                    include_map: bool = True) -> list:
    """``include_map=False``: the map was drawn earlier in the same file (a team's folder
    draws the team's map once, with its first prototype)."""
    width, height = frame_size(paper)
    story = [para(model.title, "title"),
             para(" · ".join(x for x in (model.team, model.academy, f"Status: {model.status}") if x),
                  "subtitle", direction="ltr")]
    if model.history:
        story.append(para("History: " + " → ".join(f"{label} ({long_date(on)})"
                                                      for label, on in model.history), "small"))
    # Said up front: a note at the end would orphan onto a page of its own when the timeline
    # fills the last page.
    story.append(para("This PDF carries the prototype and its iterations: import it into the app "
                      "(Prototypes ▸ Import, drop it on the window, or workshop prototype import "
                      "FILE.pdf) to keep iterating.", "small"))
    story.append(para("The prototype", "h2"))
    story.append(_entries(model.fields, width))

    story.append(para("Safe-to-try check", "h2"))
    rows = [["Rollout risk", "Rating", "Mitigation"]]
    for risk in model.risks:
        level = risk.level.capitalize() if risk.level else "Not rated"
        rows.append([_label(risk.risk, 52 * mm, 9), level, _value(risk.mitigation)])
    table = _grid(rows, [58 * mm, 24 * mm, width - 82 * mm], [
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD),
        ("FONTNAME", (0, 1), (0, -1), fonts.REGULAR), ("FONTNAME", (1, 1), (1, -1), fonts.BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("LEADING", (0, 0), (-1, -1), 11.5)])
    table.setStyle(TableStyle([("TEXTCOLOR", (1, i), (1, i), colors.HexColor(LEVEL_COLOURS[r.level]))
                               for i, r in enumerate(model.risks, start=1)]))
    story.append(table)
    story += _consent(model)
    if model.blockers:
        story.append(para("Not yet safe to try", "h3"))
        story += [para(f"• {b}", "body") for b in model.blockers]

    if model.map is not None and include_map:
        story += _map_section(model.map, width, height)
    elif model.map is not None:
        story += [para(f"Initiative map — {model.map.title}", "h2"),
                  para("Drawn with the team's first prototype in this folder.", "small")]

    story.append(CondPageBreak(90 * mm))
    story.append(para("Iteration timeline", "h2"))
    if not model.cycles:
        story.append(para("No PDSA cycle recorded yet: the iteration log has blank cycles "
                          "for the first tries.", "small"))
    for cycle in model.cycles:
        story += _cycle(cycle, width)
    story += measures_section(model.charts, width)
    return story


def _consent(model: PrototypePrint) -> list:
    consent = model.consent
    flow = [para("Consent", "h3")]
    if consent.on is None and not consent.present and not consent.objections:
        return flow + [para("No consent check recorded yet.", "small")]
    flow.append(rich([("b", "Date: "), ("", long_date(consent.on) or "—"),
                      ("b", "   Present: "), ("", consent.present or "—")]))
    if consent.no_objection:
        flow.append(para("☑ No one sees a reason this is unsafe to try.", "body"))
    for i, (text, resolution) in enumerate(consent.objections, start=1):
        flow.append(rich([("b", f"Objection {i}: "), ("", text)]))
        flow.append(rich([("b", "Resolved: " if resolution else "Open — "),
                          ("", resolution or "not resolved yet")], "small"))
    return flow


def render_prototype(model: PrototypePrint, paper: str | None = None) -> bytes:
    """The prototype PDF, carrying its exchange JSON as an attachment when it has one."""
    meta = DocMeta(title="Prototype", academy=model.academy,
                   date_text=_footer(model.team, model.printed_on), subject=model.title)
    if model.attachment:
        meta.attachments = {ATTACHMENT: model.attachment}
    return render(prototype_story(model, paper), meta, paper=paper)


# -- the iteration log -----------------------------------------------------------------------
def iteration_log_story(model: IterationLogPrint, paper: str | None = None,
                        recorded: bool = True) -> list:
    """``recorded=False`` is the log inside a team's folder: the prototype with its essentials
    and its iteration timeline comes just before, so the log goes straight to blank cycles
    (its title on the page of the first one, a new page only when that one would not fit)."""
    width, height = frame_size(paper)
    head = [para(f"Iteration log — {model.title}", "title"),
            para(" · ".join(x for x in (model.team, model.academy, f"Status: {model.status}") if x),
                 "subtitle", direction="ltr")]
    blanks = [_blank_cycle(model, model.next_number + n) for n in range(model.blank_cycles)]
    if not recorded:
        # The team and academy are in the page header; a smaller title leaves the first blank
        # cycle room on the same sheet.
        head = [para(f"Iteration log — {model.title}", "h2")]
        if model.cycles:
            head.append(para(f"Cycles 1–{len(model.cycles)} are in the prototype's iteration "
                             "timeline; fill in the next ones here.", "small"))
        needed = _height(head + (blanks[0] if blanks else []), width)
        story = [CondPageBreak(needed)] + head
        if needed > height:   # cannot share a sheet: the cycle starts on its own
            story.append(PageBreak())
    else:
        story = head + [_entries(model.essentials, width), para("Recorded cycles", "h2")]
        if not model.cycles:
            story.append(para("None yet.", "small"))
        for cycle in model.cycles:
            story += _cycle(cycle, width)
        story += measures_section(model.charts, width, "Measures so far")
    for i, blank in enumerate(blanks):
        if i or recorded:
            # Each blank cycle on one sheet: a new page only when the rest of this one is short.
            story.append(CondPageBreak(_height(blank, width)))
        story += blank
    return story


def _height(flowables: list, width: float) -> float:
    """The height a run of flowables takes in a frame ``width`` wide (space-before/after
    included), to ask for exactly that much room."""
    global _MEASURE
    if _MEASURE is None:
        _MEASURE = Canvas(io.BytesIO())   # some flowables measure with their canvas
    total = 0.0
    # A fixed form is measured part by part, as the flowables it stands for were.
    flowables = [g for f in flowables for g in (f._content if isinstance(f, FixedForm) else [f])]
    for f in flowables:
        if isinstance(f, KeepTogether):   # it reports "too tall" rather than its height
            total += _height(f._content, width)
            continue
        total += f.wrapOn(_MEASURE, width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return total + 2   # rounding


_MEASURE = None


def _blank_cycle(model: IterationLogPrint, number: int) -> list:
    flow = [para(f"Cycle {number}", "h2"),
            para("Started ____________   Finished ____________", "body")]
    for step, labels in model.plan_labels:
        block = [para(step, "h3")]
        for label in labels:
            if label == "Decision":
                block.append(para("Decision:   ☐ Adopt    ☐ Adapt    ☐ Abandon", "body"))
                continue
            block.append(WriteLines(BLANK_LINES.get(label, 2), label, gap=BLANK_LINE_GAP))
        flow.append(KeepPlain(block))
    return [FixedForm(flow)]   # headings and lines only: one flowable with a fixed layout


def render_iteration_log(model: IterationLogPrint, paper: str | None = None) -> bytes:
    """The iteration log PDF: the cycles so far and blank ones to fill in by hand."""
    meta = DocMeta(title="Iteration log", academy=model.academy,
                   date_text=_footer(model.team, model.printed_on), subject=model.title)
    return render(iteration_log_story(model, paper), meta, paper=paper)


# -- a team's folder (the pack) --------------------------------------------------------------
def render_team_folder(items: list[tuple[PrototypePrint, IterationLogPrint]], academy: str,
                       team: str, paper: str | None = None, plan=None) -> bytes:
    """Every prototype of one team, each followed by its iteration log, in one file: the
    fonts are embedded once instead of once per prototype. Each prototype's JSON is attached
    (``prototype.json`` for one, ``prototype-1.json``… for several) so the file imports back."""
    story: list = plan_pages(plan, paper) if plan is not None else []  # the team's plan first
    files: dict[str, bytes] = {}
    for i, (proto, log) in enumerate(items, start=1):
        if story:
            story.append(PageBreak())
        story += (prototype_story(proto, paper, include_map=i == 1)
                  + iteration_log_story(log, paper, recorded=False))
        if proto.attachment:
            files[ATTACHMENT if len(items) == 1 else f"prototype-{i}.json"] = proto.attachment
    printed = items[0][0].printed_on if items else None
    meta = DocMeta(title="Prototypes", academy=academy, date_text=_footer(team, printed),
                   attachments=files)
    return render(story, meta, paper=paper)



def _footer(team: str, printed_on) -> str:
    return " · ".join(x for x in (team, f"printed {long_date(printed_on)}" if printed_on else "") if x)


def render_team_job(job: tuple, paper: str | None = None) -> bytes:
    """``render_team_folder`` for a pack worker process: ``job`` is (pairs, academy, team[,
    the team's PlanPrint or None])."""
    pairs, academy, team, *plan = job
    return render_team_folder(pairs, academy, team, paper, plan=plan[0] if plan else None)
