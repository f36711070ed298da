"""The CLI's plumbing around the composition root (``workshop.app``): which parser a command
line needs, and what a command's handler gets to open the data file."""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Generic, TypeVar

Context = TypeVar("Context")


class _Peek(argparse.ArgumentParser):
    """Finds the command word only; any doubt is left to the whole parser."""

    def error(self, message: str):  # type: ignore[override]
        raise ValueError(message)


def parser_for(argv: list[str] | None,
               build: Callable[..., argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The parser for ``argv``, from ``build(features=True|False)`` (``workshop.app.
    build_parser``). The window (no command) and the shell's own commands (``workshop
    academies`` first of all) are parsed without building the parsers of every feature, whose
    imports were a fifth of the listing (issue 20); any other command, ``--help`` or anything
    odd gets the whole parser, so its help and its errors read as they always did."""
    peek = _Peek(add_help=False, allow_abbrev=True)
    peek.add_argument("--db")
    peek.add_argument("--demo", action="store_true")
    peek.add_argument("-h", "--help", action="store_true")
    peek.add_argument("command", nargs="?")
    argv = sys.argv[1:] if argv is None else argv
    try:
        found, _rest = peek.parse_known_args(argv)
    except (ValueError, argparse.ArgumentError):
        return build()
    if found.help or "--" in argv:   # "--": the word after it is no command to argparse
        return build()
    shell = build(features=False)
    sub = next(a for a in shell._actions if isinstance(a, argparse._SubParsersAction))
    return shell if found.command is None or found.command in sub.choices else build()


class ContextOpener(Generic[Context]):
    """What a command's handler gets as ``open_context``: calling it opens the database the
    full way (checked, upgraded) and builds the context, once (``build``); ``read_only()`` is a
    quicker look for a reading command (``look``: see ``workshop.store.readonly``)."""

    def __init__(self, build: Callable[[], Context], look: Callable[[], object]) -> None:
        self._build = build
        self._look = look
        self.contexts: list[Context] = []

    def __call__(self) -> Context:
        if not self.contexts:
            self.contexts.append(self._build())
        return self.contexts[0]

    def read_only(self):
        """A read-only ``sqlite3`` connection to a healthy file already at this version's
        schema, or None (then call the opener: the full path upgrades or refuses the file).
        Neither sqlite-utils nor any service is loaded for it."""
        if self.contexts:
            return None   # opened already: read through the context
        return self._look()
