"""``workshop prototype measures`` and ``workshop prototype point``: read a prototype's run
charts in words, and add a data point from a script (a weekly export, a spreadsheet macro).
Exit codes as the other prototype commands: 0 done, 2 refused with one ``error:`` line and
nothing stored."""
from __future__ import annotations

import argparse
import sys

from workshop.errors import ValidationError
from workshop.timefmt import day


def register(actions: argparse._SubParsersAction) -> None:
    """Add ``measures`` and ``point`` to ``workshop prototype``."""
    listing = actions.add_parser("measures", help="a prototype's measures and what their run "
                                 "charts say")
    listing.add_argument("--id", type=int, required=True, metavar="N",
                         help="the prototype's number (see `workshop prototype list`)")
    listing.set_defaults(handler=cmd_measures)
    point = actions.add_parser("point", help="add a data point to a measure")
    point.add_argument("--measure", type=int, required=True, metavar="M",
                       help="the measure's number (see `workshop prototype measures`)")
    point.add_argument("value", help="the value, e.g. 74 or 12,5")
    point.add_argument("--on", metavar="YYYY-MM-DD", default=None,
                       help="the date it was collected (default: today)")
    point.add_argument("--note", default="", help="a short note")
    point.set_defaults(handler=cmd_point)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_measures(args, open_context) -> int:
    """One block per measure: its number and label, its points' span, then its words."""
    ctx = open_context()
    try:
        p = ctx.prototypes.get(args.id)
        series = ctx.prototypes.measures.all_series(p.id)
    except ValidationError as exc:
        return _error(str(exc))
    if not series:
        print(f"“{p.title}” has no measures yet.", file=sys.stderr)
        return 0
    for s in series:
        span = (f"{day(s.points[0].on)} – {day(s.points[-1].on)}" if s.points else "no points")
        print(f"{s.measure.id}\t{s.measure.label}\t{len(s.points)} points\t{span}")
        for line in s.words():
            print(f"\t{line}")
    return 0


def cmd_point(args, open_context) -> int:
    """Add one point; says what was added."""
    ctx = open_context()
    try:
        m = ctx.prototypes.measures.measure(args.measure)
        point = ctx.prototypes.measures.add_point(m.id, args.value, on=args.on or None,
                                                  note=args.note)
    except ValidationError as exc:
        return _error(f"{exc} Nothing was added.")
    from prototypes.measures.model import format_value   # here: `--help` need not load it
    print(f"Added {format_value(point.value)} on {day(point.on)} to “{m.label}” "
          f"(point {point.id}).")
    return 0
