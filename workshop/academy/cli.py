"""Headless commands of the shell: academies and rosters. Each handler is a thin layer over
the same services the window uses; it returns the exit code (0 ok, 2 bad input)."""
from __future__ import annotations

import argparse
import sys

import workshop.bundle.cli
from workshop.text import plural


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``academies``, ``academy create`` and ``roster import|export`` to the CLI."""
    p = sub.add_parser("academies", help="list the academies")
    p.set_defaults(handler=cmd_academies)

    academy = sub.add_parser("academy", help="manage academies")
    academy_sub = academy.add_subparsers(dest="academy_command", required=True, metavar="ACTION")
    create = academy_sub.add_parser("create", help="create an academy")
    create.add_argument("title")
    create.add_argument("--place", default="")
    create.add_argument("--facilitator", default="")
    create.set_defaults(handler=cmd_academy_create)
    workshop.bundle.cli.register(academy_sub)   # export, import, delete: whole academies

    roster = sub.add_parser("roster", help="import or export an academy's roster")
    roster_sub = roster.add_subparsers(dest="roster_command", required=True, metavar="ACTION")
    imp = roster_sub.add_parser(
        "import", help="import a CSV/TSV or .xlsx roster (Eventbrite, Google Forms, Excel…); "
        "people already on the roster are merged, not duplicated")
    imp.add_argument("file", metavar="FILE", help="the roster file ('-' reads standard input)")
    imp.add_argument("--academy", required=True, metavar="TITLE")
    imp.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                     help="read column HEADER as FIELD (name, first_name, last_name, email, "
                     "school, role, readiness, or none); repeatable")
    imp.set_defaults(handler=cmd_roster_import)
    exp = roster_sub.add_parser("export", help="write the roster as CSV to standard output")
    exp.add_argument("--academy", required=True, metavar="TITLE")
    exp.add_argument("--csv", action="store_true", required=True,
                     help="CSV (the only format; formulas are neutralised)")
    exp.set_defaults(handler=cmd_roster_export)


def cmd_academies(args, open_context) -> int:
    """``academies``: one tab-separated line per academy, with its roster size."""
    listing = _read_only_listing(open_context)
    if listing is None:   # the file opened the full way: checked, upgraded if it must be
        ctx = open_context()
        listing = [(a, len(ctx.academies.participants(a.id))) for a in ctx.academies.list()]
    for a, people in listing:
        print(f"{a.id}\t{a.title}\t{plural(people, 'participant')}")
    return 0


def _read_only_listing(open_context) -> list | None:
    """The listing read without the context (``open_context.read_only()``: a healthy file at
    this version's schema), or None when that look is not possible or read anything odd: the
    full path then reads the file again and says what is wrong with it, as it always did."""
    from contextlib import closing

    from workshop.errors import ValidationError
    from workshop.store.health import FILE_FAILURES

    look = getattr(open_context, "read_only", None)
    conn = look() if look is not None else None
    if conn is None:
        return None
    from workshop.academy.repository import ReadOnlyAcademies
    try:
        with closing(conn):
            repo = ReadOnlyAcademies(conn)
            return [(a, len(repo.participants(a.id))) for a in repo.list_academies()]
    except (*FILE_FAILURES, ValidationError, KeyError, ValueError):
        return None


def cmd_academy_create(args, open_context) -> int:
    """``academy create``: a new, empty academy."""
    ctx = open_context()
    a = ctx.academies.create(args.title, place=args.place, facilitator=args.facilitator)
    print(f"Created academy {a.id}: {a.title}")
    return 0


def cmd_roster_import(args, open_context) -> int:
    """``roster import``: read a roster file, say how it was read, report every row."""
    from workshop.academy.roster.plan import read_roster, read_roster_bytes, with_map  # not on --help's path
    try:
        if args.file == "-":
            data = read_roster_bytes(sys.stdin.buffer)
        else:
            with open(args.file, "rb") as fh:
                data = read_roster_bytes(fh)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    plan = with_map(read_roster(data, source=args.file), args.map)
    print(f"Read {plan.describe()}")
    if plan.warning:
        print(f"warning: {plan.warning}", file=sys.stderr)
    mapped = ", ".join(f"{field} ← “{plan.columns[col]}”"
                       for field, col in plan.mapping.items() if col is not None)
    print(f"Columns: {mapped or 'none recognised'}")
    if plan.unused_columns:   # said, not dropped silently: --map can take any of them
        print("Not imported: " + ", ".join(f"“{c}”" for c in plan.unused_columns)
              + ' (to read one, add --map "HEADER=field")')
    report = ctx.academies.import_roster(academy.id, plan)
    print(report.format())
    return 0


def cmd_roster_export(args, open_context) -> int:
    """``roster export``: the roster as CSV on standard output."""
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    sys.stdout.write(ctx.academies.export_roster_csv(academy.id))
    return 0
