"""The tables facilitators ask for, as rows: reflections with their moderation, attendance per
round, groups per round (``workshop export …`` writes them as CSV or .xlsx)."""
from __future__ import annotations

import argparse
from datetime import timezone

from workshop.errors import ValidationError
from workshop.text import fold, plural
from workshop.timefmt import local_minute

TABLES = ("reflections", "attendance", "groups")


def reflections(ctx, academy_id: int) -> tuple[list[str], list[list[object]]]:
    """Every reflection, hidden ones included and marked: an anonymous one has no author
    (none was ever stored)."""
    stations = {s.position: s.title for s in ctx.stations.stations(academy_id)}
    rows = [[stations.get(r.station_position, f"Station {r.station_position}"), r.text,
             "" if r.anonymous else (r.author or ""), "yes" if r.anonymous else "no",
             "hidden" if r.hidden else "shown",
             local_minute(r.at.astimezone(timezone.utc).isoformat())]
            for r in ctx.join.reflections(academy_id, include_hidden=True)]
    return ["Station", "Reflection", "Author", "Anonymous", "Moderation", "Written at"], rows


def attendance(ctx, academy_id: int) -> tuple[list[str], list[list[object]]]:
    """One row per person: their group, and per round the station they were expected at and
    the one(s) they checked in at (the current run of the rotation)."""
    schedule = ctx.rotation.plan(academy_id)
    expected: dict[int, list[str]] = {}
    group_of: dict[int, str] = {}
    for g in schedule.groups:
        for pid in g.member_ids:
            group_of[pid] = g.name
            expected[pid] = [schedule.station(p).name for p in schedule.path(g.index)]
    rounds = len(schedule.rounds)
    seen: dict[tuple[int, int], list[str]] = {}
    names = {s.position: s.name for s in ctx.stations.stations(academy_id)}
    for c in ctx.join.checkins(academy_id):
        key = (c.participant_id, max(c.round, 1))   # arrivals before the start count for round 1
        place = names.get(c.station_position, f"Station {c.station_position}")
        if place not in seen.setdefault(key, []):
            seen[key].append(place)
    header = ["Name", "School", "Group"]
    for r in range(1, rounds + 1):
        header += [f"Round {r} expected", f"Round {r} checked in"]
    rows = []
    for p in sorted(ctx.academies.participants(academy_id), key=lambda p: fold(p.name)):
        row: list[object] = [p.name, p.school, group_of.get(p.id, "")]
        for r in range(1, rounds + 1):
            path = expected.get(p.id, [])
            row += [path[r - 1] if r <= len(path) else "", ", ".join(seen.get((p.id, r), []))]
        rows.append(row)
    return header, rows


def groups(ctx, academy_id: int) -> tuple[list[str], list[list[object]]]:
    """One row per person and round of the saved grouping (re-mixed days have several)."""
    people = {p.id: p for p in ctx.academies.participants(academy_id)}
    rows: list[list[object]] = []
    for number in range(1, 100):
        saved = ctx.grouping.saved_groups(academy_id, number)
        if not saved:
            break
        for g in saved:
            for pid in g.member_ids:
                p = people.get(pid)
                if p is not None:
                    rows.append([number, g.name, p.name, p.school, p.role, p.readiness])
    return ["Round", "Group", "Name", "School", "Role", "Readiness"], rows


def register(sub: argparse._SubParsersAction) -> None:
    """``workshop export reflections|attendance|groups --academy T --out FILE.csv|.xlsx``."""
    p = sub.add_parser("export", help="write reflections, attendance or groups as CSV or .xlsx")
    p.add_argument("table", choices=TABLES, metavar="{" + "|".join(TABLES) + "}")
    p.add_argument("--academy", required=True, metavar="TITLE")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="the file to write: .csv or .xlsx (by its name)")
    p.set_defaults(handler=cmd_export)


def cmd_export(args, open_context) -> int:
    from workshop.handouts.tables import write_table
    if not args.out.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(f"Name the file .csv or .xlsx (got “{args.out}”).")
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    header, rows = {"reflections": reflections, "attendance": attendance,
                    "groups": groups}[args.table](ctx, academy.id)
    write_table(args.out, header, rows, sheet=args.table.capitalize())
    print(f"Wrote {args.out}: {plural(len(rows), 'row')} of {args.table} of “{academy.title}”")
    return 0
