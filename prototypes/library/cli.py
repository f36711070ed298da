"""``workshop library build|serve|search``: the district library."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workshop.errors import ValidationError
from workshop.text import plural


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``library build``, ``library serve`` and ``library search``."""
    library = sub.add_parser("library", help="a district library of many academies' bundles")
    lib_sub = library.add_subparsers(dest="library_command", required=True, metavar="ACTION")
    build = lib_sub.add_parser("build", help="merge academy bundles into one library file")
    build.add_argument("--out", required=True, metavar="LIBRARY.sqlite")
    build.add_argument("bundles", nargs="+", metavar="BUNDLE")
    build.add_argument("--with-people", action="store_true",
                       help="keep participants' names and emails and prototype owners "
                       "(left out by default)")
    build.set_defaults(handler=cmd_build)
    serve = lib_sub.add_parser("serve", help="publish a library read-only with Datasette")
    serve.add_argument("library", metavar="LIBRARY.sqlite")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    serve.set_defaults(handler=cmd_serve)
    search = lib_sub.add_parser("search", help="search a library's prototypes")
    search.add_argument("library", metavar="LIBRARY.sqlite")
    search.add_argument("words", nargs="*")
    search.set_defaults(handler=cmd_search)


def _existing(path: str) -> Path:
    if not Path(path).is_file():
        raise ValidationError(f"There is no library at {path}; build one with "
                              "`workshop library build`.")
    return Path(path)


def cmd_build(args, open_context) -> int:
    from prototypes.library.build import build
    written = build(open_context().bundles, args.out, args.bundles, with_people=args.with_people)
    print(f"{args.out}: {written} of {plural(len(args.bundles), 'bundle')} written")
    if args.bundles and not written:   # each bundle's reason is above; exit 2 says it in a line
        print(f"error: no bundle went into {args.out} (the reasons are above).", file=sys.stderr)
        return 2
    return 0


def cmd_serve(args, open_context) -> int:
    from prototypes.library.serve import serve
    path = _existing(args.library)
    print(f"Serving {path} read-only on http://{args.host}:{args.port}/ (Ctrl+C stops)")
    serve(path, args.host, args.port)
    return 0


def cmd_search(args, open_context) -> int:
    from prototypes.library import repository as repo
    from workshop.store import open_database
    db = open_database(_existing(args.library), wal=False)
    try:
        for row in repo.search(db, " ".join(args.words)):
            print(f"{row['id']}\t{row['title']}\t{row['team']}\t{row['academy']}\t{row['status']}")
    finally:
        db.close()
    return 0
