"""`workshop group INPUT.json` (or `-` for stdin): the grouping engine as a JSON filter; and
`workshop groups form|show`: an academy's groups formed, saved and printed without the window.

``group`` prints one JSON object (``rounds``, ``metrics``, ``unmet``, ``notes``) and opens no
database; ``groups`` works on the data file. Invalid or impossible input exits with code 2
and a one-line message on stderr, and nothing is saved.
"""
from __future__ import annotations

import argparse
import json
import sys

# The argument choices come from the two light pure modules; the engine and the contract load
# inside the commands that use them (not on `workshop --help`'s path).
from stations.grouping.draft import LONE_ATTRIBUTES, Draft, GroupingRules, suggested_groups
from stations.grouping.request import STRATEGIES
from workshop.errors import ValidationError
from workshop.text import fold, plural


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop group`` to the CLI."""
    p = sub.add_parser("group", help="form groups from a JSON request (see docs/grouping.md)",
                       description="Form groups from a JSON request and print the result as JSON. "
                       "Only “participants” is required; see docs/grouping.md for every key.")
    p.add_argument("input", metavar="INPUT.json", help="the request file, or - to read stdin")
    p.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    p.set_defaults(handler=cmd_group)
    register_groups(sub)


MAX_REQUEST_BYTES = 16_000_000   # bytes; 10,000 people take about 1 MB


def _read_request(name: str) -> bytes:
    """The request's bytes, at most MAX_REQUEST_BYTES (a device or pipe that never ends is
    refused at the limit rather than read until memory runs out); raises OSError, ValueError."""
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read(MAX_REQUEST_BYTES + 1) if stream is not None else \
            sys.stdin.read(MAX_REQUEST_BYTES + 1).encode("utf-8", "surrogatepass")
    else:
        with open(name, "rb") as fh:
            raw = fh.read(MAX_REQUEST_BYTES + 1)
    if len(raw) > MAX_REQUEST_BYTES:
        raise ValueError(f"the input is more than {MAX_REQUEST_BYTES // 1_000_000} MB; a request "
                         "is at most that (10,000 people take about 1 MB)")
    return raw


def cmd_group(args, open_context) -> int:
    """Read the request, group, print the result as JSON (exit 2 for unreadable input)."""
    try:
        raw = _read_request(args.input)
    except OSError as exc:
        print(f"error: cannot read {args.input}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}.", file=sys.stderr)
        return 2
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        print(f"error: {args.input} is not UTF-8 text (a JSON request is).", file=sys.stderr)
        return 2
    except RecursionError:   # the C parser recurses once per level of [ or {
        print("error: the input is nested too deeply to be a grouping request.", file=sys.stderr)
        return 2
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


# -- `workshop groups form|show`: an academy's groups, headless (issue 15, item 5) ------------------

def register_groups(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop groups form|show`` to the CLI."""
    groups = sub.add_parser("groups", help="form, save and show an academy's groups")
    actions = groups.add_subparsers(dest="groups_command", required=True, metavar="ACTION")
    form = actions.add_parser(
        "form", help="form groups for an academy and save them (the app then shows them)",
        description="Form groups from the academy's roster and save them as its grouping: the "
        "Groups page, the rotation and the group cards use them. People are named as on the "
        "roster (case and accents ignored) or by id.")
    form.add_argument("--academy", required=True, metavar="TITLE")
    form.add_argument("--strategy", choices=STRATEGIES, default="balanced")
    form.add_argument("--groups", type=int, metavar="N", help="default: about 5–6 people a group, "
                      "at least one per station")
    form.add_argument("--rounds", type=int, default=1, metavar="R", help="re-mix R rounds (default 1)")
    form.add_argument("--keep-together", action="append", default=[], metavar="A,B[,C…]",
                      help="keep these people in one group (repeatable)")
    form.add_argument("--keep-apart", action="append", default=[], metavar="A,B",
                      help="never put these two in one group (repeatable)")
    form.add_argument("--absent", action="append", default=[], metavar="A[,B…]",
                      help="leave these people out (repeatable)")
    form.add_argument("--not-arrived", action="store_true",
                      help="leave out everyone without a phone check-in today")
    form.add_argument("--no-lone", choices=sorted(LONE_ATTRIBUTES), metavar="ATTRIBUTE",
                      help="nobody is the only one of their kind: role, school or readiness")
    form.add_argument("--seed", type=int, default=0)
    form.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
    form.set_defaults(handler=cmd_groups_form)
    use = actions.add_parser("use", help="run another re-mix round: the rotation, projector, "
                             "group cards and debrief use it (a later part of the day)")
    use.add_argument("--academy", required=True, metavar="TITLE")
    use.add_argument("--round", type=int, required=True, metavar="N")
    use.set_defaults(handler=cmd_groups_use)
    show = actions.add_parser("show", help="print an academy's saved groups as JSON")
    show.add_argument("--academy", required=True, metavar="TITLE")
    show.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    show.set_defaults(handler=cmd_groups_show)


def people_named(people, text: str, what: str, *, exactly: int | None = None) -> list[int]:
    """Participant ids for a comma-separated list of names (or ids); ValidationError naming
    anyone unknown or ambiguous."""
    by_name: dict[str, list] = {}
    for p in people:
        by_name.setdefault(fold(p.name), []).append(p)
    ids: list[int] = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        match = by_name.get(fold(token)) or [p for p in people if token.isdigit() and p.id == int(token)]
        if not match:
            shown = " ".join(token.split())[:60]   # one line, whatever was typed
            raise ValidationError(f"{what}: nobody called “{shown}” is on the roster.")
        if len(match) > 1:
            raise ValidationError(f"{what}: {plural(len(match), 'person', 'people')} are called “{match[0].name}”; use their ids "
                                  f"({', '.join(str(p.id) for p in match)}).")
        if match[0].id not in ids:
            ids.append(match[0].id)
    if exactly is not None and len(ids) != exactly:
        raise ValidationError(f"{what} takes {exactly} different people, comma-separated.")
    if len(ids) < 2 and exactly is None and what != "--absent":
        raise ValidationError(f"{what} takes at least two different people, comma-separated.")
    return ids


def cmd_groups_form(args, open_context) -> int:
    """Form the academy's groups by the options given and save them; print what was made."""
    if not 0 < args.time_limit <= 600:   # NaN fails this too
        raise ValidationError(f"--time-limit must be more than 0 and at most 600 seconds (got {args.time_limit}).")
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    people = ctx.grouping.roster(academy.id)
    if not people:
        raise ValidationError(f"“{academy.title}” has no participants yet; import a roster first.")
    absent = {pid for text in args.absent for pid in people_named(people, text, "--absent")}
    if args.not_arrived:
        arrived = ctx.grouping.arrived(academy.id)
        if not arrived:
            raise ValidationError("--not-arrived: no phone has checked in today.")
        absent |= {p.id for p in people} - arrived
    groups = args.groups if args.groups is not None else suggested_groups(
        len(people) - len(absent), len(ctx.stations.stations(academy.id)))
    rules = GroupingRules(
        strategy=args.strategy, groups=groups, rounds=args.rounds, seed=args.seed,
        keep_together=tuple(tuple(people_named(people, t, "--keep-together")) for t in args.keep_together),
        keep_apart=tuple((a, b) for a, b in (people_named(people, t, "--keep-apart", exactly=2)
                                             for t in args.keep_apart)),
        absent=frozenset(absent), no_lone=args.no_lone)
    proposal = ctx.grouping.regroup(academy.id, Draft(rules=rules), time_limit_s=args.time_limit)
    draft = Draft(rules=rules).regrouped([[list(g.member_ids) for g in rnd] for rnd in proposal.rounds],
                                         len(proposal.groups))
    result = ctx.grouping.update_draft(academy.id, draft)
    print(f"Saved {plural(len(draft.names), 'group')}"
          + (f" × {plural(len(draft.rounds), 'round')}" if len(draft.rounds) > 1 else "")
          + f" for “{academy.title}”: {result.notes[0] if result.notes else ''}")
    for status in ctx.grouping.rule_report(academy.id, draft):
        print(status.line)
    for unmet in result.unmet:
        print(f"not met: {unmet['reason']}")
    return 0


def cmd_groups_show(args, open_context) -> int:
    """Print the academy's saved groups (every round, members named) as JSON."""
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    saved = ctx.grouping.saved(academy.id)
    if saved is None or not saved.rounds:
        raise ValidationError(f"“{academy.title}” has no saved groups yet: "
                              f"run `workshop groups form --academy \"{academy.title}\"`.")
    people = {p.id: p for p in ctx.grouping.roster(academy.id)}
    categories = ctx.academies.categories(academy.id)

    def member(pid: int) -> dict:
        p = people[pid]
        return {"id": pid, "name": p.name, "school": p.school, "role": p.role,
                "role_category": categories.get(pid, ""), "readiness": p.readiness}

    out = {"academy": academy.title, "strategy": saved.strategy, "options": saved.options,
           "round_in_use": ctx.grouping.round_in_use(academy.id),
           "saved_at": saved.saved_at, "metrics": saved.metrics,
           "rounds": [[{"name": g.name, "members": [member(pid) for pid in g.member_ids if pid in people]}
                       for g in rnd] for rnd in saved.rounds]}
    json.dump(out, sys.stdout, indent=args.indent, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def cmd_groups_use(args, open_context) -> int:
    """Make re-mix round N the one that runs and prints."""
    ctx = open_context()
    academy = ctx.academies.find(args.academy)
    ctx.grouping.use_round(academy.id, args.round)
    print(f"Round {args.round} of the groups now runs in “{academy.title}”: the rotation, the "
          "projector, the group cards and the debrief use it.")
    return 0
