"""Headless commands of the shell: academies and rosters. Each handler is a thin layer over
the same services the window uses; it returns the exit code (0 ok, 2 bad input)."""
from __future__ import annotations

import argparse
import sys

from workshop.academy import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("academies", help="list the academies")
    p.set_defaults(handler=cmd_academies)

    academy = sub.add_parser("academy", help="manage academies")
    academy_sub = academy.add_subparsers(dest="academy_command", required=True, metavar="ACTION")
    create = academy_sub.add_parser("create", help="create an academy")
    create.add_argument("title")
    create.add_argument("--place", default="")
    create.add_argument("--facilitator", default="")
    create.set_defaults(handler=cmd_academy_create)


def cmd_academies(args, open_context) -> int:
    ctx = open_context()
    for a in ctx.academies.list():
        people = len(ctx.academies.participants(a.id))
        print(f"{a.id}\t{a.title}\t{people} participants")
    return 0


def cmd_academy_create(args, open_context) -> int:
    ctx = open_context()
    try:
        a = ctx.academies.create(args.title, place=args.place, facilitator=args.facilitator)
    except ValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Created academy {a.id}: {a.title}")
    return 0
