"""``workshop handout …`` and ``workshop demo``: handouts without a window.

A thin layer over ``ctx.handouts`` (``workshop.handouts.service.HandoutService``). The demo needs every
feature, so its steps are handed in by the composition root (``register(sub, demo=…)``); this
module imports no feature.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from workshop.errors import ValidationError
from workshop.text import plural

KINDS = ("debrief", "iteration-log", "prototype", "signs", "group-cards", "agenda", "roster", "plan",
         "vision", "pack")


def register(sub: argparse._SubParsersAction, demo: Callable | None = None) -> None:
    """``demo(out_dir, paper, say) -> academy title`` builds the demo database and returns
    the context's handout service and academy id (see ``workshop.app.run_demo``)."""
    p = sub.add_parser("handout", help="write a handout PDF (or the whole pack) for an academy",
                       description="Write a handout PDF. `pack` writes every handout of the "
                       "academy into the folder --out.")
    p.add_argument("kind", choices=KINDS, metavar="{" + "|".join(KINDS) + "}")
    p.add_argument("--academy", required=True, metavar="TITLE")
    p.add_argument("--prototype", metavar="ID", help="the prototype's number (prototype and "
                   "iteration-log; see `workshop prototype list`)")
    p.add_argument("--group", metavar="G", help="one group only (debrief, group-cards): its name "
                   "or letter")
    p.add_argument("--team", metavar="SCHOOL", help="the school team (plan, vision): its "
                   "vision poster and one-page rollout plan")
    p.add_argument("--paper", type=paper_size, help="paper size: a4 or letter (default: from "
                   "the locale, or $WORKSHOP_PAPER)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="the PDF to write (for pack: a folder)")
    p.add_argument("--force", action="store_true",
                   help="pack: replace the files an earlier pack left in --out (refused otherwise)")
    p.set_defaults(handler=cmd_handout)

    if demo is not None:
        d = sub.add_parser("demo", help="build the demo academy on a scratch database, run it, and "
                           "write the whole handout pack", description="On a scratch database "
                           "in DIR: create the demo academy, group it, run the rotation on an "
                           "accelerated clock with simulated check-ins and reflections, add demo "
                           "prototypes with iterations and maps, and write every handout into DIR.")
        d.add_argument("--out", required=True, metavar="DIR")
        d.add_argument("--paper", type=paper_size, help="paper size: a4 or letter")
        d.set_defaults(handler=lambda args, open_context: cmd_demo(args, demo))


def paper_size(name: str) -> str:
    """Checked when given, not when the parser is built: the paper sizes live beside reportlab,
    which every other `workshop` command should not have to import."""
    from workshop.pdf.paper import PAPERS
    if name.lower() not in PAPERS:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(sorted(PAPERS))} (got {name!r})")
    return name.lower()


def _error(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def write_file(path: Path, data: bytes) -> None:
    """Write beside, then rename: a crash never leaves half a PDF under the real name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _one_line(path: Path) -> str:
    """A path for a one-line message: line breaks and other unprintables escaped (a folder
    may be named anything)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))


def _progress(done: int, total: int, title: str) -> None:
    if done < total:
        print(f"[{done + 1}/{total}] {title}", file=sys.stderr)


def cmd_handout(args, open_context) -> int:
    """``handout KIND``: one handout of an academy written as a PDF file."""
    ctx = open_context()
    out = Path(args.out)
    try:
        academy = ctx.academies.find(args.academy)
        if args.kind == "pack":
            if args.prototype is not None or args.group is not None or args.team is not None:
                return _error("The pack holds every handout: --prototype, --group and --team "
                              "do not apply to it.")
            present = [] if args.force else ctx.handouts.pack_files_present(academy.id, out)
            if present:
                return _error(f"{_one_line(out)} already holds {plural(len(present), 'file')} of this pack "
                              f"(“{present[0].relative_to(out)}”…): add --force to replace them, "
                              "or choose another --out. Nothing was written.")
            result = ctx.handouts.write_pack(academy.id, out, args.paper, progress=_progress)
            print(f"Wrote {plural(len(result.files), 'handout')} ({result.size / 1024:.0f} KB) to {out} "
                  f"in {result.seconds:.1f} s")
            for kind in ctx.handouts.kinds.values():   # e.g. signs no phone could open
                if kind.warning is not None and (warning := kind.warning(academy.id)):
                    print(f"warning: {warning}", file=sys.stderr)
            return 0
        options = {}
        if args.prototype is not None:
            options["prototype"] = args.prototype
        if args.group is not None:
            options["group"] = args.group
        if args.team is not None:
            options["team"] = args.team
        kind = ctx.handouts.kind(args.kind)
        unused = [f"--{k}" for k in options if k != kind.option]
        if unused:
            return _error(f"{' and '.join(unused)} does not apply to the {kind.title.lower()}.")
        if out.is_dir():
            out = out / ctx.handouts.default_filename(args.kind, academy.id)
        data = ctx.handouts.make(args.kind, academy.id, args.paper, **options)
        write_file(out, data)
        if kind.warning is not None and (warning := kind.warning(academy.id)):
            print(f"warning: {warning}", file=sys.stderr)
    except (ValidationError, _attachment_error()) as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"Cannot write {out}: {exc.strerror or exc}.")
    print(f"Wrote {out} ({len(data) / 1024:.0f} KB)")
    return 0


def cmd_demo(args, demo: Callable) -> int:
    """``demo``: build the demo academy on a scratch database and write its whole pack."""
    out = Path(args.out)
    started = time.perf_counter()
    try:
        out.mkdir(parents=True, exist_ok=True)
        with demo(out, lambda text: print(text, file=sys.stderr)) as (handouts, academy_id):
            result = handouts.write_pack(academy_id, out, args.paper, progress=_progress)
    except (ValidationError, _pack_cancelled()) as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"Cannot write into {out}: {exc.strerror or exc}.")
    print(f"Wrote the demo pack to {out}: {plural(len(result.files), 'handout')}, "
          f"{result.size / 1024:.0f} KB, in {time.perf_counter() - started:.1f} s")
    for f in result.files:
        print(f"  {f.relative_to(out)}")
    return 0


def _attachment_error() -> type[Exception]:
    from workshop.pdf.attachments import AttachmentError  # pypdf: only when a handout is made
    return AttachmentError


def _pack_cancelled() -> type[Exception]:
    from workshop.handouts.service import PackCancelled
    return PackCancelled
