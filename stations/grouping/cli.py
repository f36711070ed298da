"""`workshop group INPUT.json` (or `-` for stdin): the grouping engine as a JSON filter.

Prints one JSON object (``rounds``, ``metrics``, ``unmet``, ``notes``) to stdout; invalid or
impossible input exits with code 2 and a message on stderr. No database is opened.
"""
from __future__ import annotations

import argparse
import json
import sys



def register(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop group`` to the CLI."""
    p = sub.add_parser("group", help="form groups from a JSON request (see docs/grouping.md)",
                       description="Form groups from a JSON request and print the result as JSON. "
                       "Only “participants” is required; see docs/grouping.md for every key.")
    p.add_argument("input", metavar="INPUT.json", help="the request file, or - to read stdin")
    p.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    p.set_defaults(handler=cmd_group)


def cmd_group(args, open_context) -> int:
    """Read the request, group, print the result as JSON (exit 2 for unreadable input)."""
    try:
        if args.input == "-":
            text = sys.stdin.read()
        else:
            with open(args.input, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except ValueError as exc:
        print(f"error: the input is not valid JSON ({exc})", file=sys.stderr)
        return 2
    # The engine is imported here, not at the top: `workshop --help` registers this command.
    from stations.grouping.contract import parse_request
    from stations.grouping.engine import solve
    from stations.grouping.request import prepare

    people, options = parse_request(data)
    result = solve(prepare(people, options))
    json.dump(result.to_json(), sys.stdout, indent=args.indent, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
