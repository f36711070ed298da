"""Stations handouts as PDF bytes: the debrief, station signs and group cards.

Each renderer takes a print model (``stations.handouts.models``) and lays it out with the shared
mechanics of ``workshop.pdf``; nothing here reads the database.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, KeepInFrame, KeepTogether, PageBreak, Spacer,
                                Table, TableStyle)

from stations.handouts.cards import beside_personal_code
from stations.handouts.signs import sign_codes
from stations.handouts.models import DebriefModel, GroupCardsModel, SignsModel
from workshop.pdf import DocMeta, frame_size, render
from workshop.pdf import fonts
from workshop.pdf.fonts import markup
from workshop.pdf.flowables import Para, WriteLines, para, rich
from workshop.pdf.format import hhmm, long_date, minutes_delta, span
from workshop.pdf.styles import ACCENT, CUT, LIGHT, RULE, styles
from workshop.text import plural

CARDS_ACROSS = 2
CARD_PADDING = 4 * mm
CARD_MIN_HEIGHT = 55 * mm
CHECKIN_COLUMNS = 3


def _table(rows, widths, header=True, zebra=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
             ("LINEBELOW", (0, 0), (-1, -1), RULE, CUT)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    if zebra and len(rows) > 2:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, "#f7f9fb"]))
    table.setStyle(TableStyle(style))
    return table


def _prompt_box(text: str, width: float) -> Table:
    box = Table([[para(text, "body")]], colWidths=[width])
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                             ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return box


# -- debrief ---------------------------------------------------------------------------------
def debrief_story(model: DebriefModel, paper: str | None = None) -> list:
    width, _ = frame_size(paper)
    story = [para(f"Debrief — {model.scope}", "title"),
             para(" · ".join(x for x in (model.academy, long_date(model.day)) if x), "subtitle", direction="ltr")]
    if model.members:
        story.append(rich([("b", "In this group: "), ("", ", ".join(model.members))]))
    story.append(para("The rotation as it ran", "h2"))
    if not model.rotation_started:
        story.append(para("The rotation has not run yet: the times below are the plan.", "small"))
    elif not model.finished:
        story.append(para("The rotation had not finished when this was printed.", "small"))
    rows = [[para(h, "cell_bold") for h in ("Round", "Planned", "Actual", "Difference",
                                            "Where each group was")]]
    for r in model.rounds:
        planned, actual = r.planned.minutes, r.actual.minutes
        diff = (actual - planned) if planned is not None and actual is not None else None
        where = "<br/>".join(f"{markup(station)}: {markup(', '.join(groups))}"
                             for station, groups in r.placements if groups)
        rows.append([para(str(r.number), "cell"), para(span(r.planned.start, r.planned.end), "cell"),
                     para(span(r.actual.start, r.actual.end), "cell"),
                     para(minutes_delta(diff) + (f" ({r.note})" if r.note else ""), "cell"),
                     Para(where or "—", styles()["cell"])])
    story.append(_table(rows, [15 * mm, 25 * mm, 25 * mm, 25 * mm, width - 90 * mm]))

    for station in model.stations:
        story.append(CondPageBreak(60 * mm))
        story.append(para(station.title, "h2"))
        story.append(para(station.kind_label, "small"))
        if station.debrief_prompt:
            story.append(_prompt_box(station.debrief_prompt, width))
        story.append(Spacer(0, 2 * mm))
        if station.checkins:
            story.append(_checkin_grid(f"Who checked in ({len(station.checkins)})",
                                       station.checkins, width))
        else:
            story += [para("Who checked in", "h3"), para("Nobody checked in here.", "small")]
        story.append(para(f"Reflections ({len(station.reflections)})", "h3"))
        for reflection in station.reflections:
            story.append(para(f"“{reflection.text}”", "body"))
            story.append(para(f"— {reflection.author}" if reflection.author else "— anonymous",
                              "small"))
        if not station.reflections:
            story.append(para("No reflections were shared for this station." if not model.members
                              else "No named reflections from this group here; anonymous ones "
                                   "are on the whole-academy debrief.", "small"))
        story.append(KeepTogether([Spacer(0, 2 * mm),
                                   WriteLines(model.write_lines, "Your notes on this station")]))
    if model.not_checked_in:
        story.append(para(f"Not checked in anywhere ({len(model.not_checked_in)})", "h2"))
        story.append(para(", ".join(model.not_checked_in)))
    return story


def _checkin_grid(heading: str, checkins, width) -> Table:
    """Three columns of names; the heading is the table's repeated first row, so a long list
    splits across pages under its heading instead of jumping whole to the next page."""
    cells = []
    for c in checkins:
        where = f"round {c.round}, " if c.round else ""
        extra = "walk-in" if c.walk_in else c.group
        cells.append([para(c.participant, "cell"),
                      para(f"{extra + ', ' if extra else ''}{where}{hhmm(c.time)}", "small")])
    rows = [cells[i:i + CHECKIN_COLUMNS] for i in range(0, len(cells), CHECKIN_COLUMNS)]
    rows[-1] += [""] * (CHECKIN_COLUMNS - len(rows[-1]))
    rows.insert(0, [para(heading, "h3")] + [""] * (CHECKIN_COLUMNS - 1))
    table = _table(rows, [width / CHECKIN_COLUMNS] * CHECKIN_COLUMNS, header=False, zebra=False)
    table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (0, 0), 0),
                               ("LINEBELOW", (0, 0), (-1, 0), 0, colors.white)]))
    table.repeatRows = 1
    return table


def render_debrief(model: DebriefModel, paper: str | None = None) -> bytes:
    return render(debrief_story(model, paper), _meta(model.academy, "Debrief", model.day),
                  paper=paper)


def render_debriefs(models: list[DebriefModel], paper: str | None = None) -> bytes:
    """Several debriefs (the academy's, then each group's) in one file, each from a new page."""
    story: list = []
    for i, model in enumerate(models):
        if i:
            story.append(PageBreak())
        story += debrief_story(model, paper)
    first = models[0]
    return render(story, _meta(first.academy, "Debrief", first.day), paper=paper)


# -- station signs ---------------------------------------------------------------------------
def signs_story(model: SignsModel, paper: str | None = None) -> list:
    width, height = frame_size(paper, furniture=False)
    story: list = []
    for i, sign in enumerate(model.signs):
        if i:
            story.append(PageBreak())
        page = [_colour_band(sign, width), Spacer(0, 4 * mm),
                para(sign.name, "sign_title"),
                # Default stations are named after their kind: say it once.
                para(f"{sign.kind_label} · {plural(sign.minutes, 'minute')}"
                     if sign.kind_label.casefold() != sign.name.casefold()
                     else plural(sign.minutes, "minute"), "sign_kind")]
        if sign.prompt:
            page.append(para(sign.prompt, "sign_prompt"))
        page += sign_codes(model, sign, width)  # with the Wi-Fi code and its address (issue 19)
        if sign.materials:
            page += [Spacer(0, 6 * mm), para(f"Materials: {sign.materials}", "sign_url")]
        page += [Spacer(0, 4 * mm), para(model.academy, "small")]
        # A long prompt shrinks the page to fit rather than spilling the sign onto two sheets.
        story.append(KeepInFrame(width, height, page, mode="shrink"))
    return story


def render_signs(model: SignsModel, paper: str | None = None) -> bytes:
    meta = _meta(model.academy, "Station signs", None)
    meta.furniture = False
    return render(signs_story(model, paper), meta, paper=paper)


def _colour_band(sign, width) -> Table:
    """The station's projector colour across the top, its name written in it (never colour
    alone: the name is there for anyone who cannot tell the colours apart)."""
    band = Table([[f"Station {sign.position} · {sign.colour_name}" if sign.colour_name
                   else f"Station {sign.position}"]],
                 colWidths=[width], rowHeights=[12 * mm])
    band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(sign.colour or "#ffffff")),
                              ("FONTNAME", (0, 0), (-1, -1), fonts.BOLD),
                              ("FONTSIZE", (0, 0), (-1, -1), 14),
                              ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor("#111111")),
                              ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return band


# -- group cards -----------------------------------------------------------------------------
def cards_story(model: GroupCardsModel, paper: str | None = None) -> list:
    width, height = frame_size(paper)
    card_w = width / CARDS_ACROSS
    rows_per_page = max(1, int(height // CARD_MIN_HEIGHT))
    card_h = height / rows_per_page - 0.5  # rounding must not push the last row over
    inner_w, inner_h = card_w - 2 * CARD_PADDING, card_h - 2 * CARD_PADDING
    cells = [KeepInFrame(inner_w, inner_h, _card(card, inner_w), mode="shrink")
             for card in model.cards]
    if not cells:
        return [para("Group cards", "title"),
                para("No groups are saved for this academy yet: form groups first.", "body")]
    rows = [cells[i:i + CARDS_ACROSS] for i in range(0, len(cells), CARDS_ACROSS)]
    rows[-1] += [""] * (CARDS_ACROSS - len(rows[-1]))
    table = Table(rows, colWidths=[card_w] * CARDS_ACROSS, rowHeights=[card_h] * len(rows))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CARD_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CARD_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CARD_PADDING), ("BOTTOMPADDING", (0, 0), (-1, -1), CARD_PADDING),
        # Dashed cut lines around every card.
        ("GRID", (0, 0), (-1, -1), 0.5, CUT, None, (3, 2)),
    ]))
    return [table]


def _card(card, width) -> list:
    rows = [["", para(f"Round {s.round}", "cell_bold"), para(span(s.start, s.end), "cell"),
             para(s.station, "cell")] for s in card.stops]
    stops = Table(rows or [[para("No rotation planned yet.", "small")]],
                  colWidths=[2.5 * mm, 17 * mm, 24 * mm, width - 43.5 * mm] if rows else [width])
    # A swatch of each station's colour beside its name, as on the signs and the projector.
    stops.setStyle(TableStyle([("BACKGROUND", (0, i), (0, i), colors.HexColor(s.colour))
                               for i, s in enumerate(card.stops) if s.colour]))
    stops.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("LINEABOVE", (0, 0), (-1, 0), RULE, CUT)]))
    flow = [para(card.participant, "card_title")]
    if card.school:
        flow.append(para(card.school, "small"))
    flow += [Spacer(0, 1.5 * mm), rich([("", "Your group: "), ("b", card.group or "—")])]
    flow = beside_personal_code(flow, card.link, width, card.code)  # their own link (issue 19)
    return flow + [Spacer(0, 1.5 * mm), stops]


def render_group_cards(model: GroupCardsModel, paper: str | None = None) -> bytes:
    return render(cards_story(model, paper), _meta(model.academy, "Group cards", model.day),
                  paper=paper)


def _meta(academy: str, title: str, day) -> DocMeta:
    return DocMeta(title=title, academy=academy, date_text=long_date(day))
