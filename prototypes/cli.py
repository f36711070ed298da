"""Headless commands of the prototypes feature."""
from __future__ import annotations

import argparse

import prototypes.library.cli
import sys
from pathlib import Path

from prototypes.measures import cli as measures_cli
from workshop.errors import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's sub-commands; each sets ``handler(args, open_context) -> int``."""
    _register_prototype(sub)
    prototypes.library.cli.register(sub)   # workshop library build|serve|search


# -- workshop prototype list / export / import -------------------------------------------------
# Exit codes: 0 done, 2 refused with one `error:` line (a bad or hostile file, an unknown id or
# academy: as every other command), 3 a conflict needs a decision (run again with --replace or
# --keep-local); nothing is changed unless the exit code is 0.
def _register_prototype(sub: argparse._SubParsersAction) -> None:
    proto = sub.add_parser("prototype", help="list, export and import safe-to-try prototypes")
    actions = proto.add_subparsers(dest="prototype_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list prototypes (of one academy, or all)")
    listing.add_argument("--academy", metavar="TITLE", help="only this academy's prototypes")
    listing.add_argument("--search", metavar="WORDS", default="",
                         help="only prototypes matching these words (any field, prefixes)")
    listing.set_defaults(handler=cmd_prototype_list)
    export = actions.add_parser("export", help="write one prototype with its iterations as JSON")
    export.add_argument("--id", type=int, required=True, metavar="N",
                        help="the prototype's number (see `workshop prototype list`)")
    export.add_argument("--out", required=True, metavar="FILE.json",
                        help="where to write it (- for standard output)")
    export.set_defaults(handler=cmd_prototype_export)
    imp = actions.add_parser("import", help="create or update a prototype from an export")
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--academy", metavar="TITLE",
                     help="import into this academy (default: where it already is, else the "
                          "academy named in the file, created if missing)")
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--replace", dest="on_conflict", action="store_const", const="replace",
                        help="if the copy here was changed, overwrite it with the file's version")
    choice.add_argument("--keep-local", dest="on_conflict", action="store_const",
                        const="keep_local", help="if the copy here was changed, keep it")
    imp.set_defaults(handler=cmd_prototype_import, on_conflict="ask")
    measures_cli.register(actions)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_prototype_list(args, open_context) -> int:
    """``prototype list``: one tab-separated line per prototype."""
    ctx = open_context()
    try:
        academy_id = ctx.academies.find(args.academy).id if args.academy else None
    except ValidationError as exc:
        return _error(str(exc))
    from prototypes.prototype import STATUSES   # here, not at the top: `--help` stays light
    rows = ctx.prototypes.search(academy_id, args.search)
    for r in rows:
        where = "" if academy_id else f"\t{r.academy_title}"
        print(f"{r.id}\t{r.title}\t{r.team or '-'}\t{STATUSES[r.status]}\t"
              f"{r.iterations} iteration{'s' if r.iterations != 1 else ''}{where}")
    if not rows:
        print("No prototypes." if not args.search else f"No prototype matches “{args.search}”.",
              file=sys.stderr)
    return 0


def cmd_prototype_export(args, open_context) -> int:
    """``prototype export``: the exchange JSON to stdout or a file."""
    ctx = open_context()
    try:
        text = ctx.prototypes.export_json(args.id)
    except ValidationError as exc:
        return _error(str(exc))
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    try:
        # Write beside, then rename: a crash never leaves half a file under the real name.
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        return _error(f"Cannot write {out}: {exc.strerror}.")
    print(f"Wrote prototype {args.id} to {out}")
    return 0


def read_documents(path: str) -> list[dict]:
    """The parsed exports in FILE: a JSON export, or a PDF handout's attachments (a prototype
    PDF carries one, a team's folder one per prototype)."""
    from prototypes.exchange import files
    return files.read_documents(path)


def cmd_prototype_import(args, open_context) -> int:
    """``prototype import``: JSON exports or PDF handouts, all or nothing."""
    from prototypes.exchange.format import ConflictError  # not on `workshop --help`'s path
    ctx = open_context()
    try:
        documents = read_documents(args.file)
        academy_id = ctx.academies.find(args.academy).id if args.academy else None
        # a team's folder imports whole or not at all
        results = ctx.prototypes.import_documents(documents, academy_id, on_conflict=args.on_conflict)
    except ConflictError as exc:
        print(f"conflict: {exc}\nNothing was changed. Run again with --replace to take the "
              "file's version, or --keep-local to keep the copy here.", file=sys.stderr)
        return 3
    except ValidationError as exc:
        return _error(f"{args.file}: {exc} Nothing was imported.")
    for result in results:
        print(result.message)
    return 0
