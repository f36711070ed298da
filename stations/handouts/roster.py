"""The roster print-out (issue 19 item 1): everyone on the roster, by name, each with their own
QR code — for the welcome table, where someone without a group card scans theirs once and every
station afterwards checks them in with one tap."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from stations.handouts.cards import PERSONAL_QR
from stations.handouts.models import RosterModel
from workshop.pdf import DocMeta, frame_size, render
from workshop.pdf.flowables import QrCode, para
from workshop.pdf.format import long_date
from workshop.pdf.styles import CUT
from workshop.text import plural

ACROSS = 3          # three people a row: a code apart from its neighbours scans on its own
PADDING = 3 * mm


def _entry(entry, width: float) -> Table:
    words = [para(entry.participant, "cell_bold")]
    if entry.school:
        words.append(para(entry.school, "small"))
    if entry.group:
        words.append(para(entry.group, "small"))
    code = (QrCode(entry.code or entry.link, size=PERSONAL_QR) if entry.link
            else para("No link yet", "small"))
    cell = Table([[code, words]], colWidths=[PERSONAL_QR + 2 * mm, width - PERSONAL_QR - 2 * mm])
    cell.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return cell


def roster_story(model: RosterModel, paper: str | None = None) -> list:
    """The print-out's title, a line on how to use it, and the grid of people."""
    width, _ = frame_size(paper)
    story = [para("Roster — personal check-in codes", "title"),
             para(f"{plural(len(model.entries), 'person', 'people')}. Scan your own code once "
                  "with your phone; at each station, scan its code: one tap checks you in.",
                  "subtitle")]
    if not model.entries:
        return story + [para("Nobody is on the roster yet.", "body")]
    column = width / ACROSS
    cells = [_entry(e, column - 2 * PADDING) for e in model.entries]
    rows = [cells[i:i + ACROSS] for i in range(0, len(cells), ACROSS)]
    rows[-1] += [""] * (ACROSS - len(rows[-1]))
    grid = Table(rows, colWidths=[column] * ACROSS)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                              ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                              ("TOPPADDING", (0, 0), (-1, -1), PADDING),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
                              ("GRID", (0, 0), (-1, -1), 0.5, CUT, None, (3, 2))]))
    return story + [grid]


def render_roster(model: RosterModel, paper: str | None = None) -> bytes:
    """The roster print-out as PDF bytes."""
    return render(roster_story(model, paper),
                  DocMeta(title="Roster", academy=model.academy, date_text=long_date(model.day)),
                  paper=paper)
