"""``workshop academy export|import|delete``: whole academies, a thin layer over BundleService."""
from __future__ import annotations

import argparse
import sys

from workshop.text import plural


def register(academy_sub: argparse._SubParsersAction) -> None:
    """Add ``export``, ``import`` and ``delete`` under ``workshop academy``."""
    exp = academy_sub.add_parser(
        "export", help="write a whole academy to one bundle file (plain SQLite, the app's schema)")
    exp.add_argument("--academy", required=True, metavar="TITLE")
    exp.add_argument("--out", required=True, metavar="FILE")
    exp.set_defaults(handler=cmd_export)
    imp = academy_sub.add_parser(
        "import", help="restore an academy from a bundle; one already here is merged")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--as", dest="as_title", metavar="TITLE",
                     help="import under this title (a copy beside the academy already here)")
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--replace", dest="on_conflict", action="store_const", const="replace",
                        help="where both changed a row, take the bundle's")
    choice.add_argument("--keep-local", dest="on_conflict", action="store_const",
                        const="keep_local", help="where both changed a row, keep the copy here")
    imp.set_defaults(handler=cmd_import, on_conflict="ask")
    delete = academy_sub.add_parser(
        "delete", help="delete an academy and everything in it; nothing of it stays in the file")
    delete.add_argument("--academy", required=True, metavar="TITLE")
    delete.add_argument("--yes", action="store_true", help="yes, delete it (required)")
    delete.set_defaults(handler=cmd_delete)


def cmd_export(args, open_context) -> int:
    """``academy export``: one line saying what was written."""
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    counts = ctx.bundles.export(academy.id, args.out)
    print(f"Exported “{academy.title}” to {args.out}: "
          f"{plural(sum(counts.values()), 'row')} in {plural(len(counts), 'table')}")
    return 0


def cmd_import(args, open_context) -> int:
    """``academy import``: the merge report."""
    ctx = open_context()
    report = ctx.bundles.import_file(args.file, as_title=args.as_title,
                                     on_conflict=args.on_conflict)
    print(report.format())
    return 0


def cmd_delete(args, open_context) -> int:
    """``academy delete``: refuses without ``--yes``."""
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    if not args.yes:
        print(f"error: deleting “{academy.title}” removes its roster, rotations, check-ins, "
              "reflections, prototypes and maps for good; add --yes to do it.", file=sys.stderr)
        return 2
    ctx.bundles.purge(academy.id)
    print(f"Deleted academy “{academy.title}”; nothing of it is left in the file.")
    return 0
