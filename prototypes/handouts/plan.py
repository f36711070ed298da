"""The team's vision poster and its one-page rollout plan as PDF bytes, from ``PlanPrint``
(``prototypes.handouts.plan_models``); never reads the database.

The plan is one page by design (a team pins it up): the content is laid out in a
``KeepInFrame`` that shrinks it to the page rather than spilling onto a second sheet. The
poster is the whole sheet, no header or footer: the rallying cry, the vision, what it
connects to and who carries it.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table, TableStyle

from prototypes.handouts.plan_models import PlanPrint, plan_print_for
from workshop.pdf import DocMeta, frame_size, render
from workshop.pdf import fonts
from workshop.pdf.flowables import para, rich
from workshop.pdf.format import long_date
from workshop.pdf.styles import ACCENT, CUT, LIGHT, RULE

POSTER_TOP = 30 * mm      # room above the rallying cry
# Every school is a team: "This academy has no team yet" sent facilitators to the roster.
NONE_YET = "No team has a vision or plan yet: write one on the Vision & plan page."


def _table(rows, widths, header: bool = True, style=()) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, -1), RULE, CUT),
        *([("BACKGROUND", (0, 0), (-1, 0), LIGHT)] if header else []), *style]))
    return table


def _cells(row, bold_first: bool = False) -> list:
    return [para(text, "cell_bold" if bold_first and i == 0 else "cell")
            for i, text in enumerate(row)]


def _head(*labels: str) -> list:
    return [para(label, "cell_bold") for label in labels]


def _names(title: str, names: list[str]) -> list:
    return [para(title, "label"), para("\n".join(names) if names else "—", "cell")]


def plan_story(model: PlanPrint, paper: str | None = None) -> list:
    """The one-page plan: vision, priorities and people, milestones by phase, measures,
    communication steps, early wins, and the checks that are still open."""
    width, height = frame_size(paper)
    flow: list = [para(f"Vision and rollout plan — {model.team}", "title")]
    if model.rallying_cry:
        flow.append(para(model.rallying_cry, "subtitle"))
    flow.append(rich([("b", "Our why: "), ("", model.vision or "not written yet")]))
    third = width / 3
    flow.append(_table([[_names("District priorities", model.priorities),
                         _names("Evangelists", model.evangelists),
                         _names("Skeptics to involve", model.skeptics)]],
                       [third] * 3, header=False))
    if model.phases:
        flow.append(para("Milestones", "h2"))
        rows = [_head("Milestone", "Owner", "Date", "Status", "Involves")]
        spans = []
        for phase, milestones in model.phases:
            spans.append(len(rows))
            rows.append([para(phase, "cell_bold"), "", "", "", ""])
            rows += [_cells(m) for m in milestones]
        flow.append(_table(rows, [width * 0.34, width * 0.14, width * 0.14, width * 0.1,
                                  width * 0.28],
                           style=[s for r in spans for s in (("SPAN", (0, r), (-1, r)),
                                                             ("TEXTCOLOR", (0, r), (-1, r), ACCENT))]))
    if model.measures:
        flow.append(para("Measures of success", "h2"))
        rows = [_head("Measure", "Checkpoints", "On track means", "Support when off track")]
        rows += [_cells(m, bold_first=True) for m in model.measures]
        flow.append(_table(rows, [width * 0.24, width * 0.28, width * 0.22, width * 0.26]))
    if model.communications:
        flow.append(para("Who is told what, when", "h2"))
        rows = [_head("When", "Who", "What", "By")]
        rows += [_cells(c) for c in model.communications]
        flow.append(_table(rows, [width * 0.16, width * 0.22, width * 0.44, width * 0.18]))
    if model.wins:
        flow.append(para("Early wins to celebrate", "h2"))
        flow += [para(f"{'☑' if done else '☐'} {text}" + (f" — {when}" if when else ""), "body")
                 for text, when, done in model.wins]
    if model.warnings:
        flow.append(para("Still open", "h3"))
        flow += [para(f"• {w}", "small") for w in model.warnings]
    return [KeepInFrame(width, height, flow, mode="shrink")]


def poster_story(model: PlanPrint, paper: str | None = None, furniture: bool = False) -> list:
    """The vision poster: the whole sheet, big type, shrunk to fit a long vision
    (``furniture``: inside a file whose pages have a header and footer)."""
    width, height = frame_size(paper, furniture=furniture)
    flow: list = [Spacer(0, POSTER_TOP)]
    flow.append(para(model.rallying_cry or model.team, "sign_title"))
    flow.append(Spacer(0, 8 * mm))
    flow.append(para(model.vision or "Our vision is not written yet.", "sign_kind"))
    if model.priorities:
        flow.append(Spacer(0, 10 * mm))
        flow.append(para("It connects to", "sign_prompt", bold=True))
        flow += [para(p, "sign_prompt") for p in model.priorities]
    if model.evangelists:
        flow.append(Spacer(0, 8 * mm))
        flow.append(para("Carried by " + ", ".join(model.evangelists), "sign_url"))
    flow.append(Spacer(0, 12 * mm))
    flow.append(para(" · ".join(x for x in (model.team, model.academy) if x), "sign_url"))
    return [KeepInFrame(width, height, flow, mode="shrink")]


def plan_pages(model: PlanPrint, paper: str | None = None) -> list:
    """The plan page and the poster, for a file with header and footer (a team's folder)."""
    return plan_story(model, paper) + [PageBreak()] + poster_story(model, paper, furniture=True)


def _meta(model: PlanPrint, title: str, furniture: bool = True) -> DocMeta:
    printed = f"printed {long_date(model.printed_on)}" if model.printed_on else ""
    return DocMeta(title=title, academy=model.academy, subject=model.team, furniture=furniture,
                   date_text=" · ".join(x for x in (model.team, printed) if x))


def render_plan(model: PlanPrint, paper: str | None = None) -> bytes:
    """The one-page rollout plan, then the vision poster, in one file."""
    fonts.register_fonts()
    return render(plan_pages(model, paper),
                  _meta(model, "Vision and rollout plan"), paper=paper)


def render_poster(model: PlanPrint, paper: str | None = None) -> bytes:
    """The vision poster alone (no header or footer: the whole page is the poster)."""
    return render(poster_story(model, paper), _meta(model, "Vision", furniture=False),
                  paper=paper)


def render_plan_job(job: tuple, paper: str | None = None) -> bytes:
    """``render_plan`` for a pack worker: ``job`` is the PlanPrint (a module-level function)."""
    return render_plan(job, paper)


# -- handout kinds -----------------------------------------------------------------------------
def plan_kinds(data) -> list:
    """The ``plan`` and ``vision`` handouts, and the pack file of each team that has a plan
    but no prototype yet (a team with prototypes gets its plan in its folder).
    ``data``: ``prototypes.handouts.data.PrototypeHandouts`` (its service holds ``rollout``)."""
    from prototypes.values import shown
    from workshop.errors import ValidationError
    from workshop.text import fold
    from workshop.handouts.service import Choice, HandoutKind, PackItem, safe_filename

    def rollout():
        return getattr(data.prototypes, "rollout", None)

    def model(academy_id, team) -> PlanPrint:
        # A team typed on the command line matches as the library does (case, accents).
        known = teams(academy_id)
        name = next((t for t in known if fold(t) == fold(str(team or ""))), None)
        found = plan_print_for(rollout(), academy_id, name, long_date) if name else None
        if found is None:
            # The typed name is quoted back on one line and cut short (it came from outside).
            raise ValidationError(f"“{shown(team)}” has no vision or plan yet (teams with one: "
                                  f"{', '.join(known) or 'none'}); write it on the Vision & "
                                  "plan page.")
        return found

    def teams(academy_id) -> list:
        service = rollout()
        if service is None:
            return []
        return [t for t in service.repo.schools(academy_id)
                if not service.plan(academy_id, t).is_empty]

    def items(academy_id) -> list:
        with_prototypes = set(data.by_team(academy_id))
        return [PackItem(f"Prototypes/{safe_filename(team)}.pdf", f"Vision and plan of {team}",
                         lambda team=team: model(academy_id, team), render_plan_job)
                for team in teams(academy_id) if team not in with_prototypes]

    def choices(academy_id):
        return [Choice(t, t) for t in teams(academy_id)]

    return [
        HandoutKind("plan", "Vision and rollout plan",
                    lambda academy_id, paper, team: render_plan(model(academy_id, team), paper),
                    items, option="team", option_required=True, choices=choices, none_yet=NONE_YET,
                    description="A team's one-page rollout plan (milestones, measures, who is "
                                "told when, early wins) and its vision poster."),
        HandoutKind("vision", "Vision poster",
                    lambda academy_id, paper, team: render_poster(model(academy_id, team), paper),
                    lambda academy_id: [], option="team", option_required=True, choices=choices,
                    none_yet=NONE_YET,
                    description="A team's rallying cry and vision, a whole page to pin up."),
    ]
